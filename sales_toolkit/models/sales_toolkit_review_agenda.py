from odoo import fields, models

from .sales_toolkit_field_rights import LEADERS


class SalesToolkitReviewAgenda(models.Model):
    _name = "sales_toolkit.review.agenda"
    _description = "Review Meeting Agenda Item"
    _inherit = ["sales_toolkit.record.mixin"]
    _toolkit_write_default = LEADERS
    _order = "meeting_id, sequence, id"
    _toolkit_parent_fields = ("meeting_id",)

    meeting_id = fields.Many2one(
        "sales_toolkit.review.meeting", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="meeting_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Topic", required=True, help="e.g. Results review, highlights, problems")
    presenter_id = fields.Many2one("res.users", check_company=True, domain="[('share', '=', False)]")
    duration = fields.Float(help="Time allotted, in hours and minutes.")
