import sys
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, format_amount

from ..tools.actions import form_dialog
from .sales_toolkit_field_rights import LEADERS, SYSTEM

INTENT_TIERS = [("high", "High Intent"), ("medium", "Medium Intent"), ("low", "Low Intent")]
MATCH_LEVELS = [("high", "High Match"), ("medium", "Medium Match"), ("low", "Low Match")]
POWER_LEVELS = [("high", "Strong"), ("medium", "Medium"), ("low", "Weak")]
PROSPECT_FIGURES = ("employee_count", "annual_revenue", "budget_min", "budget_max")
FOLLOWUP_STATES = [("on_track", "On Track"), ("due", "Follow-up Due"), ("overdue", "Follow-up Overdue")]
# a follow-up may be dated at most this many days after today (users in other timezones)
FOLLOWUP_DATE_MARGIN_DAYS = 1
FOLLOWUP_STRATEGIES = [
    ("senior_visit", "Senior visit and a tailored proposal"),
    ("confirm_budget", "Confirm the budget, then propose in phases"),
    ("resolve_objection", "Resolve the core objection first"),
    ("nurture", "Long-term nurture pool: periodic industry news"),
]
# company settings that grade the need match and the purchasing power
MATCH_SETTING_FIELDS = (
    "toolkit_match_mode",
    "toolkit_match_high_score",
    "toolkit_match_medium_score",
    "toolkit_match_high_ratio",
    "toolkit_match_medium_ratio",
    "toolkit_power_high_ratio",
    "toolkit_power_medium_ratio",
)
# the stored grades of the grading rule (_toolkit_grades_query): written by _compute_grades
# for the leads it computes, by _toolkit_regrade_match for every lead of a company
MATCH_GRADE_FIELDS = (
    "need_count",
    "match_score",
    "match_max_score",
    "match_ratio",
    "match_level",
    "purchasing_power",
    "followup_strategy",
)


def toolkit_band_sql(value, high, medium):
    """The banding rule of the grades: from ``high`` high, from ``medium`` medium, else low."""
    return SQL(
        "CASE WHEN %(value)s >= %(high)s THEN 'high' "
        "WHEN %(value)s >= %(medium)s THEN 'medium' ELSE 'low' END",
        value=value,
        high=high,
        medium=medium,
    )


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = [
        "crm.lead",
        "sales_toolkit.pipl.mixin",
        "sales_toolkit.date.bounds",
        "sales_toolkit.field.rights",
    ]
    # the reviewer's (phone verification, strategy review) and the system's; the rest is the rep's
    _toolkit_write_rights = {
        "verified_by_id": LEADERS,
        "verified_date": LEADERS,
        "toolkit_reviewed_date": LEADERS,
        "toolkit_review_followup_id": LEADERS,
        "match_evaluated_date": SYSTEM,
    }
    _toolkit_insert_checks = ("_check_prospect_figures",)

    # Prospect capture (tool 3). Channel, contact, job position and expected
    # revenue stay crm.lead's own fields (source_id, medium_id, contact_name,
    # function, expected_revenue).
    industry_id = fields.Many2one("res.partner.industry", tracking=True)
    employee_count = fields.Integer(string="Employees")
    annual_revenue = fields.Monetary(currency_field="company_currency")
    pain_point = fields.Text(
        string="Specific Pain Point",
        help="The concrete problem behind the need, e.g. 'current supplier delivers late and "
        "stalls production'. 'Has needs' is not a pain point.",
    )
    expected_purchase_date = fields.Date(tracking=True)
    budget_min = fields.Monetary(string="Budget From", currency_field="company_currency")
    budget_max = fields.Monetary(string="Budget To", currency_field="company_currency")
    intent_tier = fields.Selection(
        INTENT_TIERS,
        compute="_compute_intent_tier",
        store=True,
        readonly=False,
        tracking=True,
        help="By default from the expected purchase date; set it by hand to override.",
    )
    intent_tier_manual = fields.Boolean(
        string="Intent Set by Hand",
        copy=False,
        help="The rep chose the intent tier; it no longer follows the expected purchase date.",
    )
    consent_state = fields.Selection(
        [
            ("obtained", "Consent Obtained"),
            ("not_required", "Not Required (Business Contact)"),
            ("pending", "Consent Pending"),
        ],
        string="Personal Data Consent",
        default="pending",
        tracking=True,
    )
    consent_purpose = fields.Char(
        string="Purpose of Collection",
        help="What the contact's data is used for, e.g. 'only for product recommendations'.",
    )
    consent_date = fields.Date()
    verified_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    verified_date = fields.Date(readonly=True, copy=False)

    # Need-match scoring (tool 4)
    need_ids = fields.One2many("sales_toolkit.need", "lead_id", string="Core Needs", copy=True)
    need_count = fields.Integer(compute="_compute_grades", store=True)
    match_score = fields.Integer(compute="_compute_grades", store=True, aggregator="avg")
    match_max_score = fields.Integer(compute="_compute_grades", store=True, string="Highest Reachable Score")
    match_ratio = fields.Float(
        compute="_compute_grades",
        store=True,
        string="Match (%)",
        aggregator="avg",
        digits=(5, 1),
    )
    match_level = fields.Selection(MATCH_LEVELS, compute="_compute_grades", store=True)
    match_threshold_note = fields.Char(compute="_compute_match_threshold_note")
    purchasing_power = fields.Selection(
        POWER_LEVELS,
        compute="_compute_grades",
        store=True,
        help="The maximum budget against the expected revenue; bands are set in the settings.",
    )
    followup_strategy = fields.Selection(
        FOLLOWUP_STRATEGIES,
        compute="_compute_grades",
        store=True,
        string="Recommended Strategy",
    )
    match_evaluated_date = fields.Date(
        string="Match Evaluated On",
        copy=False,
        tracking=True,
        help="Set when a need or a score changes, or when the rep confirms the evaluation.",
    )
    match_review_date = fields.Date(
        compute="_compute_match_review_date",
        store=True,
        string="Re-evaluate Match On",
    )
    match_review_due = fields.Boolean(
        compute="_compute_match_review_due",
        search="_search_match_review_due",
        string="Re-evaluation Due",
    )

    # Follow-up log (tool 5)
    followup_ids = fields.One2many("sales_toolkit.followup", "lead_id", string="Follow-ups")
    followup_count = fields.Integer(string="Follow-ups Logged", compute="_compute_followup_dates", store=True)
    last_followup_date = fields.Date(string="Last Follow-up", compute="_compute_followup_dates", store=True)
    next_followup_date = fields.Date(
        string="Next Follow-up",
        compute="_compute_followup_dates",
        store=True,
        help="The last follow-up (or the creation of the lead) plus the cadence of its intent tier.",
    )
    followup_state = fields.Selection(
        FOLLOWUP_STATES,
        string="Follow-up State",
        compute="_compute_followup_state",
        store=True,
        help="Kept up to date every night; empty on won, lost and archived leads.",
    )
    needs_review = fields.Boolean(
        compute="_compute_needs_review",
        store=True,
        help="Several follow-ups in a row without any advance of stage or probability: the "
        "manager reviews the strategy.",
    )
    toolkit_reviewed_date = fields.Datetime(string="Last Strategy Review", readonly=True, copy=False)
    toolkit_review_followup_id = fields.Many2one(
        "sales_toolkit.followup",
        check_company=True,
        string="Last Follow-up Before Review",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="Follow-ups after this one count towards the next review.",
    )

    _budget_range = models.Constraint(
        "CHECK (budget_min IS NULL OR budget_max IS NULL OR budget_max = 0 OR budget_min <= budget_max)",
        "The minimum budget cannot exceed the maximum budget.",
    )
    _prospect_figures_positive = models.Constraint(
        "CHECK (COALESCE(employee_count, 0) >= 0 AND COALESCE(annual_revenue, 0) >= 0 "
        "AND COALESCE(budget_min, 0) >= 0 AND COALESCE(budget_max, 0) >= 0)",
        "Employee count, annual revenue and budget cannot be negative.",
    )
    _match_review_idx = models.Index("(match_review_date) WHERE match_review_date IS NOT NULL")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _toolkit_company(self):
        """The company whose rules grade the lead: its own, else the current one."""
        return self.company_id[:1] or self.env.company

    def _toolkit_latest_followup_date(self):
        """The latest date a follow-up of the lead can have: it records a contact that took
        place, so today where the lead's company is, plus a day for users in other timezones."""
        return self._toolkit_company()._toolkit_today() + timedelta(days=FOLLOWUP_DATE_MARGIN_DAYS)

    @api.model
    def _toolkit_intent_tier_for(self, company, purchase_date):
        """The handbook's initial grading: within 1 month high, within 3 months medium."""
        if not purchase_date:
            return "low"
        days = (
            self._toolkit_to_date("expected_purchase_date", purchase_date) - company._toolkit_today()
        ).days
        if days <= company.toolkit_intent_high_days:
            return "high"
        if days <= company.toolkit_intent_medium_days:
            return "medium"
        return "low"

    @api.depends(
        "expected_purchase_date",
        "intent_tier_manual",
        "company_id.toolkit_intent_high_days",
        "company_id.toolkit_intent_medium_days",
    )
    def _compute_intent_tier(self):
        for lead in self:
            if lead.intent_tier_manual and lead.intent_tier:
                continue
            lead.intent_tier = self._toolkit_intent_tier_for(
                lead._toolkit_company(), lead.expected_purchase_date
            )

    # The company's thresholds are not dependencies: a change of the settings re-grades
    # the leads in one query (res.company.write -> _toolkit_regrade_match).
    @api.depends("need_ids.score", "company_id", "budget_min", "budget_max", "expected_revenue")
    def _compute_grades(self):
        """Need match, purchasing power and strategy: the grading rule
        (:meth:`_toolkit_grades_query`) applied to the batch in one query."""
        # saved leads: one grouped read for the batch (the needs are flushed first);
        # leads being edited in a form: the needs in the form
        saved = self.filtered(lambda lead: isinstance(lead.id, int))
        totals = {}
        if saved:
            totals = {
                lead.id: (count, score)
                for lead, count, score in self.env["sales_toolkit.need"]._read_group(
                    [("lead_id", "in", saved.ids)], ["lead_id"], ["__count", "score:sum"]
                )
            }
        default_company = self.env.company
        rows = []
        for index, lead in enumerate(self):
            if isinstance(lead.id, int):
                count, score = totals.get(lead.id, (0, 0))
            else:
                scores = lead.need_ids.mapped("score")
                count, score = len(scores), sum(scores)
            rows.append(
                SQL(
                    "(%s, %s, %s, %s, %s::float8, %s::float8, %s::float8)",
                    index,
                    (lead.company_id or default_company).id,
                    count,
                    score,
                    lead.budget_min,
                    lead.budget_max,
                    lead.expected_revenue,
                )
            )
        source = SQL(
            "(VALUES %s) AS l (id, company_id, need_count, need_score, budget_min, budget_max, "
            "expected_revenue)",
            SQL(", ").join(rows),
        )
        grades = {
            row[0]: row[1:]
            for row in self.env.execute_query(
                self._toolkit_grades_query(source, self.company_id | default_company)
            )
        }
        for index, lead in enumerate(self):
            count, score, max_score, ratio, level, power, strategy = grades[index]
            lead.need_count = count
            lead.match_score = score
            lead.match_max_score = max_score
            lead.match_ratio = float(ratio)
            lead.match_level = level or False
            lead.purchasing_power = power or False
            lead.followup_strategy = strategy or False

    @api.depends("match_max_score", "company_id")
    @api.depends_context("company")
    def _compute_match_threshold_note(self):
        for lead in self:
            company = lead._toolkit_company()
            high = company.toolkit_match_high_score
            if lead.need_count and company.toolkit_match_mode == "absolute" and lead.match_max_score < high:
                lead.match_threshold_note = self.env._(
                    "%(count)s needs can reach %(max)s at most; high match needs %(high)s.",
                    count=lead.need_count,
                    max=lead.match_max_score,
                    high=high,
                )
            else:
                lead.match_threshold_note = False

    @api.depends("match_evaluated_date", "company_id.toolkit_match_review_months")
    def _compute_match_review_date(self):
        for lead in self:
            months = lead._toolkit_company().toolkit_match_review_months
            lead.match_review_date = (
                lead.match_evaluated_date + relativedelta(months=months)
                if lead.match_evaluated_date
                else False
            )

    @api.depends("match_review_date")
    @api.depends_context("company")
    def _compute_match_review_due(self):
        today = self.env.company._toolkit_today()
        for lead in self:
            lead.match_review_due = bool(lead.match_review_date) and lead.match_review_date <= today

    def _search_match_review_due(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        due = Domain("match_review_date", "<=", self.env.company._toolkit_today())
        return due if (operator == "in") == (True in value) else ~due

    @api.depends(
        "followup_ids.date",
        "intent_tier",
        "create_date",
        "company_id.toolkit_cadence_high_days",
        "company_id.toolkit_cadence_medium_days",
        "company_id.toolkit_cadence_low_days",
    )
    def _compute_followup_dates(self):
        latest_of = {}
        for lead in self:
            company = lead._toolkit_company()
            if company not in latest_of:
                latest_of[company] = lead._toolkit_latest_followup_date()
            dates = lead.followup_ids.mapped("date")
            lead.followup_count = len(dates)
            # a follow-up dated later (logged before such dates were refused) is no contact yet
            contacts = [day for day in dates if day and day <= latest_of[company]]
            lead.last_followup_date = max(contacts) if contacts else False
            start = lead.last_followup_date or (
                lead.create_date and company._toolkit_date_of(lead.create_date)
            )
            cadence = {
                "high": company.toolkit_cadence_high_days,
                "medium": company.toolkit_cadence_medium_days,
            }.get(lead.intent_tier, company.toolkit_cadence_low_days)
            lead.next_followup_date = start and start + relativedelta(days=cadence)

    @api.depends("next_followup_date", "won_status", "active")
    def _compute_followup_state(self):
        today_of = {}
        for lead in self:
            if not (lead.active and lead.won_status == "pending" and lead.next_followup_date):
                lead.followup_state = False
                continue
            company = lead._toolkit_company()
            today = today_of.setdefault(company, company._toolkit_today())
            if lead.next_followup_date < today:
                lead.followup_state = "overdue"
            elif lead.next_followup_date == today:
                lead.followup_state = "due"
            else:
                lead.followup_state = "on_track"

    @api.depends(
        "followup_ids",
        "followup_ids.date",
        "stage_id",
        "probability",
        "won_status",
        "toolkit_review_followup_id",
        "company_id.toolkit_stale_followups",
    )
    def _compute_needs_review(self):
        for lead in self:
            lead.needs_review = lead.won_status == "pending" and lead._toolkit_is_stale()

    def _toolkit_is_stale(self):
        """The last N follow-ups since the last review brought no advance of stage or probability."""
        self.ensure_one()
        count = self._toolkit_company().toolkit_stale_followups
        followups = self.followup_ids
        if self.toolkit_review_followup_id:
            # ids grow with time; a line not saved yet is newer than any review
            boundary = self.toolkit_review_followup_id.id
            followups = followups.filtered(lambda followup: (followup._origin.id or sys.maxsize) > boundary)
        if len(followups) < count:
            return False
        first = followups.sorted(lambda followup: (followup.date, followup.id))[-count]
        advanced_stage = self.stage_id.sequence > first.stage_id.sequence if first.stage_id else False
        return not (advanced_stage or self.probability > first.probability)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains(*PROSPECT_FIGURES)
    def _check_prospect_figures(self):
        for lead in self:
            lead._toolkit_check_figures(lead.name, {fname: lead[fname] for fname in PROSPECT_FIGURES})

    @api.model
    def _toolkit_check_figures(self, name, figures):
        """Refuse negative sizes and budgets, and a budget range given backwards."""
        if min(figures[fname] or 0 for fname in PROSPECT_FIGURES) < 0:
            raise ValidationError(
                self.env._(
                    "Lead “%(lead)s”: employee count, annual revenue and budget cannot be negative.",
                    lead=name,
                )
            )
        budget_min, budget_max = figures["budget_min"], figures["budget_max"]
        if budget_min and budget_max and budget_min > budget_max:
            raise ValidationError(
                self.env._(
                    "Lead “%(lead)s”: the budget starts at %(min)s but ends at %(max)s. "
                    "Enter the range from the lower to the higher amount.",
                    lead=name,
                    min=format_amount(self.env, budget_min, self.env.company.currency_id),
                    max=format_amount(self.env, budget_max, self.env.company.currency_id),
                )
            )

    def _toolkit_pipl_fields(self):
        # what a rep types about the prospect; the phone, e-mail and address fields keep
        # their own formats (a phone number is what the guard must let through)
        return super()._toolkit_pipl_fields() + [
            "name",
            "contact_name",
            "partner_name",
            "referred",
            "description",
            "pain_point",
            "consent_purpose",
        ]

    @api.constrains("consent_state", "consent_purpose")
    def _check_consent_purpose(self):
        for lead in self:
            if lead.consent_state == "obtained" and not lead.consent_purpose:
                raise ValidationError(
                    self.env._(
                        "Lead “%(lead)s”: state the purpose the contact agreed to, e.g. 'only "
                        "for product recommendations'.",
                        lead=lead.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("intent_tier") and "intent_tier_manual" not in vals:
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                derived = self._toolkit_intent_tier_for(company, vals.get("expected_purchase_date"))
                vals["intent_tier_manual"] = vals["intent_tier"] != derived
        return super().create(vals_list)

    def write(self, vals):
        if not vals.get("intent_tier") or "intent_tier_manual" in vals:
            return super().write(vals)
        # a tier that differs from what the purchase date gives is the rep's override
        manual = self.browse()
        for lead in self:
            purchase_date = vals.get("expected_purchase_date", lead.expected_purchase_date)
            derived = self._toolkit_intent_tier_for(lead._toolkit_company(), purchase_date)
            if vals["intent_tier"] != derived:
                manual |= lead
        if manual:
            super(CrmLead, manual).write(dict(vals, intent_tier_manual=True))
        automatic = self - manual
        if automatic:
            super(CrmLead, automatic).write(dict(vals, intent_tier_manual=False))
        return True

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_toolkit_verify(self):
        """The reviewer confirmed the lead by phone: it now counts."""
        if not self.env.user.has_group("sales_team.group_sale_salesman_all_leads"):
            raise UserError(self.env._("Only a sales team leader or manager can verify leads."))
        today = fields.Date.context_today(self)
        for lead in self:
            if lead.verified_by_id:
                continue
            lead.write({"verified_by_id": self.env.uid, "verified_date": today})
            lead.message_post(body=self.env._("Lead verified by phone."), subtype_xmlid="mail.mt_note")
        return True

    def action_toolkit_reset_verification(self):
        if not self.env.user.has_group("sales_team.group_sale_salesman_all_leads"):
            raise UserError(self.env._("Only a sales team leader or manager can verify leads."))
        self.write({"verified_by_id": False, "verified_date": False})
        return True

    def action_toolkit_intent_automatic(self):
        """Drop the rep's override: the tier follows the purchase date again."""
        self.write({"intent_tier_manual": False})
        return True

    def action_toolkit_confirm_match(self):
        """The rep re-evaluated the needs and found the scores still right."""
        self._toolkit_mark_match_evaluated()
        for lead in self:
            lead.message_post(
                body=self.env._(
                    "Need match re-evaluated: %(score)s points, %(level)s.",
                    score=lead.match_score,
                    level=dict(self._fields["match_level"]._description_selection(self.env)).get(
                        lead.match_level, self.env._("not scored")
                    ),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_toolkit_log_followup(self):
        """The follow-up form in a dialog, ready for this lead."""
        self.ensure_one()
        context = {
            "default_lead_id": self.id,
            "default_next_action_user_id": (self.user_id or self.env.user).id,
        }
        return form_dialog(self.env._("Log Follow-up"), "sales_toolkit.followup", context)

    def action_toolkit_review(self):
        self.ensure_one()
        return form_dialog(
            self.env._("Review Strategy"), "sales_toolkit.lead.review", {"default_lead_id": self.id}
        )

    def action_toolkit_print_capture_sheet(self):
        return self.env.ref("sales_toolkit.action_report_prospect_capture_sheet").report_action(self)

    # ------------------------------------------------------------------
    # Merge: nothing captured on a merged lead is lost
    # ------------------------------------------------------------------

    def _merge_get_fields(self):
        return super()._merge_get_fields() + [
            "industry_id",
            "employee_count",
            "annual_revenue",
            "pain_point",
            "expected_purchase_date",
        ]

    def _merge_get_fields_specific(self):
        def budget_bound(fname, leads):
            # both bounds come from the same lead, or the range could end below its start
            source = next((lead for lead in leads if lead.budget_min or lead.budget_max), leads[:1])
            return source[fname]

        return dict(super()._merge_get_fields_specific(), budget_min=budget_bound, budget_max=budget_bound)

    def _merge_dependences(self, opportunities):
        res = super()._merge_dependences(opportunities)
        opportunities.need_ids.write({"lead_id": self.id})
        return res

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _toolkit_mark_match_evaluated(self):
        if not self:
            return
        # the date is the system's to write: those who may change the leads (or their needs) set it
        self.check_access("write")
        today = self.env.company._toolkit_today()
        self.filtered(lambda lead: lead.match_evaluated_date != today)._toolkit_write_as_system(
            {"match_evaluated_date": today}
        )

    @api.model
    def _toolkit_regrade(self, companies, fnames=None):
        """Re-grade the leads after a change of the settings ``fnames`` of ``companies``.

        The need match, purchasing power and strategy of all their leads are written by
        one query (:meth:`_toolkit_regrade_match`); leads of those companies follow the
        intent and review settings through the stored-compute dependencies; leads without
        a company are graded with the current company's rules.
        """
        if fnames is None or set(fnames) & set(MATCH_SETTING_FIELDS):
            self._toolkit_regrade_match(companies)
        leads = self.with_context(active_test=False).search([("company_id", "=", False)])
        if not leads:
            return
        for fname in ("intent_tier", "match_review_date"):
            self.env.add_to_compute(self._fields[fname], leads)

    @api.model
    def _toolkit_grades_query(self, source, companies):
        """The grading rule of the leads, written once: the need match, purchasing power and
        strategy of the rows of ``source``, an SQL relation ``l`` (id, company_id, need_count,
        need_score, budget_min, budget_max, expected_revenue), by the thresholds of
        ``companies`` (res.company._toolkit_match_thresholds / _toolkit_power_thresholds).

        Returns the SELECT of (id, need_count, match_score, match_max_score, match_ratio,
        match_level, purchasing_power, followup_strategy); float8 arithmetic, as Python's floats.
        """
        rules = SQL(", ").join(
            SQL(
                "(%s, %s, %s::float8, %s::float8, %s::float8, %s::float8)",
                company.id,
                *company._toolkit_match_thresholds(),
                *company._toolkit_power_thresholds(),
            )
            for company in companies
        )
        ratio = SQL("100.0::float8 * l.need_score / (5 * l.need_count)")
        budget = SQL("COALESCE(NULLIF(l.budget_max, 0), l.budget_min, 0)")
        share = SQL("100.0::float8 * %s::float8 / l.expected_revenue::float8", budget)
        return SQL(
            """
WITH rule (company_id, by_ratio, match_high, match_medium, power_high, power_medium) AS (VALUES %(rules)s),
graded AS (
    SELECT l.id, l.need_count, l.need_score AS match_score, 5 * l.need_count AS match_max_score,
           CASE WHEN l.need_count > 0 THEN round((%(ratio)s)::numeric, 1) ELSE 0 END AS match_ratio,
           CASE WHEN l.need_count > 0 THEN
               %(match_band)s
           END AS match_level,
           CASE WHEN %(budget)s != 0 AND COALESCE(l.expected_revenue, 0) > 0 THEN
               %(power_band)s
           END AS purchasing_power
      FROM %(source)s
      JOIN rule r ON r.company_id = l.company_id
)
SELECT g.*, CASE g.match_level WHEN 'high' THEN CASE WHEN g.purchasing_power = 'high' THEN 'senior_visit'
                                                     ELSE 'confirm_budget' END
                               WHEN 'medium' THEN 'resolve_objection'
                               WHEN 'low' THEN 'nurture' END AS followup_strategy
  FROM graded g""",
            rules=rules,
            ratio=ratio,
            match_band=toolkit_band_sql(
                SQL("CASE WHEN r.by_ratio THEN %s ELSE l.need_score END", ratio),
                SQL("r.match_high"),
                SQL("r.match_medium"),
            ),
            budget=budget,
            power_band=toolkit_band_sql(share, SQL("r.power_high"), SQL("r.power_medium")),
            source=source,
        )

    @api.model
    def _toolkit_regrade_match(self, companies):
        """Grade the need match, purchasing power and strategy of every lead of
        ``companies`` (and of the leads without a company, with the current company's
        rules) in one UPDATE, through the grading rule of the compute
        (:meth:`_toolkit_grades_query`). Only the leads whose grades change are written;
        they are returned, and what depends on their grades follows.
        """
        if not companies:
            return self.browse()
        self.env["sales_toolkit.need"].flush_model(["lead_id", "score"])
        self.flush_model(["company_id", "budget_min", "budget_max", "expected_revenue", *MATCH_GRADE_FIELDS])
        default_company = self.env.company
        source = SQL(
            """(SELECT l.id, COALESCE(l.company_id, %(default_company)s) AS company_id,
                       COALESCE(n.cnt, 0) AS need_count, COALESCE(n.score, 0) AS need_score,
                       l.budget_min, l.budget_max, l.expected_revenue
                  FROM crm_lead l
             LEFT JOIN (SELECT lead_id, COUNT(*) AS cnt, SUM(score) AS score
                          FROM sales_toolkit_need GROUP BY lead_id) n ON n.lead_id = l.id
                 WHERE l.company_id IN %(companies)s OR l.company_id IS NULL) AS l""",
            default_company=default_company.id,
            companies=tuple(companies.ids),
        )
        self.env.cr.execute(
            SQL(
                """
UPDATE crm_lead l
   SET need_count = s.need_count, match_score = s.match_score, match_max_score = s.match_max_score,
       match_ratio = s.match_ratio, match_level = s.match_level, purchasing_power = s.purchasing_power,
       followup_strategy = s.followup_strategy
  FROM (%(grades)s) s
 WHERE l.id = s.id
   AND (l.need_count, l.match_score, l.match_max_score, l.match_ratio, l.match_level, l.purchasing_power,
        l.followup_strategy)
       IS DISTINCT FROM (s.need_count, s.match_score, s.match_max_score, s.match_ratio, s.match_level,
                         s.purchasing_power, s.followup_strategy)
RETURNING l.id""",
                grades=self._toolkit_grades_query(source, companies | default_company),
            )
        )
        leads = self.browse(row[0] for row in self.env.cr.fetchall())
        if leads:
            # the cache forgets the old grades, what depends on them follows; the grades
            # themselves are written, not to be computed again
            leads.invalidate_recordset(MATCH_GRADE_FIELDS, flush=False)
            leads.modified(MATCH_GRADE_FIELDS)
            for fname in MATCH_GRADE_FIELDS:
                self.env.remove_to_compute(self._fields[fname], leads)
        return leads

    @api.model
    def _cron_refresh_intent_tier(self, batch_size=1000):
        """Raise tiers as expected purchase dates come closer.

        Dates never move away by themselves, so automatic tiers only go up: only
        leads whose tier is below what their date now gives are touched. Batches
        are committed, so a run killed halfway resumes without double work.
        """
        companies = self.env["res.company"].search([])  # pylint: disable=no-search-all
        for company in companies:
            leads_model = self.with_company(company)
            # leads without a company follow the rules of the main company
            domain = leads_model._toolkit_stale_intent_domain(with_shared=company == companies[:1])
            if not self.env["sales_toolkit.job"]._run_batches(
                leads_model.search(domain, order="id"),
                self._toolkit_store_intent_tier,
                "sales_toolkit.ir_cron_refresh_intent_tier",
                batch_size,
            ):
                return

    @api.model
    def _toolkit_store_intent_tier(self, leads):
        leads._compute_intent_tier()
        leads.flush_recordset(["intent_tier"])

    @api.model
    def _cron_refresh_followup_state(self, batch_size=1000):
        """Move follow-up states on as days pass (on track -> due -> overdue).

        Only leads whose stored state no longer matches today are touched, in
        committed batches, so the job is cheap and resumes where it stopped. The
        domain picks exactly the leads ``_compute_followup_state`` would move, and
        their new state follows from the date alone: the job is one SELECT of the leads'
        ids and one UPDATE per batch, instead of a read of the leads and an UPDATE per
        100 leads. A lead the UPDATE fails on is skipped, the others go on.
        """
        companies = self.env["res.company"].search([])  # pylint: disable=no-search-all
        for company in companies:
            today = company._toolkit_today()
            company_ids = [company.id, False] if company == companies[:1] else [company.id]
            self.with_company(company)._toolkit_recount_future_followups(company_ids, today)
            domain = Domain.AND(
                [
                    Domain("company_id", "in", company_ids),
                    Domain("won_status", "=", "pending"),
                    Domain("next_followup_date", "!=", False),
                    (Domain("next_followup_date", "<", today) & Domain("followup_state", "!=", "overdue"))
                    | (Domain("next_followup_date", "=", today) & Domain("followup_state", "!=", "due")),
                ]
            )
            if not self.env["sales_toolkit.job"]._run_batches(
                self.with_company(company).search(domain, order="id"),
                lambda batch, today=today: batch._toolkit_store_followup_state(today),
                "sales_toolkit.ir_cron_refresh_followup_state",
                batch_size,
            ):
                return

    def _toolkit_store_followup_state(self, today):
        """Store the state ``today`` gives these leads (due or overdue) with one UPDATE."""
        self.env.cr.execute(
            SQL(
                """UPDATE crm_lead
                      SET followup_state = CASE WHEN next_followup_date < %(today)s THEN 'overdue'
                                                ELSE 'due' END
                    WHERE id IN %(ids)s""",
                today=today,
                ids=tuple(self.ids),
            )
        )
        self.modified(["followup_state"])
        # like the stored compute it replaces, it leaves "Last Updated" alone
        self.invalidate_recordset(["followup_state"])

    @api.model
    def _toolkit_recount_future_followups(self, company_ids, today):
        """Leads whose last follow-up is dated in the future (logged before such dates were
        refused) count their contacts again without it, so that they fall due."""
        leads = self.search(
            [
                ("company_id", "in", company_ids),
                ("last_followup_date", ">", today + timedelta(days=FOLLOWUP_DATE_MARGIN_DAYS)),
            ]
        )
        if leads:
            self.env["sales_toolkit.job"]._run_isolated(
                leads, self._toolkit_recompute_followup_dates, "sales_toolkit.ir_cron_refresh_followup_state"
            )

    @api.model
    def _toolkit_recompute_followup_dates(self, leads):
        for fname in ("followup_count", "last_followup_date", "next_followup_date"):
            self.env.add_to_compute(self._fields[fname], leads)
        leads.flush_recordset()

    @api.model
    def _cron_send_followup_digest(self):
        """Each sales team leader gets the team's overdue and stale leads, once a week.

        Each team's digest is committed with its date: a run killed halfway resumes with
        the teams not served yet, and no leader gets the same digest twice in a week.
        """
        served_since = fields.Datetime.now() - timedelta(days=6)
        leads = self.search(
            [
                ("team_id.user_id", "!=", False),
                "|",
                ("team_id.toolkit_digest_date", "=", False),
                ("team_id.toolkit_digest_date", "<", served_since),
                ("won_status", "=", "pending"),
                "|",
                ("followup_state", "=", "overdue"),
                ("needs_review", "=", True),
            ],
            order="team_id, next_followup_date, id",
        )
        teams = leads.grouped("team_id")

        def send(team):
            team._toolkit_send_followup_digest(teams[team])
            team.sudo().toolkit_digest_date = fields.Datetime.now()

        # one team a batch: each digest is committed with its date
        self.env["sales_toolkit.job"]._run_batches(
            leads.team_id, send, "sales_toolkit.ir_cron_followup_digest", batch_size=1
        )

    def _toolkit_stale_intent_domain(self, with_shared=False):
        company = self.env.company
        today = company._toolkit_today()
        high_until = today + relativedelta(days=company.toolkit_intent_high_days)
        medium_until = today + relativedelta(days=company.toolkit_intent_medium_days)
        return Domain.AND(
            [
                Domain("intent_tier_manual", "=", False),
                Domain("won_status", "=", "pending"),
                Domain("company_id", "in", [company.id, False] if with_shared else [company.id]),
                Domain("expected_purchase_date", "!=", False),
                (Domain("expected_purchase_date", "<=", high_until) & Domain("intent_tier", "!=", "high"))
                | (Domain("expected_purchase_date", "<=", medium_until) & Domain("intent_tier", "=", "low")),
            ]
        )
