from odoo import fields, models

from ..tools.people_fields import internal_user_field


class SalesToolkitReviewHighlight(models.Model):
    _name = "sales_toolkit.review.highlight"
    _description = "Review Meeting Highlight"
    _inherit = ["sales_toolkit.review.child.mixin"]

    user_id = internal_user_field("Shared By", default=None, required=True)
    description = fields.Text(
        string="What Was Shared", required=True, help="e.g. How the referral bonus brought 5 new customers"
    )

    def _toolkit_pipl_fields(self):
        return ["description"]
