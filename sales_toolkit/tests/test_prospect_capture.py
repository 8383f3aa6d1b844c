from datetime import date, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2.errors import CheckViolation

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged, users
from odoo.tools import mute_logger

from .common import SalesToolkitCommon

VALID_RESIDENT_ID = "11010519491231002X"  # the GB 11643 example, check character X
VALID_BANK_CARD = "6222 0212 3456 7890 128"  # 19 digits passing the Luhn check


@tagged("post_install", "-at_install")
class TestProspectCapture(SalesToolkitCommon):
    def _today(self):
        return self.company._toolkit_today()

    def test_intent_tier_from_expected_purchase_date(self):
        today = self._today()
        cases = [(10, "high"), (30, "high"), (31, "medium"), (90, "medium"), (91, "low")]
        for days, tier in cases:
            lead = self._create_lead(expected_purchase_date=today + timedelta(days=days))
            self.assertEqual(lead.intent_tier, tier, f"{days} days away")
            self.assertFalse(lead.intent_tier_manual)
        self.assertEqual(self._create_lead().intent_tier, "low", "no date is long-term nurture")

    def test_intent_tier_override_survives_date_change(self):
        lead = self._create_lead(expected_purchase_date=self._today() + timedelta(days=200))
        lead.intent_tier = "high"
        self.assertTrue(lead.intent_tier_manual, "a tier other than the date's is an override")
        lead.expected_purchase_date = self._today() + timedelta(days=60)
        self.assertEqual(lead.intent_tier, "high", "the rep's override is kept")
        lead.action_toolkit_intent_automatic()
        self.assertEqual(lead.intent_tier, "medium")
        self.assertFalse(lead.intent_tier_manual)

    def test_intent_tier_override_on_create(self):
        lead = self._create_lead(intent_tier="high")
        self.assertTrue(lead.intent_tier_manual)
        same = self._create_lead(intent_tier="low")
        self.assertFalse(same.intent_tier_manual, "the tier the date gives is no override")

    @users("st_salesman")
    def test_intent_tier_in_form(self):
        with Form(self.env["crm.lead"]) as form:
            form.name = "Trade show lead"
            form.expected_purchase_date = self._today() + timedelta(days=45)
            self.assertEqual(form.intent_tier, "medium")
            form.expected_purchase_date = self._today() + timedelta(days=5)
            self.assertEqual(form.intent_tier, "high")
        lead = form.record
        self.assertEqual(lead.intent_tier, "high")
        self.assertFalse(lead.intent_tier_manual)
        with Form(lead) as form:
            form.intent_tier = "low"
        self.assertEqual(lead.intent_tier, "low")
        self.assertTrue(lead.intent_tier_manual)

    def test_intent_tier_uses_company_timezone(self):
        self.company.partner_id.tz = "Asia/Shanghai"
        # 16:30 UTC on 31 March is 00:30 on 1 April in Beijing
        with freeze_time(datetime(2026, 3, 31, 16, 30)):
            self.assertEqual(self.company._toolkit_today(), date(2026, 4, 1))
            lead = self._create_lead(expected_purchase_date=date(2026, 5, 1))
            self.assertEqual(lead.intent_tier, "high", "30 days away in Beijing, 31 in UTC")
        self.company.partner_id.tz = False
        with freeze_time(datetime(2026, 3, 31, 16, 30)):
            self.assertEqual(self.company._toolkit_today(), date(2026, 3, 31))

    def test_cron_raises_tiers_as_dates_approach(self):
        today = self._today()
        lead = self._create_lead(expected_purchase_date=today + timedelta(days=60))
        manual = self._create_lead(expected_purchase_date=today + timedelta(days=60), intent_tier="low")
        far = self._create_lead(expected_purchase_date=today + timedelta(days=400))
        self.assertEqual((lead.intent_tier, manual.intent_tier, far.intent_tier), ("medium", "low", "low"))
        progress = []
        # outside a cron run, _commit_progress commits: count the batches instead
        with (
            freeze_time(today + timedelta(days=40)),
            patch.object(
                type(self.env["ir.cron"]),
                "_commit_progress",
                lambda cron, processed=0, **kw: progress.append(processed) or 3600.0,
            ),
        ):
            self.env["crm.lead"]._cron_refresh_intent_tier(batch_size=1)
        self.assertEqual(lead.intent_tier, "high")
        # calls with 0 only announce how many leads each company has left
        self.assertEqual(
            [count for count in progress if count], [1], "only the lead whose tier changes is processed"
        )
        self.assertEqual(manual.intent_tier, "low", "an override is never touched by the cron")
        self.assertEqual(far.intent_tier, "low")

    def test_budget_range_refused_and_nothing_saved(self):
        with self.assertRefused(
            ValidationError, r"budget starts at \S+\s?200,000\.00 but ends at \S+\s?150,000\.00"
        ):
            self._create_lead(name="Bad budget", budget_min=200000, budget_max=150000)
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "Bad budget")]))
        lead = self._create_lead(budget_min=100, budget_max=200)
        with self.assertRaises(ValidationError):
            lead.write({"budget_min": 300})
        self.env.invalidate_all()
        self.assertEqual(lead.budget_min, 100)

    def test_negative_figures_refused(self):
        for field_name in ("employee_count", "annual_revenue", "budget_min", "budget_max"):
            with self.subTest(field=field_name), self.assertRefused(ValidationError, "cannot be negative"):
                self._create_lead(**{field_name: -1})

    def test_sql_constraints_back_the_python_checks(self):
        lead = self._create_lead()
        with self.assertRaises(CheckViolation), mute_logger("odoo.sql_db"):
            self.env.cr.execute("UPDATE crm_lead SET employee_count = -5 WHERE id = %s", [lead.id])

    def test_sensitive_numbers_refused(self):
        with self.assertRefused(ValidationError, "resident ID"):
            self._create_lead(pain_point=f"Boss ID {VALID_RESIDENT_ID}")
        with self.assertRefused(ValidationError, "bank card"):
            self._create_lead(description=f"<p>Pays with card {VALID_BANK_CARD}</p>")
        lead = self._create_lead(pain_point="Late deliveries")
        with self.assertRefused(ValidationError, "bank card"):
            lead.pain_point = "card 4111111111111111"
        with self.assertRefused(ValidationError, "resident ID"):
            self.env["sales_toolkit.need"].create({"lead_id": lead.id, "name": VALID_RESIDENT_ID})
        with self.assertRefused(ValidationError, "bank card"):
            self.env["sales_toolkit.need"].create(
                {"lead_id": lead.id, "name": "Payment", "note": "card 4111-1111-1111-1111"}
            )
        self.assertFalse(lead.need_ids)

    def test_ordinary_numbers_accepted(self):
        lead = self._create_lead(
            pain_point="Call +86 138 0013 8000 or 13800138000; order 150000-200000 units",
            description="<p>Invoice 20240301 of 1234567890 CNY, ref 11010519491231002</p>",
        )
        self.assertTrue(lead.exists())

    def test_consent_obtained_needs_purpose(self):
        with self.assertRefused(ValidationError, "purpose"):
            self._create_lead(consent_state="obtained")
        lead = self._create_lead(consent_state="obtained", consent_purpose="Product recommendations")
        self.assertEqual(lead.consent_state, "obtained")
        self.assertEqual(self._create_lead().consent_state, "pending")

    def test_verification_by_reviewer(self):
        lead = self._create_lead()
        with self.assertRaises(UserError):
            lead.with_user(self.salesman).action_toolkit_verify()
        self.assertFalse(lead.verified_by_id)
        lead.with_user(self.leader).action_toolkit_verify()
        self.assertEqual(lead.verified_by_id, self.leader)
        self.assertTrue(lead.verified_date)
        self.assertIn("verified by phone", lead.message_ids[0].body)
        unverified = self.env["crm.lead"].search([("verified_by_id", "=", False), ("id", "=", lead.id)])
        self.assertFalse(unverified)
        lead.with_user(self.leader).action_toolkit_reset_verification()
        self.assertFalse(lead.verified_by_id)
