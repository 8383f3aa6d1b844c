import re

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import formatLang

from .sales_toolkit_analysis import DIMENSIONS, LINE_FIGURE_FIELDS, LINE_KEY_FIELDS
from .sales_toolkit_field_rights import MANAGERS, SYSTEM
from .sales_toolkit_kpi import CUSTOMER_TYPES, KPIS

ROOT_CAUSE_CATEGORIES = [
    ("customer_count", "Customer count"),
    ("order_value", "Order value"),
    ("price", "Price"),
    ("competitor", "Competitor"),
    ("channel", "Channel"),
    ("people", "People"),
    ("other", "Other"),
]
# what the handbook warns against: a root cause that names no customer, product or figure
VAGUE_PHRASES = (
    "the market is bad",
    "market is bad",
    "bad market",
    "the market is weak",
    "market is weak",
    "weak market",
    "the economy is bad",
    "economy is bad",
    "market conditions",
    "market environment",
    "市场不好",
    "市场不景气",
    "市场环境不好",
    "市场环境",
    "行情不好",
    "经济不好",
    "大环境不好",
)
# a specific root cause says what, where and how much: at least this long (a Chinese
# character counts twice, as it carries about a word)
ROOT_CAUSE_MIN_LENGTH = 15


class SalesToolkitAnalysisLine(models.Model):
    _name = "sales_toolkit.analysis.line"
    _description = "Performance Analysis Line"
    _inherit = ["sales_toolkit.record.mixin"]
    # managers explain the lines; the generation writes the rest
    _toolkit_write_default = MANAGERS
    _toolkit_write_rights = {
        "analysis_id": SYSTEM,
    }
    _order = "analysis_id, sequence, id"
    _toolkit_parent_fields = ("analysis_id",)

    analysis_id = fields.Many2one(
        "sales_toolkit.analysis", string="Analysis Sheet", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="analysis_id.company_id", store=True, index=True, precompute=True)
    currency_id = fields.Many2one(related="analysis_id.currency_id")
    state = fields.Selection(related="analysis_id.state")
    sequence = fields.Integer(default=10)
    dimension = fields.Selection(DIMENSIONS, required=True, readonly=True)
    kpi = fields.Selection(KPIS, string="Indicator", required=True, readonly=True)
    team_id = fields.Many2one("crm.team", string="Region", readonly=True, check_company=True)
    categ_id = fields.Many2one("product.category", string="Product Line", readonly=True)
    customer_type = fields.Selection(CUSTOMER_TYPES, readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    dimension_value = fields.Char(compute="_compute_dimension_value")
    kpi_label = fields.Char(string="Indicator Label", compute="_compute_dimension_value")

    # figures, written by the generation only
    target_id = fields.Many2one(
        "sales_toolkit.target", check_company=True, string="Target Record", readonly=True
    )
    has_target = fields.Boolean(readonly=True)
    target_value = fields.Float(string="Target", readonly=True)
    actual_value = fields.Float(string="Actual", readonly=True)
    completion_rate = fields.Float(string="Completion (%)", readonly=True, aggregator="avg")
    last_year_value = fields.Float(string="Same Period Last Year", readonly=True)
    yoy_rate = fields.Float(string="YoY (%)", readonly=True, aggregator="avg")
    previous_value = fields.Float(string="Previous Period", readonly=True)
    mom_rate = fields.Float(string="MoM (%)", readonly=True, aggregator="avg")
    is_highlighted = fields.Boolean(
        string="To Explain",
        readonly=True,
        index=True,
        help="Completion outside the bounds set in the settings: give the root cause.",
    )
    gap_direction = fields.Selection([("below", "Below target"), ("above", "Above target")], readonly=True)
    lead_count = fields.Integer(string="Leads", readonly=True)
    opportunity_count = fields.Integer(string="Opportunities", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
    lead_opportunity_rate = fields.Float(string="Lead → Opportunity (%)", readonly=True)
    opportunity_won_rate = fields.Float(string="Opportunity → Won (%)", readonly=True)

    # follow-up of the previous sheet
    previous_line_id = fields.Many2one(
        "sales_toolkit.analysis.line",
        check_company=True,
        string="Previous Sheet Line",
        readonly=True,
        ondelete="set null",
    )
    previous_actual_value = fields.Float(string="Previous Sheet Actual", readonly=True)
    movement_value = fields.Float(
        string="Movement", readonly=True, help="Actual minus the actual of the previous sheet's line."
    )
    followup_state = fields.Selection(
        [("none", "No actions"), ("open", "Not done"), ("partial", "Partly done"), ("done", "Done")],
        string="Previous Actions",
        compute="_compute_followup",
        help="Whether the tasks of the previous sheet's improvement actions on this line are done.",
    )
    followup_summary = fields.Char(string="Previous Actions Done", compute="_compute_followup")

    # the explanation
    root_cause = fields.Text(
        help="Specific: what changed, where and how much, e.g. 'competitor cut price 10%, 3 customers lost'."
    )
    root_cause_category = fields.Selection(ROOT_CAUSE_CATEGORIES)
    action_ids = fields.One2many("sales_toolkit.analysis.action", "line_id", string="Improvement Actions")

    @api.depends("dimension", "kpi", "team_id", "categ_id", "customer_type", "user_id")
    def _compute_dimension_value(self):
        types = dict(self._fields["customer_type"]._description_selection(self.env))
        kpis = dict(self._fields["kpi"]._description_selection(self.env))
        for line in self:
            if line.dimension == "team":
                value = line.team_id.name
            elif line.dimension == "category":
                value = line.categ_id.display_name
            elif line.dimension == "customer_type":
                value = types.get(line.customer_type)
            elif line.dimension == "user":
                value = line.user_id.name
            elif line.analysis_id.scope == "team":
                value = line.analysis_id.team_id.name
            else:
                value = self.env._("Whole company")
            line.dimension_value = value or ""
            line.kpi_label = kpis.get(line.kpi, "")

    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.dimension_value} · {line.kpi_label}"

    def _compute_followup(self):
        for line in self:
            tasks = line.previous_line_id.sudo().action_ids.task_ids
            done = len(tasks.filtered(lambda task: task.state == "done"))
            if not tasks:
                line.followup_state = "none"
                line.followup_summary = False
                continue
            line.followup_state = "done" if done == len(tasks) else "partial" if done else "open"
            line.followup_summary = self.env._("%(done)s of %(total)s done", done=done, total=len(tasks))

    @api.constrains("root_cause")
    def _check_root_cause(self):
        for line in self:
            if line.root_cause and not self._is_specific(line.root_cause):
                raise ValidationError(
                    self.env._(
                        "%(line)s: the root cause is too vague. Say what changed, where and how much "
                        "(e.g. 'competitor cut price 10%%, 3 customers lost'), not 'the market is bad'.",
                        line=line.display_name,
                    )
                )

    @api.model
    def _is_specific(self, text):
        normalised = re.sub(r"[\s\W_]+", " ", text.lower()).strip()
        for phrase in VAGUE_PHRASES:
            normalised = normalised.replace(phrase, " ")
        meaningful = re.sub(r"[\s\W_]+", "", normalised)
        length = sum(2 if "\u4e00" <= char <= "\u9fff" else 1 for char in meaningful)
        return length >= ROOT_CAUSE_MIN_LENGTH

    @api.model
    def _toolkit_generating(self):
        """Lines are written by the sheet's generation, as the superuser: no client context fakes it."""
        return self.env.su and self.env.context.get("toolkit_analysis_generate")

    @api.model_create_multi
    def create(self, vals_list):
        if not self._toolkit_generating():
            raise UserError(
                self.env._("Analysis lines come from generating the sheet; they cannot be added by hand.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self._toolkit_generating():
            if set(vals) & {*LINE_FIGURE_FIELDS, *LINE_KEY_FIELDS, "analysis_id", "company_id"}:
                raise UserError(
                    self.env._(
                        "The figures of an analysis line are measured from the sales records; "
                        "they cannot be typed in."
                    )
                )
            if self.filtered(lambda line: line.analysis_id.state == "closed"):
                raise UserError(self.env._("The sheet is closed: reopen it before changing its root causes."))
        return super().write(vals)

    def _line_key(self):
        self.ensure_one()
        return (
            self.dimension,
            self.kpi,
            self.team_id.id or None,
            self.categ_id.id or None,
            self.customer_type or None,
            self.user_id.id or None,
        )

    def _is_explained(self):
        self.ensure_one()
        return bool((self.root_cause or "").strip() and self.root_cause_category)

    def _format_value(self, value):
        self.ensure_one()
        return self.env["sales_toolkit.kpi"]._format_value(self.kpi, value, self.currency_id)

    def _format_rate(self, value, signed=False):
        text = formatLang(self.env, value, digits=1)
        return ("+" + text if signed and value > 0 else text) + " %"

    def _conversion_summary(self):
        self.ensure_one()
        return self.env._(
            "%(leads)s leads → %(opportunities)s opportunities (%(lead_rate)s) → %(won)s won (%(won_rate)s)",
            leads=self.lead_count,
            opportunities=self.opportunity_count,
            lead_rate=self._format_rate(self.lead_opportunity_rate),
            won=self.won_count,
            won_rate=self._format_rate(self.opportunity_won_rate),
        )

    def _followup_text(self):
        self.ensure_one()
        return self.env._(
            "Previous actions: %(summary)s; moved by %(movement)s since the previous sheet",
            summary=self.followup_summary,
            movement=self._format_value(self.movement_value),
        )
