from odoo import fields, models


class SalesToolkitReviewLesson(models.Model):
    _name = "sales_toolkit.review.lesson"
    _description = "Review Meeting Lesson"
    _inherit = ["sales_toolkit.review.child.mixin"]
    _order = "meeting_id, kind desc, sequence, id"

    kind = fields.Selection(
        [("repeat", "Practice to Repeat"), ("avoid", "Mistake to Avoid")],
        required=True,
        default="repeat",
    )
    description = fields.Text(required=True)

    def _toolkit_pipl_fields(self):
        return ["description"]
