from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools.date_bounds import DATE_MIN
from ..tools.periods import period_start
from .res_partner import CUSTOMER_TIERS


class SalesToolkitCarePlan(models.Model):
    _name = "sales_toolkit.care.plan"
    _description = "Relationship Care Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales_toolkit.record.mixin"]
    _order = "partner_id, id desc"

    name = fields.Char(compute="_compute_name", store=True, readonly=False, required=True, precompute=True)
    partner_id = fields.Many2one(
        "res.partner",
        check_company=True,
        string="Customer",
        required=True,
        tracking=True,
        index=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    user_id = fields.Many2one(
        "res.users",
        check_company=True,
        string="Owner",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
    )
    active = fields.Boolean(default=True)
    date_start = fields.Date(string="Start", required=True, default=fields.Date.context_today)
    tier = fields.Selection(CUSTOMER_TIERS, compute="_compute_tier", string="Customer Tier")
    repurchase_goal = fields.Float(
        string="Repurchase Rate Goal (%)", compute="_compute_goals", store=True, readonly=False, tracking=True
    )
    satisfaction_goal = fields.Float(
        string="Satisfaction Goal (of 100)",
        compute="_compute_goals",
        store=True,
        readonly=False,
        tracking=True,
    )
    referral_goal = fields.Integer(
        string="Referrals a Year", compute="_compute_goals", store=True, readonly=False, tracking=True
    )
    action_ids = fields.One2many("sales_toolkit.care.action", "plan_id", string="Actions", copy=True)
    log_ids = fields.One2many("sales_toolkit.care.log", "plan_id", string="Executions")

    # Quarterly scorecard, measured from Odoo's records
    repurchase_rate = fields.Float(string="Repurchase Rate (%)", compute="_compute_scorecard")
    satisfaction_score = fields.Float(string="Latest Satisfaction", compute="_compute_scorecard")
    referral_count = fields.Integer(string="Referrals This Year", compute="_compute_scorecard")
    touches_planned = fields.Integer(string="Touches Planned This Quarter", compute="_compute_scorecard")
    touches_done = fields.Integer(string="Touches Done This Quarter", compute="_compute_scorecard")
    improvement_needed = fields.Boolean(
        compute="_compute_scorecard",
        help="The latest satisfaction score is below 85: the customer needs an improvement plan.",
    )

    @api.depends("partner_id")
    def _compute_name(self):
        for plan in self:
            plan.name = plan.partner_id and self.env._("Care plan: %(partner)s", partner=plan.partner_id.name)

    @api.depends("partner_id", "company_id")
    def _compute_tier(self):
        for plan in self:
            plan.tier = plan.partner_id.with_company(plan.company_id).customer_tier or "regular"

    @api.depends("partner_id", "company_id")
    def _compute_goals(self):
        policy_model = self.env["sales_toolkit.tier.policy"]
        for plan in self:
            policy = policy_model._policy_for(plan.tier or "regular", plan.company_id or self.env.company)
            plan.repurchase_goal = policy.repurchase_goal
            plan.satisfaction_goal = policy.satisfaction_goal
            plan.referral_goal = policy.referral_goal

    @api.depends("partner_id", "date_start", "log_ids.date", "log_ids.satisfaction_score", "action_ids")
    @api.depends_context("company")
    def _compute_scorecard(self):
        quarters_with_orders = self._quarters_with_orders()
        referrals = self._referral_counts()
        today = fields.Date.context_today(self)
        quarter_start = period_start(today, "quarter")
        quarter_end = quarter_start + relativedelta(months=3, days=-1)
        for plan in self:
            quarters = plan._quarters_since_start(today)
            plan.repurchase_rate = (
                100.0 * len(quarters_with_orders.get(plan.id, set()) & set(quarters)) / len(quarters)
                if quarters
                else 0.0
            )
            scored = plan.log_ids.filtered("satisfaction_score").sorted(lambda log: (log.date, log.id))
            plan.satisfaction_score = scored[-1:].satisfaction_score
            plan.improvement_needed = bool(scored) and plan.satisfaction_score < 85
            plan.referral_count = referrals.get(plan.partner_id.id, 0)
            plan.touches_planned = sum(
                len(action._dates_between(quarter_start, quarter_end)) for action in plan.action_ids
            )
            plan.touches_done = len(
                plan.log_ids.filtered(lambda log: quarter_start <= log.date <= quarter_end)
            )

    def _quarters_since_start(self, today):
        """The (year, quarter) pairs from the plan's start to today."""
        self.ensure_one()
        # a start before the module's first date (typed long ago) counts from that date
        quarters, day = [], max(self.date_start, DATE_MIN).replace(day=1)
        while day <= today:
            key = (day.year, (day.month - 1) // 3 + 1)
            if key not in quarters:
                quarters.append(key)
            day += relativedelta(months=1)
        return quarters

    def _quarters_with_orders(self):
        """{plan id: {(year, quarter)}} with a confirmed order, in one query for the batch."""
        plans = self.filtered(lambda plan: plan.id and plan.partner_id)
        if not plans:
            return {}
        self.env["sale.order"].flush_model(["state", "partner_id", "date_order", "company_id"])
        Kpi = self.env["sales_toolkit.kpi"]
        self.env.cr.execute(
            SQL(
                # quarters in the company's timezone, as everywhere in the module
                """SELECT plan.id, EXTRACT(YEAR FROM local.day)::int, EXTRACT(QUARTER FROM local.day)::int
                     FROM sales_toolkit_care_plan plan
                     JOIN res_company c ON c.id = plan.company_id
                     JOIN res_partner cp ON cp.id = c.partner_id
                     JOIN res_partner p ON p.commercial_partner_id = plan.partner_id
                     JOIN sale_order o ON o.partner_id = p.id AND o.company_id = plan.company_id
                     CROSS JOIN LATERAL (
                         SELECT %s AS day
                     ) local
                    WHERE plan.id IN %s AND %s
                 GROUP BY 1, 2, 3""",
                Kpi._local_time_sql(Kpi._company_tz_sql("cp"), SQL("o.date_order")),
                tuple(plans.ids),
                Kpi._confirmed_sql("o"),
            )
        )
        result = {}
        for plan_id, year, quarter in self.env.cr.fetchall():
            result.setdefault(plan_id, set()).add((year, quarter))
        return result

    def _referral_counts(self):
        """{partner id: customers it referred within the last year}, one grouped read."""
        since = fields.Datetime.now() - relativedelta(years=1)
        rows = self.env["res.partner"]._read_group(
            [("referred_by_id", "in", self.partner_id.ids), ("create_date", ">=", since)],
            ["referred_by_id"],
            ["__count"],
        )
        return {partner.id: count for partner, count in rows}

    @api.constrains("repurchase_goal", "satisfaction_goal", "referral_goal")
    def _check_goals(self):
        policy_model = self.env["sales_toolkit.tier.policy"]
        for plan in self:
            policy_model._check_goal_values(plan.repurchase_goal, plan.satisfaction_goal, plan.referral_goal)

    @api.model
    def _cron_schedule_care_actions(self, batch_size=500):
        """Turn due care actions into activities and move their next date on.

        The next date moves in the same transaction as the activity is created,
        so a second run (or a second worker) finds nothing left to do. An action
        the job fails on is noted on its plan and skipped; the others go on.
        """
        today = fields.Date.context_today(self)
        self.env["sales_toolkit.job"]._run_batches(
            self.env["sales_toolkit.care.action"].search(
                Domain("next_date", "<=", today) & Domain("plan_id.active", "=", True), order="id"
            ),
            lambda batch: batch._schedule_activity(),
            "sales_toolkit.ir_cron_schedule_care_actions",
            batch_size,
            note_on=lambda action: action.plan_id,
        )
