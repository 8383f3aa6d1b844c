from odoo import fields, models

MARKETING_MIX = [
    ("product", "Product"),
    ("price", "Price"),
    ("place", "Place (channel)"),
    ("promotion", "Promotion"),
]


class SalesToolkitStrategyLine(models.Model):
    _name = "sales_toolkit.strategy.line"
    _description = "Sales Strategy Line (4P)"
    _inherit = ["sales_toolkit.strategy.child.mixin"]

    kind = fields.Selection(MARKETING_MIX, string="4P", required=True, default="product")
    description = fields.Text(
        required=True, help="e.g. Sign 3 distributors; online ads (150,000); first month free."
    )
