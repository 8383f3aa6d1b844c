from odoo import fields, models

from .sales_toolkit_field_rights import MANAGERS

LEVELS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]


class SalesToolkitStrategyRisk(models.Model):
    _name = "sales_toolkit.strategy.risk"
    _description = "Sales Strategy Risk"
    _inherit = ["sales_toolkit.record.mixin"]
    _toolkit_write_default = MANAGERS
    _order = "strategy_id, sequence, id"
    _toolkit_parent_fields = ("strategy_id",)

    strategy_id = fields.Many2one("sales_toolkit.strategy", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="strategy_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Risk", required=True, help="e.g. A distributor pulls out")
    likelihood = fields.Selection(LEVELS, required=True, default="medium")
    impact = fields.Selection(LEVELS, required=True, default="medium")
    contingency = fields.Text(
        required=True, help="What is done if it happens, e.g. sign the backup distributor."
    )
