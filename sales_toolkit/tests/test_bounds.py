from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.models import LOG_ACCESS_COLUMNS
from odoo.tests import Form, tagged

from .common import SalesToolkitCommon

OUTSIDE = r"is outside the dates the module works with \(1900-01-01 to 2200-12-31\)"


@tagged("post_install", "-at_install")
class TestDateBounds(SalesToolkitCommon):
    """Dates within 1900-2200 and intervals that make sense, refused with a clear message."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Bounded Co.", "is_company": True})

    def test_every_date_the_module_takes_in_is_bounded(self):
        bounded = self.env.registry["sales_toolkit.date.bounds"]
        checked = set()
        for name in self.env.registry:
            model = self.env[name]
            if model._abstract:
                continue
            for fname, field in model._fields.items():
                # the dates users and API clients give; the module sets the read-only ones itself
                if (
                    field.type not in ("date", "datetime")
                    or field._module != "sales_toolkit"
                    or not field.store
                    or field.related
                    or field.readonly
                    or fname in LOG_ACCESS_COLUMNS
                ):
                    continue
                checked.add(f"{name}.{fname}")
                with self.subTest(field=f"{name}.{fname}"):
                    self.assertIsInstance(model, bounded)
                    label = field._description_string(self.env)
                    for day in ("9999-09-30", "0001-01-01"):
                        with self.assertRefused(ValidationError, f"{label}: {day} {OUTSIDE}"):
                            model._toolkit_check_dates({fname: day})
                    with self.assertRefused(ValidationError, f"{label}: “2024-02-30” is not a date"):
                        model._toolkit_check_dates({fname: "2024-02-30"})
                    model._toolkit_check_dates({fname: "1900-01-01"})
                    model._toolkit_check_dates({fname: "2200-12-31"})
        self.assertLessEqual(
            {
                "crm.lead.expected_purchase_date",
                "sales_toolkit.care.action.next_date",
                "sales_toolkit.care.plan.date_start",
                "sales_toolkit.followup.date",
                "sales_toolkit.followup.next_action_deadline",
                "sales_toolkit.review.meeting.date_start",
                "sales_toolkit.strategy.date_to",
                "sales_toolkit.strategy.milestone.date",
                "sales_toolkit.target.date_from",
                "sales_toolkit.target.date_to",
                "sales_toolkit.task.date_deadline",
                "sales_toolkit.training.date_end",
            },
            checked,
        )

    def test_far_dates_refused_when_saved(self):
        Plan = self.env["sales_toolkit.care.plan"]
        with self.assertRefused(ValidationError, f"Start: 9999-09-30 {OUTSIDE}"):
            Plan.create({"partner_id": self.customer.id, "date_start": date(9999, 9, 30)})
        plan = Plan.create({"partner_id": self.customer.id})
        with self.assertRefused(ValidationError, f"Next Date: 9999-09-30 {OUTSIDE}"):
            plan.action_ids = [Command.create({"name": "Call", "next_date": date(9999, 9, 30)})]
        with self.assertRefused(ValidationError, f"Start: 0001-01-01 {OUTSIDE}"):
            self.env["sales_toolkit.training"].create(
                {"name": "Ancient", "date_start": date(1, 1, 1), "date_end": date(2024, 1, 1)}
            )
        with self.assertRefused(ValidationError, f"End: 9999-09-30 {OUTSIDE}"):
            self.env["sales_toolkit.review.meeting"].create(
                {
                    "name": "Far review",
                    "team_id": self.env["crm.team"].create({"name": "Far"}).id,
                    "date_start": datetime(2024, 4, 5, 6, 0),
                    "date_end": datetime(9999, 9, 30, 8, 0),
                }
            )
        with self.assertRefused(ValidationError, f"Fixed Dates: 9999-09-30 {OUTSIDE}"):
            plan.action_ids = [
                Command.create(
                    {"name": "Gift", "frequency": "dates", "fixed_dates": "2026-02-17, 9999-09-30"}
                )
            ]

    def test_forms_stop_far_dates_before_computing_with_them(self):
        """Typed in a form, a far date used to crash the form's computes (date out of range)."""
        cases = [
            ("sales_toolkit.care.plan", "date_start", date(1, 1, 1)),
            ("sales_toolkit.target", "date_from", date(9999, 12, 31)),
            ("sales_toolkit.training", "date_start", date(1, 1, 1)),
            ("sales_toolkit.training", "date_end", date(9999, 12, 31)),
            ("sales_toolkit.analysis", "date_from", date(9999, 12, 31)),
            ("crm.lead", "match_evaluated_date", date(9999, 12, 31)),
        ]
        for model, fname, day in cases:
            with self.subTest(model=model, field=fname):
                form = Form(self.env[model])
                with self.assertRefused(ValidationError, OUTSIDE):
                    setattr(form, fname, day)

    def test_care_plan_form_with_an_action_near_year_1(self):
        """The plan's scorecard, computed as the action is typed, used to crash (year 0)."""
        form = Form(self.env["sales_toolkit.care.plan"])
        form.partner_id = self.customer
        with form.action_ids.new() as action:
            action.name = "Call"
            action.next_date = date(1, 1, 3)
        self.assertEqual(form.touches_planned, 0)
        with self.assertRefused(ValidationError, f"Next Date: 0001-01-03 {OUTSIDE}"):
            form.save()

    def test_care_plan_with_old_far_dates_still_opens(self):
        """Plans saved before the bounds (written here in SQL) show their scorecard."""
        plan = self.env["sales_toolkit.care.plan"].create({"partner_id": self.customer.id})
        actions = self.env["sales_toolkit.care.action"].create(
            [
                {"plan_id": plan.id, "name": "Weekly call", "interval_unit": "weeks", "interval_number": 1},
                {"plan_id": plan.id, "name": "Quarterly visit", "next_date": date(2026, 1, 15)},
            ]
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sales_toolkit_care_plan SET date_start = '0001-01-01' WHERE id = %s", plan.ids
        )
        self.env.cr.execute(
            "UPDATE sales_toolkit_care_action SET next_date = '0001-01-03' WHERE id = %s", actions[0].ids
        )
        self.env.invalidate_all()
        with freeze_time("2026-02-10"):
            self.assertEqual(plan.touches_planned, 1, "the action dated near year 1 plans nothing")
            self.assertEqual(plan.repurchase_rate, 0)

    def test_care_action_intervals(self):
        plan = self.env["sales_toolkit.care.plan"].create({"partner_id": self.customer.id})
        Action = self.env["sales_toolkit.care.action"]
        for unit, number in (("months", 24), ("weeks", 104), ("months", 1), ("weeks", 1)):
            Action.create(
                {"plan_id": plan.id, "name": "Fine", "interval_unit": unit, "interval_number": number}
            )
        for unit, number in (("months", 25), ("weeks", 105), ("months", 0), ("months", 1000000)):
            with (
                self.subTest(unit=unit, number=number),
                self.assertRefused(
                    ValidationError,
                    "Action “Too far”: repeat it every 1 to 24 months or every 1 to 104 weeks.",
                ),
            ):
                Action.create(
                    {"plan_id": plan.id, "name": "Too far", "interval_unit": unit, "interval_number": number}
                )

    def test_company_periods(self):
        refused = [
            ({"toolkit_cadence_low_days": 366}, "at most 365 days"),
            ({"toolkit_cadence_high_days": 0}, "at least one day"),
            ({"toolkit_intent_medium_days": 731}, "at most 730 days"),
            ({"toolkit_match_review_months": 25}, "at most 24 months"),
        ]
        for vals, message in refused:
            with self.subTest(vals=vals), self.assertRefused(ValidationError, message):
                self.company.write(vals)
        self.company.write(
            {
                "toolkit_cadence_low_days": 365,
                "toolkit_intent_medium_days": 730,
                "toolkit_match_review_months": 24,
            }
        )
        policy = self.env["sales_toolkit.tier.policy"].search([], limit=1)
        with self.assertRefused(ValidationError, "at most 8760 hours"):
            policy.response_hours = 8761
        policy.resolution_hours = 8760


@tagged("post_install", "-at_install")
class TestFutureFollowups(SalesToolkitCommon):
    """A follow-up records a contact that took place: one dated in the future (a typo, 2099)
    neither is accepted nor keeps its lead from falling due."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.company._toolkit_today()

    def _log(self, lead, day):
        return self.env["sales_toolkit.followup"].create(
            {"lead_id": lead.id, "summary": "Called", "date": day}
        )

    def test_future_date_refused_with_a_day_of_margin(self):
        lead = self._create_lead()
        # tomorrow: a user east of the company may already be there
        self._log(lead, self.today + timedelta(days=1))
        with self.assertRefused(ValidationError, "A follow-up records a contact that took place"):
            self._log(lead, date(2099, 1, 1))
        with self.assertRefused(ValidationError, "A follow-up records a contact that took place"):
            self._log(lead, self.today + timedelta(days=2))

    def test_followup_logged_in_2099_before_the_rule_does_not_stop_the_lead(self):
        lead = self._create_lead()
        last_contact = self.today - timedelta(days=40)
        self._log(lead, last_contact)
        typo = self._log(lead, self.today)
        self.assertEqual(lead.followup_state, "on_track")
        # saved before future dates were refused (in SQL here): the lead counted it as its last contact
        self.env.flush_all()
        self.env.cr.execute("UPDATE sales_toolkit_followup SET date = '2099-01-01' WHERE id = %s", typo.ids)
        self.env.cr.execute(
            """UPDATE crm_lead SET last_followup_date = '2099-01-01', next_followup_date = '2099-01-31',
                                   followup_state = 'on_track' WHERE id = %s""",
            lead.ids,
        )
        self.env.invalidate_all()
        with self.no_commit():
            self.env["crm.lead"]._cron_refresh_followup_state()
        cadence = self.company.toolkit_cadence_low_days
        self.assertEqual(lead.intent_tier, "low")
        self.assertEqual(lead.last_followup_date, last_contact)
        self.assertEqual(lead.next_followup_date, last_contact + timedelta(days=cadence))
        self.assertEqual(lead.followup_state, "overdue")
        self.assertEqual(lead.followup_count, 2)
