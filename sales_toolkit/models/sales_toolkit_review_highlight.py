from odoo import fields, models


class SalesToolkitReviewHighlight(models.Model):
    _name = "sales_toolkit.review.highlight"
    _description = "Review Meeting Highlight"
    _inherit = ["sales_toolkit.review.child.mixin"]

    user_id = fields.Many2one(
        "res.users", check_company=True, string="Shared By", required=True, domain="[('share', '=', False)]"
    )
    description = fields.Text(
        string="What Was Shared", required=True, help="e.g. How the referral bonus brought 5 new customers"
    )

    def _toolkit_pipl_fields(self):
        return ["description"]
