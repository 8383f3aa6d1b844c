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
