from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import SalesToolkitCommon

REPORT = "sales_toolkit.action_report_training_evaluation"


@tagged("post_install", "-at_install")
class TestTraining(SalesToolkitCommon):
    """A training on 1-2 April 2020 in a company on Beijing time (UTC+8), 30-day windows:
    before = 2 March - 31 March, after = 3 April - 2 May (local days)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.company.toolkit_training_result_days = 30
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Training Team",
                "company_id": cls.company.id,
                "user_id": cls.leader.id,
                "member_ids": [Command.link(cls.salesman.id)],
            }
        )
        cls.product = cls.env["product.product"].create({"name": "Trained Product", "taxes_id": False})
        cls.customer = cls.env["res.partner"].create({"name": "Training Customer"})

    # ------------------------------------------------------------------ helpers

    @classmethod
    def _training(cls, **vals):
        values = {
            "name": "Product A training 2020",
            "training_type": "product",
            "date_start": date(2020, 4, 1),
            "date_end": date(2020, 4, 2),
            "cost": 600,
            "user_id": cls.manager.id,
            "company_id": cls.company.id,
            **vals,
        }
        return cls.env["sales_toolkit.training"].create(values)

    @classmethod
    def _participant(cls, training, user, **vals):
        return cls.env["sales_toolkit.training.participant"].create(
            dict({"training_id": training.id, "user_id": user.id}, **vals)
        )

    @classmethod
    def _order(cls, amount, when, user=None, state="sale"):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "user_id": (user or cls.salesman).id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "price_unit": amount, "product_uom_qty": 1})
                ],
            }
        )
        if state == "sale":
            order.action_confirm()
        order.date_order = when
        return order

    @classmethod
    def _closed_lead(cls, won, when, user=None):
        lead = cls._create_lead(name="Training opportunity", user_id=(user or cls.salesman).id)
        if won:
            lead.action_set_won()
        else:
            lead.action_set_lost()
        lead.with_context(active_test=False).date_closed = when
        return lead

    def _handbook_training(self):
        """The handbook's example: average pre-test 60, post-test 82."""
        training = self._training()
        users = [self.salesman, self.salesman_2, self.leader, self.manager]
        scores = [(55, 80, 5), (62, 85, 4), (58, 78, 3), (65, 85, 4)]
        for user, (pre, post, satisfaction) in zip(users, scores, strict=True):
            self._participant(training, user, pre_score=pre, post_score=post, satisfaction=satisfaction)
        return training

    # ------------------------------------------------------------------ validation

    def test_bad_scores_refused_with_clear_messages(self):
        training = self._training()
        with self.assertRefused(ValidationError, "Pre-training Test is a score out of 100, not 101"):
            self._participant(training, self.salesman, pre_score=101)
        with self.assertRefused(ValidationError, "out of 100, not -1"):
            self._participant(training, self.salesman, post_score=-1)
        with self.assertRefused(ValidationError, "360° Feedback Score is a score out of 100"):
            self._participant(training, self.salesman, feedback_score=120)
        with self.assertRefused(ValidationError, "Satisfaction .* rating from 1 to 5"):
            self._participant(training, self.salesman, satisfaction=6)
        with self.assertRefused(ValidationError, "attendance rate is between 0% and 100%, not 120"):
            self._participant(training, self.salesman, attendance_rate=120)
        with self.assertRefused(ValidationError, "3 assignments done out of 2 given"):
            self._participant(training, self.salesman, assignment_count=2, assignment_done_count=3)
        with self.assertRefused(ValidationError, "Interactions cannot be negative"):
            self._participant(training, self.salesman, interaction_count=-1)
        line = self._participant(training, self.salesman, assignment_count=2, assignment_done_count=2)
        # on write, the values not written count too
        with self.assertRefused(ValidationError, "3 assignments done out of 2 given"):
            line.assignment_done_count = 3
        with self.assertRefused(ValidationError, "2 assignments done out of 1 given"):
            line.assignment_count = 1
        with self.assertRefused(ValidationError, "Behaviour Rating .* rating from 1 to 5"):
            line.behaviour_rating = 7
        with self.assertRefused(ValidationError, "already takes part"):
            self._participant(training, self.salesman)
        with self.assertRefused(ValidationError, "measured from sale orders"):
            line.revenue_after = 1000

    def test_bad_training_refused(self):
        with self.assertRefused(ValidationError, "cannot end before it starts"):
            self._training(date_end=date(2020, 3, 31))
        with self.assertRefused(ValidationError, "cost of a training cannot be negative"):
            self._training(cost=-1)
        training = self._training()
        with self.assertRefused(ValidationError, "cannot end before it starts"):
            training.date_end = date(2020, 3, 1)
        with self.assertRefused(ValidationError, "cannot end before it starts"):
            training.date_start = date(2020, 4, 3)

    def test_settings_refused_outside_their_range(self):
        with self.assertRefused(ValidationError, "between 1 and 730 days"):
            self.company.toolkit_training_result_days = 0
        with self.assertRefused(ValidationError, "between 1 and 52 weeks"):
            self.company.toolkit_training_behaviour_weeks = 0
        with self.assertRefused(ValidationError, "pass mark must be above 0 and at most 100"):
            self.company.toolkit_training_pass_mark = 101

    def test_defaults(self):
        company = self.env["res.company"].create({"name": "Fresh Company"})
        self.assertEqual(company.toolkit_training_result_days, 90)
        self.assertEqual(company.toolkit_training_behaviour_weeks, 4)
        self.assertEqual(company.toolkit_training_pass_mark, 80)

    # ------------------------------------------------------------------ four levels

    def test_averages_and_improvements(self):
        training = self._handbook_training()
        self.assertEqual(training.participant_count, 4)
        self.assertAlmostEqual(training.avg_pre_score, 60)
        self.assertAlmostEqual(training.avg_post_score, 82)
        self.assertAlmostEqual(training.learning_gain, 22)
        self.assertAlmostEqual(training.avg_satisfaction, 4)
        line = training.participant_ids.filtered(lambda p: p.user_id == self.salesman)
        self.assertAlmostEqual(line.learning_gain, 25)
        # not rated yet (0) is left out of the averages
        training.participant_ids[:2].write({"behaviour_rating": 4})
        training.participant_ids[2].behaviour_rating = 1
        self.assertAlmostEqual(training.avg_behaviour_rating, 3)
        self.assertEqual(training.behaviour_rated_count, 3)
        training.participant_ids.write({"attendance_rate": 90, "assignment_count": 4})
        training.participant_ids[0].assignment_done_count = 3
        training.participant_ids[1].assignment_done_count = 1
        self.assertAlmostEqual(training.avg_attendance_rate, 90)
        self.assertAlmostEqual(training.assignment_rate, 25)

    def test_pass_rate_at_the_pass_mark(self):
        training = self._training()
        at_mark = self._participant(training, self.salesman, pre_score=50, post_score=80)
        below = self._participant(training, self.salesman_2, pre_score=50, post_score=79.99)
        self._participant(training, self.leader, pre_score=50)  # no post-test yet
        self.assertTrue(at_mark.passed)
        self.assertFalse(below.passed)
        self.assertAlmostEqual(training.pass_rate, 50)
        self.company.toolkit_training_pass_mark = 79.99
        self.assertTrue(below.passed)
        self.assertAlmostEqual(training.pass_rate, 100)
        self.company.toolkit_training_pass_mark = 90
        self.assertAlmostEqual(training.pass_rate, 0)

    def test_results_windows_in_company_timezone(self):
        order = self._order
        order(100, datetime(2020, 3, 15, 2, 0))
        order(200, datetime(2020, 3, 31, 15, 30))  # 23:30 on 31 March in Beijing: before
        order(5000, datetime(2020, 3, 31, 16, 30))  # 00:30 on 1 April: a training day
        order(7000, datetime(2020, 3, 1, 15, 59))  # 23:59 on 1 March: too early
        order(1000, datetime(2020, 4, 10, 2, 0))
        order(500, datetime(2020, 5, 2, 15, 59))  # 23:59 on 2 May: after
        order(9000, datetime(2020, 5, 2, 16, 0))  # 00:00 on 3 May: too late
        order(3000, datetime(2020, 4, 10, 2, 0), state="draft")
        order(4000, datetime(2020, 4, 10, 2, 0), user=self.salesman_2)
        lead = self._closed_lead
        lead(True, datetime(2020, 3, 10, 2, 0))
        lead(False, datetime(2020, 3, 31, 15, 30))  # lost (archived), 31 March in Beijing
        lead(True, datetime(2020, 3, 31, 16, 30))  # 1 April: a training day
        lead(True, datetime(2020, 4, 5, 2, 0))
        lead(True, datetime(2020, 5, 2, 15, 59))
        lead(False, datetime(2020, 4, 20, 2, 0))
        lead(True, datetime(2020, 5, 2, 16, 0))  # 3 May: too late
        self._create_lead(name="Still open")
        training = self._training()
        line = self._participant(training, self.salesman)
        self.assertEqual(
            training.window_label, "Before: 03/02/2020 – 03/31/2020; after: 04/03/2020 – 05/02/2020"
        )
        self.assertTrue(training.results_final)
        with freeze_time("2020-04-20 02:00:00"):
            training.invalidate_recordset(["results_final"])
            self.assertFalse(training.results_final, "the after-training window is still open")
        training.invalidate_recordset(["results_final"])
        self.assertAlmostEqual(line.revenue_before, 300)
        self.assertAlmostEqual(line.revenue_after, 1500)
        self.assertAlmostEqual(line.revenue_uplift, 1200)
        self.assertAlmostEqual(line.conversion_before, 50)
        self.assertAlmostEqual(line.conversion_after, 200 / 3, places=2)
        self.assertAlmostEqual(line.conversion_uplift, 200 / 3 - 50, places=2)
        self.assertAlmostEqual(training.revenue_uplift, 1200)
        self.assertAlmostEqual(training.roi, 200)
        self.assertTrue(training.results_date)
        # the same moments in UTC: 1 April 00:30 Beijing falls on 31 March, 3 May on 2 May
        self.company.partner_id.tz = False
        training.action_refresh_results()
        self.assertAlmostEqual(line.revenue_before, 5300)
        self.assertAlmostEqual(line.revenue_after, 10500)
        self.assertAlmostEqual(line.conversion_before, 200 / 3, places=2)
        self.assertAlmostEqual(line.conversion_after, 75)

    def test_results_follow_the_window_setting_and_dates(self):
        self._order(100, datetime(2020, 2, 20, 2, 0))
        self._order(1000, datetime(2020, 6, 1, 2, 0))
        training = self._training()
        line = self._participant(training, self.salesman)
        self.assertEqual((line.revenue_before, line.revenue_after), (0, 0))
        self.company.toolkit_training_result_days = 90
        self.assertEqual((line.revenue_before, line.revenue_after), (100, 1000))
        training.date_end = date(2020, 6, 5)
        self.assertEqual((line.revenue_before, line.revenue_after), (100, 0))
        line.user_id = self.salesman_2
        self.assertEqual((line.revenue_before, line.revenue_after), (0, 0))

    def test_roi_without_cost(self):
        self._order(1000, datetime(2020, 4, 10, 2, 0))
        training = self._training(cost=0)
        self._participant(training, self.salesman)
        self.assertAlmostEqual(training.revenue_uplift, 1000)
        self.assertEqual(training.roi, 0)
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, training.ids)[0].decode()
        self.assertIn("n/a (no cost)", html)
        training.cost = 2000
        self.assertAlmostEqual(training.roi, 50)

    def test_results_query_count_does_not_grow_with_participants(self):
        users = [
            new_test_user(self.env, f"st_trainee_{i}", groups="sales_team.group_sale_salesman")
            for i in range(10)
        ]
        small, large = self._training(name="Small"), self._training(name="Large")
        self._participant(small, users[0])
        for user in users:
            self._participant(large, user)

        def queries(training):
            training._toolkit_refresh_results()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            training._toolkit_refresh_results()
            return self.env.cr.sql_log_count - start

        count = queries(small)
        self.assertEqual(queries(large), count)
        self.assertLessEqual(count, 6)
        # both trainings at once: still the same statements
        self.assertEqual(queries(small | large), count)

    def test_cron_measures_recent_trainings(self):
        training = self._training(state="done")
        line = self._participant(training, self.salesman)
        old = self._training(name="Old", date_start=date(2019, 1, 1), date_end=date(2019, 1, 1), state="done")
        old_line = self._participant(old, self.salesman)
        self._order(1000, datetime(2020, 4, 10, 2, 0))
        self._order(50, datetime(2019, 1, 10, 2, 0))
        self.assertEqual(line.revenue_after, 0)
        (training | old).write({"results_date": datetime(2020, 5, 19, 12, 0)})
        with freeze_time("2020-05-20"), self.no_commit():
            self.env["sales_toolkit.training"]._cron_refresh_results()
        self.assertEqual(line.revenue_after, 1000)
        # closed more than 30 days after its window: frozen
        self.assertEqual(old_line.revenue_after, 0)
        # measured within the hour (a run killed later): a resumed run does not measure again
        self._order(500, datetime(2020, 4, 11, 2, 0))
        with freeze_time("2020-05-20 00:30"), self.no_commit():
            self.env["sales_toolkit.training"]._cron_refresh_results()
        self.assertEqual(line.revenue_after, 1000)

    # ------------------------------------------------------------------ behaviour (行为层)

    def test_behaviour_activity_for_the_team_leader(self):
        training = self._training()
        led = self._participant(training, self.salesman)
        alone = self._participant(training, self.salesman_2)
        self.assertEqual(led.manager_id, self.leader)
        self.assertEqual(alone.manager_id, self.manager, "no team leader: the training's responsible")
        self.assertFalse(training.activity_ids)
        training.with_user(self.manager).action_done()
        self.assertEqual(training.state, "done")
        due = date(2020, 4, 30)  # 4 weeks after 2 April
        activity = led.behaviour_activity_id
        self.assertEqual(activity.user_id, self.leader)
        self.assertEqual(activity.date_deadline, due)
        self.assertEqual(activity.summary, "Rate the on-the-job behaviour of Rep Zhang")
        self.assertEqual(led.behaviour_due_date, due)
        self.assertEqual(alone.behaviour_activity_id.user_id, self.manager)
        self.assertEqual(len(training.activity_ids), 2)
        # the training ran a day longer: the ratings are due a day later
        training.date_end = date(2020, 4, 3)
        self.assertEqual(
            (activity.date_deadline, led.behaviour_due_date), (date(2020, 5, 1), date(2020, 5, 1))
        )
        training.date_end = date(2020, 4, 2)
        # the leader rates; the activity is done
        with Form(led.with_user(self.leader)) as form:
            form.behaviour_rating = 4
            form.behaviour_note = "Uses the checklist"
        self.assertEqual(led.behaviour_rating, 4)
        self.assertFalse(activity.exists() and activity.active)
        self.assertEqual(training.activity_ids, alone.behaviour_activity_id)
        # a change of manager moves the open activity
        alone.manager_id = self.leader
        self.assertEqual(alone.behaviour_activity_id.user_id, self.leader)
        # the leader may not change scores, nor rate lines of someone else's team
        with self.assertRefused(AccessError, "Only sales managers"):
            led.with_user(self.leader).pre_score = 90
        # a participant added afterwards is rated too; cancelling drops open activities
        late = self._participant(training, self.env.ref("base.user_admin"))
        self.assertTrue(late.behaviour_activity_id)
        training.action_cancel()
        self.assertFalse(training.activity_ids)

    def test_behaviour_delay_setting(self):
        self.company.toolkit_training_behaviour_weeks = 6
        training = self._training()
        line = self._participant(training, self.salesman, behaviour_rating=3)
        pending = self._participant(training, self.salesman_2)
        training.action_done()
        self.assertFalse(line.behaviour_activity_id, "already rated: nothing to ask")
        self.assertEqual(pending.behaviour_activity_id.date_deadline, date(2020, 4, 2) + timedelta(weeks=6))

    def test_states(self):
        training = self._training()
        training.action_start()
        self.assertEqual(training.state, "in_progress")
        with self.assertRefused(UserError, "Only planned trainings can start"):
            training.action_start()
        training.action_done()
        with self.assertRefused(UserError, "cancel it instead of deleting it"):
            training.unlink()
        with self.assertRefused(UserError, "Only cancelled trainings can be planned again"):
            training.action_draft()
        training.action_cancel()
        training.action_draft()
        self.assertEqual(training.state, "draft")
        training.unlink()

    # ------------------------------------------------------------------ access

    def test_rep_sees_own_lines_and_rates_the_training(self):
        training = self._handbook_training()
        other = self._training(name="Selling skills", training_type="selling_skills")
        self._participant(other, self.salesman_2)
        Training = self.env["sales_toolkit.training"].with_user(self.salesman)
        Line = self.env["sales_toolkit.training.participant"].with_user(self.salesman)
        self.assertEqual(Training.search([]), training)
        own = Line.search([])
        self.assertEqual(own.user_id, self.salesman)
        # the training form shows the rep their own line only
        shown = training.with_user(self.salesman).web_read(
            {"participant_ids": {"fields": {"post_score": {}}}}
        )
        self.assertEqual(shown[0]["participant_ids"], [{"id": own.id, "post_score": 80.0}])
        self.assertEqual(len(Form(training.with_user(self.salesman)).participant_ids), 1)
        # averages over the lines the reader may see: a rep cannot work out a colleague's score
        self.assertAlmostEqual(training.with_user(self.salesman).avg_post_score, 80)
        self.assertAlmostEqual(training.with_user(self.manager).avg_post_score, 82)
        own.write({"satisfaction": 2, "reaction_comment": "Too fast"})
        self.assertEqual(own.satisfaction, 2)
        with self.assertRefused(AccessError, "Only sales managers"):
            own.post_score = 100
        with self.assertRefused(
            AccessError, r"Only sales managers and the Manager can change Behaviour Rating"
        ):
            own.behaviour_rating = 5
        with self.assertRaises(AccessError):
            training.with_user(self.salesman).cost = 1
        with self.assertRaises(AccessError):
            Training.create(
                {"name": "Self-made", "date_start": date(2020, 1, 1), "date_end": date(2020, 1, 1)}
            )
        with self.assertRaises(AccessError):
            Line.create({"training_id": training.id, "user_id": self.salesman_2.id})
        with self.assertRaises(AccessError):
            other.with_user(self.salesman).read(["name"])
        # and prints the evaluation of their training
        html = (
            self.env["ir.actions.report"].with_user(self.salesman)._render_qweb_html(REPORT, training.ids)[0]
        )
        self.assertIn("Rep Zhang", html.decode())

    def test_leader_and_manager(self):
        training = self._handbook_training()
        other = self._training(name="Industry", training_type="industry")
        self._participant(other, self.salesman_2)
        Training = self.env["sales_toolkit.training"]
        Line = self.env["sales_toolkit.training.participant"]
        in_2020 = [("date_start", "<", "2021-01-01")]
        self.assertEqual(Training.with_user(self.leader).search(in_2020), training | other)
        # a team leader reads the lines of the people they lead or rate, a manager all of them
        leader_lines = Line.with_user(self.leader).search(in_2020)
        self.assertTrue(leader_lines)
        self.assertTrue(
            all(
                self.leader
                in (line.user_id | line.manager_id | line.team_id.user_id | line.team_id.member_ids)
                for line in leader_lines.sudo()
            )
        )
        self.assertEqual(Line.with_user(self.manager).search_count(in_2020), 5)
        with self.assertRaises(AccessError):
            Training.with_user(self.leader).create({"name": "Not mine to plan"})
        # the state moves through the buttons only, which schedule and measure what goes with it
        with self.assertRefused(UserError, "use its buttons"):
            Training.with_user(self.manager).create({"name": "Done at birth", "state": "done"})
        with self.assertRefused(UserError, "only through its buttons"):
            training.with_user(self.manager).with_context(toolkit_training_action=True).write(
                {"state": "draft"}
            )
        created = Training.with_user(self.manager).create({"name": "Objection handling"})
        # the buttons are for whoever may edit the training: not a leader, not a participant
        for user in (self.leader, self.salesman):
            for action in ("action_start", "action_done", "action_cancel"):
                with self.assertRaises(AccessError, msg=f"{user.login} {action}"):
                    getattr(created.with_user(user), action)()
        self.assertEqual(created.state, "draft")
        line = Line.with_user(self.manager).create({"training_id": created.id, "user_id": self.salesman.id})
        line.with_user(self.manager).write({"pre_score": 40, "post_score": 70, "behaviour_rating": 3})
        self.assertAlmostEqual(created.learning_gain, 30)
        form = Form(training.with_user(self.manager))
        form.conclusion = "Knowledge up; conversion flat"
        form.next_plan = "Selling skills next quarter"
        form.save()

    def test_multi_company(self):
        training = self._handbook_training()
        training_b = self._training(
            name="Company B training", company_id=self.company_b.id, user_id=self.salesman_b.id
        )
        line_b = self._participant(training_b, self.salesman_b)
        self.assertEqual(line_b.company_id, self.company_b)
        Training = self.env["sales_toolkit.training"].with_user(self.salesman_b)
        Line = self.env["sales_toolkit.training.participant"].with_user(self.salesman_b)
        self.assertEqual(Training.search([]), training_b)
        self.assertEqual(Line.search([]), line_b)
        with self.assertRaises(AccessError):
            training.with_user(self.salesman_b).read(["name"])
        self.assertNotIn(training_b, self.env["sales_toolkit.training"].with_user(self.leader).search([]))

    # ------------------------------------------------------------------ report and views

    def test_evaluation_pdf(self):
        training = self._handbook_training()
        training.write({"conclusion": "Product knowledge up by 22 points", "next_plan": "Role-play workshop"})
        other = self._training(name="Second training")
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, (training | other).ids)[0].decode()
        self.assertIn("Training Evaluation: <span>Product A training 2020</span>", html)
        self.assertIn("Training Evaluation: <span>Second training</span>", html)
        self.assertEqual(html.count('<div class="page"'), 2, "one document per training")
        self.assertIn("60.0", html)
        self.assertIn("82.0", html)
        self.assertIn("+22.0", html)
        self.assertIn("75</span> %", html)  # pass rate: 3 of 4 reach 80
        self.assertIn("Product knowledge up by 22 points", html)
        self.assertIn("Role-play workshop", html)
        self.assertIn("Rep Li", html)

    def test_views_and_menus(self):
        self.assertEqual(
            self.env.ref("sales_toolkit.sales_toolkit_execution_menu").parent_id,
            self.env.ref("sales_toolkit.sales_toolkit_root_menu"),
        )
        Training = self.env["sales_toolkit.training"]
        for view_type in ("form", "list", "kanban", "search"):
            Training.get_view(view_type=view_type)
        Line = self.env["sales_toolkit.training.participant"]
        for view_type in ("form", "list", "pivot", "graph", "search"):
            Line.get_view(view_type=view_type)
        training = self._handbook_training()
        groups = Line._read_group(
            [("training_id", "=", training.id)], ["training_type"], ["learning_gain:avg"]
        )
        self.assertAlmostEqual(groups[0][1], 22)
        columns = Training.with_context(read_group_expand=True).web_read_group([], ["state"], ["__count"])[
            "groups"
        ]
        self.assertEqual(len(columns), 4)
        with Form(Training.with_user(self.manager)) as form:
            form.name = "Form training"
            form.date_start = date(2020, 1, 6)
            form.date_end = date(2020, 1, 7)
            with form.participant_ids.new() as line:
                line.user_id = self.salesman
                line.pre_score = 50
                line.post_score = 90
        self.assertAlmostEqual(form.record.learning_gain, 40)
        settings = Form(self.env["res.config.settings"])
        self.assertEqual(settings.toolkit_training_result_days, 30)
        self.assertEqual(settings.toolkit_training_pass_mark, 80)

    def test_demo_training(self):
        training = self.env.ref("sales_toolkit.training_product_a", raise_if_not_found=False)
        if not training:
            self.skipTest("no demo data")
        self.assertAlmostEqual(training.avg_pre_score, 60)
        self.assertAlmostEqual(training.avg_post_score, 82)
        self.assertEqual(training.state, "done")
        # the demo orders of 2024 Q1 come after it: the results layer shows the uplift
        self.assertGreater(training.revenue_uplift, 0)
