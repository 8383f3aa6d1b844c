import zipfile
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged, users

from .common import SalesToolkitCommon

Q2_FROM, Q2_TO = date(2021, 4, 1), date(2021, 6, 30)
# the covering indexes of the KPI engine, by table (models.Index of the sale extensions)
SALE_INDEXES = {
    "sale_order_sales_toolkit_period_idx": "sale_order",
    "sale_order_line_sales_toolkit_kpi_idx": "sale_order_line",
}


class TargetCommon(SalesToolkitCommon):
    """Sales of 2021 Q2 in a company on Beijing time (UTC+8)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        Team = cls.env["crm.team"]
        cls.team_east = Team.create({"name": "East China", "company_id": cls.company.id})
        cls.team_south = Team.create({"name": "South China", "company_id": cls.company.id})
        Category = cls.env["product.category"]
        cls.categ_a = Category.create({"name": "Product Line A"})
        cls.categ_a_pro = Category.create({"name": "A Pro", "parent_id": cls.categ_a.id})
        cls.categ_b = Category.create({"name": "Product Line B"})
        Product = cls.env["product.product"]
        cls.product_a = Product.create({"name": "Product A", "categ_id": cls.categ_a.id, "taxes_id": False})
        cls.product_a_pro = Product.create(
            {"name": "Product A Pro", "categ_id": cls.categ_a_pro.id, "taxes_id": False}
        )
        cls.product_b = Product.create({"name": "Product B", "categ_id": cls.categ_b.id, "taxes_id": False})
        Partner = cls.env["res.partner"]
        cls.cust_old = Partner.create({"name": "Old Customer"})
        cls.cust_new = Partner.create({"name": "New Customer"})
        cls.cust_key = Partner.create({"name": "Key Customer"})
        cls.cust_lapsed = Partner.create({"name": "Lapsed Customer"})
        cls.cust_key.with_company(cls.company).sudo().customer_tier = "vip"

        order = cls._order
        # 23:30 on 31 March in Beijing: March, the customer's first order
        order(cls.cust_old, [(cls.product_b, 1000)], datetime(2021, 3, 31, 15, 30), cls.team_east)
        order(cls.cust_lapsed, [(cls.product_b, 70)], datetime(2021, 2, 10, 3, 0), cls.team_east)
        # 00:30 on 1 April in Beijing (16:30 UTC on 31 March): April
        order(cls.cust_old, [(cls.product_a, 100)], datetime(2021, 3, 31, 16, 30), cls.team_east)
        order(
            cls.cust_new,
            [(cls.product_a_pro, 200), (cls.product_b, 50)],
            datetime(2021, 5, 10, 2, 0),
            cls.team_east,
            user=cls.salesman,
        )
        # 23:59 on 30 June in Beijing: still June
        order(cls.cust_key, [(cls.product_b, 300)], datetime(2021, 6, 30, 15, 59), cls.team_south)
        # never counted: July in Beijing, a quotation, a cancelled order, another company
        order(cls.cust_new, [(cls.product_a, 5000)], datetime(2021, 6, 30, 16, 0), cls.team_east)
        order(cls.cust_new, [(cls.product_a, 7000)], datetime(2021, 5, 1, 2, 0), cls.team_east, state="draft")
        order(
            cls.cust_new, [(cls.product_a, 9000)], datetime(2021, 5, 2, 2, 0), cls.team_east, state="cancel"
        )
        order(cls.cust_new, [(cls.product_a, 11000)], datetime(2021, 5, 3, 2, 0), company=cls.company_b)

    @classmethod
    def _order(cls, partner, lines, when, team=None, user=None, state="sale", company=None):
        company = company or cls.company
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "team_id": team.id if team else False,
                    "user_id": (user or cls.manager).id,
                    "order_line": [
                        Command.create({"product_id": product.id, "price_unit": price, "product_uom_qty": 1})
                        for product, price in lines
                    ],
                }
            )
        )
        if state != "draft":
            order.action_confirm()
        if state == "cancel":
            order._action_cancel()
        # confirming stamps the order with now: date it afterwards
        order.date_order = when
        return order

    @classmethod
    def _target(cls, **vals):
        values = {
            "name": "Q2 target",
            "period_type": "quarter",
            "date_from": Q2_FROM,
            "kpi": "revenue",
            "target_value": 1000,
            "owner_id": cls.manager.id,
            "company_id": cls.company.id,
            **vals,
        }
        return cls.env["sales_toolkit.target"].create(values)


@tagged("post_install", "-at_install")
class TestTargetMeasure(TargetCommon):
    def assertAchieved(self, expected, **vals):
        target = self._target(**vals)
        self.assertAlmostEqual(target.achieved_value, expected, places=2, msg=vals)
        return target

    def test_period_from_quick_choice(self):
        target = self._target()
        self.assertEqual(target.date_to, Q2_TO)
        self.assertEqual(self._target(period_type="month").date_to, date(2021, 4, 30))
        self.assertEqual(
            self._target(period_type="year", date_from=date(2021, 1, 1)).date_to, date(2021, 12, 31)
        )

    def test_revenue_by_dimension(self):
        # confirmed lines only, days in Beijing time: 100 + 200 + 50 + 300
        self.assertAchieved(650)
        self.assertAchieved(350, team_id=self.team_east.id)
        self.assertAchieved(300, team_id=self.team_south.id)
        self.assertAchieved(250, user_id=self.salesman.id)
        # a category counts its children's products
        self.assertAchieved(300, product_categ_id=self.categ_a.id)
        self.assertAchieved(200, product_categ_id=self.categ_a_pro.id)
        self.assertAchieved(
            200, product_categ_id=self.categ_a.id, team_id=self.team_east.id, customer_type="new"
        )
        self.assertAchieved(550, customer_type="new")
        self.assertAchieved(100, customer_type="existing")
        self.assertAchieved(300, customer_type="key_account")

    def test_month_boundary_in_company_timezone(self):
        self.assertAchieved(100, period_type="month", date_from=date(2021, 4, 1))
        self.assertAchieved(1070, period_type="custom", date_from=date(2021, 2, 1), date_to=date(2021, 3, 31))
        # the same order falls in March when the company keeps UTC
        self.company.partner_id.tz = False
        self.assertAchieved(0, period_type="month", date_from=date(2021, 4, 1))

    def test_counts(self):
        self.assertAchieved(3, kpi="order_count")
        self.assertAchieved(2, kpi="order_count", team_id=self.team_east.id)
        self.assertAchieved(2, kpi="order_count", product_categ_id=self.categ_a.id)
        # first confirmed order in the period: the new and the key customer
        self.assertAchieved(2, kpi="new_customers")
        self.assertAchieved(1, kpi="new_customers", team_id=self.team_east.id)
        self.assertAchieved(1, kpi="new_customers", customer_type="key_account")

    def test_repurchase_rate_is_the_one_definition(self):
        # of the customers of 2021 Q1 (old, lapsed), the old one ordered again
        target = self.assertAchieved(50, kpi="repurchase_rate", target_value=30)
        spec = {"key": 1, "company_id": self.company.id, "kpi": "repurchase_rate"}
        Kpi = self.env["sales_toolkit.kpi"]
        self.assertEqual(
            Kpi._measure([dict(spec, date_from=Q2_FROM, date_to=Q2_TO)]), {1: target.achieved_value}
        )
        # and the two counts behind it, from the same definition
        quarter = dict(spec, date_from=Q2_FROM, date_to=Q2_TO)
        counts = Kpi._measure(
            [dict(quarter, key=2, kpi="repurchase_base"), dict(quarter, key=3, kpi="repurchase_repeat")]
        )
        self.assertEqual((counts[2], counts[3]), (2, 1))
        # the analysis sheet of the quarter shows the same figure on its overall line
        sheet = self.env["sales_toolkit.analysis"].create(
            {"period_type": "quarter", "date_from": Q2_FROM, "company_id": self.company.id}
        )
        sheet.with_user(self.manager).action_generate()
        line = sheet.line_ids.filtered(
            lambda line: line.dimension == "overall" and line.kpi == "repurchase_rate"
        )
        self.assertEqual(line.actual_value, target.achieved_value)
        self.assertAchieved(50, kpi="repurchase_rate", target_value=30, team_id=self.team_east.id)
        # the old customer bought product line B before and product line A again
        self.assertAchieved(0, kpi="repurchase_rate", target_value=30, product_categ_id=self.categ_b.id)
        self.assertAchieved(0, kpi="repurchase_rate", target_value=30, team_id=self.team_south.id)

    def test_many_specs_measured_together(self):
        """Specs measured in one call (what a refresh of all targets and an analysis sheet
        do) get the values they get alone: periods sharing lines, a repurchase rate reading
        the period before next to revenue of the same period, counts by product line where
        an order has lines of two lines."""
        Kpi = self.env["sales_toolkit.kpi"]
        april = (date(2021, 4, 1), date(2021, 4, 30))
        expected = {
            "revenue": (650, {}),
            "revenue_east": (350, {"team_id": self.team_east.id}),
            "revenue_south": (300, {"team_id": self.team_south.id}),
            "revenue_rep": (250, {"user_id": self.salesman.id}),
            "revenue_a": (300, {"categ_id": self.categ_a.id}),
            "revenue_existing": (100, {"customer_type": "existing"}),
            "revenue_april": (100, {"period": april}),
            "orders": (3, {"kpi": "order_count"}),
            "orders_a": (2, {"kpi": "order_count", "categ_id": self.categ_a.id}),
            "orders_b_east": (
                1,
                {"kpi": "order_count", "categ_id": self.categ_b.id, "team_id": self.team_east.id},
            ),
            "orders_april": (1, {"kpi": "order_count", "period": april}),
            "new": (2, {"kpi": "new_customers"}),
            "new_east": (1, {"kpi": "new_customers", "team_id": self.team_east.id}),
            "new_key": (1, {"kpi": "new_customers", "customer_type": "key_account"}),
            "rate": (50, {"kpi": "repurchase_rate"}),
            "rate_b": (0, {"kpi": "repurchase_rate", "categ_id": self.categ_b.id}),
            "rate_south": (0, {"kpi": "repurchase_rate", "team_id": self.team_south.id}),
        }
        names, specs = list(expected), []
        for key, name in enumerate(names):
            dimensions = dict(expected[name][1])
            date_from, date_to = dimensions.pop("period", (Q2_FROM, Q2_TO))
            specs.append(
                {
                    "key": key,
                    "company_id": self.company.id,
                    "kpi": "revenue",
                    "team_id": None,
                    "user_id": None,
                    "categ_id": None,
                    "customer_type": None,
                    "date_from": date_from,
                    "date_to": date_to,
                    **dimensions,
                }
            )
        together = Kpi._measure(specs)
        for spec in specs:
            alone = Kpi._measure([spec])
            self.assertAlmostEqual(together.get(spec["key"], 0.0), alone.get(spec["key"], 0.0), msg=spec)
            name = names[spec["key"]]
            self.assertAlmostEqual(together.get(spec["key"], 0.0), expected[name][0], places=2, msg=name)

    def test_engine_entry_point(self):
        """Specs in, values out: only what a spec names, the rest defaults to everything;
        keys come back as given, an empty list costs no query; history shifts the period."""
        Kpi = self.env["sales_toolkit.kpi"]
        with self.assertQueryCount(0):
            self.assertEqual(Kpi._measure([]), {})
        base = {"company_id": self.company.id, "date_from": Q2_FROM, "date_to": Q2_TO}
        specs = [
            dict(base, key=10, kpi="revenue"),
            dict(
                base,
                key=11,
                kpi="revenue",
                team_id=self.team_east.id,
                categ_id=self.categ_a.id,
                customer_type="new",
            ),
            dict(base, key=12, kpi="revenue", user_id=self.salesman.id),
            dict(base, key=13, kpi="order_count", categ_id=self.categ_a.id),
            dict(base, key=14, kpi="new_customers", customer_type="key_account"),
            dict(base, key=15, kpi="repurchase_rate", team_id=self.team_east.id),
            dict(base, key=16, kpi="revenue", customer_type="existing"),
        ]
        values = Kpi._measure(specs)
        self.assertEqual(
            {key: round(value, 2) for key, value in values.items()},
            {10: 650, 11: 200, 12: 250, 13: 2, 14: 1, 15: 50, 16: 100},
        )
        # the same specs as targets measure the same
        for spec in specs:
            self.assertAchieved(
                values[spec["key"]],
                kpi=spec["kpi"],
                team_id=spec.get("team_id", False),
                user_id=spec.get("user_id", False),
                product_categ_id=spec.get("categ_id", False),
                customer_type=spec.get("customer_type", False),
                target_value=30,
            )
        # the same quarter of 2020 and 2019: no sales then
        history = Kpi._history(dict(base, key=1, kpi="revenue"))
        self.assertEqual(
            history,
            [(date(2020, 4, 1), date(2020, 6, 30), 0.0), (date(2019, 4, 1), date(2019, 6, 30), 0.0)],
        )

    def test_won_leads(self):
        stage_won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        leads = self.env["crm.lead"].create(
            [
                {"name": name, "type": "opportunity", "team_id": team.id, "user_id": self.salesman.id}
                for name, team in (
                    ("in", self.team_east),
                    ("late", self.team_east),
                    ("south", self.team_south),
                )
            ]
        )
        leads.write({"stage_id": stage_won.id})
        leads[0].date_closed = datetime(2021, 3, 31, 17, 0)  # 1 April in Beijing
        leads[1].date_closed = datetime(2021, 6, 30, 16, 30)  # 1 July in Beijing
        leads[2].date_closed = datetime(2021, 5, 5)
        self.assertAchieved(2, kpi="won_leads")
        self.assertAchieved(1, kpi="won_leads", team_id=self.team_east.id)
        with self.assertRefused(ValidationError, "no product category"):
            self._target(kpi="won_leads", product_categ_id=self.categ_a.id)

    def test_invoiced_revenue(self):
        self.company.toolkit_target_revenue_basis = "invoices"
        if not self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.company.id)]
        ):
            self.skipTest("no sales journal: the company has no chart of accounts")
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.cust_old.id,
                "invoice_date": date(2021, 5, 20),
                "team_id": self.team_east.id,
                "invoice_line_ids": [
                    Command.create({"product_id": self.product_a.id, "price_unit": 400, "tax_ids": False}),
                    Command.create({"product_id": self.product_b.id, "price_unit": 40, "tax_ids": False}),
                ],
            }
        )
        self.assertAchieved(0)
        move.action_post()
        self.assertAchieved(440)
        self.assertAchieved(400, product_categ_id=self.categ_a.id)
        self.assertAchieved(0, team_id=self.team_south.id)
        refund = move._reverse_moves()
        refund.invoice_date = date(2021, 6, 2)
        refund.action_post()
        self.assertAchieved(0)  # a credit note takes the revenue back
        # order counts stay on sale orders
        self.assertAchieved(3, kpi="order_count")

    def test_foreign_currency_in_company_currency(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        company_currency = self.company.currency_id
        if eur == company_currency:
            eur = self.env.ref("base.USD")
            eur.active = True
        self.env["res.currency.rate"].create(
            {"name": "2020-01-01", "rate": 2.0, "currency_id": eur.id, "company_id": self.company.id}
        )
        pricelist = self.env["product.pricelist"].create({"name": "Foreign", "currency_id": eur.id})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.cust_old.id,
                "pricelist_id": pricelist.id,
                "team_id": self.team_east.id,
                "order_line": [Command.create({"product_id": self.product_b.id, "price_unit": 500})],
            }
        )
        order.action_confirm()
        order.date_order = datetime(2021, 5, 4, 2, 0)
        self.assertEqual(order.currency_id, eur)
        # 500 in a currency worth half the company's: 250 more
        self.assertAchieved(350 + 250, team_id=self.team_east.id)

    def test_won_leads_by_customer_type(self):
        stage_won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        vals = [
            ("existing", self.cust_old),
            ("key", self.cust_key),
            ("prospect", self.env["res.partner"].create({"name": "Prospect"})),
            ("no partner", self.env["res.partner"]),
        ]
        leads = self.env["crm.lead"].create(
            [{"name": name, "type": "opportunity", "partner_id": partner.id} for name, partner in vals]
        )
        other = (
            self.env["crm.lead"]
            .with_company(self.company_b)
            .create({"name": "other company", "type": "opportunity", "company_id": self.company_b.id})
        )
        (leads | other).write({"stage_id": stage_won.id})
        (leads | other).write({"date_closed": datetime(2021, 5, 5)})
        self.assertAchieved(4, kpi="won_leads")
        self.assertAchieved(1, kpi="won_leads", customer_type="existing")
        # the key customer's first order falls in the period; prospects have none yet
        self.assertAchieved(3, kpi="won_leads", customer_type="new")
        self.assertAchieved(1, kpi="won_leads", customer_type="key_account")

    def test_figures_cannot_be_typed(self):
        with self.assertRefused(UserError, "cannot be typed"):
            self._target(achieved_value=5000)
        target = self._target()
        with self.assertRefused(UserError, "cannot be typed"):
            target.write({"achieved_value": 5000})
        self.assertEqual(target.achieved_value, 650)

    def test_bad_input(self):
        with self.assertRefused(ValidationError, "cannot be negative"):
            self._target(target_value=-1)
        with self.assertRefused(ValidationError, "end before it starts"):
            self._target(period_type="custom", date_from=Q2_TO, date_to=Q2_FROM)
        with self.assertRefused(ValidationError, "cannot exceed 100"):
            self._target(kpi="repurchase_rate", target_value=120)
        parent = self._target()
        child = self._target(parent_id=parent.id)
        with self.assertRefused(UserError, "Recursion"):
            parent.parent_id = child
        with self.assertRefused(UserError, "Use Confirm"):
            parent.state = "closed"
        parent.action_confirm()
        with self.assertRefused(UserError, "keeps what it measures"):
            parent.team_id = self.team_east
        parent.action_close()
        with self.assertRefused(UserError, "frozen"):
            self._target(parent_id=parent.id)


@tagged("post_install", "-at_install")
class TestTargetLifecycle(TargetCommon):
    def test_pace_and_status_with_frozen_clock(self):
        # 16 May in Beijing: 46 of the quarter's 91 days
        with freeze_time("2021-05-16 02:00:00"):
            on_track = self._target(target_value=1000)
            at_risk = self._target(target_value=1400)
            behind = self._target(target_value=2000)
        self.assertAlmostEqual(on_track.expected_rate, 100 * 46 / 91, places=2)
        self.assertAlmostEqual(on_track.forecast_value, 650 * 91 / 46, places=2)
        self.assertAlmostEqual(on_track.completion_rate, 65.0)
        self.assertEqual((on_track.status, at_risk.status, behind.status), ("on_track", "at_risk", "behind"))
        # the thresholds are settings: a stricter company puts the first one at risk
        with freeze_time("2021-05-16 02:00:00"):
            self.company.toolkit_target_on_track_rate = 130
        self.assertEqual(on_track.status, "at_risk")
        with freeze_time("2021-03-20"):
            early = self._target(target_value=1000)
        self.assertEqual((early.expected_rate, early.forecast_value, early.status), (0.0, 0.0, "on_track"))
        late = self._target(target_value=1000)  # the period is over
        self.assertEqual((late.expected_rate, late.forecast_value, late.status), (100.0, 650.0, "behind"))

    def test_buttons_open_children_and_wizards(self):
        parent = self._target()
        child = self._target(parent_id=parent.id)
        action = parent.action_open_children()
        self.assertEqual(action["name"], parent.name)
        Target = self.env["sales_toolkit.target"]
        self.assertEqual(Target.search(action["domain"]), child)
        new = Target.with_context(**action["context"]).create(
            {"name": "Q2 east", "period_type": "quarter", "date_from": Q2_FROM, "target_value": 400}
        )
        self.assertEqual((new.parent_id, new.kpi, new.company_id), (parent, parent.kpi, parent.company_id))
        for action, model in (
            (parent.action_revise(), "sales_toolkit.target.revise"),
            (parent.action_suggest(), "sales_toolkit.target.suggest"),
        ):
            self.assertEqual((action["res_model"], action["target"]), (model, "new"))
            self.assertEqual(action["views"], [(False, "form")])
            self.assertEqual(action["context"], {"default_target_id": parent.id})

    def test_engine_pace_of_a_spec(self):
        """The engine's pace needs no target: a spec, a goal, what is achieved and a day."""
        Kpi = self.env["sales_toolkit.kpi"]
        spec = {"company_id": self.company.id, "kpi": "revenue", "date_from": Q2_FROM, "date_to": Q2_TO}
        may_16 = date(2021, 5, 16)  # 46 of the quarter's 91 days
        pace = Kpi._pace(spec, 1000, 650, may_16)
        self.assertEqual(set(pace), {"completion", "expected", "forecast", "status"})
        self.assertAlmostEqual(pace["completion"], 65.0)
        self.assertAlmostEqual(pace["expected"], 100 * 46 / 91)
        self.assertAlmostEqual(pace["forecast"], 650 * 91 / 46)
        self.assertEqual(pace["status"], "on_track")
        self.assertEqual(Kpi._pace(spec, 1400, 650, may_16)["status"], "at_risk")
        self.assertEqual(Kpi._pace(spec, 2000, 650, may_16)["status"], "behind")
        # a rate does not add up over time: its forecast is the rate so far
        rate = Kpi._pace(dict(spec, kpi="repurchase_rate"), 80, 30, may_16)
        self.assertEqual((rate["forecast"], rate["status"]), (30, "behind"))
        # no goal yet: no completion, and nothing to be behind on
        self.assertEqual(
            Kpi._pace(spec, 0, 650, may_16),
            {"completion": 0.0, "expected": 100 * 46 / 91, "forecast": 650 * 91 / 46, "status": "on_track"},
        )
        # a value in the KPI's unit: an amount, a rate, a count
        currency = self.company.currency_id
        self.assertIn(currency.symbol, Kpi._format_value("revenue", 1234.5, currency))
        self.assertEqual(Kpi._format_value("repurchase_rate", 12.34, currency), "12.3 %")
        self.assertEqual(Kpi._format_value("order_count", 3, currency), "3")
        self.assertEqual(Kpi._unit("revenue", currency), currency.name)
        self.assertEqual(Kpi._unit("won_leads", currency), "opportunities")

    def test_decomposition_check(self):
        parent = self._target(target_value=1000)
        self.assertEqual(parent.decomposition_state, "none")
        east = self._target(parent_id=parent.id, team_id=self.team_east.id, target_value=600)
        self._target(parent_id=parent.id, team_id=self.team_south.id, target_value=300)
        self.assertEqual(parent.decomposition_state, "short")
        self.assertAlmostEqual(parent.decomposition_gap, -100)
        self.assertIn("short by", parent.decomposition_summary)
        east.target_value = 700
        self.assertEqual(parent.decomposition_state, "balanced")
        # product lines are a second split of the same target, checked on their own
        self._target(parent_id=parent.id, product_categ_id=self.categ_a.id, target_value=1200)
        self.assertEqual(parent.decomposition_state, "over")
        self.assertAlmostEqual(parent.decomposition_gap, 200)
        self.assertIn("Sales Team", parent.decomposition_summary)
        self.assertIn("Product Category", parent.decomposition_summary)
        # other KPIs do not count
        self._target(parent_id=parent.id, kpi="order_count", target_value=5)
        self.assertAlmostEqual(parent.decomposition_gap, 200)

    def test_revision_log(self):
        target = self._target()
        target.target_value = 900  # a draft is simply edited
        self.assertFalse(target.revision_ids)
        target.action_confirm()
        with self.assertRefused(UserError, "with a reason"):
            target.target_value = 800
        target._toolkit_revise(800, "Competitor cut its price in March")
        revision = target.revision_ids
        self.assertRecordValues(
            revision,
            [
                {
                    "old_value": 900,
                    "new_value": 800,
                    "reason": "Competitor cut its price in March",
                    "user_id": self.env.uid,
                }
            ],
        )
        self.assertIn("Competitor cut its price", target.message_ids[0].body)
        self.assertAlmostEqual(target.completion_rate, 100 * 650 / 800)
        wizard = self.env["sales_toolkit.target.revise"].create({"target_id": target.id, "reason": "-"})
        self.assertEqual(wizard.new_value, 800)  # starts from the current value
        wizard = self.env["sales_toolkit.target.revise"].create(
            {"target_id": target.id, "new_value": 850, "reason": "Raw material prices rose"}
        )
        wizard.action_apply()
        self.assertEqual(target.target_value, 850)
        self.assertEqual(len(target.revision_ids), 2)
        with self.assertRefused(UserError, "reason"):
            target._toolkit_revise(700, "  ")

    def test_close_freezes_achievement(self):
        target = self._target()
        target.action_confirm()
        target.action_close()
        self.assertEqual(target.achieved_value, 650)
        self._order(self.cust_new, [(self.product_a, 1000)], datetime(2021, 5, 20), self.team_east)
        target._toolkit_refresh_figures()
        with self.no_commit():
            self.env["sales_toolkit.target"]._cron_refresh_figures()
        self.assertEqual(target.achieved_value, 650)
        with self.assertRefused(UserError, "frozen"):
            target.team_id = self.team_east
        with self.assertRefused(UserError, "cannot be deleted|Only draft"):
            target.unlink()
        target.action_reopen()
        self.assertEqual(target.achieved_value, 1650)
        self.assertIn("reopened", target.message_ids[0].body)

    def test_cron_measures_new_orders(self):
        target = self._target()
        target.action_confirm()
        self._order(self.cust_new, [(self.product_a, 1000)], datetime(2021, 5, 20), self.team_east)
        self.assertEqual(target.achieved_value, 650)
        self.env.cr.execute(
            "UPDATE sales_toolkit_target SET figures_date = '2021-01-01' WHERE id = %s", [target.id]
        )
        target.invalidate_recordset(["figures_date"])
        with self.no_commit():
            self.env["sales_toolkit.target"]._cron_refresh_figures()
        self.assertEqual(target.achieved_value, 1650)

    def test_suggest_from_history(self):
        self._order(self.cust_old, [(self.product_a, 400)], datetime(2019, 5, 1), self.team_east)
        self._order(self.cust_old, [(self.product_a, 600)], datetime(2020, 5, 1), self.team_east)
        self._order(self.cust_old, [(self.product_a, 999)], datetime(2020, 8, 1), self.team_east)
        target = self._target(period_type="quarter", date_from=date(2022, 4, 1), team_id=self.team_east.id)
        wizard = self.env["sales_toolkit.target.suggest"].create({"target_id": target.id, "growth_rate": 15})
        self.assertEqual((wizard.last_year_value, wizard.two_years_ago_value), (350.0, 600.0))
        self.assertAlmostEqual(wizard.suggested_value, 475 * 1.15)
        target.date_from = date(2021, 4, 1)
        wizard = self.env["sales_toolkit.target.suggest"].create({"target_id": target.id, "growth_rate": 15})
        self.assertEqual((wizard.last_year_value, wizard.two_years_ago_value), (600.0, 400.0))
        self.assertAlmostEqual(wizard.suggested_value, 575.0)
        wizard.action_apply()
        self.assertAlmostEqual(target.target_value, 575.0)
        # a confirmed target is revised, with the reason on record
        target.action_confirm()
        self.env["sales_toolkit.target.suggest"].create(
            {"target_id": target.id, "growth_rate": 20}
        ).action_apply()
        self.assertAlmostEqual(target.target_value, 600.0)
        self.assertIn("Suggested from history", target.revision_ids.reason)
        empty = self._target(date_from=date(2030, 4, 1))
        with self.assertRefused(UserError, "No sales"):
            self.env["sales_toolkit.target.suggest"].create({"target_id": empty.id}).action_apply()

    def test_monthly_review_checkpoint(self):
        target = self._target(owner_id=self.salesman.id)
        target.action_confirm()
        later = self._target(name="Starts in July", date_from=date(2021, 7, 1))
        later.action_confirm()
        Target = self.env["sales_toolkit.target"]
        review = self.env.ref("sales_toolkit.mail_activity_type_target_review")
        with self.no_commit(), freeze_time("2021-06-01 01:00:00"):
            Target._cron_schedule_reviews()
            Target._cron_schedule_reviews()
        activity = target.activity_ids.filtered(lambda a: a.activity_type_id == review)
        self.assertEqual(len(activity), 1)
        self.assertEqual((activity.user_id, activity.date_deadline), (self.salesman, date(2021, 6, 5)))
        self.assertIn("May 2021", activity.summary)
        self.assertFalse(later.activity_ids)
        # after the review day, no late checkpoint is created
        activity.unlink()
        with self.no_commit(), freeze_time("2021-07-06 01:00:00"):
            Target._cron_schedule_reviews()
        self.assertFalse(target.activity_ids)
        with self.no_commit(), freeze_time("2021-07-02 01:00:00"):
            Target._cron_schedule_reviews()
        self.assertEqual(target.activity_ids.date_deadline, date(2021, 7, 5))

    def _refresh_queries(self, targets):
        targets._toolkit_refresh_figures()  # warm the caches
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        targets._toolkit_refresh_figures()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def test_achievement_query_count_is_flat(self):
        kpis = ["revenue", "order_count", "new_customers", "repurchase_rate", "won_leads"]
        teams = (self.team_east, self.team_south)
        types = ("new", "existing", "key_account", False, "new")
        single = self._target(team_id=self.team_east.id)
        fifty = self.env["sales_toolkit.target"].concat(
            *(
                self._target(team_id=team.id, customer_type=ctype)
                for team in teams
                for ctype in types
                for _i in range(5)
            )
        )
        self.assertEqual(self._refresh_queries(single), self._refresh_queries(fifty))
        # every KPI family at once: one target per KPI, then fifty of them
        five = self.env["sales_toolkit.target"].concat(
            *(self._target(kpi=kpi, target_value=10) for kpi in kpis)
        )
        mixed = self.env["sales_toolkit.target"].concat(
            *(
                self._target(kpi=kpi, target_value=10, team_id=team.id, customer_type=ctype)
                for kpi in kpis
                for team in teams
                for ctype in types
            )
        )
        self.assertEqual(len(fifty), 50)
        self.assertEqual(len(mixed), 50)
        self.assertEqual(self._refresh_queries(five), self._refresh_queries(mixed))


@tagged("post_install", "-at_install")
class TestTargetAccess(TargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_target = cls._target(name="Company", owner_id=cls.manager.id)
        cls.region = cls._target(name="East", parent_id=cls.company_target.id, owner_id=cls.salesman.id)
        cls.person = cls._target(
            name="East - Li", parent_id=cls.region.id, owner_id=cls.salesman_2.id, user_id=cls.salesman_2.id
        )
        cls.other = cls._target(name="South", parent_id=cls.company_target.id, owner_id=cls.leader.id)

    @users("st_salesman")
    def test_rep_reads_own_and_rolled_up_targets(self):
        visible = self.env["sales_toolkit.target"].search(
            [("id", "in", (self.company_target | self.region | self.person | self.other).ids)]
        )
        self.assertEqual(visible, self.region | self.person)
        region = self.region.with_user(self.env.user)
        region.remarks = "Competitor promotion slowed March"
        with self.assertRefused(AccessError, "Only sales managers"):
            region.target_value = 1
        with self.assertRefused(AccessError, "."):
            self.person.with_user(self.env.user).remarks = "not mine"
        with self.assertRefused(AccessError, "."):
            self.env["sales_toolkit.target"].create(
                {"name": "x", "owner_id": self.env.uid, "target_value": 1}
            )
        region.message_post(body="March: two new customers")
        # the actions and the review checkpoint are not theirs to move
        for action in ("action_confirm", "action_close", "action_reopen"):
            with self.assertRefused(AccessError, "Only sales managers"):
                getattr(self.region.with_user(self.env.user), action)()
        with self.assertRefused(AccessError, "Only sales managers"):
            region.review_requested_date = date(2099, 1, 5)
        # their own target sits below one they cannot read: who answers for it still reads
        self.assertEqual(region.responsible_user_ids, self.manager | self.salesman)
        # a rep exports the tracking sheet of a target they read but do not own
        action = self.person.with_user(self.env.user).action_export_xlsx()
        self.assertEqual(action["url"], f"/sales_toolkit/xlsx/sales_toolkit.target/{self.person.id}")
        self.person.with_user(self.env.user)._toolkit_xlsx_file()

    @users("st_salesman_2")
    def test_salesperson_dimension_reads_own(self):
        visible = self.env["sales_toolkit.target"].search([])
        self.assertEqual(
            visible & (self.company_target | self.region | self.person | self.other), self.person
        )

    @users("st_leader")
    def test_leader_reads_all_writes_own_remarks(self):
        targets = self.env["sales_toolkit.target"].search(
            [("id", "in", (self.company_target | self.other).ids)]
        )
        self.assertEqual(len(targets), 2)
        self.other.with_user(self.env.user).remarks = "ok"
        with self.assertRefused(AccessError, "."):
            self.company_target.with_user(self.env.user).remarks = "not mine"

    @users("st_manager")
    def test_manager_does_everything(self):
        target = self._target(name="Manager's")
        target.with_user(self.env.user).action_confirm()
        target.with_user(self.env.user)._toolkit_revise(2000, "Good quarter")
        self.assertEqual(target.revision_ids.with_user(self.env.user).new_value, 2000)
        draft = self.env["sales_toolkit.target"].create(
            {"name": "tmp", "owner_id": self.env.uid, "target_value": 5, "date_from": Q2_FROM}
        )
        draft.unlink()

    @users("st_salesman_b")
    def test_other_company_sees_nothing(self):
        self.assertFalse(
            self.env["sales_toolkit.target"].search([("id", "in", (self.company_target | self.region).ids)])
        )


@tagged("post_install", "-at_install")
class TestTargetSheets(TargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.parent = cls._target(name="Company Q2", target_value=1000)
        cls.east = cls._target(
            name="East China Q2",
            parent_id=cls.parent.id,
            team_id=cls.team_east.id,
            target_value=400,
            owner_id=cls.salesman.id,
            remarks="=1+2 is not a formula",
        )
        cls.east_a = cls._target(
            name="East China line A",
            parent_id=cls.east.id,
            team_id=cls.team_east.id,
            product_categ_id=cls.categ_a.id,
            target_value=250,
        )
        cls.south = cls._target(
            name="South China Q2", parent_id=cls.parent.id, team_id=cls.team_south.id, target_value=500
        )
        cls.unrelated = cls._target(name="Unrelated target")

    def test_strategies_of_a_target(self):
        strategy = self.env["sales_toolkit.strategy"].create(
            {
                "name": "East China launch",
                "team_id": self.team_east.id,
                "date_from": Q2_FROM,
                "date_to": Q2_TO,
                "target_ids": [Command.link(self.east.id)],
            }
        )
        self.assertEqual((self.east.strategy_ids, self.east.strategy_count), (strategy, 1))
        action = self.east.action_open_strategies()
        self.assertEqual(self.env["sales_toolkit.strategy"].search(action["domain"]), strategy)

    def test_tracking_sheet_rows_depth_first(self):
        rows = [(depth, target.name) for depth, target in self.parent._tracking_sheet_rows()]
        self.assertEqual(
            rows,
            [(0, "Company Q2"), (1, "East China Q2"), (2, "East China line A"), (1, "South China Q2")],
        )
        # siblings follow their sequence
        self.south.sequence = 1
        rows = [target.name for _depth, target in self.parent._tracking_sheet_rows()]
        self.assertEqual(rows, ["Company Q2", "South China Q2", "East China Q2", "East China line A"])

    def test_tracking_sheet_pdf(self):
        self.parent.action_confirm()
        self.parent._toolkit_revise(900, "Raw material prices rose")
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "sales_toolkit.action_report_target_tracking", self.parent.ids
            )[0]
        )
        for text in (
            "Target Tracking Sheet",
            "East China line A",
            "South China Q2",
            "=1+2 is not a formula",
            "Cumulative Achieved",
            "72 %",  # 650 of 900
            "Raw material prices rose",
        ):
            self.assertIn(text, html)
        self.assertNotIn("Unrelated target", html)
        self.assertNotIn("do not add up", html)  # 400 + 500 make the revised 900
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "sales_toolkit.action_report_target_tracking", self.east.ids
            )[0]
        )
        self.assertIn("do not add up", html)  # line A's 250 of East China's 400
        self.assertNotIn("Company Q2", html)

    def test_tracking_sheet_xlsx(self):
        import io

        import openpyxl

        name, raw = self.parent._toolkit_xlsx_file()
        self.assertEqual(name, "Target tracking - Company Q2.xlsx")
        workbook = openpyxl.load_workbook(io.BytesIO(raw))
        sheet = workbook.active
        self.assertEqual(len(workbook.worksheets), 1)
        self.assertIn("Company Q2", sheet["A1"].value)
        self.assertEqual(sheet["A4"].value, "Target")
        self.assertEqual(sheet["A5"].value, "Company Q2")
        self.assertEqual(sheet["A7"].value.strip(), "East China line A")
        self.assertEqual((sheet["E5"].value, sheet["F5"].value), (1000, 650))
        self.assertAlmostEqual(sheet["G5"].value, 0.65)
        self.assertEqual(sheet["G5"].number_format, "0%")
        self.assertEqual(sheet["F6"].value, 350)  # East China
        self.assertEqual(sheet["F7"].value, 300)  # East China, line A and its A Pro child
        # text stays text: a remark that looks like a formula is not evaluated
        self.assertEqual((sheet["K6"].value, sheet["K6"].data_type), ("=1+2 is not a formula", "s"))
        self.assertEqual(sum(len(rule.rules) for rule in sheet.conditional_formatting), 3)
        self.assertEqual(len(sheet._charts), 1)
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            self.assertIn("xl/charts/chart1.xml", archive.namelist())


@tagged("post_install", "-at_install")
class TestTargetIndexes(TargetCommon):
    def _indexes(self):
        self.env.cr.execute("SELECT indexname FROM pg_indexes WHERE indexname IN %s", [tuple(SALE_INDEXES)])
        return {row[0] for row in self.env.cr.fetchall()}

    def test_sale_indexes_are_added_and_dropped_on_uninstall(self):
        self.assertEqual(self._indexes(), set(SALE_INDEXES))
        # the engine's reads of a period's confirmed orders, then of their lines, are served
        # by index-only scans of them (no heap read)
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute("SET LOCAL enable_bitmapscan = off")
        for index, query in (
            (
                "sale_order_sales_toolkit_period_idx",
                """EXPLAIN SELECT id, partner_id, team_id, user_id, currency_rate FROM sale_order
                    WHERE state = 'sale' AND company_id = %s
                      AND date_order >= '2021-04-01' AND date_order < '2021-07-01'""",
            ),
            (
                "sale_order_line_sales_toolkit_kpi_idx",
                """EXPLAIN SELECT order_id, price_subtotal, product_id FROM sale_order_line
                    WHERE display_type IS NULL AND is_downpayment IS NOT TRUE AND order_id != %s""",
            ),
        ):
            self.env.cr.execute(query, [self.company.id])
            plan = "\n".join(row[0] for row in self.env.cr.fetchall())
            self.assertIn(f"Index Only Scan using {index}", plan)
        # Odoo knows them as the module's indexes: uninstalling the module drops them
        constraints = self.env["ir.model.constraint"].search(
            [("name", "in", list(SALE_INDEXES)), ("module.name", "=", "sales_toolkit")]
        )
        self.assertEqual(set(constraints.mapped("type")), {"i"})
        self.assertEqual(len(constraints), 2)
        constraints.unlink()  # what an uninstall does (ir.model.constraint); rolled back with the test
        self.assertEqual(self._indexes(), set())
