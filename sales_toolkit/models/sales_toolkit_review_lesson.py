from odoo import fields, models

from .sales_toolkit_field_rights import LEADERS


class SalesToolkitReviewLesson(models.Model):
    _name = "sales_toolkit.review.lesson"
    _description = "Review Meeting Lesson"
    _inherit = ["sales_toolkit.pipl.mixin", "sales_toolkit.record.mixin"]
    _toolkit_write_default = LEADERS
    _order = "meeting_id, kind desc, sequence, id"
    _toolkit_parent_fields = ("meeting_id",)

    meeting_id = fields.Many2one(
        "sales_toolkit.review.meeting", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="meeting_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [("repeat", "Practice to Repeat"), ("avoid", "Mistake to Avoid")],
        required=True,
        default="repeat",
    )
    description = fields.Text(required=True)

    def _toolkit_pipl_fields(self):
        return ["description"]
