from odoo import fields, models


class SalesToolkitReviewAgenda(models.Model):
    _name = "sales_toolkit.review.agenda"
    _description = "Review Meeting Agenda Item"
    _inherit = ["sales_toolkit.review.child.mixin"]

    name = fields.Char(string="Topic", required=True, help="e.g. Results review, highlights, problems")
    presenter_id = fields.Many2one("res.users", check_company=True, domain="[('share', '=', False)]")
    duration = fields.Float(help="Time allotted, in hours and minutes.")
