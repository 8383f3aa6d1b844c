from odoo import api, fields, models

from .sales_toolkit_field_rights import MANAGERS


class SalesToolkitStrategyKpi(models.Model):
    _name = "sales_toolkit.strategy.kpi"
    _description = "Sales Strategy Evaluation KPI"
    _inherit = ["sales_toolkit.record.mixin"]
    _toolkit_write_default = MANAGERS
    _order = "strategy_id, sequence, id"
    _toolkit_parent_fields = ("strategy_id",)

    strategy_id = fields.Many2one("sales_toolkit.strategy", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="strategy_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(
        string="KPI", required=True, help="e.g. Distributor coverage, trial conversion rate, ROI"
    )
    target = fields.Float(digits=(16, 2))
    actual = fields.Float(digits=(16, 2))
    unit = fields.Char(help="e.g. %, orders, customers")
    achievement = fields.Float(
        string="Achievement (%)", compute="_compute_achievement", help="Actual against target, in percent."
    )

    @api.depends("target", "actual")
    def _compute_achievement(self):
        for kpi in self:
            kpi.achievement = 100.0 * kpi.actual / kpi.target if kpi.target else 0.0
