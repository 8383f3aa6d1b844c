import importlib.util
from datetime import timedelta
from pathlib import Path

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged, users

from .common import SalesToolkitCommon, render_html


@tagged("post_install", "-at_install")
class TestFollowup(SalesToolkitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.company._toolkit_today()
        cls.stage_new, cls.stage_qualified = cls.env["crm.stage"].search([], order="sequence, id", limit=2)

    def _log(self, lead, **vals):
        values = {"lead_id": lead.id, "summary": "Called the customer", "date": self.today}
        values.update(vals)
        return self.env["sales_toolkit.followup"].create(values)

    def _lead_with_intent(self, tier, **vals):
        days = {"high": 10, "medium": 60, "low": 200}[tier]
        return self._create_lead(
            stage_id=self.stage_new.id, expected_purchase_date=self.today + timedelta(days=days), **vals
        )

    def test_cadence_by_intent_tier(self):
        for tier, cadence in (("high", 7), ("medium", 14), ("low", 30)):
            lead = self._lead_with_intent(tier)
            self.assertEqual(lead.intent_tier, tier)
            self._log(lead, date=self.today - timedelta(days=2))
            self.assertEqual(lead.followup_count, 1)
            self.assertEqual(lead.last_followup_date, self.today - timedelta(days=2))
            self.assertEqual(
                lead.next_followup_date, self.today - timedelta(days=2) + timedelta(days=cadence)
            )
            self.assertEqual(lead.followup_state, "on_track")
        self.company.toolkit_cadence_high_days = 3
        lead = self._lead_with_intent("high")
        self._log(lead)
        self.assertEqual(lead.next_followup_date, self.today + timedelta(days=3))

    def test_without_followup_the_cadence_starts_at_creation(self):
        lead = self._lead_with_intent("high")
        created = self.company._toolkit_date_of(lead.create_date)
        self.assertEqual(lead.next_followup_date, created + timedelta(days=7))

    def test_due_and_overdue_with_the_clock(self):
        lead = self._lead_with_intent("high")
        self._log(lead)
        Lead = self.env["crm.lead"]
        with self.no_commit(), freeze_time(self.today + timedelta(days=7)):
            Lead._cron_refresh_followup_state()
            self.assertEqual(lead.followup_state, "due")
            self.assertIn(lead, Lead.search([("followup_state", "=", "due")]))
        with self.no_commit(), freeze_time(self.today + timedelta(days=8)):
            Lead._cron_refresh_followup_state()
            self.assertEqual(lead.followup_state, "overdue")
            self._log(lead, date=self.today + timedelta(days=8))
            self.assertEqual(lead.followup_state, "on_track", "a new follow-up resets the clock")
        lead.action_set_lost()
        self.assertFalse(lead.followup_state, "lost leads are not followed up")

    def test_state_cron_query_count_does_not_grow(self):

        def queries_for(count):
            leads = self.env["crm.lead"]
            for _i in range(count):
                leads |= self._lead_with_intent("high")
            self.env.flush_all()
            with self.no_commit(), freeze_time(self.today + timedelta(days=30)):
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                self.env["crm.lead"]._cron_refresh_followup_state(batch_size=1000)
                spent = self.env.cr.sql_log_count - before
            self.assertTrue(all(state == "overdue" for state in leads.mapped("followup_state")))
            return spent

        queries_for(1)  # warm the caches
        self.assertEqual(queries_for(1), queries_for(30))

    def test_next_action_schedules_moves_and_closes_an_activity(self):
        lead = self._lead_with_intent("high")
        deadline = self.today + timedelta(days=4)
        followup = self._log(
            lead,
            next_action="Send the quote and a competitor comparison",
            next_action_user_id=self.salesman.id,
            next_action_deadline=deadline,
        )
        activity = followup.activity_id
        self.assertEqual(activity, lead.activity_ids)
        self.assertEqual(activity.summary, "Send the quote and a competitor comparison")
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(activity.date_deadline, deadline)
        followup.write(
            {"next_action_deadline": deadline + timedelta(days=2), "next_action_user_id": self.leader.id}
        )
        self.assertEqual(lead.activity_ids, activity, "the same activity is moved, not a second one")
        self.assertEqual(
            (activity.date_deadline, activity.user_id), (deadline + timedelta(days=2), self.leader)
        )
        followup.action_mark_done()
        self.assertFalse(lead.activity_ids, "a done next action closes its activity")
        done = self.env["mail.message"].search(
            [("model", "=", "crm.lead"), ("res_id", "=", lead.id), ("mail_activity_type_id", "!=", False)]
        )
        self.assertTrue(done, "the closed activity is logged on the lead")

    def test_failed_result_cancels_the_activity(self):
        lead = self._lead_with_intent("high")
        followup = self._log(
            lead, next_action="Visit", next_action_user_id=self.salesman.id, next_action_deadline=self.today
        )
        followup.action_mark_failed()
        self.assertFalse(lead.activity_ids)

    def test_next_action_needs_owner_and_deadline(self):
        lead = self._lead_with_intent("high")
        with self.assertRefused(ValidationError, "needs an owner and a deadline"):
            self._log(lead, next_action="Call back")
        with self.assertRefused(ValidationError, "needs an owner and a deadline"):
            self._log(lead, next_action="Call back", next_action_user_id=self.salesman.id)
        self.assertFalse(lead.followup_ids)

    def test_stale_after_three_followups_without_progress(self):
        lead = self._lead_with_intent("medium")
        for days in (10, 6, 2):
            self.assertFalse(lead.needs_review)
            self._log(lead, date=self.today - timedelta(days=days))
        self.assertTrue(lead.needs_review)
        self.assertIn(lead, self.env["crm.lead"].search([("needs_review", "=", True)]))
        lead.stage_id = self.stage_qualified
        self.assertFalse(lead.needs_review, "a stage advance is progress")

    def test_probability_rise_is_progress(self):
        lead = self._lead_with_intent("medium")
        self._log(lead)
        lead.probability = lead.probability + 10
        self._log(lead)
        self._log(lead)
        self.assertFalse(lead.needs_review)
        self.company.toolkit_stale_followups = 2
        self.assertTrue(lead.needs_review, "the last two follow-ups brought nothing")

    def _stale_lead(self, **vals):
        lead = self._lead_with_intent("medium", **vals)
        for _i in range(3):
            self._log(lead)
        self.assertTrue(lead.needs_review)
        return lead

    def _review(self, lead, **vals):
        action = lead.with_user(self.leader).action_toolkit_review()
        wizard = Form(self.env[action["res_model"]].with_user(self.leader).with_context(**action["context"]))
        for name, value in vals.items():
            setattr(wizard, name, value)
        return wizard.save()

    def test_review_continue_with_new_strategy(self):
        lead = self._stale_lead()
        review = self._review(
            lead,
            decision="continue",
            analysis="The need is unclear",
            new_strategy="Meet the plant manager, who owns the delivery problem",
        )
        with self.assertRefused(UserError, "changed strategy"):
            review.copy({"new_strategy": False}).action_apply()
        review.action_apply()
        self.assertFalse(lead.needs_review)
        self.assertTrue(lead.toolkit_reviewed_date)
        self.assertIn("plant manager", lead.message_ids[0].body)
        self._log(lead)
        self._log(lead)
        self.assertFalse(lead.needs_review, "counting starts again after the review")
        self._log(lead)
        self.assertTrue(lead.needs_review)

    def test_review_nurture_and_lost(self):
        lead = self._stale_lead()
        self._review(lead, decision="nurture", analysis="No budget this year").action_apply()
        self.assertEqual(lead.intent_tier, "low")
        self.assertTrue(lead.intent_tier_manual)
        other = self._stale_lead()
        reason = self.env["crm.lost.reason"].create({"name": "Chose a competitor"})
        self._review(
            other, decision="lost", analysis="Competitor 10% cheaper", lost_reason_id=reason
        ).action_apply()
        self.assertFalse(other.active)
        self.assertEqual(other.lost_reason_id, reason)
        self.assertFalse(other.needs_review)

    def test_salesman_cannot_review(self):
        lead = self._stale_lead()
        with self.assertRaises(AccessError):
            self.env["sales_toolkit.lead.review"].with_user(self.salesman).create(
                {"lead_id": lead.id, "decision": "continue", "analysis": "x", "new_strategy": "y"}
            )

    def test_followup_security(self):
        own = self._create_lead(user_id=self.salesman.id)
        other = self._create_lead(user_id=self.salesman_2.id)
        self._log(own)
        other_followup = self._log(other)
        Followup = self.env["sales_toolkit.followup"].with_user(self.salesman)
        self.assertEqual(Followup.search([("lead_id", "in", (own | other).ids)]).lead_id, own)
        with self.assertRaises(AccessError):
            other_followup.with_user(self.salesman).read(["summary"])
        with self.assertRaises(AccessError):
            Followup.create({"lead_id": other.id, "summary": "Sneaky"})
        self.assertEqual(
            len(
                self.env["sales_toolkit.followup"]
                .with_user(self.leader)
                .search([("lead_id", "in", (own | other).ids)])
            ),
            2,
        )
        self.assertFalse(
            self.env["sales_toolkit.followup"]
            .with_user(self.salesman_b)
            .search([("lead_id", "in", (own | other).ids)])
        )
        # who logged it is history: not in a colleague's name, not rewritten afterwards
        with self.assertRefused(AccessError, "own name only"):
            Followup.create({"lead_id": own.id, "summary": "Ghost", "user_id": self.salesman_2.id})
        mine = Followup.create({"lead_id": own.id, "summary": "Called"})
        self.assertEqual(mine.user_id, self.salesman)
        with self.assertRefused(AccessError, "own name only"):
            mine.write({"user_id": self.salesman_2.id})
        self.assertEqual(mine.user_id, self.salesman)
        mine.with_user(self.leader).user_id = self.salesman_2
        self.assertEqual(mine.user_id, self.salesman_2)

    @users("st_salesman")
    def test_rep_logs_from_lead_and_partner(self):
        partner = self.env["res.partner"].create({"name": "Tech Co. (follow-up test)"})
        lead = self._create_lead(partner_id=partner.id, user_id=self.env.user.id).with_user(self.env.user)
        action = partner.action_toolkit_log_followup()
        self.assertEqual(action["context"]["default_lead_id"], lead.id)
        with Form(self.env["sales_toolkit.followup"].with_context(**action["context"])) as form:
            form.summary = "Presented the 15-25% cost cut"
            form.next_action = "Send the quote"
            form.next_action_deadline = self.today + timedelta(days=4)
        followup = form.record
        self.assertEqual(followup.lead_id, lead)
        self.assertEqual(followup.next_action_user_id, self.env.user)
        self.assertEqual(lead.activity_ids.summary, "Send the quote")
        self.assertEqual(partner.toolkit_followup_count, 1)
        lonely = self.env["res.partner"].create({"name": "No lead yet"})
        with self.assertRaises(UserError):
            lonely.action_toolkit_log_followup()

    def test_weekly_digest_to_team_leader(self):
        team = self.env["crm.team"].create({"name": "East China", "user_id": self.leader.id})
        overdue = self._create_lead(name="Overdue lead", team_id=team.id, stage_id=self.stage_new.id)
        self._log(overdue, date=self.today - timedelta(days=40))
        self.assertEqual(overdue.followup_state, "overdue")
        # in the team from the start: moving a lead to a team may move its stage and probability
        stale = self._stale_lead(team_id=team.id)
        self._create_lead(name="Quiet lead", team_id=team.id)
        with self.no_commit():
            self.env["crm.lead"]._cron_send_followup_digest()
        message = self.env["mail.message"].search(
            [("model", "=", "crm.team"), ("res_id", "=", team.id)], order="id desc", limit=1
        )
        self.assertIn("East China", message.subject)
        self.assertIn(self.leader.partner_id, message.partner_ids)
        self.assertIn("Overdue lead", message.body)
        self.assertIn(stale.name, message.body)
        self.assertNotIn("Quiet lead", message.body)
        self.assertTrue(team.toolkit_digest_date)
        # a second run in the same week (a run killed and resumed) sends nothing again
        messages = self.env["mail.message"].search_count(
            [("model", "=", "crm.team"), ("res_id", "=", team.id)]
        )
        with self.no_commit():
            self.env["crm.lead"]._cron_send_followup_digest()
        self.assertEqual(
            self.env["mail.message"].search_count([("model", "=", "crm.team"), ("res_id", "=", team.id)]),
            messages,
        )

    def test_followup_record_report(self):
        lead = self._lead_with_intent("high")
        self._log(
            lead, summary="Sent the quote", customer_feedback="We will discuss internally", channel="email"
        )
        self._log(lead, summary="Samples agreed", date=self.today - timedelta(days=3))
        html = render_html(self.env, "sales_toolkit.report_followup_record", lead)
        self.assertEqual(html.count('class="page"'), 1)
        self.assertIn("Follow-up Record", html)
        self.assertIn("“We will discuss internally”", html)
        self.assertLess(html.index("Samples agreed"), html.index("Sent the quote"), "oldest first")

    def test_upgrade_takes_the_delete_right_off_the_old_rule(self):
        rule = self.env.ref("sales_toolkit.sales_toolkit_followup_rule_personal")
        rule.perm_unlink = True  # as installed by 19.0.1.0.0
        path = Path(__file__).parents[1] / "migrations" / "19.0.1.1.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("sales_toolkit_migrate_1_1", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.1.0.0")
        self.assertFalse(rule.perm_unlink)
        own = self._create_lead(user_id=self.salesman.id)
        by_leader = self._log(own).with_user(self.leader)
        by_leader.user_id = self.leader
        with self.assertRaises(AccessError):
            by_leader.with_user(self.salesman).unlink()
