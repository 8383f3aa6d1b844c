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
