from odoo import fields, models

from .sales_toolkit_field_rights import MANAGERS

MARKETING_MIX = [
    ("product", "Product"),
    ("price", "Price"),
    ("place", "Place (channel)"),
    ("promotion", "Promotion"),
]


class SalesToolkitStrategyLine(models.Model):
    _name = "sales_toolkit.strategy.line"
    _description = "Sales Strategy Line (4P)"
    _inherit = ["sales_toolkit.record.mixin"]
    _toolkit_write_default = MANAGERS
    _order = "strategy_id, sequence, id"
    _toolkit_parent_fields = ("strategy_id",)

    strategy_id = fields.Many2one("sales_toolkit.strategy", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="strategy_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(MARKETING_MIX, string="4P", required=True, default="product")
    description = fields.Text(
        required=True, help="e.g. Sign 3 distributors; online ads (150,000); first month free."
    )
