from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged, users

from .common import SalesToolkitCommon, create_team


class TaskCommon(SalesToolkitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.team = create_team(cls.env, "Task Team", cls.leader, cls.salesman, company_id=cls.company.id)
        cls.other_team = create_team(cls.env, "Other Team", None, cls.salesman_2, company_id=cls.company.id)

    @classmethod
    def _task(cls, **vals):
        values = {
            "name": "Q1 task",
            "date_start": date(2021, 1, 1),
            "date_deadline": date(2021, 3, 31),
            "target_qty": 20,
            "unit": "leads",
        }
        return cls._create_task(**dict(values, **vals))


@tagged("post_install", "-at_install")
class TestTask(TaskCommon):
    def test_handbook_grades(self):
        # 25 of 20 excellent, 15 of 15 good, 12 of 15 pass (80 % exactly), 11 of 15 fail
        for achieved, target, grade in (
            (25, 20, "excellent"),
            (15, 15, "good"),
            (12, 15, "pass"),
            (11, 15, "fail"),
        ):
            task = self._task(target_qty=target)
            task.achieved_qty = achieved
            self.assertFalse(task.quality_grade)  # graded on completion
            task.action_mark_done()
            self.assertEqual(task.quality_grade, grade, f"{achieved}/{target}")
        self.assertAlmostEqual(task.achievement_rate, 100 * 11 / 15)

    def test_grade_boundaries_and_settings(self):
        task = self._task(target_qty=100)
        task.action_mark_done()
        for achieved, grade in (
            (120, "good"),
            (120.01, "excellent"),
            (100, "good"),
            (99.99, "pass"),
            (80, "pass"),
            (79.99, "fail"),
            (0, "fail"),
        ):
            task.achieved_qty = achieved
            self.assertEqual(task.quality_grade, grade, achieved)
        self.company.write({"toolkit_task_excellent_rate": 110, "toolkit_task_pass_rate": 90})
        task.achieved_qty = 115
        self.assertEqual(task.quality_grade, "excellent")
        task.achieved_qty = 85
        self.assertEqual(task.quality_grade, "fail")
        with self.assertRefused(ValidationError, "pass < good < excellent"):
            self.company.toolkit_task_good_rate = 130
        no_target = self._task(target_qty=0)
        no_target.action_mark_done()
        self.assertFalse(no_target.quality_grade)

    def test_parent_adds_up_children_of_its_unit(self):
        goal = self._task(name="50 new customers", target_qty=50)
        online = self._task(name="online", parent_id=goal.id, target_qty=20)
        show = self._task(name="trade show", parent_id=goal.id, target_qty=15)
        referral = self._task(name="referral", parent_id=goal.id, target_qty=15)
        self._task(name="visits", parent_id=goal.id, target_qty=10, unit="visits").achieved_qty = 9
        online.achieved_qty = 25
        show.achieved_qty = 15
        referral.achieved_qty = 12
        self.assertEqual(goal.achieved_qty, 52)
        goal.action_mark_done()
        self.assertEqual(goal.quality_grade, "good")
        with self.assertRefused(UserError, "cannot be typed"):
            goal.achieved_qty = 60
        # moving a sub-task away updates both parents
        other = self._task(name="other goal", target_qty=10)
        referral.parent_id = other
        self.assertEqual((goal.achieved_qty, other.achieved_qty), (40, 12))

    def test_bad_input(self):
        with self.assertRefused(ValidationError, "cannot end before it starts"):
            self._task(date_start=date(2021, 3, 1), date_deadline=date(2021, 2, 1))
        with self.assertRefused(ValidationError, "negative"):
            self._task(target_qty=-5)
        task = self._task()
        with self.assertRefused(ValidationError, "cannot end before it starts"):
            task.date_deadline = date(2020, 12, 1)
        with self.assertRefused(UserError, "Use Start"):
            task.state = "done"
        with self.assertRefused(UserError, "Use Start"):
            task.quality_grade = "excellent"

    def test_states_accept_and_send_back(self):
        task = self._task()
        task.action_start()
        self.assertEqual(task.state, "in_progress")
        task.achieved_qty = 18
        with freeze_time("2021-03-28 03:00:00"):
            task.action_mark_done()
        self.assertEqual((task.state, task.date_done), ("done", date(2021, 3, 28)))
        task.with_user(self.leader)._toolkit_send_back("3 leads are duplicates")
        self.assertEqual(task.state, "delayed")  # the planned end has passed
        self.assertFalse(task.date_done)
        self.assertIn("3 leads are duplicates", task.message_ids[0].body)
        task.achieved_qty = 25
        task.action_mark_done()
        task.with_user(self.leader).action_accept()
        self.assertTrue(task.is_accepted)
        self.assertEqual((task.accepted_by_id, task.quality_grade), (self.leader, "excellent"))
        self.assertIn("excellent", task.message_ids[0].body.lower())
        # the grade is frozen
        with self.assertRefused(UserError, "frozen"):
            task.achieved_qty = 5
        self.company.toolkit_task_excellent_rate = 130
        task._toolkit_refresh_progress()
        self.assertEqual(task.quality_grade, "excellent")
        with self.assertRefused(UserError, "not yet accepted"):
            task.with_user(self.leader).action_accept()
        with self.assertRefused(UserError, "archive"):
            task.unlink()

    def test_send_back_wizard_needs_a_reason(self):
        task = self._task()
        task.action_mark_done()
        action = task.with_user(self.leader).action_send_back()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.reason = "Missing contacts"
        wizard.save().action_apply()
        self.assertIn(task.state, ("in_progress", "delayed"))
        task.action_mark_done()
        with self.assertRefused(UserError, "Say why"):
            task._toolkit_send_back(" ")

    def test_delay_cron_with_frozen_clock(self):
        open_task = self._task(date_deadline=date(2021, 3, 31))
        done = self._task(date_deadline=date(2021, 3, 31))
        done.action_mark_done()
        later = self._task(date_deadline=date(2021, 4, 30))
        Task = self.env["sales_toolkit.task"]
        # 23:00 on 31 March in Beijing: not late yet
        with freeze_time("2021-03-31 15:00:00"), self.no_commit():
            self.assertFalse(open_task.is_late)
            Task._cron_mark_delayed()
        self.assertEqual(open_task.state, "todo")
        # 00:30 on 1 April in Beijing: late at once, delayed by the nightly job
        with freeze_time("2021-03-31 16:30:00"), self.no_commit():
            open_task.invalidate_recordset(["is_late"])
            self.assertTrue(open_task.is_late)
            self.assertIn(open_task, Task.search([("is_late", "=", True)]))
            Task._cron_mark_delayed()
            Task._cron_mark_delayed()
        self.assertEqual((open_task.state, done.state, later.state), ("delayed", "done", "todo"))
        self.assertEqual(len(open_task.message_ids.filtered(lambda m: "Delayed" in (m.body or ""))), 1)


@tagged("post_install", "-at_install")
class TestTaskProgressSource(TaskCommon):
    def _lead(self, when, **vals):
        lead = self.env["crm.lead"].create(dict({"name": "lead", "user_id": self.salesman.id}, **vals))
        self.env.cr.execute("UPDATE crm_lead SET create_date = %s WHERE id = %s", [when, lead.id])
        lead.invalidate_recordset(["create_date"])
        return lead

    def test_counts_leads_in_window_and_source(self):
        show = self.env["utm.source"].create({"name": "Trade show"})
        ads = self.env["utm.source"].create({"name": "Online ads"})
        # the window is 1 Jan - 31 Mar in Beijing time
        self._lead(datetime(2020, 12, 31, 15, 59), source_id=show.id)  # 23:59 on 31 Dec
        self._lead(datetime(2020, 12, 31, 16, 0), source_id=show.id)  # 00:00 on 1 Jan
        self._lead(datetime(2021, 2, 1), source_id=show.id)
        self._lead(datetime(2021, 2, 1), source_id=ads.id)
        self._lead(datetime(2021, 2, 1), source_id=show.id, user_id=self.salesman_2.id)
        self._lead(datetime(2021, 3, 31, 16, 0), source_id=show.id)  # 1 April
        task = self._task(progress_source="leads", source_id=show.id, target_qty=2)
        self.assertEqual(task.unit, "leads")
        with freeze_time("2021-03-31 04:00:00"):
            task.action_mark_done()
        self.assertEqual((task.achieved_qty, task.quality_grade), (2, "good"))
        everything = self._task(progress_source="leads", target_qty=2)
        self.assertEqual(everything.achieved_qty, 3)
        with self.assertRefused(UserError, "cannot be typed"):
            task.achieved_qty = 10
        # done early: the window ends on the actual end
        with freeze_time("2021-01-15 04:00:00"):
            everything.action_mark_done()
        self.assertEqual(everything.achieved_qty, 1)

    def test_counts_won_orders_and_followups(self):
        stage_won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        won = self._lead(datetime(2021, 1, 5), type="opportunity")
        won.stage_id = stage_won
        won.date_closed = datetime(2021, 2, 2)
        late_won = self._lead(datetime(2021, 1, 5), type="opportunity")
        late_won.stage_id = stage_won
        late_won.date_closed = datetime(2021, 4, 2)
        partner = self.env["res.partner"].create({"name": "Customer"})
        orders = self.env["sale.order"].create(
            [{"partner_id": partner.id, "user_id": self.salesman.id} for _i in range(3)]
        )
        orders.order_line = [(0, 0, {"name": "x", "product_id": self._product().id, "price_unit": 10})]
        orders[:2].action_confirm()
        orders.write({"date_order": datetime(2021, 3, 1)})
        orders[1].date_order = datetime(2021, 5, 1)
        self.env["sales_toolkit.followup"].create(
            [
                {"lead_id": won.id, "date": day, "summary": "call", "user_id": self.salesman.id}
                for day in (date(2021, 1, 1), date(2021, 3, 31), date(2021, 4, 1))
            ]
        )
        tasks = self.env["sales_toolkit.task"].concat(
            *(self._task(progress_source=source, target_qty=1) for source in ("won", "orders", "followups"))
        )
        self.assertEqual(tasks.mapped("achieved_qty"), [1, 1, 2])
        # new records are counted by the hourly job
        new_won = self._lead(datetime(2021, 2, 1), type="opportunity")
        new_won.stage_id = stage_won
        new_won.date_closed = datetime(2021, 3, 3)
        # counted a moment ago (at creation): a resumed run leaves them alone
        with self.no_commit():
            self.env["sales_toolkit.task"]._cron_refresh_progress()
        self.assertEqual(tasks[0].achieved_qty, 1)
        with freeze_time(datetime.now() + timedelta(hours=1)), self.no_commit():
            self.env["sales_toolkit.task"]._cron_refresh_progress()
        self.assertEqual(tasks[0].achieved_qty, 2)
        self.assertTrue(all(tasks.mapped("progress_date")))

    def _product(self):
        return self.env["product.product"].create({"name": "Task product"})

    def test_count_queries_do_not_grow(self):
        def queries(tasks):
            tasks._toolkit_refresh_progress()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.env["sales_toolkit.task"]._toolkit_counts(tasks)
            return self.cr.sql_log_count - before

        one = self._task(progress_source="leads")
        many = self.env["sales_toolkit.task"].concat(
            *(self._task(progress_source=m) for m in ("leads", "won", "orders", "followups") * 5)
        )
        self.assertEqual(queries(one), queries(many))


@tagged("post_install", "-at_install")
class TestTaskAccess(TaskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls._task(name="own")
        cls.colleague = cls._task(name="colleague's", user_id=cls.salesman_2.id, reviewer_id=cls.manager.id)
        cls.reviewed = cls._task(
            name="reviewed by the rep", user_id=cls.salesman_2.id, reviewer_id=cls.salesman.id
        )

    @users("st_salesman")
    def test_rep_sees_own_and_reviewed_tasks(self):
        tasks = self.env["sales_toolkit.task"].search(
            [("id", "in", (self.own | self.colleague | self.reviewed).ids)]
        )
        self.assertEqual(tasks, self.own | self.reviewed)
        own = self.own.with_user(self.env.user)
        own.write({"achieved_qty": 5, "remarks": "halfway"})
        own.action_start()
        with self.assertRefused(AccessError, "reviewer or a team leader"):
            own.target_qty = 1
        with self.assertRefused(AccessError, "."):
            self.colleague.with_user(self.env.user).remarks = "x"
        own.action_mark_done()
        with self.assertRefused(AccessError, "their own task"):
            own.action_accept()
        # as a reviewer, the rep accepts the task they review
        reviewed = self.reviewed.with_user(self.env.user)
        self.reviewed.action_mark_done()
        reviewed.action_accept()
        self.assertTrue(self.reviewed.is_accepted)

    @users("st_salesman")
    def test_rep_cannot_forge_progress_or_acceptance(self):
        own = self.own.with_user(self.env.user)
        forged = own.with_context(
            toolkit_task_system=True, toolkit_task_action=True, toolkit_task_progress=True
        )
        for vals in (
            {"state": "done"},
            {"quality_grade": "excellent"},
            {"date_accepted": "2021-03-31 10:00:00", "accepted_by_id": self.leader.id},
        ):
            with self.assertRefused(UserError, "Use Start"):
                forged.write(vals)
        with self.assertRefused(AccessError, "reviewer or a team leader"):
            forged.write({"target_qty": 1, "reviewer_id": self.env.uid})
        Task = self.env["sales_toolkit.task"]
        with self.assertRefused(UserError, "starts to do"):
            Task.create({"name": "done already", "state": "done", "date_deadline": date(2099, 1, 1)})
        with self.assertRefused(UserError, "starts to do"):
            Task.create({"name": "graded", "quality_grade": "excellent", "date_deadline": date(2099, 1, 1)})
        with self.assertRefused(AccessError, "assign tasks"):
            Task.create({"name": "for Li", "user_id": self.salesman_2.id, "date_deadline": date(2099, 1, 1)})
        # a rep's own plan goes to the team leader for review, never to the rep
        mine = Task.create({"name": "my plan", "date_deadline": date(2099, 1, 1), "target_qty": 2})
        self.assertEqual(mine.reviewer_id, self.leader)
        with self.assertRefused(AccessError, "reviewer or a team leader"):
            mine.reviewer_id = self.env.user
        mine.action_mark_done()
        with self.assertRefused(AccessError, "their own task"):
            mine.action_accept()

    @users("st_leader")
    def test_leader_cannot_accept_own_task(self):
        task = self._task(user_id=self.leader.id, reviewer_id=self.manager.id)
        task.action_mark_done()
        with self.assertRefused(AccessError, "their own task"):
            task.with_user(self.env.user).action_accept()
        task.with_user(self.manager).action_accept()
        self.assertTrue(task.is_accepted)

    def test_sub_task_progress_by_a_rep_who_cannot_read_the_goal(self):
        goal = self._task(
            name="team goal", user_id=self.manager.id, reviewer_id=self.manager.id, target_qty=10
        )
        mine = self._task(name="my part", parent_id=goal.id, target_qty=5)
        theirs = self._task(name="their part", parent_id=goal.id, user_id=self.salesman_2.id, target_qty=5)
        rep_task = mine.with_user(self.salesman)
        with self.assertRaises(AccessError):
            goal.with_user(self.salesman).read(["name"])
        rep_task.achieved_qty = 3
        self.assertEqual(goal.achieved_qty, 3)
        rep_task.action_mark_done()
        # the goal follows its sub-tasks when one is deleted or moved away
        theirs.achieved_qty = 4
        self.assertEqual(goal.achieved_qty, 7)
        theirs.unlink()
        self.assertEqual(goal.achieved_qty, 3)
        other = self._task(name="other goal", target_qty=5)
        mine.parent_id = other
        self.assertEqual((goal.achieved_qty, other.achieved_qty), (0, 3))

    @users("st_leader")
    def test_leader_sees_team(self):
        tasks = self.env["sales_toolkit.task"].search([("id", "in", (self.own | self.colleague).ids)])
        self.assertEqual(tasks, self.own)  # the colleague is in another team
        self.own.with_user(self.env.user).target_qty = 30
        self.env["sales_toolkit.task"].create(
            {"name": "assigned", "user_id": self.salesman.id, "date_deadline": date(2099, 5, 1)}
        )

    @users("st_manager")
    def test_manager_sees_all(self):
        tasks = self.env["sales_toolkit.task"].search([("id", "in", (self.own | self.colleague).ids)])
        self.assertEqual(tasks, self.own | self.colleague)

    @users("st_salesman_b")
    def test_other_company(self):
        self.assertFalse(self.env["sales_toolkit.task"].search([("id", "=", self.own.id)]))


@tagged("post_install", "-at_install")
class TestTaskReport(TaskCommon):
    def test_tracking_sheet(self):
        goal = self._task(name="50 new customers", target_qty=50)
        self._task(
            name="20 leads from online ads", parent_id=goal.id, remarks="Live stream instead of the show"
        )
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "sales_toolkit.action_report_task_tracking", goal.ids
            )[0]
        )
        for text in (
            "Task Tracking Sheet",
            "50 new customers",
            "20 leads from online ads",
            "Live stream instead of the show",
            "Acceptance Criterion",
            "Quality Grade",
        ):
            self.assertIn(text, html)
