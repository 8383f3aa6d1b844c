from odoo import fields, models

from .sales_toolkit_field_rights import LEADERS


class SalesToolkitReviewHighlight(models.Model):
    _name = "sales_toolkit.review.highlight"
    _description = "Review Meeting Highlight"
    _inherit = ["sales_toolkit.pipl.mixin", "sales_toolkit.record.mixin"]
    _toolkit_write_default = LEADERS
    _order = "meeting_id, sequence, id"
    _toolkit_parent_fields = ("meeting_id",)

    meeting_id = fields.Many2one(
        "sales_toolkit.review.meeting", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="meeting_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    user_id = fields.Many2one(
        "res.users", check_company=True, string="Shared By", required=True, domain="[('share', '=', False)]"
    )
    description = fields.Text(
        string="What Was Shared", required=True, help="e.g. How the referral bonus brought 5 new customers"
    )

    def _toolkit_pipl_fields(self):
        return ["description"]
