from odoo import api, fields, models


class SalesToolkitStrategyKpi(models.Model):
    _name = "sales_toolkit.strategy.kpi"
    _description = "Sales Strategy Evaluation KPI"
    _inherit = ["sales_toolkit.strategy.child.mixin"]

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
