from datetime import timedelta

from odoo.tests import HttpCase, tagged

from .common import SalesToolkitCommon


@tagged("post_install", "-at_install")
class TestNeedMatchTour(HttpCase, SalesToolkitCommon):
    def test_rep_scores_needs_and_sees_match_level_change(self):
        today = self.company._toolkit_today()
        lead = self._create_handbook_lead(
            name="Tour Tech Co.",
            expected_purchase_date=today + timedelta(days=10),
            team_id=self.env.ref("sales_team.team_sales_department").id,
        )
        self.assertEqual(lead.match_level, "medium")
        self.start_tour("/odoo", "sales_toolkit_need_match_tour", login="st_salesman")
        self.assertEqual(len(lead.need_ids), 5)
        self.assertEqual(lead.match_score, 22)
        self.assertEqual(lead.match_level, "high")
        self.assertEqual(lead.followup_strategy, "senior_visit")


@tagged("post_install", "-at_install")
class TestFollowupTour(HttpCase, SalesToolkitCommon):
    def test_rep_logs_followup_and_sees_activity(self):
        lead = self._create_lead(
            name="Tour Follow-up Co.", team_id=self.env.ref("sales_team.team_sales_department").id
        )
        self.start_tour("/odoo", "sales_toolkit_followup_tour", login="st_salesman")
        followup = lead.followup_ids
        self.assertEqual(len(followup), 1)
        self.assertEqual(followup.next_action_user_id, self.salesman)
        self.assertEqual(lead.activity_ids.summary, "Send the quote and a competitor comparison")
        self.assertEqual(lead.activity_ids.user_id, self.salesman)
        self.assertEqual(lead.last_followup_date, self.company._toolkit_today())


@tagged("post_install", "-at_install")
class TestAnalysisTour(HttpCase, SalesToolkitCommon):
    def test_manager_explains_a_gap_and_plans_an_action(self):
        today = self.company._toolkit_today()
        quarter_start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
        target = self.env["sales_toolkit.target"].create(
            {
                "name": "Tour quarter revenue",
                "period_type": "quarter",
                "date_from": quarter_start,
                "kpi": "revenue",
                "target_value": 100_000_000,
                "owner_id": self.manager.id,
            }
        )
        target.action_confirm()
        self.start_tour(
            "/odoo/action-sales_toolkit.sales_toolkit_analysis_action",
            "sales_toolkit_analysis_tour",
            login="st_manager",
        )
        sheet = self.env["sales_toolkit.analysis"].search(
            [("user_id", "=", self.manager.id)], order="id desc", limit=1
        )
        line = sheet.line_ids.filtered(lambda line: line.dimension == "overall" and line.kpi == "revenue")
        self.assertEqual(line.root_cause_category, "customer_count")
        self.assertIn("key accounts", line.root_cause)
        task = line.action_ids.task_ids
        self.assertEqual(task.name, "Visit both key accounts with the new price list")
        self.assertEqual(task.user_id, self.manager)
        self.assertEqual(task.date_deadline, today + timedelta(days=10))
