from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..tools.actions import form_dialog
from ..tools.people_fields import internal_user_field, sales_team_field
from .sales_toolkit_field_rights import MANAGERS, SYSTEM

# The handbook: focus on 1-2 core strategies at a time.
FOCUS_LIMIT = 2

SCENARIOS = [
    ("new_market", "New market entry"),
    ("new_product", "New product launch"),
    ("key_account", "Key-account campaign"),
    ("other", "Other"),
]


class SalesToolkitStrategy(models.Model):
    _name = "sales_toolkit.strategy"
    _description = "Sales Strategy Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales_toolkit.record.mixin"]
    _toolkit_write_default = MANAGERS
    _toolkit_write_rights = {
        "state": SYSTEM,
    }
    _order = "date_from desc, id desc"
    # reps who read a plan may discuss it and close the activities of their milestones
    _mail_post_access = "read"

    name = fields.Char(required=True, tracking=True, help="e.g. East China product A launch")
    scenario = fields.Selection(SCENARIOS, required=True, default="new_market", tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    team_id = sales_team_field(required=True, index=True, tracking=True)
    user_id = internal_user_field("Responsible", tracking=True, index=True)
    date_from = fields.Date(string="Start", required=True, default=fields.Date.context_today, tracking=True)
    date_to = fields.Date(string="End", required=True, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("done", "Done"), ("cancelled", "Cancelled")],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        group_expand=True,
    )
    color = fields.Integer()

    # Market analysis
    pest_policy = fields.Text(string="Policy", help="Laws, regulations and policies that affect the plan.")
    pest_economy = fields.Text(string="Economy", help="Economic climate, purchasing power, prices.")
    pest_society = fields.Text(string="Society", help="Demographics, habits and culture of the customers.")
    pest_technology = fields.Text(
        string="Technology", help="Technologies that change the product or the channel."
    )
    competitor_analysis = fields.Text(
        string="Competitors", help="Competitors' prices, channels and promotions."
    )
    customer_needs = fields.Text(help="What interviews with customers revealed.")

    # Objective and expected effect
    objective = fields.Char(
        tracking=True,
        help="A quantified objective, e.g. “Revenue > 500,000 within 3 months”, "
        "“100 orders in the first month”.",
    )
    target_ids = fields.Many2many(
        "sales_toolkit.target",
        "sales_toolkit_strategy_target_rel",
        "strategy_id",
        "target_id",
        string="Targets",
        check_company=True,
        help="The sales targets this strategy serves: their completion shows on the plan.",
    )
    target_completion = fields.Float(
        string="Target Completion (%)",
        compute="_compute_target_completion",
        compute_sudo=True,
        help="Average completion of the linked targets.",
    )
    expected_effect = fields.Text(help="e.g. 30 new customers, trial conversion ≥ 20%.")

    # Core strategy (4P)
    line_ids = fields.One2many(
        "sales_toolkit.strategy.line", "strategy_id", string="Core Strategy", copy=True
    )

    # Resources
    resource_user_ids = fields.Many2many(
        "res.users",
        "sales_toolkit_strategy_res_users_rel",
        "strategy_id",
        "user_id",
        check_company=True,
        string="People",
        domain="[('share', '=', False)]",
    )
    material = fields.Text(help="e.g. 5,000 brochures, samples, demo kits.")
    budget = fields.Monetary(currency_field="currency_id", tracking=True)

    milestone_ids = fields.One2many(
        "sales_toolkit.strategy.milestone", "strategy_id", string="Milestones", copy=True
    )
    risk_ids = fields.One2many("sales_toolkit.strategy.risk", "strategy_id", string="Risks", copy=True)
    kpi_ids = fields.One2many(
        "sales_toolkit.strategy.kpi", "strategy_id", string="Evaluation KPIs", copy=True
    )
    review_cadence = fields.Selection(
        [("weekly", "Weekly"), ("monthly", "Monthly"), ("quarterly", "Quarterly")],
        required=True,
        default="monthly",
        help="How often the evaluation KPIs are reviewed.",
    )

    milestone_count = fields.Integer(compute="_compute_milestone_stats")
    milestone_done_count = fields.Integer(compute="_compute_milestone_stats")
    milestone_overdue_count = fields.Integer(compute="_compute_milestone_stats")
    has_overdue_milestone = fields.Boolean(
        string="Overdue Milestones",
        compute="_compute_milestone_stats",
        search="_search_has_overdue_milestone",
    )
    focus_conflict_ids = fields.Many2many(
        "sales_toolkit.strategy",
        compute="_compute_focus_conflict_ids",
        string="Overlapping Active Strategies",
        help="Active strategies of the same team whose period overlaps this one.",
    )

    _period_check = models.Constraint(
        "CHECK (date_to >= date_from)", "The strategy ends before it starts: check the period."
    )
    _budget_check = models.Constraint("CHECK (budget >= 0)", "The budget cannot be negative.")
    _team_period_idx = models.Index("(team_id, date_from, date_to) WHERE state = 'active'")

    @api.depends("target_ids.completion_rate")
    def _compute_target_completion(self):
        # a reader's cache holds only the targets they may open: measure them all
        self.filtered("id").invalidate_recordset(["target_ids"])
        for strategy in self:
            rates = strategy.target_ids.mapped("completion_rate")
            strategy.target_completion = sum(rates) / len(rates) if rates else 0.0

    @api.depends("milestone_ids.state", "milestone_ids.is_overdue")
    def _compute_milestone_stats(self):
        for strategy in self:
            milestones = strategy.milestone_ids
            strategy.milestone_count = len(milestones)
            strategy.milestone_done_count = len(milestones.filtered(lambda ms: ms.state == "done"))
            strategy.milestone_overdue_count = len(milestones.filtered("is_overdue"))
            strategy.has_overdue_milestone = bool(strategy.milestone_overdue_count)

    def _search_has_overdue_milestone(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        overdue = [("milestone_ids", "any", [("is_overdue", "=", True)])]
        return overdue if (operator == "in") == (True in value) else ["!", *overdue]

    @api.depends("team_id", "date_from", "date_to")
    def _compute_focus_conflict_ids(self):
        planned = self.filtered(lambda s: s.team_id and s.date_from and s.date_to)
        active = self.search(self._overlap_domain(planned))
        for strategy in self:
            strategy.focus_conflict_ids = (
                active.filtered(lambda other, s=strategy: other != s._origin and other._overlaps(s))
                if strategy in planned
                else False
            )

    @api.model
    def _overlap_domain(self, strategies):
        """Active strategies of the teams of ``strategies`` in their periods, for one search."""
        if not strategies:
            return [("id", "=", False)]
        return [
            ("state", "=", "active"),
            ("team_id", "in", strategies.team_id.ids),
            ("date_from", "<=", max(strategies.mapped("date_to"))),
            ("date_to", ">=", min(strategies.mapped("date_from"))),
        ]

    def _overlaps(self, other):
        self.ensure_one()
        return (
            self.team_id._origin == other.team_id._origin
            and self.date_from <= other.date_to
            and self.date_to >= other.date_from
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") == "active":
                raise UserError(self.env._("Create the strategy as a draft, then activate it."))
        return super().create(vals_list)

    def write(self, vals):
        activating = vals.get("state") == "active"
        moving = bool({"team_id", "date_from", "date_to"} & vals.keys())
        # overlaps an active strategy already had (confirmed then): only new ones are checked
        known = {}
        if moving and not activating:
            known = self.filtered(lambda s: s.state == "active")._focus_excess()
        res = super().write(vals)
        if activating:
            self._check_focus(self.env._("Use the Activate button and confirm to go ahead anyway."))
        elif moving:
            self.filtered(lambda s: s.state == "active")._check_focus(
                self.env._("Choose another period or team, or end one of the other strategies first."),
                known=known,
            )
        if "state" in vals:
            self.milestone_ids._sync_activity()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_active(self):
        if any(strategy.state == "active" for strategy in self):
            raise UserError(self.env._("An active strategy cannot be deleted: cancel it first."))

    # ------------------------------------------------------------------
    # Focus rule
    # ------------------------------------------------------------------

    def _focus_excess(self):
        """{strategy: overlapping active strategies of its team} for those beyond the focus limit.

        ``self`` counts as active: it is what the user is about to activate.
        """
        others = self.search(self._overlap_domain(self)) | self
        excess = {}
        for strategy in self:
            overlapping = others.filtered(lambda other, s=strategy: other != s and other._overlaps(s))
            if len(overlapping) >= FOCUS_LIMIT:
                excess[strategy] = overlapping
        return excess

    def _focus_message(self, excess):
        lines = []
        for strategy, overlapping in excess.items():
            lines.append(
                self.env._(
                    "Team %(team)s already runs %(count)s active strategies between %(start)s and "
                    "%(end)s (%(names)s); “%(strategy)s” would be one more.",
                    team=strategy.team_id.name,
                    count=len(overlapping),
                    start=format_date(self.env, strategy.date_from),
                    end=format_date(self.env, strategy.date_to),
                    names=", ".join(overlapping.mapped("name")),
                    strategy=strategy.name,
                )
            )
        lines.append(
            self.env._(
                "The handbook advises focusing on 1-2 core strategies at a time: spread over more, "
                "each gets too little of the team's time and budget."
            )
        )
        return "\n".join(lines)

    def _check_focus(self, advice, known=None):
        if self.env.context.get("sales_toolkit_focus_confirmed"):
            return
        known = known or {}
        excess = {
            strategy: overlapping
            for strategy, overlapping in self._focus_excess().items()
            if overlapping - known.get(strategy, self.browse())
        }
        if excess:
            raise UserError(self._focus_message(excess) + "\n" + advice)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_ready(self):
        for strategy in self:
            missing = []
            if not strategy.objective:
                missing.append(self.env._("a quantified objective"))
            if not strategy.milestone_ids:
                missing.append(self.env._("at least one milestone"))
            if not strategy.kpi_ids:
                missing.append(self.env._("at least one evaluation KPI"))
            if missing:
                raise UserError(
                    self.env._(
                        "Before “%(strategy)s” can be activated it needs %(missing)s.",
                        strategy=strategy.name,
                        missing=", ".join(missing),
                    )
                )

    def action_activate(self):
        self.check_access("write")
        strategies = self.filtered(lambda s: s.state == "draft")
        if not strategies:
            return True
        strategies._check_ready()
        excess = strategies._focus_excess()
        if excess and not self.env.context.get("sales_toolkit_focus_confirmed"):
            # the warning is the system's text: the manager only confirms or cancels
            wizard = (
                self.env["sales_toolkit.strategy.activate"]
                .sudo()
                .create(
                    {
                        "strategy_ids": [fields.Command.set(strategies.ids)],
                        "message": self._focus_message(excess),
                    }
                )
            )
            return form_dialog(self.env._("Confirm Activation"), wizard._name, res_id=wizard.id)
        if excess:
            for strategy, overlapping in excess.items():
                strategy.message_post(
                    body=Markup("<p>%s</p>")
                    % self.env._(
                        "Activated although the team already runs %(count)s overlapping "
                        "strategies: %(names)s.",
                        count=len(overlapping),
                        names=", ".join(overlapping.mapped("name")),
                    )
                )
        strategies._set_state("active")
        return True

    def action_done(self):
        self.filtered(lambda s: s.state == "active")._set_state("done")
        return True

    def action_cancel(self):
        self.filtered(lambda s: s.state in ("draft", "active"))._set_state("cancelled")
        return True

    def action_draft(self):
        self.filtered(lambda s: s.state == "cancelled")._set_state("draft")
        return True

    def _set_state(self, state):
        # the button checked the move (and the focus rule was confirmed); the state is the system's
        self.with_context(sales_toolkit_focus_confirmed=True)._toolkit_write_as_system({"state": state})

    def action_open_milestones(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_toolkit.sales_toolkit_strategy_milestone_action"
        )
        action["domain"] = [("strategy_id", "=", self.id)]
        action["context"] = {"default_strategy_id": self.id}
        return action
