from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesToolkitCareLog(models.Model):
    _name = "sales_toolkit.care.log"
    _description = "Relationship Care Execution"
    _inherit = ["sales_toolkit.pipl.mixin", "sales_toolkit.record.mixin"]
    _order = "date desc, id desc"
    _rec_name = "description"
    _toolkit_parent_fields = ("plan_id", "action_id")

    plan_id = fields.Many2one("sales_toolkit.care.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    action_id = fields.Many2one(
        "sales_toolkit.care.action",
        check_company=True,
        domain="[('plan_id', '=', plan_id)]",
        ondelete="set null",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    description = fields.Char(string="What Was Done", required=True)
    customer_feedback = fields.Text()
    evaluation = fields.Selection(
        [("satisfied", "Satisfied"), ("neutral", "Neutral"), ("dissatisfied", "Dissatisfied")]
    )
    satisfaction_score = fields.Float(string="Satisfaction (of 100)", help="From a satisfaction survey.")
    user_id = fields.Many2one(
        "res.users", check_company=True, string="Logged By", default=lambda self: self.env.user
    )

    def _toolkit_pipl_fields(self):
        return ["description", "customer_feedback"]

    @api.constrains("satisfaction_score")
    def _check_satisfaction_score(self):
        for log in self:
            if not 0 <= log.satisfaction_score <= 100:
                raise ValidationError(
                    self.env._(
                        "A satisfaction score is between 0 and 100, not %(score)s.",
                        score=log.satisfaction_score,
                    )
                )
