from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .crm_lead import MATCH_SETTING_FIELDS

# company fields whose change re-grades the leads of that company
LEAD_GRADING_FIELDS = (
    "toolkit_intent_high_days",
    "toolkit_intent_medium_days",
    *MATCH_SETTING_FIELDS,
    "toolkit_match_review_months",
)
# company fields whose change alters the figures of that company's open targets
TARGET_FIELDS = (
    "toolkit_target_revenue_basis",
    "toolkit_target_on_track_rate",
    "toolkit_target_at_risk_rate",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    # The handbook's rules of thumb, kept per company so that each can tune them.
    toolkit_intent_high_days = fields.Integer(
        string="High Intent Within (days)",
        default=30,
        help="A lead whose expected purchase date is at most this many days away is high intent.",
    )
    toolkit_intent_medium_days = fields.Integer(
        string="Medium Intent Within (days)",
        default=90,
        help="A lead whose expected purchase date is at most this many days away is medium "
        "intent; later or unknown dates are low intent.",
    )
    toolkit_match_mode = fields.Selection(
        [("absolute", "Total score"), ("normalised", "Share of the highest reachable score")],
        string="Match Thresholds",
        default="absolute",
        required=True,
    )
    toolkit_match_high_score = fields.Integer(string="High Match From (points)", default=20)
    toolkit_match_medium_score = fields.Integer(string="Medium Match From (points)", default=10)
    toolkit_match_high_ratio = fields.Float(string="High Match From (%)", default=80.0)
    toolkit_match_medium_ratio = fields.Float(string="Medium Match From (%)", default=50.0)
    toolkit_power_high_ratio = fields.Float(
        string="Strong Purchasing Power From (%)",
        default=100.0,
        help="Maximum budget as a share of the expected revenue from which purchasing power is high.",
    )
    toolkit_power_medium_ratio = fields.Float(
        string="Medium Purchasing Power From (%)",
        default=70.0,
        help="Maximum budget as a share of the expected revenue from which purchasing power is "
        "medium; below it, low.",
    )
    toolkit_match_review_months = fields.Integer(
        string="Re-evaluate Need Match After (months)",
        default=3,
        help="The handbook asks to re-evaluate the need match every quarter.",
    )

    # Follow-up cadence (tool 5): days between two follow-ups by intent tier
    toolkit_cadence_high_days = fields.Integer(string="Follow Up High Intent Every (days)", default=7)
    toolkit_cadence_medium_days = fields.Integer(string="Follow Up Medium Intent Every (days)", default=14)
    toolkit_cadence_low_days = fields.Integer(string="Follow Up Low Intent Every (days)", default=30)
    toolkit_stale_followups = fields.Integer(
        string="Review After Follow-ups Without Progress",
        default=3,
        help="A lead with this many follow-ups in a row and no advance of stage or probability "
        "goes to the manager's review queue.",
    )

    # Customer tiers (tool 6): annual purchases of the trailing 12 months
    toolkit_tier_vip_amount = fields.Monetary(
        string="VIP From (annual purchases)", currency_field="currency_id", default=500000
    )
    toolkit_tier_key_amount = fields.Monetary(
        string="Key Account From (annual purchases)", currency_field="currency_id", default=200000
    )
    toolkit_tier_basis = fields.Selection(
        [("orders", "Confirmed sale orders"), ("invoices", "Posted invoices")],
        string="Annual Purchases From",
        default="orders",
        required=True,
    )

    # Targets (tool 1)
    toolkit_target_revenue_basis = fields.Selection(
        [("orders", "Confirmed sale orders"), ("invoices", "Posted invoices")],
        string="Revenue Targets From",
        default="orders",
        required=True,
    )
    toolkit_target_on_track_rate = fields.Float(
        string="On Track From (% of target)",
        default=100.0,
        help="A target whose run-rate forecast reaches this share of its value is on track.",
    )
    toolkit_target_at_risk_rate = fields.Float(
        string="At Risk From (% of target)",
        default=90.0,
        help="A target whose forecast reaches this share of its value, but not the on-track share, "
        "is at risk; below it, behind.",
    )
    toolkit_target_review_day = fields.Integer(
        string="Monthly Review By Day",
        default=5,
        help="Day of the month by which the owners of confirmed targets comment on the previous month.",
    )

    # Performance analysis (tool 7): completion outside these bounds needs a root cause
    toolkit_analysis_low_rate = fields.Float(
        string="Explain Completion Below (%)",
        default=90.0,
        help="An analysis line whose completion of its target is below this share is highlighted "
        "and needs a root cause before the sheet can be closed.",
    )
    toolkit_analysis_high_rate = fields.Float(
        string="Explain Completion Above (%)",
        default=110.0,
        help="An analysis line whose completion of its target is above this share is highlighted "
        "and needs a root cause (what worked) before the sheet can be closed.",
    )

    @api.constrains("toolkit_analysis_low_rate", "toolkit_analysis_high_rate")
    def _check_toolkit_analysis(self):
        for company in self:
            if not 0 < company.toolkit_analysis_low_rate <= 100 <= company.toolkit_analysis_high_rate:
                raise ValidationError(
                    self.env._(
                        "The analysis gap bounds must satisfy 0 < lower bound <= 100 <= upper bound "
                        "(in % of the target)."
                    )
                )

    # Trainings (tool 10)
    toolkit_training_result_days = fields.Integer(
        string="Training Results Window (days)",
        default=90,
        help="A participant's won revenue and conversion rate are compared over this many days "
        "before the training starts and as many days after it ends.",
    )
    toolkit_training_behaviour_weeks = fields.Integer(
        string="Rate Behaviour After (weeks)",
        default=4,
        help="When a training is done, each participant's manager is asked to rate the on-the-job "
        "behaviour this many weeks after the training ends.",
    )
    toolkit_training_pass_mark = fields.Float(
        string="Training Pass Mark",
        default=80.0,
        help="A participant passes with a post-training test score of at least this mark (out of 100).",
    )

    @api.constrains(
        "toolkit_target_on_track_rate", "toolkit_target_at_risk_rate", "toolkit_target_review_day"
    )
    def _check_toolkit_targets(self):
        for company in self:
            if not 0 < company.toolkit_target_at_risk_rate < company.toolkit_target_on_track_rate:
                raise ValidationError(
                    self.env._("The at-risk share must be positive and below the on-track share.")
                )
            if not 1 <= company.toolkit_target_review_day <= 28:
                raise ValidationError(self.env._("The monthly review day must be between 1 and 28."))

    # Tasks (tool 9): grades by achievement rate
    toolkit_task_excellent_rate = fields.Float(string="Excellent Above (%)", default=120.0)
    toolkit_task_good_rate = fields.Float(string="Good From (%)", default=100.0)
    toolkit_task_pass_rate = fields.Float(string="Pass From (%)", default=80.0)

    @api.constrains("toolkit_task_excellent_rate", "toolkit_task_good_rate", "toolkit_task_pass_rate")
    def _check_toolkit_task_grades(self):
        for company in self:
            rates = (
                company.toolkit_task_pass_rate,
                company.toolkit_task_good_rate,
                company.toolkit_task_excellent_rate,
            )
            if not 0 < rates[0] < rates[1] < rates[2]:
                raise ValidationError(
                    self.env._("Task grades need 0 < pass < good < excellent (in % of the target quantity).")
                )

    @api.constrains(
        "toolkit_training_result_days", "toolkit_training_behaviour_weeks", "toolkit_training_pass_mark"
    )
    def _check_toolkit_trainings(self):
        for company in self:
            if not 1 <= company.toolkit_training_result_days <= 730:
                raise ValidationError(
                    self.env._("The training results window must be between 1 and 730 days.")
                )
            if not 1 <= company.toolkit_training_behaviour_weeks <= 52:
                raise ValidationError(
                    self.env._("The behaviour rating delay must be between 1 and 52 weeks.")
                )
            if not 0 < company.toolkit_training_pass_mark <= 100:
                raise ValidationError(self.env._("The training pass mark must be above 0 and at most 100."))

    @api.constrains("toolkit_tier_vip_amount", "toolkit_tier_key_amount")
    def _check_toolkit_tiers(self):
        for company in self:
            if not 0 < company.toolkit_tier_key_amount < company.toolkit_tier_vip_amount:
                raise ValidationError(
                    self.env._("The key account threshold must be positive and below the VIP threshold.")
                )

    @api.constrains(
        "toolkit_cadence_high_days",
        "toolkit_cadence_medium_days",
        "toolkit_cadence_low_days",
        "toolkit_stale_followups",
    )
    def _check_toolkit_cadence(self):
        for company in self:
            days = (
                company.toolkit_cadence_high_days,
                company.toolkit_cadence_medium_days,
                company.toolkit_cadence_low_days,
            )
            if min(days) < 1 or max(days) > 365:
                raise ValidationError(
                    self.env._("Follow-up intervals must be at least one day and at most 365 days.")
                )
            if company.toolkit_stale_followups < 2:
                raise ValidationError(
                    self.env._("A lead needs at least two follow-ups before it can be called stale.")
                )

    @api.constrains(*LEAD_GRADING_FIELDS)
    def _check_toolkit_thresholds(self):
        for company in self:
            if not 0 < company.toolkit_intent_high_days < company.toolkit_intent_medium_days:
                raise ValidationError(
                    self.env._(
                        "The high intent window must be positive and shorter than the medium intent window."
                    )
                )
            if company.toolkit_intent_medium_days > 730:
                raise ValidationError(self.env._("The medium intent window can be at most 730 days."))
            if not 0 < company.toolkit_match_medium_score < company.toolkit_match_high_score:
                raise ValidationError(
                    self.env._("The medium match score must be positive and below the high match score.")
                )
            if not 0 < company.toolkit_match_medium_ratio < company.toolkit_match_high_ratio <= 100:
                raise ValidationError(
                    self.env._("The match percentages must satisfy 0 < medium < high <= 100.")
                )
            if not 0 < company.toolkit_power_medium_ratio < company.toolkit_power_high_ratio:
                raise ValidationError(
                    self.env._("The medium purchasing power share must be positive and below the high one.")
                )
            if not 1 <= company.toolkit_match_review_months <= 24:
                raise ValidationError(
                    self.env._(
                        "The need match re-evaluation period must be at least one month and at most "
                        "24 months."
                    )
                )

    def _toolkit_match_thresholds(self):
        """How the company grades the need match: (by ratio?, high from, medium from).

        The one source of the thresholds for the lead's compute and its one-query re-grade.
        """
        self.ensure_one()
        if self.toolkit_match_mode == "normalised":
            return True, self.toolkit_match_high_ratio, self.toolkit_match_medium_ratio
        return False, self.toolkit_match_high_score, self.toolkit_match_medium_score

    def _toolkit_power_thresholds(self):
        """Purchasing power bands: (high from, medium from), budget as % of expected revenue."""
        self.ensure_one()
        return self.toolkit_power_high_ratio, self.toolkit_power_medium_ratio

    def _toolkit_tz(self):
        """Where the company is: its partner's timezone, UTC when unset (the module's days
        and periods are counted there; in SQL, sales_toolkit.kpi's helpers)."""
        self.ensure_one()
        return pytz.timezone(self.partner_id.tz or "UTC")

    def _toolkit_today(self):
        """Today's date where the company is."""
        return datetime.now(self._toolkit_tz()).date()

    def _toolkit_date_of(self, moment):
        """The calendar day of a UTC datetime where the company is."""
        return pytz.utc.localize(moment).astimezone(self._toolkit_tz()).date()

    def _toolkit_utc_bounds(self, date_from, date_to):
        """(start, end): the days ``date_from`` to ``date_to`` where the company is, as naive
        UTC datetimes; ``start`` is included, ``end`` (midnight after ``date_to``) is not."""
        tz = self._toolkit_tz()

        def utc_midnight(day):
            return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

        return utc_midnight(date_from), utc_midnight(date_to + timedelta(days=1))

    def write(self, vals):
        res = super().write(vals)
        if any(field in vals for field in LEAD_GRADING_FIELDS):
            # leads of these companies (and those without a company) are graded with the
            # new rules at once; stored computes would otherwise keep the old grades
            self.env["crm.lead"]._toolkit_regrade(self, vals)
        if any(field in vals for field in TARGET_FIELDS):
            targets = (
                self.env["sales_toolkit.target"]
                .sudo()
                .search([("company_id", "in", self.ids), ("state", "!=", "closed")])
            )
            targets._toolkit_refresh_figures()
        if "toolkit_training_result_days" in vals:
            trainings = (
                self.env["sales_toolkit.training"]
                .sudo()
                .search([("company_id", "in", self.ids), ("state", "!=", "cancelled")])
            )
            trainings._toolkit_refresh_results()
        return res
