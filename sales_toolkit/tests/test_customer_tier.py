from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SalesToolkitCommon


@tagged("post_install", "-at_install")
class TestCustomerTier(SalesToolkitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.company._toolkit_today()
        cls.product = cls.env["product.product"].create({"name": "Toolkit widget", "list_price": 1.0})

    def _customer(self, name="Tech Co."):
        return self.env["res.partner"].create({"name": name, "is_company": True})

    def _order(self, partner, amount, days_ago=10, confirm=True, company=None):
        order = (
            self.env["sale.order"]
            .with_company(company or self.company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": (company or self.company).id,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 1,
                                "price_unit": amount,
                                "tax_ids": False,
                            },
                        )
                    ],
                }
            )
        )
        if confirm:
            order.action_confirm()
        order.date_order = datetime.combine(self.today - timedelta(days=days_ago), time(12))
        return order

    def _run_cron(self):
        with self.no_commit():
            self.env["res.partner"]._cron_update_customer_tiers()

    def test_thresholds(self):
        cases = [(199999, "regular"), (200000, "key"), (499999, "key"), (500000, "vip")]
        partners = {}
        for amount, _tier in cases:
            partners[amount] = self._customer(f"Customer {amount}")
            self._order(partners[amount], amount)
        self._run_cron()
        for amount, tier in cases:
            self.assertEqual(partners[amount].annual_purchase_amount, amount)
            self.assertEqual(partners[amount].customer_tier, tier, amount)

    def test_only_confirmed_orders_of_the_trailing_year_count(self):
        partner = self._customer()
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": partner.id})
        self._order(partner, 150000)
        self._order(contact, 60000, days_ago=100)  # orders of its contacts count for the company
        self._order(partner, 400000, days_ago=400)  # older than 12 months
        self._order(partner, 300000, confirm=False)  # quotation
        cancelled = self._order(partner, 300000)
        cancelled._action_cancel()
        self._order(partner, 900000, company=self.company_b)
        self.assertEqual(partner.annual_purchase_amount, 210000)
        self._run_cron()
        self.assertEqual(partner.customer_tier, "key")
        self.assertEqual(partner.with_company(self.company_b).customer_tier, "vip", "tiers are per company")

    def test_tier_comes_down_when_purchases_age(self):
        partner = self._customer()
        order = self._order(partner, 600000)
        self._run_cron()
        self.assertEqual(partner.customer_tier, "vip")
        order.date_order = datetime.combine(self.today - relativedelta(years=1), time(12))
        self._run_cron()
        self.assertEqual(partner.customer_tier, "regular")
        self.assertIn("VIP → Regular", partner.message_ids[0].body)

    def test_override_needs_a_reason_and_wins(self):
        partner = self._customer().with_user(self.manager)
        with self.assertRefused(ValidationError, "reason for overriding"):
            partner.write({"tier_override": "vip"})
        partner.write({"tier_override": "vip", "tier_override_reason": "Group buyer of three plants"})
        self.assertEqual(partner.customer_tier, "vip")
        self.assertIn("set by hand", partner.message_ids[0].body)
        self._run_cron()
        self.assertEqual(partner.customer_tier, "vip", "the nightly job keeps the override")
        partner.write({"tier_override": False})
        self.assertEqual(partner.customer_tier, "regular")

    def test_override_given_at_creation(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Imported VIP",
                "is_company": True,
                "tier_override": "vip",
                "tier_override_reason": "Group buyer",
            }
        )
        self.assertEqual(partner.customer_tier, "vip")

    def test_salesman_cannot_override(self):
        partner = self._customer()
        with self.assertRaises(AccessError):
            partner.with_user(self.salesman).write({"tier_override": "vip", "tier_override_reason": "x"})
        self.assertEqual(partner.with_user(self.salesman).customer_tier, "regular")

    def test_invoice_basis(self):
        partner = self._customer()
        self._order(partner, 250000)
        self.company.toolkit_tier_basis = "invoices"
        self.assertEqual(partner.annual_purchase_amount, 0, "nothing invoiced yet")
        self.company.toolkit_tier_basis = "orders"
        partner.invalidate_recordset(["annual_purchase_amount"])
        self.assertEqual(partner.annual_purchase_amount, 250000)

    def test_thresholds_are_settings(self):
        partner = self._customer()
        self._order(partner, 150000)
        self.company.toolkit_tier_key_amount = 100000
        self._run_cron()
        self.assertEqual(partner.customer_tier, "key")
        with self.assertRefused(ValidationError, "key account threshold"):
            self.company.toolkit_tier_key_amount = 600000

    def test_repurchase_rate_of_a_group(self):
        loyal, lapsed, newcomer = (self._customer(name) for name in ("Loyal", "Lapsed", "Newcomer"))
        # previous quarter: loyal and lapsed ordered; this quarter: loyal and newcomer
        # the group: a salesperson's customers (the loyal one also of a team of their own)
        rep = new_test_user(self.env, "st_repurchase_rep", groups="sales_team.group_sale_salesman")
        team = self.env["crm.team"].create({"name": "Loyal team", "company_id": self.company.id})
        for partner, days_ago in ((loyal, 120), (lapsed, 100), (loyal, 10), (newcomer, 5)):
            order = self._order(partner, 100, days_ago=days_ago)
            order.write(
                {"user_id": rep.id, "team_id": (team if partner == loyal else self.env["crm.team"]).id}
            )
        spec = {
            "key": 1,
            "company_id": self.company.id,
            "kpi": "repurchase_rate",
            "user_id": rep.id,
            "date_from": self.today - timedelta(days=89),
            "date_to": self.today,
        }
        Kpi = self.env["sales_toolkit.kpi"]
        # of the two customers of the previous 90 days, one ordered again; the newcomer is no base
        self.assertEqual(Kpi._measure([spec]), {1: 50.0})
        counts = Kpi._measure(
            [dict(spec, key=2, kpi="repurchase_base"), dict(spec, key=3, kpi="repurchase_repeat")]
        )
        self.assertEqual((counts[2], counts[3]), (2, 1))
        self.assertEqual(Kpi._measure([dict(spec, team_id=team.id)]), {1: 100.0})

    def test_cron_query_count_does_not_grow(self):
        def queries_for(count):
            partners = self.env["res.partner"]
            for i in range(count):
                partner = self._customer(f"Bulk {count}-{i}")
                self._order(partner, 300000)
                partners |= partner
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._run_cron()
            spent = self.env.cr.sql_log_count - before
            self.assertEqual(set(partners.mapped("customer_tier")), {"key"})
            return spent

        queries_for(1)  # warm the caches
        self.assertEqual(queries_for(1), queries_for(30))


@tagged("post_install", "-at_install")
class TestServiceLevel(SalesToolkitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vip = cls.env["res.partner"].create({"name": "VIP Tech Co.", "is_company": True})
        cls.vip.with_user(cls.manager).write(
            {"tier_override": "vip", "tier_override_reason": "Handbook example"}
        )
        cls.regular = cls.env["res.partner"].create({"name": "Regular Co.", "is_company": True})
        cls.reported = datetime(2026, 3, 2, 9, 0)

    def _issue(self, partner, **vals):
        lead = self._create_lead(partner_id=partner.id)
        values = {
            "lead_id": lead.id,
            "summary": "Machine stopped",
            "kind": "issue",
            "reported_date": self.reported,
            **vals,
        }
        return self.env["sales_toolkit.followup"].create(values)

    def test_deadlines_follow_the_tier_policy(self):
        vip_issue = self._issue(self.vip)
        self.assertEqual(vip_issue.response_deadline, self.reported + timedelta(hours=2))
        self.assertEqual(vip_issue.resolution_deadline, self.reported + timedelta(hours=24))
        regular_issue = self._issue(self.regular)
        self.assertEqual(regular_issue.response_deadline, self.reported + timedelta(hours=4))
        self.assertFalse(regular_issue.resolution_deadline, "no resolution commitment for regular customers")
        contact = self._issue(self.vip, kind="contact")
        self.assertFalse(contact.response_deadline)

    def test_company_policy_wins_over_the_shared_one(self):
        self.env["sales_toolkit.tier.policy"].create(
            {"tier": "regular", "company_id": self.company.id, "response_hours": 8}
        )
        self.assertEqual(self._issue(self.regular).response_deadline, self.reported + timedelta(hours=8))

    def test_breaches_are_flagged_and_searchable(self):
        Followup = self.env["sales_toolkit.followup"]
        on_time = self._issue(self.vip, responded_date=self.reported + timedelta(hours=1))
        late = self._issue(self.vip, responded_date=self.reported + timedelta(hours=3))
        open_issue = self._issue(self.regular)
        with freeze_time(self.reported + timedelta(hours=1)):
            on_time.action_mark_resolved()
            open_issue.invalidate_recordset(["sla_breached"])
            self.assertFalse(open_issue.sla_breached)
            self.assertFalse(on_time.sla_breached)
            self.assertTrue(late.sla_breached)
            breached = Followup.search(
                [("sla_breached", "=", True), ("id", "in", (on_time | late | open_issue).ids)]
            )
            self.assertEqual(breached, late)
        with freeze_time(self.reported + timedelta(hours=5)):
            open_issue.invalidate_recordset(["sla_breached"])
            self.assertTrue(open_issue.sla_breached, "no response after 4 hours")
            self.assertIn(open_issue, Followup.search([("sla_breached", "=", True)]))
            self.assertNotIn(open_issue, Followup.search([("sla_breached", "=", False)]))

    def test_policy_values_are_checked(self):
        with self.assertRefused(ValidationError, "between 0 and 100"):
            self.env.ref("sales_toolkit.tier_policy_vip").satisfaction_goal = 120
        with self.assertRefused(ValidationError, "cannot be negative"):
            self.env.ref("sales_toolkit.tier_policy_key").response_hours = -1
        with self.assertRaises(AccessError):
            self.env.ref("sales_toolkit.tier_policy_vip").with_user(self.salesman).response_hours = 1
