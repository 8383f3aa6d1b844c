from odoo import fields, models

from .sales_toolkit_field_rights import SYSTEM


class SalesToolkitTargetRevision(models.Model):
    _name = "sales_toolkit.target.revision"
    _description = "Sales Target Revision"
    _inherit = ["sales_toolkit.record.mixin"]
    # revisions are logged by the Revise action, never written by hand
    _toolkit_write_default = SYSTEM
    _order = "date desc, id desc"
    _toolkit_parent_fields = ("target_id",)

    target_id = fields.Many2one("sales_toolkit.target", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="target_id.company_id", store=True)
    kpi = fields.Selection(related="target_id.kpi")
    old_value = fields.Float(required=True, readonly=True)
    new_value = fields.Float(required=True, readonly=True)
    reason = fields.Text(required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users", string="Revised By", required=True, readonly=True, default=lambda self: self.env.user
    )
