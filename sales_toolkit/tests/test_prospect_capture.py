import re
from datetime import date, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2.errors import CheckViolation

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged, users
from odoo.tools import mute_logger

from .common import SalesToolkitCommon, create_team

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


# ID and card numbers written so that the guard used to miss them: separators between the
# digit groups, full-width digits, Latin letters around, HTML tags inside
EVASIVE_IDS = (
    "ID 110105 19491231 002X",
    "身份证１１０１０５１９４９１２３１００２Ｘ",
    "ID11010519491231002Xok",
    "ID 110105-19491231-002X",
    "ID\n110105\n19491231\n002X",
    "ID 1101.0519.4912.3100.2X",
)
EVASIVE_CARDS = (
    "card 6222.0212.3456.7890.128",
    "卡号６２２２　０２１２　３４５６　７８９０　１２８",
    "card 6222/0212/3456/7890/128",
    "card\n4111\n1111\n1111\n1111",
    "Amex 3782 822463 10005",
    "card4111111111111111exp",
)
HTML_ID = "<p>ID 110105<b>19491231</b>002X</p>"
HTML_CARD = "<p>4111<br/>1111<br/>1111<br/>1111</p>"
ORDINARY_TEXT = "Call +86 138 0013 8000 or 010-6552 9988 on 2026-12-02 about ¥1,234,567.89 (order S00042)"


@tagged("post_install", "-at_install")
class TestPiplGuard(SalesToolkitCommon):
    """Every free-text field where the sales staff write about a person refuses ID and card numbers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = cls.company._toolkit_today()
        cls.team = create_team(cls.env, "PIPL Team", cls.leader, cls.salesman, company_id=cls.company.id)
        cls.customer = cls.env["res.partner"].create({"name": "PIPL Customer", "is_company": True})
        as_rep = cls.env(user=cls.salesman)
        cls.lead = cls._create_lead()
        cls.need = as_rep["sales_toolkit.need"].create({"lead_id": cls.lead.id, "name": "Faster delivery"})
        cls.followup = as_rep["sales_toolkit.followup"].create(
            {
                "lead_id": cls.lead.id,
                "summary": "Called the customer",
                "date": today,
                "next_action": "Send the quote",
                "next_action_user_id": cls.salesman.id,
                "next_action_deadline": today + timedelta(days=7),
            }
        )
        plan = as_rep["sales_toolkit.care.plan"].create({"partner_id": cls.customer.id})
        cls.care_action = as_rep["sales_toolkit.care.action"].create({"plan_id": plan.id, "name": "Call"})
        cls.care_log = as_rep["sales_toolkit.care.log"].create({"plan_id": plan.id, "description": "Called"})
        cls.meeting = cls.env["sales_toolkit.review.meeting"].create(
            {
                "name": "2026 Q4 review",
                "team_id": cls.team.id,
                "user_id": cls.leader.id,
                "date_start": datetime(2026, 12, 20, 6, 0),
                "date_end": datetime(2026, 12, 20, 8, 0),
                "attendee_ids": [Command.set((cls.leader | cls.salesman).ids)],
            }
        )
        cls.problem = as_rep["sales_toolkit.review.problem"].create(
            {"meeting_id": cls.meeting.id, "description": "Lost 3 customers"}
        )
        cls.highlight, cls.lesson, cls.resolution = (
            cls.env[model].create(dict({"meeting_id": cls.meeting.id}, **vals))
            for model, vals in (
                ("sales_toolkit.review.highlight", {"user_id": cls.salesman.id, "description": "Referrals"}),
                ("sales_toolkit.review.lesson", {"description": "Visit early"}),
                ("sales_toolkit.review.resolution", {"name": "Referral bonus"}),
            )
        )
        cls.task = as_rep["sales_toolkit.task"].create({"name": "Visit 5 customers", "date_deadline": today})
        training = cls.env["sales_toolkit.training"].create(
            {"name": "Product training", "date_start": today, "date_end": today, "user_id": cls.manager.id}
        )
        cls.participant = cls.env["sales_toolkit.training.participant"].create(
            {"training_id": training.id, "user_id": cls.salesman.id}
        )
        sheet = cls.env["sales_toolkit.analysis"].create({"date_from": date(2026, 1, 1)})
        line = (
            cls.env["sales_toolkit.analysis.line"]
            .with_context(toolkit_analysis_generate=True)
            .create({"analysis_id": sheet.id, "dimension": "overall", "kpi": "revenue"})
        )
        cls.action = cls.env(user=cls.manager)["sales_toolkit.analysis.action"].create(
            {"line_id": line.id, "name": "Promotion", "user_id": cls.salesman.id, "date_deadline": today}
        )

    def _guarded(self):
        """(record, field, user who writes it): the rep wherever the rep may write the field."""
        rep, leader, manager = self.salesman, self.leader, self.manager
        return [
            *((self.lead, name, rep) for name in ("name", "contact_name", "partner_name", "referred")),
            *((self.lead, name, rep) for name in ("description", "pain_point", "consent_purpose")),
            (self.need, "name", rep),
            (self.need, "note", rep),
            *((self.followup, name, rep) for name in ("summary", "customer_feedback", "objection_handling")),
            (self.followup, "next_action", rep),
            (self.care_action, "name", rep),
            (self.care_log, "description", rep),
            (self.care_log, "customer_feedback", rep),
            (self.problem, "description", rep),
            (self.problem, "root_cause", rep),
            (self.meeting, "results_review", leader),
            (self.highlight, "description", leader),
            (self.lesson, "description", leader),
            (self.resolution, "name", leader),
            (self.task, "name", leader),  # the rep's own task: the rep types its remarks
            (self.task, "remarks", rep),
            (self.participant, "engagement", manager),
            (self.participant, "reaction_comment", rep),
            (self.participant, "behaviour_note", manager),
            (self.action, "name", manager),
            (self.customer, "tier_override_reason", manager),
        ]

    def test_guarded_fields(self):
        guarded = {}
        for record, field_name, _user in self._guarded():
            guarded.setdefault(record._name, []).append(field_name)
        for model, field_names in guarded.items():
            self.assertEqual(self.env[model]._toolkit_pipl_fields(), field_names, model)
            for field_name in field_names:
                self.assertIn(self.env[model]._fields[field_name].type, ("char", "text", "html"))

    def test_every_guarded_field_refuses_evasive_numbers(self):
        for index, (record, field_name, user) in enumerate(self._guarded()):
            record = record.with_user(user)
            label = re.escape(record._fields[field_name]._description_string(record.env))
            html = record._fields[field_name].type == "html"
            id_text = HTML_ID if html else EVASIVE_IDS[index % len(EVASIVE_IDS)]
            card_text = HTML_CARD if html else EVASIVE_CARDS[index % len(EVASIVE_CARDS)]
            with self.subTest(model=record._name, field=field_name):
                with self.assertRefused(ValidationError, rf"^{label} contains .* resident ID number"):
                    record.write({field_name: id_text})
                with self.assertRefused(ValidationError, rf"^{label} contains .* bank card number"):
                    record.write({field_name: card_text})
                record.write({field_name: ORDINARY_TEXT})
                self.assertIn("S00042", record[field_name])

    def test_guard_on_create(self):
        as_rep = self.env(user=self.salesman)
        with self.assertRefused(ValidationError, "^Customer Feedback contains .* bank card"):
            as_rep["sales_toolkit.care.log"].create(
                {"plan_id": self.care_log.plan_id.id, "description": "Visit", "customer_feedback": HTML_CARD}
            )
        with self.assertRefused(ValidationError, "^Name contains .* resident ID"):
            as_rep["sales_toolkit.task"].create({"name": EVASIVE_IDS[2], "date_deadline": date(2099, 1, 1)})
        with self.assertRefused(ValidationError, "^Description contains .* resident ID"):
            as_rep["sales_toolkit.review.problem"].create(
                {"meeting_id": self.meeting.id, "description": EVASIVE_IDS[1]}
            )

    def test_message_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([("name", "=", "sales_toolkit")])._update_translations(["zh_CN"])
        care_log = self.care_log.with_user(self.salesman).with_context(lang="zh_CN")
        with self.assertRefused(ValidationError, "^客户反馈中包含疑似银行卡号。《个人信息保护法》"):
            care_log.customer_feedback = EVASIVE_CARDS[1]
        with self.assertRefused(ValidationError, "^执行内容中包含疑似居民身份证号码。"):
            care_log.description = EVASIVE_IDS[1]

    def test_old_data_does_not_block_other_edits(self):
        """Text saved before the guard (or by SQL) is checked when guarded text of its record
        is written again, not when the rep edits something else."""
        for record, field_name, _user in self._guarded():
            field = record._fields[field_name]
            record.sudo()._write({field_name: field.convert_to_column_insert(EVASIVE_IDS[0], record)})
        self.env.invalidate_all()
        for record, field_name, _user in self._guarded():
            self.assertIn("19491231", record[field_name])
        rep, leader, manager = self.salesman, self.leader, self.manager
        # (an improvement action copies each of its fields to its task: no edit leaves it alone)
        for record, field_name, value, user in (
            (self.lead, "expected_revenue", 5000, rep),
            (self.need, "score", 4, rep),
            (self.followup, "result", "done", rep),
            (self.care_action, "sequence", 5, rep),
            (self.care_log, "satisfaction_score", 90, rep),
            (self.problem, "sequence", 5, rep),
            (self.meeting, "place", "Room 3", leader),
            (self.highlight, "sequence", 5, leader),
            (self.lesson, "sequence", 5, leader),
            (self.resolution, "sequence", 5, leader),
            (self.task, "achieved_qty", 2, rep),
            (self.participant, "satisfaction", 4, rep),
            (self.customer, "phone", "+86 138 0013 8000", manager),
        ):
            with self.subTest(model=record._name):
                record.with_user(user).write({field_name: value})
                self.assertEqual(record[field_name], value)
        # an edit of guarded text names the old text the rep has to clean up
        with self.assertRefused(ValidationError, "^Opportunity contains .* resident ID"):
            self.lead.with_user(rep).pain_point = "Late deliveries"
