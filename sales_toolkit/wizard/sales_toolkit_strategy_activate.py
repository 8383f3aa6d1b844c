from odoo import fields, models

from ..models.sales_toolkit_field_rights import MANAGERS


class SalesToolkitStrategyActivate(models.TransientModel):
    _name = "sales_toolkit.strategy.activate"
    _description = "Confirm Strategy Activation"
    _inherit = ["sales_toolkit.field.rights"]
    _toolkit_write_default = MANAGERS

    strategy_ids = fields.Many2many("sales_toolkit.strategy", string="Strategies", required=True)
    message = fields.Text(readonly=True)

    def action_confirm(self):
        self.ensure_one()
        return self.strategy_ids.with_context(sales_toolkit_focus_confirmed=True).action_activate()
