from odoo import fields, models

from .sales_toolkit_field_rights import MANAGERS


class SalesToolkitStrategyChildMixin(models.AbstractModel):
    """A line of a strategy (4P line, KPI, risk, milestone): in the strategy's company,
    ordered in it, planned by sales managers."""

    _name = "sales_toolkit.strategy.child.mixin"
    _description = "Sales Strategy Item"
    _inherit = ["sales_toolkit.record.mixin"]
    _toolkit_write_default = MANAGERS
    _order = "strategy_id, sequence, id"
    _toolkit_parent_fields = ("strategy_id",)

    strategy_id = fields.Many2one("sales_toolkit.strategy", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="strategy_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
