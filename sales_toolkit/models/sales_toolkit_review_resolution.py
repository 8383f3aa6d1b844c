from odoo import api, fields, models

from ..tools.people_fields import internal_user_field


class SalesToolkitReviewResolution(models.Model):
    _name = "sales_toolkit.review.resolution"
    _description = "Review Meeting Resolution"
    _inherit = ["sales_toolkit.review.child.mixin"]
    _order = "date desc, meeting_id, sequence, id"

    team_id = fields.Many2one(related="meeting_id.team_id", string="Sales Team", store=True, index=True)
    date = fields.Date(
        compute="_compute_date", store=True, readonly=False, precompute=True, help="When it was decided."
    )
    name = fields.Text(
        string="Resolution", required=True, help="e.g. Referral bonus: 500 per referred customer"
    )
    user_id = internal_user_field("Owner", default=None, index="btree_not_null")

    def _toolkit_pipl_fields(self):
        return ["name"]

    @api.depends("meeting_id.date_start")
    def _compute_date(self):
        for resolution in self:
            start = resolution.meeting_id.date_start
            if not resolution.date and start:
                resolution.date = fields.Date.context_today(resolution, start)
