from datetime import date, datetime

from odoo.tests import tagged, users

from .test_target import TargetCommon


@tagged("post_install", "-at_install")
class TestPerformanceReport(TargetCommon):
    def _sum(self, extra, aggregate):
        Report = self.env["sales_toolkit.performance.report"]
        self.env.flush_all()
        domain = [
            ("company_id", "=", self.company.id),
            ("month", ">=", "2021-01-01"),
            ("month", "<", "2021-08-01"),
        ]
        return Report._read_group(domain + extra, [], [aggregate])[0][0]

    def test_months_in_company_timezone(self):
        # 00:30 on 1 April in Beijing is April; 23:30 on 31 March is March
        self.assertEqual(
            self._sum([("month", "=", "2021-04-01"), ("team_id", "=", self.team_east.id)], "revenue:sum"), 100
        )
        self.assertEqual(self._sum([("month", "=", "2021-03-01")], "revenue:sum"), 1000)
        # June ends at midnight Beijing time: the 23:59 order is June, the 00:00 one July
        self.assertEqual(self._sum([("month", "=", "2021-06-01")], "revenue:sum"), 300)
        self.assertEqual(self._sum([("month", "=", "2021-07-01")], "revenue:sum"), 5000)

    def test_measures(self):
        q2 = [("month", ">=", "2021-04-01"), ("month", "<", "2021-07-01")]
        # quotations and cancelled orders bring no revenue; other companies are apart
        self.assertEqual(self._sum(q2, "revenue:sum"), 650)
        self.assertEqual(self._sum(q2, "order_count:sum"), 3)
        self.assertEqual(self._sum(q2 + [("product_categ_id", "=", self.categ_a_pro.id)], "revenue:sum"), 200)
        self.assertEqual(self._sum(q2, "new_customer_count:sum"), 2)
        self.assertEqual(self._sum(q2, "repeat_customer_count:sum"), 1)
        self.assertEqual(self._sum(q2 + [("customer_type", "=", "new")], "revenue:sum"), 550)
        self.assertEqual(self._sum(q2 + [("is_key_account", "=", True)], "revenue:sum"), 300)
        # average order value of a row: its revenue over its orders
        may_a_pro = [("month", "=", "2021-05-01"), ("product_categ_id", "=", self.categ_a_pro.id)]
        self.assertEqual(self._sum(may_a_pro, "average_order_value:avg"), 200)
        # of a group: the group's revenue over its orders, not a mean of its rows
        self.assertEqual(self._sum(q2, "average_order_value:avg"), 650 / 3)
        self.assertEqual(
            self._sum(q2 + [("team_id", "=", self.team_east.id)], "average_order_value:avg"), 175
        )

    def test_pipeline_and_followups(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Show lead",
                "type": "opportunity",
                "team_id": self.team_east.id,
                "user_id": self.salesman.id,
            }
        )
        # a lead of no company counts in its team's company
        orphan = self.env["crm.lead"].create({"name": "No company", "team_id": self.team_east.id})
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id IN %s",
            [datetime(2021, 5, 3), (lead.id, orphan.id)],
        )
        self.env.cr.execute("UPDATE crm_lead SET company_id = NULL WHERE id = %s", [orphan.id])
        orphan.invalidate_recordset()
        lead.stage_id = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        lead.date_closed = datetime(2021, 6, 3)
        self.env["sales_toolkit.followup"].create(
            [
                {"lead_id": lead.id, "date": date(2021, 5, 4), "channel": channel, "summary": "x"}
                for channel in ("visit", "visit", "phone", "email")
            ]
        )
        # a customer issue reported by phone is not a sales call
        self.env["sales_toolkit.followup"].create(
            {
                "lead_id": lead.id,
                "date": date(2021, 5, 5),
                "channel": "phone",
                "summary": "x",
                "kind": "issue",
            }
        )
        sent = self._order(
            self.cust_new, [(self.product_a, 10)], datetime(2021, 5, 6), self.team_east, state="draft"
        )
        sent.action_quotation_sent()
        may = [("month", "=", "2021-05-01")]
        self.assertEqual(self._sum(may, "lead_count:sum"), 2)
        self.assertEqual(self._sum([("month", "=", "2021-06-01")], "won_count:sum"), 1)
        self.assertEqual(self._sum(may, "visit_count:sum"), 2)
        self.assertEqual(self._sum(may, "call_count:sum"), 1)
        # quotations sent: the one still waiting and the one confirmed since
        self.assertEqual(self._sum(may, "quotation_count:sum"), 2)

    @users("st_salesman")
    def test_rep_sees_own_figures(self):
        rows = self.env["sales_toolkit.performance.report"].search([("company_id", "=", self.company.id)])
        self.assertTrue(rows)
        self.assertEqual(set(rows.mapped("user_id")), {self.salesman})
