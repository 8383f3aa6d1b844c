import json
from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged, users, warmup

from .common import SalesToolkitCommon, create_team


class CockpitCommon(SalesToolkitCommon):
    """Work of two reps in company A, and some in company B that A never counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.company._toolkit_today()
        cls.team = create_team(
            cls.env, "Cockpit Team", cls.leader, cls.salesman | cls.salesman_2, company_id=cls.company.id
        )
        cls.customer = cls.env["res.partner"].create({"name": "Cockpit Customer", "is_company": True})

    # ------------------------------------------------------------------ helpers

    @classmethod
    def _lead_with_followups(cls, days_ago, count=1, **vals):
        lead = cls._create_lead(**vals)
        cls.env["sales_toolkit.followup"].create(
            [
                {"lead_id": lead.id, "summary": "Called", "date": cls.today - timedelta(days=days_ago)}
                for _i in range(count)
            ]
        )
        return lead

    @classmethod
    def _overdue_lead(cls, **vals):
        return cls._lead_with_followups(cls.company.toolkit_cadence_low_days + 5, **vals)

    @classmethod
    def _target(cls, **vals):
        values = {
            "name": "Cockpit target",
            "period_type": "custom",
            "date_from": cls.today - timedelta(days=10),
            "date_to": cls.today + timedelta(days=20),
            "kpi": "revenue",
            "target_value": 1_000_000,
        }
        return cls._create_target(**dict(values, **vals))

    @classmethod
    def _task(cls, days_late, **vals):
        deadline = cls.today - timedelta(days=days_late)
        values = {
            "name": "Cockpit task",
            "date_start": deadline - timedelta(days=10),
            "date_deadline": deadline,
        }
        return cls._create_task(**dict(values, **vals))

    @classmethod
    def _care_plan(cls, next_date, **vals):
        values = {
            "partner_id": cls.customer.id,
            "user_id": cls.salesman.id,
            "date_start": cls.today - timedelta(days=100),
            "action_ids": [Command.create({"name": "Call", "action_type": "call", "next_date": next_date})],
            **vals,
        }
        return cls.env["sales_toolkit.care.plan"].create(values)

    @classmethod
    def _create_work(cls):
        cls._create_followups()
        cls._create_targets()
        cls._create_care_plans()
        cls._create_tasks()
        cls._create_meeting_items()
        cls._create_behaviour_ratings()
        cls._create_company_b_work()

    @classmethod
    def _create_followups(cls):
        """Follow-ups: overdue, due today, stale (three calls without progress)."""
        cls.lead_overdue = cls._overdue_lead(name="Overdue (Zhang)")
        cls.lead_overdue_2 = cls._overdue_lead(name="Overdue (Li)", user_id=cls.salesman_2.id)
        cls.lead_due = cls._lead_with_followups(cls.company.toolkit_cadence_low_days, name="Due (Zhang)")
        cls.lead_stale = cls._lead_with_followups(0, count=3, name="Stale (Zhang)")
        cls._lead_with_followups(0, name="On track (Zhang)")

    @classmethod
    def _create_targets(cls):
        """Targets: a company target behind, a rep's target on track; draft and past ones never count."""
        today = cls.today
        cls.target_company = cls._target(name="Company revenue", target_value=10**12)
        cls._create_lead(name="Won (Zhang)").action_set_won()
        cls.target_rep = cls._target(
            name="Zhang wins",
            parent_id=cls.target_company.id,
            user_id=cls.salesman.id,
            kpi="won_leads",
            target_value=1,
        )
        cls.env["sales_toolkit.target"].create(
            {
                "name": "Draft",
                "period_type": "custom",
                "date_from": today - timedelta(days=10),
                "date_to": today + timedelta(days=20),
                "target_value": 10,
                "owner_id": cls.salesman.id,
            }
        )
        cls._target(
            name="Last year",
            date_from=today - timedelta(days=400),
            date_to=today - timedelta(days=370),
            owner_id=cls.salesman.id,
        )

    @classmethod
    def _create_care_plans(cls):
        """Care: an action not scheduled yet, an activity due, a plan with nothing due."""
        today = cls.today
        cls.plan_due = cls._care_plan(today - timedelta(days=1))
        cls.plan_activity = cls._care_plan(today + timedelta(days=10), user_id=cls.salesman_2.id)
        cls.plan_activity.activity_schedule(
            "mail.mail_activity_data_todo", date_deadline=today, user_id=cls.salesman_2.id, summary="Call"
        )
        cls._care_plan(today + timedelta(days=5))

    @classmethod
    def _create_tasks(cls):
        """Tasks: late, due today, done late, on time."""
        today = cls.today
        cls.task_late = cls._task(3, name="Late (Zhang)")
        cls.task_today = cls._task(0, name="Today (Li)", user_id=cls.salesman_2.id)
        cls._task(3, name="Done late", state="done", date_done=today)
        cls._task(-5, name="On time")

    @classmethod
    def _create_meeting_items(cls):
        """Meeting action items: open, done, and one of a cancelled meeting."""
        today = cls.today
        start = datetime.combine(today - timedelta(days=7), datetime.min.time())
        meeting = cls._create_meeting(cls.team, start, name="Weekly review")
        cancelled = cls._create_meeting(cls.team, start, name="Cancelled review", state="cancelled")
        cls.item_open = cls._task(-5, name="Item open (Zhang)", meeting_id=meeting.id)
        cls._task(-5, name="Item done", meeting_id=meeting.id, state="done", date_done=today)
        cls._task(-5, name="Item of a cancelled meeting", meeting_id=cancelled.id)

    @classmethod
    def _create_behaviour_ratings(cls):
        """Behaviour ratings: two due (one rated by Zhang), one rated already."""
        today = cls.today
        training = cls.env["sales_toolkit.training"].create(
            {
                "name": "Selling skills",
                "training_type": "selling_skills",
                "date_start": today - timedelta(days=41),
                "date_end": today - timedelta(days=40),
                "user_id": cls.manager.id,
                "company_id": cls.company.id,
            }
        )
        Participant = cls.env["sales_toolkit.training.participant"]
        cls.line_led = Participant.create({"training_id": training.id, "user_id": cls.salesman.id})
        cls.line_rated_by_rep = Participant.create(
            {"training_id": training.id, "user_id": cls.salesman_2.id, "manager_id": cls.salesman.id}
        )
        training.action_done()
        Participant.create(
            {"training_id": training.id, "user_id": cls.leader.id, "behaviour_rating": 4}
        ).behaviour_due_date = today - timedelta(days=12)

    @classmethod
    def _create_company_b_work(cls):
        """Company B: counted nowhere in company A."""
        today = cls.today
        cls.b_records = {
            "targets_current": cls._target(
                name="B target", company_id=cls.company_b.id, owner_id=cls.salesman_b.id
            ),
            "followups_overdue": cls._overdue_lead(
                name="B lead", user_id=cls.salesman_b.id, company_id=cls.company_b.id
            ),
            "care_due": cls._care_plan(
                today - timedelta(days=1), user_id=cls.salesman_b.id, company_id=cls.company_b.id
            ),
            "tasks_late": cls._task(
                3, name="B task", user_id=cls.salesman_b.id, reviewer_id=False, company_id=cls.company_b.id
            ),
        }

    @classmethod
    def _values(cls, user, companies=None):
        cockpit = cls.env["sales_toolkit.cockpit"].with_user(user)
        if companies:
            cockpit = cockpit.with_context(allowed_company_ids=companies.ids)
        data = cockpit.get_cockpit_data()
        return {tile["key"]: tile["value"] for section in data["sections"] for tile in section["tiles"]}


@tagged("post_install", "-at_install")
class TestCockpit(CockpitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the demo data (if any) is the manager's too: count what this test adds to it
        cls.manager_before = cls._values(cls.manager)
        cls._create_work()

    def test_manager_sees_all_teams(self):
        data = self.env["sales_toolkit.cockpit"].with_user(self.manager).get_cockpit_data()
        self.assertEqual(data["scope"], "team")
        self.assertEqual(
            [section["key"] for section in data["sections"]],
            ["targets", "followup", "care", "tasks", "training"],
        )
        added = {key: value - self.manager_before[key] for key, value in self._values(self.manager).items()}
        self.assertEqual(
            added,
            {
                "targets_current": 2,
                "targets_off_pace": 1,
                "followups_overdue": 2,
                "followups_due": 1,
                "review_queue": 1,
                "care_due": 2,
                "tasks_late": 1,
                "tasks_due_today": 1,
                "action_items_open": 1,
                "behaviour_to_rate": 2,
            },
        )
        rows = {row["name"]: row for row in data["sections"][0]["targets"]}
        self.assertIn("Company revenue", rows, "top-level targets of the period")
        self.assertNotIn("Zhang wins", rows, "sub-targets are in the count, not the list")
        self.assertEqual(rows["Company revenue"]["status"], "behind")
        self.assertEqual(rows["Company revenue"]["completion"], 0)
        self.assertAlmostEqual(rows["Company revenue"]["expected"], self.target_company.expected_rate, 1)
        self.assertGreater(rows["Company revenue"]["expected"], 0)

    def test_rep_sees_own_work(self):
        data = self.env["sales_toolkit.cockpit"].with_user(self.salesman).get_cockpit_data()
        self.assertEqual(data["scope"], "mine")
        self.assertEqual(
            self._values(self.salesman),
            {
                "targets_current": 1,
                "targets_off_pace": 0,
                "followups_overdue": 1,
                "followups_due": 1,
                "review_queue": 1,
                "care_due": 1,
                "tasks_late": 1,
                "tasks_due_today": 0,
                "action_items_open": 1,
                "behaviour_to_rate": 1,
            },
        )
        self.assertEqual(
            [(row["name"], row["status"]) for row in data["sections"][0]["targets"]],
            [("Zhang wins", "on_track")],
        )
        self.assertEqual(
            self._values(self.salesman_2),
            {
                "targets_current": 0,
                "targets_off_pace": 0,
                "followups_overdue": 1,
                "followups_due": 0,
                "review_queue": 0,
                "care_due": 1,
                "tasks_late": 0,
                "tasks_due_today": 1,
                "action_items_open": 0,
                "behaviour_to_rate": 0,
            },
        )

    def test_every_number_opens_exactly_what_it_counts(self):
        expected = {
            self.salesman: {
                "followups_overdue": self.lead_overdue,
                "followups_due": self.lead_due,
                "review_queue": self.lead_stale,
                "care_due": self.plan_due,
                "tasks_late": self.task_late,
                "action_items_open": self.item_open,
                "behaviour_to_rate": self.line_rated_by_rep,
                "targets_current": self.target_rep,
            },
            self.salesman_2: {
                "followups_overdue": self.lead_overdue_2,
                "care_due": self.plan_activity,
                "tasks_due_today": self.task_today,
            },
        }
        tile_keys = {
            tile["key"]
            for section in self.env["sales_toolkit.cockpit"]
            .with_user(self.manager)
            .get_cockpit_data()["sections"]
            for tile in section["tiles"]
        }
        for tiles in expected.values():
            self.assertEqual(set(tiles) - tile_keys, set(), "expected numbers of tiles that do not exist")
        for user in (self.manager, self.leader, self.salesman, self.salesman_2):
            cockpit = self.env["sales_toolkit.cockpit"].with_user(user)
            # what the web client receives and sends back
            data = json.loads(json.dumps(cockpit.get_cockpit_data()))
            for section in data["sections"]:
                for tile in section["tiles"]:
                    action = tile["action"]
                    with self.subTest(user=user.login, tile=tile["key"]):
                        self.assertEqual(action["type"], "ir.actions.act_window")
                        self.assertEqual(action["name"], tile["label"])
                        records = self.env[action["res_model"]].with_user(user).search(action["domain"])
                        self.assertEqual(len(records), tile["value"])
                        mine = expected.get(user, {}).get(tile["key"])
                        if mine:
                            self.assertEqual(records, mine.with_user(user))
                        # the views it opens exist for this user
                        views = self.env[action["res_model"]].with_user(user).get_views(action["views"])
                        self.assertEqual(set(views["views"]), {mode for _id, mode in action["views"]})

    def test_other_companies_count_only_when_allowed(self):
        self.manager.company_ids = [Command.link(self.company_b.id)]
        only_a = self._values(self.manager, self.company)
        both = self._values(self.manager, self.company | self.company_b)
        for key, value in both.items():
            with self.subTest(tile=key):
                # company B's target is behind too
                counted = key in self.b_records or key == "targets_off_pace"
                self.assertEqual(value - only_a[key], 1 if counted else 0)
        # and the opened records follow the same companies
        data = (
            self.env["sales_toolkit.cockpit"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=self.company.ids)
            .get_cockpit_data()
        )
        tiles = {tile["key"]: tile for section in data["sections"] for tile in section["tiles"]}
        for key, record in self.b_records.items():
            action = tiles[key]["action"]
            found = (
                self.env[action["res_model"]]
                .with_user(self.manager)
                .with_context(allowed_company_ids=self.company.ids)
                .search(action["domain"])
            )
            self.assertNotIn(record, found, key)

    def test_target_list_is_bounded(self):
        for index in range(12):
            self._target(name=f"Region {index}")
            self._target(name=f"Zhang {index}", owner_id=self.salesman.id, parent_id=self.target_company.id)
        for user in (self.manager, self.salesman):
            data = self.env["sales_toolkit.cockpit"].with_user(user).get_cockpit_data()
            self.assertEqual(len(data["sections"][0]["targets"]), 10, user.login)
        self.assertEqual(self._values(self.salesman)["targets_current"], 13)

    def test_done_work_leaves_the_cockpit(self):
        before = self._values(self.salesman)
        self.task_late.action_mark_done()
        self.line_rated_by_rep.with_user(self.salesman).behaviour_rating = 4
        self.plan_due.action_ids.next_date = self.today + timedelta(days=30)
        after = self._values(self.salesman)
        for key in ("tasks_late", "behaviour_to_rate", "care_due"):
            self.assertEqual(after[key], before[key] - 1, key)

    def test_menu_opens_the_cockpit(self):
        action = self.env.ref("sales_toolkit.sales_toolkit_cockpit_action")
        self.assertEqual(action.tag, "sales_toolkit.cockpit")
        root = self.env.ref("sales_toolkit.sales_toolkit_root_menu")
        self.assertEqual(root.action, action)
        first = root.child_id.sorted("sequence")[:1]
        self.assertEqual(first, self.env.ref("sales_toolkit.sales_toolkit_cockpit_menu"))
        self.assertEqual(first.action, action)
        visible = self.env["ir.ui.menu"].with_user(self.salesman)._visible_menu_ids()
        self.assertIn(first.id, visible)
        outsider = new_test_user(self.env, "st_cockpit_outsider", groups="base.group_user")
        self.assertNotIn(root.id, self.env["ir.ui.menu"].with_user(outsider)._visible_menu_ids())


@tagged("post_install", "-at_install")
class TestCockpitQueries(CockpitCommon):
    """The cockpit costs the same number of queries for a little data or a lot."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_work()

    def _add_volume(self):
        cls = type(self)
        for index in range(30):
            user = (cls.salesman, cls.salesman_2, cls.leader)[index % 3]
            cls._overdue_lead(name=f"Volume lead {index}", user_id=user.id)
            cls._lead_with_followups(0, count=3, name=f"Volume stale {index}", user_id=user.id)
            cls._task(1 + index % 5, name=f"Volume task {index}", user_id=user.id)
            cls._target(name=f"Volume target {index}", user_id=user.id)
            cls._target(name=f"Volume sub-target {index}", parent_id=cls.target_company.id, owner_id=user.id)
            cls._care_plan(cls.today - timedelta(days=index % 4), user_id=user.id)
        self.env.flush_all()
        self.env.invalidate_all()

    def _count_queries(self):
        self.env.flush_all()
        self.env.cr.flush()
        start = self.cr.sql_log_count
        data = self.env["sales_toolkit.cockpit"].get_cockpit_data()
        self.env.flush_all()
        self.env.cr.flush()
        values = {tile["key"]: tile["value"] for section in data["sections"] for tile in section["tiles"]}
        return self.cr.sql_log_count - start, values

    @users("st_manager", "st_salesman")
    @warmup
    def test_query_count_does_not_grow_with_the_data(self):
        with self.assertQueryCount(st_manager=10, st_salesman=13):
            queries_small, small = self._count_queries()
        self._add_volume()
        with self.assertQueryCount(st_manager=10, st_salesman=13):
            queries_large, large = self._count_queries()
        for key in ("followups_overdue", "review_queue", "tasks_late", "targets_current", "care_due"):
            self.assertGreaterEqual(large[key] - small[key], 10, key)
        if self.warm:
            self.assertEqual(queries_large, queries_small)


@tagged("post_install", "-at_install")
class TestCockpitTour(HttpCase, SalesToolkitCommon):
    def test_manager_opens_late_tasks_from_the_cockpit(self):
        today = self.company._toolkit_today()
        Task = self.env["sales_toolkit.task"]
        for name, deadline in (("Cockpit tour late task", -3), ("Cockpit tour future task", 5)):
            Task.create(
                {
                    "name": name,
                    "user_id": self.salesman.id,
                    "reviewer_id": self.manager.id,
                    "date_start": today - timedelta(days=10),
                    "date_deadline": today + timedelta(days=deadline),
                }
            )
        self.start_tour("/odoo", "sales_toolkit_cockpit_tour", login="st_manager")
