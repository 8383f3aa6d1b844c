from odoo.tests import tagged

from .common import SalesToolkitCommon


@tagged("post_install", "-at_install")
class TestReports(SalesToolkitCommon):
    def _render(self, xmlid, records):
        html, _fmt = self.env["ir.actions.report"]._render_qweb_html(xmlid, records.ids)
        return html.decode()

    def test_prospect_capture_sheet_one_document_for_many_leads(self):
        trade_show = self.env["utm.source"].create({"name": "Toolkit test trade show"})
        tech = self._create_handbook_lead(
            source_id=trade_show.id,
            contact_name="Chen Wei",
            function="General Manager",
            employee_count=200,
            pain_point="Supplier delivers late",
            expected_purchase_date=self.company._toolkit_today(),
        )
        other = self._create_lead(
            name="ZZ Construction", partner_name="ZZ Construction", source_id=trade_show.id, budget_min=300000
        )
        html = self._render("sales_toolkit.report_prospect_capture_sheet", tech | other)
        self.assertEqual(html.count('class="page"'), 1, "all leads in one document")
        for text in (
            "Prospect Capture Sheet",
            "Specific Pain Point",
            "Budget Range",
            "Source Channel",
            "Tech Co.",
            "ZZ Construction",
            "Chen Wei",
            "General Manager",
            "Supplier delivers late",
            "Toolkit test trade show",
            "High Intent",
            "Low Intent",
        ):
            self.assertIn(text, html)
        self.assertRegex(html, r"300,000\.00</span></span>\s*\+", "no upper bound: 300,000+")
        self.assertRegex(
            html, r"150,000\.00</span></span>\s*-\s*<span>\$\xa0<span class=\"oe_currency_value\">200,000"
        )

    def test_need_match_evaluation(self):
        lead = self._create_handbook_lead()
        html = self._render("sales_toolkit.report_need_match_evaluation", lead)
        for text in (
            "Need-Match Evaluation",
            "Cut cost by 20%",
            "Cuts cost by 15-25%",
            "12 days at the fastest",
            "12</span> / <span>15",
            "Medium Match",
            "Resolve the core objection first",
            "3 needs can reach 15 at most; high match needs 20.",
        ):
            self.assertIn(text, html)

    def test_reports_bound_to_leads(self):
        reports = self.env["ir.actions.report"].search([("binding_model_id.model", "=", "crm.lead")])
        names = reports.mapped("report_name")
        self.assertIn("sales_toolkit.report_prospect_capture_sheet", names)
        self.assertIn("sales_toolkit.report_need_match_evaluation", names)

    def test_salesman_prints_own_lead(self):
        lead = self._create_handbook_lead()
        html, _fmt = (
            self.env["ir.actions.report"]
            .with_user(self.salesman)
            ._render_qweb_html("sales_toolkit.report_need_match_evaluation", lead.ids)
        )
        self.assertIn("Cut cost by 20%", html.decode())
