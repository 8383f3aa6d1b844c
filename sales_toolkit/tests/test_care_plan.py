from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import SalesToolkitCommon, render_html


@tagged("post_install", "-at_install")
class TestCarePlan(SalesToolkitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Tech Co. (care)", "is_company": True})
        cls.customer.with_user(cls.manager).write(
            {"tier_override": "vip", "tier_override_reason": "Handbook"}
        )

    def _plan(self, **vals):
        values = {"partner_id": self.customer.id, "user_id": self.salesman.id, "date_start": date(2026, 1, 1)}
        values.update(vals)
        return self.env["sales_toolkit.care.plan"].create(values)

    def test_goals_from_the_tier_and_editable(self):
        plan = self._plan()
        self.assertEqual(plan.tier, "vip")
        self.assertEqual((plan.repurchase_goal, plan.satisfaction_goal, plan.referral_goal), (90, 95, 2))
        plan.satisfaction_goal = 97
        self.assertEqual(plan.satisfaction_goal, 97)
        regular = self.env["res.partner"].create({"name": "Small Co.", "is_company": True})
        self.assertEqual(self._plan(partner_id=regular.id).repurchase_goal, 50)
        with self.assertRefused(ValidationError, "between 0 and 100"):
            plan.repurchase_goal = 150

    def test_cron_schedules_each_due_action_once(self):
        plan = self._plan()
        today = date(2026, 3, 20)
        quarterly = self.env["sales_toolkit.care.action"].create(
            {
                "plan_id": plan.id,
                "name": "Industry report",
                "action_type": "service",
                "interval_number": 3,
                "interval_unit": "months",
                "next_date": date(2026, 3, 20),
                "executor_id": self.salesman.id,
            }
        )
        festival = self.env["sales_toolkit.care.action"].create(
            {
                "plan_id": plan.id,
                "name": "Festival gift",
                "action_type": "greeting",
                "frequency": "dates",
                "fixed_dates": "2026-02-17, 2026-09-25",
                "next_date": date(2026, 2, 17),
            }
        )
        later = self.env["sales_toolkit.care.action"].create(
            {"plan_id": plan.id, "name": "Visit", "action_type": "visit", "next_date": date(2026, 5, 1)}
        )
        with self.no_commit(), freeze_time(today):
            self.env["sales_toolkit.care.plan"]._cron_schedule_care_actions()
            self.env["sales_toolkit.care.plan"]._cron_schedule_care_actions()
        self.assertEqual(sorted(plan.activity_ids.mapped("summary")), ["Festival gift", "Industry report"])
        self.assertEqual(len(plan.activity_ids), 2, "a second run creates no duplicate")
        report_activity = plan.activity_ids.filtered(lambda act: act.summary == "Industry report")
        self.assertEqual(report_activity.user_id, self.salesman)
        self.assertEqual(quarterly.next_date, date(2026, 6, 20))
        self.assertEqual(festival.next_date, date(2026, 9, 25))
        self.assertEqual(later.next_date, date(2026, 5, 1))

    def test_cron_query_count_does_not_grow(self):
        def queries_for(count):
            plans = self.env["sales_toolkit.care.plan"]
            for _i in range(count):
                plan = self._plan()
                self.env["sales_toolkit.care.action"].create(
                    {
                        "plan_id": plan.id,
                        "name": "Call",
                        "next_date": date(2026, 3, 1),
                        "executor_id": self.salesman.id,
                    }
                )
                plans |= plan
            self.env.flush_all()
            self.env.invalidate_all()
            with self.no_commit(), freeze_time(date(2026, 3, 2)):
                before = self.env.cr.sql_log_count
                self.env["sales_toolkit.care.plan"]._cron_schedule_care_actions()
                spent = self.env.cr.sql_log_count - before
            self.assertEqual(len(plans.activity_ids), count)
            return spent

        queries_for(1)  # warm the caches
        self.assertEqual(queries_for(1), queries_for(30))

    def test_fixed_dates_are_checked(self):
        plan = self._plan()
        with self.assertRefused(ValidationError, "not a date"):
            self.env["sales_toolkit.care.action"].create(
                {"plan_id": plan.id, "name": "Gift", "frequency": "dates", "fixed_dates": "Mid-Autumn"}
            )

    def test_scorecard(self):
        plan = self._plan(date_start=date(2026, 1, 1))
        product = self.env["product.product"].create({"name": "Care widget"})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1, "price_unit": 100})],
            }
        )
        order.action_confirm()
        order.date_order = datetime(2026, 2, 10, 10)
        self.env["res.partner"].create({"name": "Referred Co.", "referred_by_id": self.customer.id})
        self.env["sales_toolkit.care.action"].create(
            {
                "plan_id": plan.id,
                "name": "Call",
                "interval_number": 1,
                "interval_unit": "months",
                "next_date": date(2026, 5, 15),
            }
        )
        log_model = self.env["sales_toolkit.care.log"]
        log_model.create(
            {
                "plan_id": plan.id,
                "date": date(2026, 4, 20),
                "description": "Survey",
                "satisfaction_score": 96,
                "evaluation": "satisfied",
            }
        )
        with freeze_time(date(2026, 5, 20)):
            plan.invalidate_recordset()
            # quarters 2026-Q1 (ordered) and 2026-Q2 (not yet): 50%
            self.assertEqual(plan.repurchase_rate, 50)
            self.assertEqual(plan.satisfaction_score, 96)
            self.assertFalse(plan.improvement_needed)
            self.assertEqual(plan.referral_count, 1)
            self.assertEqual(plan.touches_planned, 3, "April, May and June calls")
            self.assertEqual(plan.touches_done, 1)
            log_model.create(
                {
                    "plan_id": plan.id,
                    "date": date(2026, 5, 18),
                    "description": "Survey",
                    "satisfaction_score": 80,
                    "evaluation": "dissatisfied",
                }
            )
            plan.invalidate_recordset()
            self.assertTrue(plan.improvement_needed, "below 85: improvement plan")
        with self.assertRefused(ValidationError, "between 0 and 100"):
            log_model.create({"plan_id": plan.id, "description": "Bad", "satisfaction_score": 120})

    def test_security(self):
        own = self._plan()
        other = self._plan(user_id=self.salesman_2.id)
        Plan = self.env["sales_toolkit.care.plan"].with_user(self.salesman)
        self.assertEqual(Plan.search([("id", "in", (own | other).ids)]), own)
        with self.assertRaises(AccessError):
            other.with_user(self.salesman).read(["name"])
        manager_view = self.env["sales_toolkit.care.plan"].with_user(self.manager)
        self.assertEqual(manager_view.search([("id", "in", (own | other).ids)]), own | other)
        self.assertFalse(
            self.env["sales_toolkit.care.plan"]
            .with_user(self.salesman_b)
            .search([("id", "in", (own | other).ids)])
        )

    def test_partner_button_and_report(self):
        plan = self._plan(user_id=self.env.user.id)
        action = self.customer.action_toolkit_open_care_plan()
        self.assertEqual(action["res_id"], plan.id)
        self.env["sales_toolkit.care.log"].create(
            {
                "plan_id": plan.id,
                "description": "Spring Festival gift box",
                "customer_feedback": "Useful",
                "evaluation": "satisfied",
            }
        )
        html = render_html(self.env, "sales_toolkit.report_care_plan", plan)
        self.assertIn("Relationship Care Plan", html)
        self.assertIn("“Useful”", html)
        self.assertEqual(html.count('class="page"'), 1)
        new = self.env["res.partner"].create({"name": "No plan yet", "is_company": True})
        self.assertNotIn("res_id", new.action_toolkit_open_care_plan())

    def test_views(self):
        views = (
            self.env["sales_toolkit.care.plan"]
            .with_user(self.salesman)
            .get_views([(False, "form"), (False, "list"), (False, "search")])
        )
        self.assertIn('name="touches_planned"', views["views"]["form"]["arch"])
        partner_form = self.env["res.partner"].with_user(self.salesman).get_views([(False, "form")])
        self.assertIn("action_toolkit_open_care_plan", partner_form["views"]["form"]["arch"])
        self.assertIn('name="referred_by_id"', partner_form["views"]["form"]["arch"])
