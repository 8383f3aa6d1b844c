from odoo import fields, models

from .sales_toolkit_field_rights import LEADERS


class SalesToolkitReviewChildMixin(models.AbstractModel):
    """A line of a review meeting (agenda item, highlight, lesson, problem, resolution): in
    the meeting's company, ordered in it, kept by team leaders."""

    _name = "sales_toolkit.review.child.mixin"
    _description = "Review Meeting Item"
    _inherit = ["sales_toolkit.pipl.mixin", "sales_toolkit.record.mixin"]
    _toolkit_write_default = LEADERS
    _order = "meeting_id, sequence, id"
    _toolkit_parent_fields = ("meeting_id",)

    meeting_id = fields.Many2one(
        "sales_toolkit.review.meeting", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="meeting_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
