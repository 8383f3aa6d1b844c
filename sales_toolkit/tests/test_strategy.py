from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged, users
from odoo.tools import mute_logger

from .common import SalesToolkitCommon, create_team, render_html


@tagged("post_install", "-at_install")
class TestStrategy(SalesToolkitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = create_team(cls.env, "Toolkit East", cls.leader, cls.salesman, company_id=cls.company.id)
        cls.team_south = cls.env["crm.team"].create({"name": "Toolkit South", "company_id": cls.company.id})

    def _strategy(self, **vals):
        values = {
            "name": "East China product A launch",
            "team_id": self.team.id,
            "company_id": self.company.id,
            "user_id": self.manager.id,
            "date_from": date(2024, 3, 1),
            "date_to": date(2024, 5, 31),
            "objective": "Revenue > 500,000 within 3 months",
            "expected_effect": "30 new customers, trial conversion >= 20%",
            "budget": 200000,
            "material": "5,000 brochures",
            "line_ids": [
                Command.create({"kind": "place", "description": "Sign 3 distributors"}),
                Command.create({"kind": "promotion", "description": "Online ads (150,000)"}),
                Command.create({"kind": "price", "description": "First month free trial"}),
            ],
            "milestone_ids": [
                Command.create(
                    {
                        "name": "Sign distributors",
                        "date": date(2024, 3, 1),
                        "user_id": self.salesman_2.id,
                        "done_criterion": "3 contracts signed",
                    }
                ),
                Command.create({"name": "Ads live", "date": date(2024, 3, 15), "user_id": self.manager.id}),
            ],
            "kpi_ids": [
                Command.create({"name": "Trial orders", "target": 100, "actual": 40, "unit": "orders"}),
                Command.create({"name": "Monthly revenue", "target": 500000, "actual": 0}),
            ],
            "risk_ids": [
                Command.create(
                    {
                        "name": "A distributor pulls out",
                        "likelihood": "medium",
                        "impact": "high",
                        "contingency": "Sign the backup distributor",
                    }
                )
            ],
            **vals,
        }
        return self.env["sales_toolkit.strategy"].create(values)

    # ------------------------------------------------------------------
    # Focus rule
    # ------------------------------------------------------------------

    def test_focus_rule_third_overlapping_strategy_asks_confirmation(self):
        first, second = self._strategy(name="First"), self._strategy(name="Second")
        self.assertIs(first.action_activate(), True)
        self.assertIs(second.action_activate(), True, "two core strategies are fine")
        third = self._strategy(name="Third", date_from=date(2024, 5, 1), date_to=date(2024, 8, 31))
        self.assertEqual(third.focus_conflict_ids, first | second)
        action = third.action_activate()
        self.assertEqual(action["res_model"], "sales_toolkit.strategy.activate")
        self.assertEqual(third.state, "draft", "not activated without confirmation")
        wizard = self.env["sales_toolkit.strategy.activate"].browse(action["res_id"])
        self.assertIn("Toolkit East", wizard.message)
        self.assertIn("between 05/01/2024 and 08/31/2024", wizard.message)
        self.assertIn("First", wizard.message)
        self.assertIn("1-2 core strategies", wizard.message)
        # a direct write does not slip past the rule either
        with self.assertRefused(UserError, "1-2 core strategies"):
            third.write({"state": "active"})
        wizard.action_confirm()
        self.assertEqual(third.state, "active")
        # once confirmed, the plan can still be edited without asking again
        third.date_to = date(2024, 9, 30)
        self.assertIn(
            "overlapping", third.message_ids[:2].mapped("body")[-1] + third.message_ids[:2].mapped("body")[0]
        )

    def test_focus_rule_other_team_or_period(self):
        self._strategy(name="First").action_activate()
        self._strategy(name="Second").action_activate()
        other_team = self._strategy(name="South", team_id=self.team_south.id)
        self.assertIs(other_team.action_activate(), True)
        self.assertEqual(other_team.state, "active")
        later = self._strategy(name="Later", date_from=date(2024, 6, 1), date_to=date(2024, 8, 31))
        self.assertIs(later.action_activate(), True)
        self.assertEqual(later.state, "active")
        # moving an active strategy into a crowded period is refused too
        with self.assertRefused(UserError, "1-2 core strategies.*\n.*another period"):
            later.date_from = date(2024, 5, 1)
        cancelled = self._strategy(name="Cancelled")
        cancelled.action_cancel()
        self.assertIs(self._strategy(name="Fourth", team_id=self.team_south.id).action_activate(), True)

    # ------------------------------------------------------------------
    # States and input
    # ------------------------------------------------------------------

    def test_state_transitions(self):
        strategy = self._strategy()
        self.assertEqual(strategy.state, "draft")
        strategy.action_activate()
        self.assertEqual(strategy.state, "active")
        with self.assertRefused(UserError, "cancel it first"):
            strategy.unlink()
        strategy.action_done()
        self.assertEqual(strategy.state, "done")
        strategy.action_cancel()
        self.assertEqual(strategy.state, "done", "a done strategy stays done")
        other = self._strategy(name="Other")
        other.action_cancel()
        self.assertEqual(other.state, "cancelled")
        other.action_draft()
        self.assertEqual(other.state, "draft")
        other.unlink()
        self.env.cr.precommit.run()
        tracked = strategy.message_ids.tracking_value_ids.filtered(lambda v: v.field_id.name == "state")
        self.assertTrue(tracked, "state changes are tracked")

    def test_activation_needs_objective_milestone_and_kpi(self):
        strategy = self._strategy(objective=False, milestone_ids=False, kpi_ids=False)
        with self.assertRefused(UserError, "quantified objective.*milestone.*evaluation KPI"):
            strategy.action_activate()
        with self.assertRefused(UserError, "as a draft"):
            self._strategy(state="active")

    @mute_logger("odoo.sql_db")
    def test_bad_input_refused(self):
        Strategy = self.env["sales_toolkit.strategy"]
        for vals, message in (
            ({"date_to": date(2024, 2, 1)}, "The strategy ends before it starts: check the period."),
            ({"budget": -1}, "The budget cannot be negative."),
        ):
            with self.assertRaises(IntegrityError) as catcher:
                self._strategy(**vals)
                self.env.flush_all()
            self.assertEqual(Strategy._sql_error_to_message(catcher.exception), message)

    # ------------------------------------------------------------------
    # Milestones
    # ------------------------------------------------------------------

    def test_milestone_activities(self):
        strategy = self._strategy()
        sign, ads = strategy.milestone_ids.sorted("date")
        self.assertFalse(strategy.activity_ids, "no activity while the strategy is a draft")
        strategy.action_activate()
        self.assertEqual(sign.activity_id.user_id, self.salesman_2)
        self.assertEqual(sign.activity_id.date_deadline, date(2024, 3, 1))
        self.assertEqual(sign.activity_id.summary, "Sign distributors")
        self.assertIn("3 contracts signed", str(sign.activity_id.note))
        self.assertEqual(len(strategy.activity_ids), 2)
        # kept in sync with date and owner
        sign.write({"date": date(2024, 3, 5), "user_id": self.salesman.id})
        self.assertEqual(sign.activity_id.date_deadline, date(2024, 3, 5))
        self.assertEqual(sign.activity_id.user_id, self.salesman)
        # a milestone added to an active strategy gets its activity
        trial = self.env["sales_toolkit.strategy.milestone"].create(
            {"strategy_id": strategy.id, "name": "Trial starts", "date": date(2024, 3, 20)}
        )
        self.assertTrue(trial.activity_id)
        # closed when done: the activity is archived with a message
        activity = sign.activity_id
        sign.action_mark_done()
        self.assertFalse(activity.active)
        self.assertIn("Milestone reached", strategy.message_ids[0].body)
        # removed when cancelled, or when the strategy ends
        trial.action_cancel()
        self.assertFalse(trial.activity_id.exists())
        strategy.action_done()
        self.assertFalse(ads.activity_id.exists())
        self.assertFalse(strategy.activity_ids)

    def test_milestone_done_from_its_activity(self):
        strategy = self._strategy()
        strategy.action_activate()
        sign, ads = strategy.milestone_ids.sorted("date")
        # the owner marks the to-do done from the chatter or the activity menu
        sign.activity_id.with_user(self.salesman_2).action_feedback(feedback="Signed")
        self.assertEqual(sign.state, "done")
        # another rep cannot close the owner's to-do; a sales manager can, for them
        ads.user_id = self.salesman
        with self.assertRaises(AccessError):
            ads.activity_id.with_user(self.salesman_2).action_feedback()
        self.assertEqual(ads.state, "todo")
        ads.activity_id.with_user(self.manager).action_feedback()
        self.assertEqual(ads.state, "done")

    def test_milestone_overdue(self):
        strategy = self._strategy()
        sign, ads = strategy.milestone_ids.sorted("date")
        Milestone = self.env["sales_toolkit.strategy.milestone"]
        with freeze_time(date(2024, 3, 10)):
            strategy.invalidate_recordset()
            (sign | ads).invalidate_recordset()
            self.assertFalse(sign.is_overdue, "a draft strategy has nothing overdue")
            strategy.action_activate()
            (sign | ads).invalidate_recordset()
            self.assertTrue(sign.is_overdue)
            self.assertFalse(ads.is_overdue)
            self.assertEqual(strategy.milestone_overdue_count, 1)
            self.assertEqual(
                Milestone.search([("is_overdue", "=", True), ("strategy_id", "=", strategy.id)]), sign
            )
            self.assertEqual(
                Milestone.search([("is_overdue", "=", False), ("strategy_id", "=", strategy.id)]), ads
            )
            Strategy = self.env["sales_toolkit.strategy"]
            self.assertIn(strategy, Strategy.search([("has_overdue_milestone", "=", True)]))
            sign.action_mark_done()
            sign.invalidate_recordset()
            strategy.invalidate_recordset()
            self.assertFalse(sign.is_overdue)
            self.assertNotIn(strategy, Strategy.search([("has_overdue_milestone", "=", True)]))
            self.assertIn(strategy, Strategy.search([("has_overdue_milestone", "=", False)]))

    def test_milestone_owner_marks_own_milestone_done(self):
        strategy = self._strategy()
        strategy.action_activate()
        sign, ads = strategy.milestone_ids.sorted("date")
        # salesman_2 owns "Sign distributors" without being in the team: owners see the plan
        as_owner = sign.with_user(self.salesman_2)
        self.assertEqual(as_owner.strategy_id.with_user(self.salesman_2).name, "East China product A launch")
        as_owner.action_mark_done()
        self.assertEqual(sign.state, "done")
        self.assertFalse(sign.activity_id.active)
        with self.assertRefused(AccessError, "Only sales managers"):
            sign.with_user(self.salesman_2).write({"date": date(2024, 4, 1)})
        with self.assertRaises(AccessError):
            ads.with_user(self.salesman_2).action_mark_done()
        self.assertEqual(ads.state, "todo")
        # the team leader reads everything but does not plan
        with self.assertRefused(AccessError, "Only sales managers and the Owner can change"):
            ads.with_user(self.leader).action_mark_done()
        ads.with_user(self.manager).action_mark_done()
        self.assertEqual(ads.state, "done")

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_access_rules(self):
        east = self._strategy(name="East")
        south = self._strategy(name="South", team_id=self.team_south.id, milestone_ids=False)
        south_b = self.env["sales_toolkit.strategy"].create(
            {
                "name": "Company B strategy",
                "company_id": self.company_b.id,
                "team_id": self.env["crm.team"]
                .create({"name": "B team", "company_id": self.company_b.id})
                .id,
                "date_from": date(2024, 1, 1),
                "date_to": date(2024, 12, 31),
            }
        )
        ids = (east | south | south_b).ids
        Strategy = self.env["sales_toolkit.strategy"]
        # reps read the strategies of their team
        self.assertEqual(Strategy.with_user(self.salesman).search([("id", "in", ids)]), east)
        self.assertEqual(
            east.with_user(self.salesman).line_ids.mapped("kind"), ["place", "promotion", "price"]
        )
        with self.assertRaises(AccessError):
            south.with_user(self.salesman).read(["name"])
        with self.assertRaises(AccessError):
            east.with_user(self.salesman).write({"objective": "Changed"})
        with self.assertRaises(AccessError):
            Strategy.with_user(self.salesman).create(
                {"name": "Mine", "team_id": self.team.id, "date_to": date(2024, 1, 1)}
            )
        with self.assertRaises(AccessError):
            self.env["sales_toolkit.strategy.kpi"].with_user(self.salesman).create(
                {"strategy_id": east.id, "name": "Sneaky"}
            )
        with self.assertRaises(AccessError):
            east.with_user(self.salesman).action_activate()
        self.assertEqual(east.state, "draft")
        # ... and a rep named among the resources reads that plan
        south.resource_user_ids = self.salesman
        self.assertEqual(Strategy.with_user(self.salesman).search([("id", "in", ids)]), east | south)
        # team leaders read all strategies of their companies, without changing them
        self.assertEqual(Strategy.with_user(self.leader).search([("id", "in", ids)]), east | south)
        with self.assertRaises(AccessError):
            south.with_user(self.leader).write({"objective": "Changed"})
        # managers plan
        manager_east = east.with_user(self.manager)
        manager_east.write({"objective": "Revenue > 600,000 within 3 months"})
        manager_east.kpi_ids[0].actual = 55
        copy = manager_east.copy()
        self.assertEqual(len(copy.milestone_ids), 2)
        copy.unlink()
        # other company
        self.assertEqual(Strategy.with_user(self.salesman_b).search([("id", "in", ids)]), south_b)
        with self.assertRaises(AccessError):
            east.with_user(self.salesman_b).read(["name"])

    @users("st_manager")
    def test_form(self):
        form = Form(self.env["sales_toolkit.strategy"])
        form.name = "Key account: Tech Co."
        form.scenario = "key_account"
        form.team_id = self.team
        form.date_to = date(2099, 1, 31)
        form.objective = "100 orders in the first month"
        with form.milestone_ids.new() as milestone:
            milestone.name = "Kick-off"
            milestone.date = date(2099, 1, 5)
        with form.kpi_ids.new() as kpi:
            kpi.name = "Orders"
            kpi.target = 100
        strategy = form.save()
        self.assertEqual(strategy.milestone_ids.user_id, self.env.user)
        strategy.action_activate()
        self.assertEqual(strategy.state, "active")

    # ------------------------------------------------------------------
    # Report, views
    # ------------------------------------------------------------------

    def test_report(self):
        strategy = self._strategy()
        other = self._strategy(name="Key account: Tech Co.")
        html = render_html(self.env, "sales_toolkit.report_strategy", strategy | other)
        self.assertEqual(html.count('class="page o_toolkit_strategy"'), 2, "one document per strategy")
        for text in (
            "Sales Strategy Plan",
            "Objective",
            "Core Strategy",
            "Resources Needed",
            "Expected Effect",
            "Evaluation KPIs",
            "Revenue &gt; 500,000 within 3 months",
            "Sign 3 distributors",
            "Online ads (150,000)",
            "5,000 brochures",
            "Sign distributors",
            "Rep Li",
            "30 new customers",
            "Trial orders",
            "Sign the backup distributor",
            "Key account: Tech Co.",
        ):
            self.assertIn(text, html)

    def test_views(self):
        Strategy = self.env["sales_toolkit.strategy"].with_user(self.salesman)
        views = Strategy.get_views([(False, "form"), (False, "list"), (False, "kanban"), (False, "search")])[
            "views"
        ]
        for page in ("market_analysis", "strategy", "resources", "milestones", "risks", "evaluation"):
            self.assertIn(f'name="{page}"', views["form"]["arch"])
        self.assertNotIn("action_activate", views["form"]["arch"], "reps do not activate")
        for name in ("my_team", "active", "overdue_milestones", "by_scenario", "by_team"):
            self.assertIn(f'name="{name}"', views["search"]["arch"])
        manager_form = self.env["sales_toolkit.strategy"].with_user(self.manager).get_views([(False, "form")])
        self.assertIn("action_activate", manager_form["views"]["form"]["arch"])
        milestones = self.env["sales_toolkit.strategy.milestone"].get_views(
            [(False, "list"), (False, "calendar"), (False, "search")]
        )["views"]
        self.assertIn('name="overdue"', milestones["search"]["arch"])
        self.assertIn('date_start="date"', milestones["calendar"]["arch"])
        wizard = (
            self.env["sales_toolkit.strategy.activate"].with_user(self.manager).get_views([(False, "form")])
        )
        self.assertIn("action_confirm", wizard["views"]["form"]["arch"])
        menu = self.env.ref("sales_toolkit.sales_toolkit_strategy_menu")
        self.assertEqual(menu.parent_id, self.env.ref("sales_toolkit.sales_toolkit_planning_menu"))
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.salesman)._visible_menu_ids())
        for domain in (
            [("team_id.user_id", "=", self.env.uid)],
            [("has_overdue_milestone", "=", True)],
        ):
            self.env["sales_toolkit.strategy"].search(domain)
        groups = (
            self.env["sales_toolkit.strategy"]
            .with_context(read_group_expand=True)
            .formatted_read_group([("id", "=", self._strategy().id)], ["state"], ["__count"])
        )
        self.assertEqual([group["state"] for group in groups], ["draft", "active", "done", "cancelled"])

    # ------------------------------------------------------------------
    # Targets
    # ------------------------------------------------------------------

    def _target(self, name, **vals):
        values = {
            "name": name,
            "company_id": self.company.id,
            "team_id": self.team.id,
            "owner_id": self.leader.id,
            "kpi": "revenue",
            "target_value": 50000,
            "period_type": "custom",
            "date_from": date(2024, 3, 1),
            "date_to": date(2024, 5, 31),
            **vals,
        }
        return self.env["sales_toolkit.target"].create(values)

    def test_target_completion_on_the_plan(self):
        customer = self.env["res.partner"].create({"name": "Trial Co.", "is_company": True})
        product = self.env["product.product"].create({"name": "Product A", "taxes_id": False})
        for price in (30000, 20000):
            order = self.env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "team_id": self.team.id,
                    "order_line": [Command.create({"product_id": product.id, "price_unit": price})],
                }
            )
            order.action_confirm()
            order.date_order = datetime(2024, 3, 20, 4)
        revenue = self._target("East China revenue")
        orders = self._target("East China orders", kpi="order_count", target_value=4)
        (revenue | orders)._toolkit_refresh_figures()
        self.assertEqual((revenue.completion_rate, orders.completion_rate), (100, 50))
        strategy = self._strategy(target_ids=[Command.set((revenue | orders).ids)])
        self.assertAlmostEqual(strategy.target_completion, 75)
        form = strategy.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="completion_rate" widget="progressbar"', form)
        html = render_html(self.env, "sales_toolkit.report_strategy", strategy)
        self.assertIn("East China revenue", html)
        self.assertIn("100</span> %", html)
        self.assertIn("50</span> %", html)
        as_rep = strategy.with_user(self.salesman)
        self.assertAlmostEqual(as_rep.target_completion, 75)
        with self.assertRaises(AccessError):
            revenue.with_user(self.salesman).read(["name"])
        # the form opens for the rep: the targets they cannot open are left out of the list
        spec = {"target_completion": {}, "target_ids": {"fields": {"name": {}, "completion_rate": {}}}}
        self.assertFalse(as_rep.web_read(spec)[0]["target_ids"])
        as_rep.invalidate_recordset(["target_completion"])
        self.assertAlmostEqual(
            as_rep.target_completion, 75, msg="all targets count, not only those of the rep"
        )
        # nor printed for them: the report shows what the form shows
        self.assertNotIn(
            "East China revenue",
            render_html(self.env(user=self.salesman), "sales_toolkit.report_strategy", strategy),
        )
        # targets of another company cannot be linked
        target_b = self.env["sales_toolkit.target"].create(
            {"name": "B revenue", "company_id": self.company_b.id, "kpi": "revenue", "target_value": 1}
        )
        with self.assertRefused(UserError, "(?i)compan"):
            strategy.target_ids = [Command.link(target_b.id)]
