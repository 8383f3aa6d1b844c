from odoo import api, fields, models

from ..models.sales_toolkit_field_rights import MANAGERS


class SalesToolkitTargetRevise(models.TransientModel):
    _name = "sales_toolkit.target.revise"
    _description = "Revise a Sales Target"
    _inherit = ["sales_toolkit.field.rights"]
    _toolkit_write_default = MANAGERS

    target_id = fields.Many2one("sales_toolkit.target", required=True, ondelete="cascade")
    current_value = fields.Float(related="target_id.target_value", string="Current Target")
    kpi_unit = fields.Char(related="target_id.kpi_unit")
    new_value = fields.Float(
        string="New Target",
        required=True,
        compute="_compute_new_value",
        store=True,
        readonly=False,
        precompute=True,
    )
    reason = fields.Text(
        required=True,
        help="The market change behind the revision (a competitor's price cut, a rise in raw "
        "material prices...), as agreed in the review meeting.",
    )

    @api.depends("target_id")
    def _compute_new_value(self):
        for wizard in self:
            wizard.new_value = wizard.target_id.target_value

    def action_apply(self):
        self.ensure_one()
        self.target_id._toolkit_revise(self.new_value, self.reason)
        return {"type": "ir.actions.act_window_close"}
