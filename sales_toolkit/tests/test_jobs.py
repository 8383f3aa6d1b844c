from contextlib import contextmanager
from datetime import date, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SalesToolkitCommon

JOB_LOGGER = "odoo.addons.sales_toolkit.models.sales_toolkit_job"


@tagged("post_install", "-at_install")
class TestJobIsolation(SalesToolkitCommon):
    """Each scheduled job with one poisoned record among good ones: the job ends normally
    and reports nothing left, the good records are processed, the poisoned one is logged
    (server log with its id, a note for its owner) and left as it was."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.company._toolkit_today()
        cls.team = cls.env["crm.team"].create(
            {"name": "Job Team", "user_id": cls.leader.id, "company_id": cls.company.id}
        )

    # ------------------------------------------------------------------ helpers

    @contextmanager
    def cron_progress(self, time_left=3600.0):
        """What the job reports to its cron worker, as ``ir.cron._commit_progress`` counts
        it (a processed count lowers what is left unless told), without committing. The
        worker answers ``time_left`` seconds (0: the cron must stop)."""
        history = []

        def commit_progress(cron, processed=0, *, remaining=None, deactivate=False):
            last = history[-1] if history else {"done": 0, "remaining": 0}
            if remaining is None:
                remaining = max(last["remaining"] - processed, 0)
            history.append({"done": last["done"] + processed, "remaining": remaining})
            return time_left

        with patch.object(type(self.env["ir.cron"]), "_commit_progress", commit_progress):
            yield history

    def run_job(self, model, method, poisoned, **kwargs):
        """Run the job: it returns normally, logs the poisoned record with its id and ends
        with nothing left to do."""
        with self.cron_progress() as progress, self.assertLogs(JOB_LOGGER, "WARNING") as logs:
            getattr(self.env[model], method)(**kwargs)
        self.assertTrue(
            any(
                f"{poisoned._name} record {poisoned.id} failed and was skipped" in line
                for line in logs.output
            ),
            logs.output,
        )
        self.assertEqual(progress[-1]["remaining"], 0, "the job ends done")
        self.env.invalidate_all()
        return progress

    def poison(self, model, method, bad):
        """``model.method`` raises whenever it works on ``bad``."""
        original = getattr(type(self.env[model]), method)

        def poisoned(records, *args, **kwargs):
            if records._name == bad._name and bad.id in records.ids:
                raise RuntimeError("poisoned record")
            return original(records, *args, **kwargs)

        return patch.object(type(self.env[model]), method, poisoned)

    def assertNoted(self, thread, owner):
        """One note on ``thread`` telling ``owner`` that the job skipped the record."""
        notes = thread.message_ids.filtered(lambda message: "could not process" in str(message.body))
        self.assertEqual(len(notes), 1, thread.message_ids.mapped("body"))
        self.assertIn(owner.partner_id, notes.partner_ids)

    def _lead(self, **vals):
        return self._create_lead(team_id=self.team.id, **vals)

    # ------------------------------------------------------------------ the batching helper

    def test_run_batches_commits_each_batch_and_skips_what_fails(self):
        partners = self.env["res.partner"].create([{"name": f"Customer {i}"} for i in range(5)])
        bad = partners[3]
        seen = []

        def process(batch):
            seen.append(batch.ids)
            batch.write({"ref": "done"})
            if bad in batch:
                raise RuntimeError("poisoned record")

        Job = self.env["sales_toolkit.job"]
        with self.cron_progress() as progress, self.assertLogs(JOB_LOGGER, "WARNING"):
            self.assertTrue(Job._run_batches(partners, process, "sales_toolkit.ir_cron_x", batch_size=2))
        # the failed batch runs again record by record; the others once
        self.assertEqual(
            seen, [partners[:2].ids, partners[2:4].ids, partners[2:3].ids, bad.ids, partners[4:].ids]
        )
        self.assertEqual(
            progress,
            [
                {"done": 0, "remaining": 5},
                {"done": 2, "remaining": 3},
                {"done": 3, "remaining": 1},
                {"done": 4, "remaining": 0},
            ],
        )
        self.assertEqual((partners - bad).mapped("ref"), ["done"] * 4)
        self.assertFalse(bad.ref, "rolled back")

    def test_run_batches_stops_when_the_cron_must(self):
        partners = self.env["res.partner"].create([{"name": f"Customer {i}"} for i in range(5)])
        seen = []
        with self.cron_progress(time_left=0.0) as progress:
            self.assertFalse(
                self.env["sales_toolkit.job"]._run_batches(
                    partners, lambda batch: seen.append(batch.ids), "sales_toolkit.ir_cron_x", batch_size=2
                )
            )
        self.assertEqual(seen, [partners[:2].ids], "one batch, then the cron worker's time is up")
        self.assertEqual(progress[-1], {"done": 2, "remaining": 3})

    # ------------------------------------------------------------------ leads

    def test_intent_tier_job(self):
        soon = self.today + timedelta(days=60)
        good = self._lead(name="Good", expected_purchase_date=soon)
        other = self._lead(name="Other", expected_purchase_date=soon + timedelta(days=1))
        bad = self._lead(name="Bad", expected_purchase_date=soon + timedelta(days=2))
        self.assertEqual((good | other | bad).mapped("intent_tier"), ["medium"] * 3)
        tier_for = type(self.env["crm.lead"])._toolkit_intent_tier_for

        def poisoned(leads, company, purchase_date):
            if purchase_date == bad.expected_purchase_date:
                raise RuntimeError("poisoned record")
            return tier_for(leads, company, purchase_date)

        with (
            freeze_time(self.today + timedelta(days=40)),
            patch.object(type(self.env["crm.lead"]), "_toolkit_intent_tier_for", poisoned),
        ):
            self.run_job("crm.lead", "_cron_refresh_intent_tier", bad, batch_size=2)
        self.assertEqual((good.intent_tier, other.intent_tier, bad.intent_tier), ("high", "high", "medium"))
        self.assertNoted(bad, self.salesman)

    def test_followup_state_job(self):
        leads = [self._lead(name=name) for name in ("Good", "Bad", "Other")]
        good, bad, other = leads
        # the database refuses to move one lead (as another module's constraint could)
        self.env.flush_all()
        self.env.cr.execute(
            "ALTER TABLE crm_lead ADD CONSTRAINT toolkit_test_poison "
            "CHECK (id <> %s OR followup_state IS DISTINCT FROM 'overdue') NOT VALID",
            [bad.id],
        )
        with freeze_time(self.today + timedelta(days=60)), mute_logger("odoo.sql_db"):
            self.run_job("crm.lead", "_cron_refresh_followup_state", bad, batch_size=2)
        self.assertEqual(
            (good.followup_state, bad.followup_state, other.followup_state),
            ("overdue", "on_track", "overdue"),
        )
        self.assertNoted(bad, self.salesman)

    def test_followup_digest_job(self):
        bad_team = self.env["crm.team"].create(
            {"name": "Poisoned Team", "user_id": self.manager.id, "company_id": self.company.id}
        )
        for team in (self.team, bad_team):
            lead = self._create_lead(name=f"Late for {team.name}", team_id=team.id)
            self.env["sales_toolkit.followup"].create(
                {"lead_id": lead.id, "summary": "Called", "date": self.today - timedelta(days=60)}
            )
            self.assertEqual(lead.followup_state, "overdue")
        with self.poison("crm.team", "_toolkit_send_followup_digest", bad_team):
            self.run_job("crm.lead", "_cron_send_followup_digest", bad_team)
        self.assertTrue(self.team.toolkit_digest_date)
        self.assertFalse(bad_team.toolkit_digest_date, "not served: served again next run")
        self.assertNoted(bad_team, self.manager)

    # ------------------------------------------------------------------ customers

    def test_customer_tier_job(self):
        partners = self.env["res.partner"].create(
            [{"name": name, "is_company": True, "user_id": self.salesman.id} for name in ("Good", "Bad")]
        )
        good, bad = partners
        # a tier the module no longer knows (a removed module added it), written in SQL
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE res_partner SET tier_override = jsonb_build_object(%s::text, p.tier)
                 FROM (VALUES (%s, 'key'), (%s, 'bogus')) AS p(id, tier) WHERE res_partner.id = p.id""",
            [self.company.id, good.id, bad.id],
        )
        self.env.invalidate_all()
        self.run_job("res.partner", "_cron_update_customer_tiers", bad)
        good, bad = good.with_company(self.company), bad.with_company(self.company)
        self.assertEqual((good.customer_tier, bad.customer_tier), ("key", "regular"))
        self.assertNoted(bad, self.salesman)

    def test_care_action_job(self):
        Plan = self.env["sales_toolkit.care.plan"]
        plans = Plan.create(
            [
                {"partner_id": self.env["res.partner"].create({"name": name}).id, "user_id": user.id}
                for name, user in (("Good Co.", self.salesman), ("Bad Co.", self.salesman_2))
            ]
        )
        Action = self.env["sales_toolkit.care.action"]
        due = date(2026, 3, 1)
        good = Action.create(
            [{"plan_id": plans[0].id, "name": f"Call {i}", "next_date": due} for i in range(3)]
        )
        bad = Action.create({"plan_id": plans[1].id, "name": "Every million months", "next_date": due})
        # written before intervals were bounded
        self.env.cr.execute(
            "UPDATE sales_toolkit_care_action SET interval_number = 1000000 WHERE id = %s", bad.ids
        )
        self.env.invalidate_all()
        with freeze_time(date(2026, 3, 2)):
            progress = self.run_job(
                "sales_toolkit.care.plan", "_cron_schedule_care_actions", bad, batch_size=2
            )
        self.assertEqual(good.mapped("next_date"), [date(2026, 6, 1)] * 3)
        self.assertEqual(len(plans[0].activity_ids), 3)
        self.assertEqual((bad.next_date, bad.interval_number), (due, 1000000))
        self.assertFalse(plans[1].activity_ids)
        self.assertEqual(progress[-1], {"done": 3, "remaining": 0})
        self.assertNoted(plans[1], self.salesman_2)
        # the next run (an hour later, a resumed job) notes it once a day, not once a run
        with freeze_time(datetime(2026, 3, 2, 1)):
            self.run_job("sales_toolkit.care.plan", "_cron_schedule_care_actions", bad)
        self.assertNoted(plans[1], self.salesman_2)

    def test_care_action_progress_counts_what_is_left(self):
        plan = self.env["sales_toolkit.care.plan"].create(
            {"partner_id": self.env["res.partner"].create({"name": "Busy Co."}).id}
        )
        self.env["sales_toolkit.care.action"].create(
            [{"plan_id": plan.id, "name": f"Call {i}", "next_date": date(2026, 3, 1)} for i in range(5)]
        )
        with freeze_time(date(2026, 3, 2)), self.cron_progress() as progress:
            self.env["sales_toolkit.care.plan"]._cron_schedule_care_actions(batch_size=2)
        self.assertEqual(
            [step["remaining"] for step in progress], [5, 3, 1, 0], "what is still due after each batch"
        )
        self.assertEqual(progress[-1]["done"], 5)

    # ------------------------------------------------------------------ targets

    def _target(self, name, **vals):
        values = {
            "name": name,
            "date_from": date(2026, 1, 1),
            "target_value": 1000,
            "owner_id": self.salesman.id,
        }
        return self._create_target(**dict(values, **vals))

    def test_target_figures_job(self):
        good = self._target("Good")
        bad = self._target("Dated 9999")
        other = self._target("Other")
        targets = good | bad | other
        # dated before dates were bounded: measuring it overflows the calendar
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sales_toolkit_target SET date_from = '9999-10-01', date_to = '9999-12-31' WHERE id = %s",
            bad.ids,
        )
        self.env.cr.execute(
            "UPDATE sales_toolkit_target SET figures_date = NULL WHERE id IN %s", [targets._ids]
        )
        self.env.invalidate_all()
        self.run_job("sales_toolkit.target", "_cron_refresh_figures", bad, batch_size=2)
        self.assertTrue(good.figures_date and other.figures_date)
        self.assertFalse(bad.figures_date)
        self.assertNoted(bad, self.salesman)

    def test_target_review_job(self):
        good = self._target("Good", date_from=date(2021, 4, 1))
        bad = self._target("Bad", date_from=date(2021, 4, 1), owner_id=self.salesman_2.id)
        with freeze_time("2021-06-01 01:00:00"), self.poison("sales_toolkit.target", "_review_summary", bad):
            self.run_job("sales_toolkit.target", "_cron_schedule_reviews", bad)
        self.assertEqual(good.review_requested_date, date(2021, 6, 5))
        self.assertTrue(good.activity_ids)
        self.assertFalse(bad.review_requested_date or bad.activity_ids)
        self.assertNoted(bad, self.salesman_2)

    # ------------------------------------------------------------------ tasks

    def _task(self, name, **vals):
        values = {
            "name": name,
            "user_id": self.salesman.id,
            "date_start": date(2021, 1, 1),
            "date_deadline": date(2021, 3, 31),
            "target_qty": 5,
            **vals,
        }
        return self.env["sales_toolkit.task"].create(values)

    def test_task_delay_job(self):
        good, bad, other = (self._task(name) for name in ("Good", "Bad", "Other"))
        with freeze_time("2021-04-02"), self.poison("sales_toolkit.task", "_set_state", bad):
            self.run_job("sales_toolkit.task", "_cron_mark_delayed", bad, batch_size=2)
        self.assertEqual((good.state, bad.state, other.state), ("delayed", "todo", "delayed"))
        self.assertNoted(bad, self.salesman)

    def test_task_progress_job(self):
        good, bad = (self._task(name, progress_source="followups") for name in ("Good", "Bad"))
        lead = self._lead()
        self.env["sales_toolkit.followup"].create(
            {"lead_id": lead.id, "summary": "Called", "date": date(2021, 2, 1), "user_id": self.salesman.id}
        )
        self.assertEqual((good.achieved_qty, bad.achieved_qty), (0, 0))
        with (
            freeze_time(datetime.now() + timedelta(hours=1)),
            self.poison("sales_toolkit.task", "_toolkit_refresh_progress", bad),
        ):
            self.run_job("sales_toolkit.task", "_cron_refresh_progress", bad)
        self.assertEqual((good.achieved_qty, bad.achieved_qty), (1, 0))
        self.assertNoted(bad, self.salesman)

    # ------------------------------------------------------------------ trainings

    def _training(self, name, **vals):
        values = {
            "name": name,
            "date_start": date(2020, 4, 1),
            "date_end": date(2020, 4, 2),
            "user_id": self.manager.id,
            "state": "done",
            "participant_ids": [Command.create({"user_id": self.salesman.id})],
            **vals,
        }
        return self.env["sales_toolkit.training"].create(values)

    def test_training_results_job(self):
        good, bad = self._training("Good"), self._training("Bad")
        self.env.cr.execute(
            "UPDATE sales_toolkit_training SET results_date = NULL WHERE id IN %s", [(good | bad)._ids]
        )
        self.env.invalidate_all()
        with (
            freeze_time("2020-05-20"),
            self.poison("sales_toolkit.training", "_toolkit_refresh_results", bad),
        ):
            self.run_job("sales_toolkit.training", "_cron_refresh_results", bad)
        self.assertTrue(good.results_date)
        self.assertFalse(bad.results_date)
        self.assertNoted(bad, self.manager)

    def test_training_dated_9999_does_not_stop_the_results_job(self):
        good, far = self._training("Good"), self._training("Dated 9999")
        # dated before dates were bounded: its results windows end beyond the calendar
        self.env.cr.execute(
            "UPDATE sales_toolkit_training SET date_start = '9999-09-29', date_end = '9999-09-30' "
            "WHERE id = %s",
            far.ids,
        )
        self.env.cr.execute(
            "UPDATE sales_toolkit_training SET results_date = NULL WHERE id IN %s", [(good | far)._ids]
        )
        self.env.invalidate_all()
        with freeze_time("2020-05-20"), self.cron_progress() as progress:
            self.env["sales_toolkit.training"]._cron_refresh_results()
        self.assertTrue(good.results_date and far.results_date)
        self.assertEqual(progress[-1], {"done": 2, "remaining": 0})

    # ------------------------------------------------------------------ review meetings

    def test_meeting_reminder_job(self):
        meetings = self.env["sales_toolkit.review.meeting"].create(
            [
                {
                    "name": name,
                    "team_id": self.team.id,
                    "user_id": user.id,
                    "followup_user_id": user.id,
                    "date_start": datetime(2024, 4, 5, 6, 0),
                    "date_end": datetime(2024, 4, 5, 8, 0),
                    "company_id": self.company.id,
                }
                for name, user in (("Good review", self.leader), ("Bad review", self.manager))
            ]
        )
        for meeting in meetings:
            meeting.action_hold()
            meeting.action_item_ids = [
                Command.create(
                    {
                        "name": "Cost analysis",
                        "user_id": self.salesman.id,
                        "date_start": date(2024, 4, 6),
                        "date_deadline": date(2024, 4, 10),
                    }
                )
            ]
        good, bad = meetings
        with self.poison("sales_toolkit.review.meeting", "_sync_followup_reminder", bad):
            self.run_job("sales_toolkit.review.meeting", "_cron_remind_followup_owners", bad)
        self.assertTrue(good.reminder_activity_id)
        self.assertFalse(bad.reminder_activity_id)
        self.assertNoted(bad, self.manager)
