import functools
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_is_zero, format_date

from ..tools.actions import form_dialog
from ..tools.people_fields import sales_team_field
from ..tools.periods import period_start
from .sales_toolkit_field_rights import MANAGERS, SALESMAN, SYSTEM
from .sales_toolkit_kpi import CUSTOMER_TYPES, KPIS, STATUSES

PERIOD_TYPES = [("month", "Month"), ("quarter", "Quarter"), ("year", "Year"), ("custom", "Custom")]
# what a target measures: changing one of these changes its achievement
DEFINITION_FIELDS = (
    "company_id",
    "kpi",
    "date_from",
    "date_to",
    "team_id",
    "user_id",
    "product_categ_id",
    "customer_type",
)
DIMENSION_FIELDS = ("team_id", "user_id", "product_categ_id", "customer_type")
FIGURE_FIELDS = (
    "achieved_value",
    "completion_rate",
    "expected_rate",
    "forecast_value",
    "status",
    "figures_date",
)
# the attributes of the figure fields: the module measures them, nobody types or copies them
MEASURED = {"readonly": True, "copy": False}


class SalesToolkitTarget(models.Model):
    _name = "sales_toolkit.target"
    _description = "Sales Target"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "sales_toolkit.xlsx.mixin",
        "sales_toolkit.record.mixin",
    ]
    # managers set targets; the rep adds remarks to theirs
    _toolkit_write_default = MANAGERS
    _toolkit_write_rights = {
        "remarks": SALESMAN,
        "state": SYSTEM,
        "parent_path": SYSTEM,
    }
    _order = "date_from desc, sequence, id"
    _parent_store = True
    # owners comment on their figures (review checkpoints) without write access
    _mail_post_access = "read"
    _toolkit_parent_fields = ("parent_id",)
    # the CHECKs' rules, with their messages, before the INSERT too
    _toolkit_insert_checks = ("_check_period", "_check_value")

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    parent_id = fields.Many2one(
        "sales_toolkit.target",
        string="Parent Target",
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("sales_toolkit.target", "parent_id", string="Sub-targets")
    child_count = fields.Integer(string="Sub-target Count", compute="_compute_child_count")
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed"), ("closed", "Closed")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )

    # Period: calendar days where the company is
    period_type = fields.Selection(PERIOD_TYPES, string="Period", default="quarter", required=True)
    date_from = fields.Date(string="From", required=True, default=lambda self: self._default_date_from())
    date_to = fields.Date(
        string="To",
        required=True,
        compute="_compute_date_to",
        store=True,
        readonly=False,
        precompute=True,
    )

    # Dimension: any combination on one line
    team_id = sales_team_field(default=None, index="btree_not_null", tracking=True)
    user_id = fields.Many2one(
        "res.users",
        check_company=True,
        string="Salesperson",
        index="btree_not_null",
        tracking=True,
        help="Counts only this salesperson's orders or opportunities.",
    )
    product_categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        tracking=True,
        help="Counts sale lines whose product is in this category or one of its children.",
    )
    customer_type = fields.Selection(
        CUSTOMER_TYPES,
        tracking=True,
        help="New: the customer's first confirmed order falls in the period. Existing: the customer "
        "ordered before the period. Key accounts: customers of tier VIP or key account.",
    )
    dimension_label = fields.Char(string="Dimension", compute="_compute_dimension_label")

    # KPI and figures
    kpi = fields.Selection(KPIS, string="KPI", default="revenue", required=True, tracking=True)
    kpi_unit = fields.Char(string="Unit", compute="_compute_kpi_unit")
    target_value = fields.Float(string="Target", tracking=True, aggregator="sum")
    # FIGURE_FIELDS, measured by _toolkit_refresh_figures
    achieved_value = fields.Float(
        string="Achieved",
        aggregator="sum",
        help="Measured from confirmed sale orders (or posted invoices), customers and won "
        "opportunities; refreshed every hour and whenever the target changes.",
        **MEASURED,
    )
    completion_rate = fields.Float(string="Completion (%)", aggregator="avg", **MEASURED)
    expected_rate = fields.Float(
        string="Expected by Now (%)",
        aggregator="avg",
        help="Share of the period elapsed: the completion a steady pace would have reached today.",
        **MEASURED,
    )
    forecast_value = fields.Float(
        string="Forecast",
        aggregator="sum",
        help="Run-rate projection of the achievement to the end of the period.",
        **MEASURED,
    )
    status = fields.Selection(STATUSES, default="on_track", group_expand=True, index=True, **MEASURED)
    figures_date = fields.Datetime(string="Figures As Of", **MEASURED)
    owner_id = fields.Many2one(
        "res.users",
        check_company=True,
        string="Responsible",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        tracking=True,
        help="The person who answers for this target (责任人), whatever its dimension.",
    )
    remarks = fields.Text(help="Market changes and other notes (备注).")
    strategy_ids = fields.Many2many(
        "sales_toolkit.strategy",
        "sales_toolkit_strategy_target_rel",
        "target_id",
        "strategy_id",
        check_company=True,
        string="Strategies",
        copy=False,
        help="The strategy plans that serve this target.",
    )
    strategy_count = fields.Integer(compute="_compute_strategy_count")
    revision_ids = fields.One2many("sales_toolkit.target.revision", "target_id", string="Revisions")
    revision_count = fields.Integer(compute="_compute_revision_count")
    responsible_user_ids = fields.Many2many(
        "res.users",
        compute="_compute_responsible_user_ids",
        search="_search_responsible_user_ids",
        compute_sudo=True,
        recursive=True,
        string="Accountable Users",
        help="The owner and salesperson of this target and of every target it rolls up to.",
    )
    can_manage = fields.Boolean(
        compute="_compute_can_manage", help="The current user may set and revise targets."
    )
    review_requested_date = fields.Date(
        readonly=True, copy=False, help="Deadline of the last monthly review checkpoint requested."
    )

    # Decomposition check: do the sub-targets of the same KPI add up to this one?
    decomposition_state = fields.Selection(
        [("none", "Not Split"), ("balanced", "Adds Up"), ("short", "Short"), ("over", "Exceeds")],
        compute="_compute_decomposition",
    )
    decomposition_gap = fields.Float(
        compute="_compute_decomposition",
        help="Sub-targets minus this target, for the split that misses most.",
    )
    decomposition_summary = fields.Text(compute="_compute_decomposition")

    _date_check = models.Constraint(
        "CHECK (date_to >= date_from)", "A target's period cannot end before it starts."
    )
    _value_check = models.Constraint("CHECK (target_value >= 0)", "A target value cannot be negative.")
    _company_period_idx = models.Index("(company_id, date_from, date_to)")

    def _default_date_from(self):
        return period_start(self.env.company._toolkit_today(), "quarter")

    @api.depends("period_type", "date_from")
    def _compute_date_to(self):
        months = {"month": 1, "quarter": 3, "year": 12}
        for target in self:
            if target.date_from and target.period_type in months:
                target.date_to = target.date_from + relativedelta(months=months[target.period_type], days=-1)
            elif not target.date_to:
                target.date_to = target.date_from

    @api.onchange("period_type", "date_from")
    def _onchange_period_start(self):
        # quick choices snap to the first day of the month, quarter or year
        if self.date_from:
            self.date_from = period_start(self.date_from, self.period_type)

    def _compute_child_count(self):
        counts = dict(self._read_group([("parent_id", "in", self.ids)], ["parent_id"], ["__count"]))
        for target in self:
            target.child_count = counts.get(target, 0)

    @api.depends("strategy_ids")
    def _compute_strategy_count(self):
        for target in self:
            target.strategy_count = len(target.strategy_ids)

    def _compute_revision_count(self):
        counts = dict(
            self.env["sales_toolkit.target.revision"]._read_group(
                [("target_id", "in", self.ids)], ["target_id"], ["__count"]
            )
        )
        for target in self:
            target.revision_count = counts.get(target, 0)

    @api.depends("owner_id", "user_id", "parent_id.responsible_user_ids")
    def _compute_responsible_user_ids(self):
        for target in self:
            target.responsible_user_ids = (
                target.owner_id | target.user_id | target.parent_id.responsible_user_ids
            )

    def _search_responsible_user_ids(self, operator, value):
        if operator != "in":
            return NotImplemented
        user_ids = [user_id for user_id in value if user_id]
        # the targets of these users, and everything below them
        own = (
            self.sudo()
            .with_context(active_test=False)
            .search(["|", ("owner_id", "in", user_ids), ("user_id", "in", user_ids)])
        )
        return [("id", "child_of", own.ids)] if own else [("id", "in", [])]

    @api.depends_context("uid")
    def _compute_can_manage(self):
        self.can_manage = self.env.user.has_group("sales_team.group_sale_manager")

    @api.depends("team_id", "user_id", "product_categ_id", "customer_type")
    def _compute_dimension_label(self):
        types = dict(self._fields["customer_type"]._description_selection(self.env))
        for target in self:
            parts = [
                target.team_id.name,
                target.user_id.name,
                target.product_categ_id.display_name,
                types.get(target.customer_type),
            ]
            target.dimension_label = " / ".join(part for part in parts if part) or self.env._("Whole company")

    @api.depends("kpi", "company_id")
    def _compute_kpi_unit(self):
        for target in self:
            target.kpi_unit = self.env["sales_toolkit.kpi"]._unit(target.kpi, target.currency_id)

    @api.depends(
        "target_value",
        "kpi",
        "child_ids.target_value",
        "child_ids.kpi",
        "child_ids.active",
        *(f"child_ids.{name}" for name in DIMENSION_FIELDS),
        "child_ids.date_from",
        "child_ids.date_to",
    )
    def _compute_decomposition(self):
        decomposition = self.env["sales_toolkit.target.decomposition"]
        for target in self:
            target.update(decomposition._check(target))

    def _format_value(self, value):
        self.ensure_one()
        return self.env["sales_toolkit.kpi"]._format_value(self.kpi, value, self.currency_id)

    @api.constrains("parent_id")
    def _check_parent_recursion(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A target cannot be its own parent or sub-target."))

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        if any(target.date_to < target.date_from for target in self):
            raise ValidationError(self.env._("A target's period cannot end before it starts."))

    @api.constrains("target_value")
    def _check_value(self):
        if any(target.target_value < 0 for target in self):
            raise ValidationError(self.env._("A target value cannot be negative."))

    @api.constrains("kpi", "product_categ_id", "target_value")
    def _check_kpi_dimension(self):
        for target in self:
            if target.kpi == "won_leads" and target.product_categ_id:
                raise ValidationError(
                    self.env._(
                        "%(target)s: opportunities have no product category; count won opportunities "
                        "by sales team, salesperson or customer type.",
                        target=target.name,
                    )
                )
            if target.kpi == "repurchase_rate" and target.target_value > 100:
                raise ValidationError(
                    self.env._(
                        "%(target)s: a repurchase rate target cannot exceed 100%%.", target=target.name
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if self._figures_in(vals):
                raise UserError(self._figures_message())
            if vals.get("state", "draft") != "draft" and not self.env.su:
                raise UserError(self.env._("Use Confirm, Close and Reopen to change the state of a target."))
            if vals.get("parent_id") and self.browse(vals["parent_id"]).state == "closed":
                raise UserError(self.env._("A closed target is frozen: reopen it before adding sub-targets."))
        targets = super().create(vals_list)
        targets._toolkit_refresh_figures()
        return targets

    def write(self, vals):
        if self._figures_in(vals):
            raise UserError(self._figures_message())
        self._check_lifecycle(vals)
        Revision = self.env["sales_toolkit.target.revision"]
        revisions = Revision._prepare_revisions(self, vals["target_value"]) if "target_value" in vals else []
        res = super().write(vals)
        if revisions:
            Revision._log_revisions(revisions)
        if set(vals) & {*DEFINITION_FIELDS, "target_value"}:
            self._toolkit_refresh_figures()
        return res

    @api.model
    def _toolkit_write_refusal(self, field):
        # a rep is told what is theirs on a target, whatever field they tried
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            return self.env._(
                "Only sales managers set and revise targets; you can add remarks to your own targets."
            )
        return super()._toolkit_write_refusal(field)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_tracked(self):
        if any(target.state != "draft" for target in self):
            raise UserError(
                self.env._("Only draft targets can be deleted; close or archive a confirmed target instead.")
            )
        if self.child_ids - self:
            raise UserError(self.env._("Delete or move the sub-targets of a target before deleting it."))

    def _check_lifecycle(self, vals):
        """States move only through the actions; what a confirmed target measures is fixed."""
        # states are written by the actions only (as the superuser, which no client context can
        # make up)
        if "state" in vals and not (self.env.su and self.env.context.get("toolkit_target_action")):
            raise UserError(self.env._("Use Confirm, Close and Reopen to change the state of a target."))
        if set(vals) & {*DEFINITION_FIELDS, "target_value", "parent_id", "child_ids"} and self.filtered(
            lambda target: target.state == "closed"
        ):
            raise UserError(self.env._("A closed target is frozen: reopen it before changing it."))
        if vals.get("parent_id") and self.browse(vals["parent_id"]).state == "closed":
            raise UserError(self.env._("A closed target is frozen: reopen it before adding sub-targets."))
        if set(vals) & set(DEFINITION_FIELDS) and self.filtered(lambda target: target.state == "confirmed"):
            raise UserError(
                self.env._(
                    "A confirmed target keeps what it measures (KPI, period, dimensions): revise its "
                    "value, or close it and set a new target."
                )
            )

    @api.model
    def _figures_in(self, vals):
        return bool(set(vals) & set(FIGURE_FIELDS))

    def _figures_message(self):
        return self.env._(
            "Achievement, completion, forecast and status are measured from the sales records; "
            "they cannot be typed in."
        )

    # ------------------------------------------------------------------ actions

    def _check_can_manage(self):
        if not (self.env.su or self.env.user.has_group("sales_team.group_sale_manager")):
            raise AccessError(
                self.env._(
                    "Only sales managers set and revise targets; you can add remarks to your own targets."
                )
            )

    def action_confirm(self):
        self._check_can_manage()
        for target in self:
            if target.state != "draft":
                raise UserError(self.env._("%(target)s is not a draft.", target=target.name))
            if float_is_zero(target.target_value, precision_digits=2):
                raise UserError(
                    self.env._("%(target)s: set the target value before confirming it.", target=target.name)
                )
        self._set_state("confirmed")
        return True

    def action_close(self):
        self._check_can_manage()
        self._check_state(("confirmed",), self.env._("Only confirmed targets can be closed."))
        # the achievement is measured one last time, then frozen
        self._toolkit_refresh_figures()
        self._set_state("closed")
        return True

    def action_reopen(self):
        self._check_can_manage()
        self._check_state(("closed",), self.env._("Only closed targets can be reopened."))
        self._set_state("confirmed")
        self._message_log_batch(
            {target.id: self.env._("Target reopened: its achievement is measured again.") for target in self}
        )
        self._toolkit_refresh_figures()
        return True

    def _set_state(self, state):
        # the one way a state is written (see _check_lifecycle)
        self.sudo().with_context(toolkit_target_action=True).write({"state": state})

    def action_refresh_figures(self):
        self._toolkit_refresh_figures()
        return True

    def action_revise(self):
        return self._open_wizard("sales_toolkit.target.revise", self.env._("Revise Target"))

    def action_suggest(self):
        return self._open_wizard("sales_toolkit.target.suggest", self.env._("Suggest from History"))

    def _open_wizard(self, res_model, name):
        self.ensure_one()
        return form_dialog(name, res_model, {"default_target_id": self.id})

    def action_open_children(self):
        return self._toolkit_children_action(
            "sales_toolkit.sales_toolkit_target_action", kpi=self.kpi, company_id=self.company_id.id
        )

    def action_open_strategies(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_toolkit.sales_toolkit_strategy_action")
        action.update(domain=[("target_ids", "in", self.ids)], context={"default_target_ids": self.ids})
        return action

    def action_open_revisions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Revisions"),
            "res_model": "sales_toolkit.target.revision",
            "view_mode": "list",
            "domain": [("target_id", "=", self.id)],
        }

    def _toolkit_revise(self, new_value, reason):
        """The handbook's dynamic adjustment: a new value, kept on record with its reason."""
        return self.env["sales_toolkit.target.revision"]._toolkit_revise(self, new_value, reason)

    # ------------------------------------------------------------------ tracking sheet

    def _tracking_sheet_rows(self):
        return self.env["sales_toolkit.target.tracking.sheet"]._rows(self)

    def _toolkit_xlsx_file(self):
        return self.env["sales_toolkit.target.tracking.sheet"]._xlsx_file(self)

    # ------------------------------------------------------------------ figures

    def _toolkit_refresh_figures(self):
        """Measure the targets that are not closed and store their figures.

        A fixed number of grouped queries whatever the number of targets; closed
        targets keep the figures they had when they were closed.
        """
        targets = self.filtered(lambda target: target.id and target.state != "closed")
        if not targets:
            return
        Kpi = self.env["sales_toolkit.kpi"]
        specs = {target: target._measure_spec() for target in targets}
        achieved = Kpi._measure(list(specs.values()))
        todays = {company: company._toolkit_today() for company in targets.company_id}
        rows = [
            (
                target.id,
                achieved.get(target.id, 0.0),
                Kpi._pace(spec, target.target_value, achieved.get(target.id, 0.0), todays[target.company_id]),
            )
            for target, spec in specs.items()
        ]
        # one UPDATE for the whole batch: these columns are the module's own measurements;
        # fields computed from them (a strategy's completion) are told first
        targets.modified(FIGURE_FIELDS)
        self.env.cr.execute(
            SQL(
                """UPDATE sales_toolkit_target t
                      SET achieved_value = v.achieved, completion_rate = v.completion,
                          expected_rate = v.expected, forecast_value = v.forecast,
                          status = v.status, figures_date = %(now)s
                     FROM (VALUES %(rows)s) AS v(id, achieved, completion, expected, forecast, status)
                    WHERE t.id = v.id""",
                now=fields.Datetime.now(),
                rows=SQL(", ").join(
                    SQL(
                        "(%s::int, %s::float, %s::float, %s::float, %s::float, %s::varchar)",
                        target_id,
                        value,
                        pace["completion"],
                        pace["expected"],
                        pace["forecast"],
                        pace["status"],
                    )
                    for target_id, value, pace in rows
                ),
            )
        )
        targets.invalidate_recordset(FIGURE_FIELDS)

    def _measure_spec(self):
        self.ensure_one()
        return {
            "key": self.id,
            "company_id": self.company_id.id,
            "kpi": self.kpi,
            "team_id": self.team_id.id,
            "user_id": self.user_id.id,
            "categ_id": self.product_categ_id.id,
            "customer_type": self.customer_type or None,
            "date_from": self.date_from,
            "date_to": self.date_to,
        }

    # ------------------------------------------------------------------ crons

    @api.model
    def _cron_refresh_figures(self, batch_size=500):
        """Hourly: measure every open target again, in batches that commit their progress.

        Targets measured in the last half hour are skipped, so that a run killed halfway
        resumes where it stopped.
        """
        recent = fields.Datetime.now() - timedelta(minutes=30)
        targets = self.search(
            [
                ("state", "in", ("draft", "confirmed")),
                "|",
                ("figures_date", "=", False),
                ("figures_date", "<", recent),
            ],
            order="id",
        )
        self.env["sales_toolkit.job"]._run_batches(
            targets,
            lambda batch: batch._toolkit_refresh_figures(),
            "sales_toolkit.ir_cron_refresh_target_figures",
            batch_size,
        )

    @api.model
    def _cron_schedule_reviews(self, batch_size=500):
        """Monthly checkpoint: the owner of each confirmed target comments on last month.

        From the first of the month until the review day (the 5th by default), owners of
        confirmed targets whose period overlaps the previous month get one activity due
        on the review day. Running the job again creates no duplicate.
        """
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            today = company._toolkit_today()
            first_of_month = today.replace(day=1)
            deadline = first_of_month + timedelta(days=company.toolkit_target_review_day - 1)
            if today > deadline:
                continue
            previous_start = first_of_month - relativedelta(months=1)
            targets = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "confirmed"),
                    ("date_from", "<", first_of_month),
                    ("date_to", ">=", previous_start),
                    "|",
                    ("review_requested_date", "=", False),
                    ("review_requested_date", "!=", deadline),
                ],
                order="id",
            )
            if not self.env["sales_toolkit.job"]._run_batches(
                targets,
                functools.partial(type(self)._request_review, month_start=previous_start, deadline=deadline),
                "sales_toolkit.ir_cron_schedule_target_reviews",
                batch_size,
            ):
                return

    def _request_review(self, month_start, deadline):
        """One review activity per target for its owner, due on ``deadline``."""
        activity_type = self.env.ref("sales_toolkit.mail_activity_type_target_review")
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": target.id,
                    "activity_type_id": activity_type.id,
                    "summary": target._review_summary(month_start),
                    "date_deadline": deadline,
                    "user_id": target.owner_id.id,
                }
                for target in self
            ]
        )
        self.sudo().write({"review_requested_date": deadline})

    def _review_summary(self, month_start):
        """The checkpoint's summary, in the owner's language."""
        env = self.with_context(lang=self.owner_id.lang or self.env.lang).env
        return env._(
            "Comment on the figures of %(month)s",
            month=format_date(env, month_start, date_format="MMMM y"),
        )
