from odoo import fields, models

LEVELS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]


class SalesToolkitStrategyRisk(models.Model):
    _name = "sales_toolkit.strategy.risk"
    _description = "Sales Strategy Risk"
    _inherit = ["sales_toolkit.strategy.child.mixin"]

    name = fields.Char(string="Risk", required=True, help="e.g. A distributor pulls out")
    likelihood = fields.Selection(LEVELS, required=True, default="medium")
    impact = fields.Selection(LEVELS, required=True, default="medium")
    contingency = fields.Text(
        required=True, help="What is done if it happens, e.g. sign the backup distributor."
    )
