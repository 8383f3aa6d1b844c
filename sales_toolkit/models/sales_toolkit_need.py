from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesToolkitNeed(models.Model):
    _name = "sales_toolkit.need"
    _description = "Customer Core Need"
    _inherit = ["sales_toolkit.pipl.mixin", "sales_toolkit.record.mixin"]
    # pain points first: the handbook weighs the cause behind a need above the need
    _order = "lead_id, is_pain_point desc, sequence, id"
    _toolkit_parent_fields = ("lead_id",)

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade", index=True)
    name = fields.Char(string="Need", required=True)
    sequence = fields.Integer(default=10)
    is_pain_point = fields.Boolean(
        string="Pain Point",
        help="Tick when this is the cause behind the customer's requests, not a stated wish.",
    )
    strength_id = fields.Many2one(
        "sales_toolkit.strength",
        string="Matched Strength",
        index="btree_not_null",
        ondelete="restrict",
    )
    score = fields.Integer(
        default=3,
        required=True,
        aggregator="avg",
        help="How well the matched strength answers the need: 5 = full match, 1 = no match.",
    )
    note = fields.Text(
        string="Justification",
        help="Why this score: the capability behind it, checked with the technical team.",
    )
    company_id = fields.Many2one(related="lead_id.company_id", store=True, index=True)
    user_id = fields.Many2one(related="lead_id.user_id", string="Salesperson", store=True)

    _score_range = models.Constraint(
        "CHECK (score BETWEEN 1 AND 5)", "A need-match score is between 1 and 5."
    )
    _toolkit_insert_checks = ("_check_score",)

    @api.constrains("score")
    def _check_score(self):
        for need in self:
            if not 1 <= need.score <= 5:
                raise ValidationError(
                    self.env._(
                        "The score of need “%(need)s” is %(score)s: score each need from 1 "
                        "(no match) to 5 (full match).",
                        need=need.name,
                        score=need.score,
                    )
                )

    @api.constrains("strength_id", "company_id")
    def _check_strength_company(self):
        # Odoo's check_company would refuse any company's strength on a lead shared by all
        # companies (no company); only a strength of another company is wrong
        for need in self:
            strength_company = need.strength_id.company_id
            if strength_company and need.company_id and strength_company != need.company_id:
                raise ValidationError(
                    self.env._(
                        "The strength “%(strength)s” belongs to %(company)s, not to the company "
                        "of lead “%(lead)s”.",
                        strength=need.strength_id.name,
                        company=strength_company.name,
                        lead=need.lead_id.name,
                    )
                )

    def _toolkit_pipl_fields(self):
        return ["name", "note"]

    @api.model_create_multi
    def create(self, vals_list):
        needs = super().create(vals_list)
        needs.lead_id._toolkit_mark_match_evaluated()
        return needs

    def write(self, vals):
        res = super().write(vals)
        if {"name", "score", "strength_id", "is_pain_point", "lead_id"} & vals.keys():
            self.lead_id._toolkit_mark_match_evaluated()
        return res

    def unlink(self):
        leads = self.lead_id
        res = super().unlink()
        leads.exists()._toolkit_mark_match_evaluated()
        return res
