from odoo import api, fields, models

from .sales_toolkit_field_rights import MANAGERS


class SalesToolkitStrength(models.Model):
    _name = "sales_toolkit.strength"
    _description = "Company Strength"
    _inherit = ["sales_toolkit.record.mixin"]
    _toolkit_write_default = MANAGERS
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(
        string="Evidence",
        translate=True,
        help="What proves the strength: figures, references, certificates, patents.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        help="Leave empty to share the strength with every company.",
    )
    need_ids = fields.One2many("sales_toolkit.need", "strength_id", string="Matched Needs")
    need_count = fields.Integer(compute="_compute_need_count", string="Needs")
    average_score = fields.Float(compute="_compute_need_count", digits=(3, 1))

    @api.depends("need_ids.score")
    def _compute_need_count(self):
        rows = self.env["sales_toolkit.need"]._read_group(
            [("strength_id", "in", self.ids)],
            groupby=["strength_id"],
            aggregates=["__count", "score:avg"],
        )
        stats = {strength.id: (count, avg) for strength, count, avg in rows}
        for strength in self:
            strength.need_count, strength.average_score = stats.get(strength.id, (0, 0.0))

    def action_open_needs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_toolkit.sales_toolkit_need_action")
        action["domain"] = [("strength_id", "=", self.id)]
        action["context"] = {"default_strength_id": self.id}
        return action
