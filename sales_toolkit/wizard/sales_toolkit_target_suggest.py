from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..models.sales_toolkit_field_rights import MANAGERS


class SalesToolkitTargetSuggest(models.TransientModel):
    _name = "sales_toolkit.target.suggest"
    _description = "Suggest a Sales Target from History"
    _inherit = ["sales_toolkit.field.rights"]
    _toolkit_write_default = MANAGERS

    target_id = fields.Many2one("sales_toolkit.target", required=True, ondelete="cascade")
    kpi_unit = fields.Char(related="target_id.kpi_unit")
    growth_rate = fields.Float(
        string="Market Growth (%)",
        default=15.0,
        help="Expected growth of the market over the same period last year, e.g. 15 for +15%.",
    )
    last_year_value = fields.Float(string="Same Period Last Year", compute="_compute_history")
    two_years_ago_value = fields.Float(string="Same Period Two Years Ago", compute="_compute_history")
    history_label = fields.Char(string="Periods Compared", compute="_compute_history")
    average_value = fields.Float(
        string="Average",
        compute="_compute_history",
        help="Average of the years with sales; a year without any is left out.",
    )
    suggested_value = fields.Float(string="Suggested Target", compute="_compute_suggested_value")

    @api.depends("target_id")
    def _compute_history(self):
        for wizard in self:
            target = wizard.target_id
            if not target:
                wizard.update(
                    last_year_value=0.0, two_years_ago_value=0.0, average_value=0.0, history_label=""
                )
                continue
            history = self.env["sales_toolkit.kpi"]._history(target._measure_spec())
            values = [value for _start, _end, value in history]
            wizard.last_year_value, wizard.two_years_ago_value = values
            years = [value for value in values if value]
            wizard.average_value = sum(years) / len(years) if years else 0.0
            wizard.history_label = ", ".join(
                f"{format_date(self.env, start)} – {format_date(self.env, end)}"
                for start, end, _value in history
            )

    @api.depends("average_value", "growth_rate")
    def _compute_suggested_value(self):
        for wizard in self:
            wizard.suggested_value = wizard.average_value * (1 + wizard.growth_rate / 100.0)

    def action_apply(self):
        self.ensure_one()
        if not self.average_value:
            raise UserError(
                self.env._("No sales in the same period of the last two years: set the target by hand.")
            )
        target = self.target_id
        if target.kpi == "repurchase_rate":
            value = min(self.suggested_value, 100.0)
        else:
            value = round(self.suggested_value, 2)
        if target.state == "draft":
            target.target_value = value
        else:
            target._toolkit_revise(
                value,
                self.env._(
                    "Suggested from history: average %(average)s of the same period in the last two years, "
                    "growth %(growth)s%%.",
                    average=target._format_value(self.average_value),
                    growth=self.growth_rate,
                ),
            )
        return {"type": "ir.actions.act_window_close"}
