import io
import zipfile
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import SalesToolkitCommon

REPORT = "sales_toolkit.action_report_analysis"
Q1_2021 = date(2021, 1, 1)


class AnalysisCommon(SalesToolkitCommon):
    """Sales of 2020 and 2021 in a company on Beijing time, and the 2021 Q1 targets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.company.write({"toolkit_analysis_low_rate": 90.0, "toolkit_analysis_high_rate": 110.0})
        Team = cls.env["crm.team"]
        cls.team_east = Team.create(
            {
                "name": "East China",
                "company_id": cls.company.id,
                "user_id": cls.leader.id,
                "member_ids": [Command.link(cls.salesman.id)],
            }
        )
        cls.team_south = Team.create({"name": "South China", "company_id": cls.company.id})
        Category = cls.env["product.category"]
        cls.categ_a = Category.create({"name": "Product Line A"})
        cls.categ_b = Category.create({"name": "Product Line B"})
        Product = cls.env["product.product"]
        cls.product_a = Product.create({"name": "Product A", "categ_id": cls.categ_a.id, "taxes_id": False})
        cls.product_b = Product.create({"name": "Product B", "categ_id": cls.categ_b.id, "taxes_id": False})
        Partner = cls.env["res.partner"]
        cls.cust_a = Partner.create({"name": "Customer A"})
        cls.cust_b = Partner.create({"name": "Customer B"})
        cls.cust_c = Partner.create({"name": "Customer C"})
        order = cls._order
        order(cls.cust_a, cls.product_a, 800, datetime(2020, 2, 10, 2, 0), cls.team_east)  # last year
        order(cls.cust_a, cls.product_a, 500, datetime(2020, 11, 10, 2, 0), cls.team_east)  # previous quarter
        order(cls.cust_a, cls.product_a, 1000, datetime(2021, 2, 10, 2, 0), cls.team_east, cls.salesman)
        order(cls.cust_b, cls.product_b, 400, datetime(2021, 3, 10, 2, 0), cls.team_south, cls.salesman_2)
        # 00:30 on 1 April in Beijing: the next quarter
        order(cls.cust_b, cls.product_b, 600, datetime(2021, 3, 31, 16, 30), cls.team_south, cls.salesman_2)
        cls.targets = cls.env["sales_toolkit.target"]
        for value, dims in (
            (1500, {}),
            (800, {"team_id": cls.team_east.id}),
            (500, {"team_id": cls.team_south.id}),
            (1000, {"product_categ_id": cls.categ_a.id}),
        ):
            cls.targets |= cls.env["sales_toolkit.target"].create(
                dict(
                    dims,
                    name="Q1 target",
                    period_type="quarter",
                    date_from=Q1_2021,
                    kpi="revenue",
                    target_value=value,
                    owner_id=cls.manager.id,
                    company_id=cls.company.id,
                )
            )
        cls.targets.action_confirm()

    @classmethod
    def _order(cls, partner, product, amount, when, team=None, user=None):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "team_id": team.id if team else False,
                "user_id": (user or cls.manager).id,
                "order_line": [
                    Command.create({"product_id": product.id, "price_unit": amount, "product_uom_qty": 1})
                ],
            }
        )
        order.action_confirm()
        order.date_order = when
        return order

    def _sheet(self, date_from=Q1_2021, generate=True, **vals):
        sheet = self.env["sales_toolkit.analysis"].create(
            dict({"period_type": "quarter", "date_from": date_from, "company_id": self.company.id}, **vals)
        )
        if generate:
            sheet.with_user(self.manager).action_generate()
        return sheet

    def _line(self, sheet, dimension="overall", kpi="revenue", **dims):
        lines = sheet.line_ids.filtered(
            lambda line: (
                line.dimension == dimension
                and line.kpi == kpi
                and all(line[name] == value for name, value in dims.items())
            )
        )
        self.assertEqual(len(lines), 1, (dimension, kpi, dims))
        return lines


@tagged("post_install", "-at_install")
class TestAnalysis(AnalysisCommon):
    def test_figures_targets_yoy_mom(self):
        sheet = self._sheet()
        self.assertEqual(sheet.state, "open")
        self.assertEqual(sheet.date_to, date(2021, 3, 31))
        overall = self._line(sheet)
        self.assertEqual(overall.target_id, self.targets[0])
        self.assertAlmostEqual(overall.target_value, 1500)
        self.assertAlmostEqual(overall.actual_value, 1400)
        self.assertAlmostEqual(overall.completion_rate, 1400 / 15)
        self.assertAlmostEqual(overall.last_year_value, 800)
        self.assertAlmostEqual(overall.yoy_rate, 75)
        self.assertAlmostEqual(overall.previous_value, 500)
        self.assertAlmostEqual(overall.mom_rate, 180)
        self.assertFalse(overall.is_highlighted)
        self.assertEqual(self._line(sheet, kpi="order_count").actual_value, 2)
        self.assertEqual(self._line(sheet, kpi="new_customers").actual_value, 1)  # Customer B
        self._line(sheet, kpi="repurchase_rate")
        east = self._line(sheet, "team", team_id=self.team_east)
        self.assertEqual((east.target_value, east.actual_value, east.completion_rate), (800, 1000, 125))
        self.assertEqual((east.yoy_rate, east.mom_rate), (25, 100))
        self.assertEqual((east.is_highlighted, east.gap_direction), (True, "above"))
        south = self._line(sheet, "team", team_id=self.team_south)
        self.assertEqual((south.actual_value, south.completion_rate, south.gap_direction), (400, 80, "below"))
        self.assertFalse(south.last_year_value)
        # product lines: the top-level categories sold; B has no target
        line_a = self._line(sheet, "category", categ_id=self.categ_a)
        self.assertEqual((line_a.completion_rate, line_a.is_highlighted), (100, False))
        line_b = self._line(sheet, "category", categ_id=self.categ_b)
        self.assertEqual((line_b.actual_value, line_b.has_target, line_b.is_highlighted), (400, False, False))
        self.assertEqual(self._line(sheet, "customer_type", customer_type="new").actual_value, 400)
        self.assertEqual(self._line(sheet, "customer_type", customer_type="existing").actual_value, 1000)
        self.assertEqual(self._line(sheet, "customer_type", customer_type="key_account").actual_value, 0)
        self.assertEqual(self._line(sheet, "user", user_id=self.salesman).actual_value, 1000)
        self.assertEqual(sheet.highlighted_count, 2)
        self.assertEqual(sheet.unexplained_count, 2)

    def test_team_scope(self):
        sheet = self._sheet(scope="team", team_id=self.team_east.id)
        self.assertIn("East China", sheet.name)
        self.assertFalse(sheet.line_ids.filtered(lambda line: line.dimension == "team"))
        overall = self._line(sheet)
        self.assertEqual(
            (overall.actual_value, overall.target_value, overall.target_id), (1000, 800, self.targets[1])
        )
        self.assertFalse(sheet.line_ids.filtered(lambda line: line.categ_id == self.categ_b))

    def test_month_sheet_and_previous_month(self):
        sheet = self._sheet(date(2021, 2, 14), period_type="month")
        self.assertEqual((sheet.date_from, sheet.date_to), (date(2021, 2, 1), date(2021, 2, 28)))
        overall = self._line(sheet)
        self.assertEqual(
            (overall.actual_value, overall.last_year_value, overall.previous_value), (1000, 800, 0)
        )
        self.assertFalse(overall.has_target)

    def test_highlight_threshold_boundary(self):
        self.company.toolkit_analysis_low_rate = 80
        self.company.toolkit_analysis_high_rate = 125
        sheet = self._sheet()
        self.assertFalse(self._line(sheet, "team", team_id=self.team_south).is_highlighted)  # exactly 80 %
        self.assertFalse(self._line(sheet, "team", team_id=self.team_east).is_highlighted)  # exactly 125 %
        self.company.toolkit_analysis_low_rate = 80.01
        self.company.toolkit_analysis_high_rate = 124.99
        sheet.with_user(self.manager).action_generate()
        self.assertTrue(self._line(sheet, "team", team_id=self.team_south).is_highlighted)
        self.assertTrue(self._line(sheet, "team", team_id=self.team_east).is_highlighted)
        with self.assertRefused(ValidationError, "0 < lower bound"):
            self.company.toolkit_analysis_high_rate = 95

    def test_close_needs_specific_root_causes(self):
        sheet = self._sheet().with_user(self.manager)
        with self.assertRefused(UserError, "root cause and its category.*South China"):
            sheet.action_close()
        south = self._line(sheet, "team", team_id=self.team_south).with_user(self.manager)
        for vague in (
            "market is bad",
            "The market is bad.",
            "市场不好",
            "市场不景气，行情不好",
            "slow sales",
        ):
            with self.assertRefused(ValidationError, "too vague"):
                south.root_cause = vague
        south.write({"root_cause": "竞品降价10%，流失3个客户", "root_cause_category": "competitor"})
        east = self._line(sheet, "team", team_id=self.team_east).with_user(self.manager)
        east.root_cause = "Two new key accounts in Shanghai ordered early"
        with self.assertRefused(UserError, "East China"):
            sheet.action_close()
        east.root_cause_category = "customer_count"
        sheet.action_close()
        self.assertEqual(sheet.state, "closed")
        with self.assertRefused(UserError, "closed"):
            east.root_cause = "Two new key accounts in Shanghai ordered in January"
        with self.assertRefused(UserError, "measured"):
            east.actual_value = 1

    def test_action_task_and_next_sheet_followup(self):
        sheet = self._sheet()
        south = self._line(sheet, "team", team_id=self.team_south)
        south.with_user(self.manager).write(
            {"root_cause": "Competitor cut price 10%, 3 customers lost", "root_cause_category": "competitor"}
        )
        self._line(sheet, "team", team_id=self.team_east).write(
            {"root_cause": "Two new key accounts ordered early", "root_cause_category": "customer_count"}
        )
        action = (
            self.env["sales_toolkit.analysis.action"]
            .with_user(self.manager)
            .create(
                {
                    "line_id": south.id,
                    "name": "Visit the 3 lost customers with a price offer",
                    "user_id": self.salesman_2.id,
                    "date_deadline": date(2021, 4, 15),
                }
            )
        )
        task = action.task_id
        self.assertTrue(task)
        self.assertEqual(task.analysis_action_id, action)
        self.assertEqual(
            (task.name, task.user_id, task.date_deadline, task.reviewer_id, task.state),
            (
                "Visit the 3 lost customers with a price offer",
                self.salesman_2,
                date(2021, 4, 15),
                self.manager,
                "todo",
            ),
        )
        with self.assertRefused(AccessError, "Only sales managers"):
            self.env["sales_toolkit.analysis.action"].with_user(self.salesman).create(
                {
                    "line_id": south.id,
                    "name": "x",
                    "user_id": self.salesman.id,
                    "date_deadline": date(2021, 4, 1),
                }
            )
        sheet.with_user(self.manager).action_close()

        q2 = self._sheet(date(2021, 4, 1))
        self.assertEqual(q2.previous_id, sheet)
        south_q2 = self._line(q2, "team", team_id=self.team_south)
        self.assertEqual(south_q2.previous_line_id, south)
        self.assertEqual((south_q2.previous_actual_value, south_q2.movement_value), (400, 200))
        self.assertEqual(south_q2.followup_state, "open")
        task.with_user(self.salesman_2).action_mark_done()
        south_q2.invalidate_recordset(["followup_state", "followup_summary"])
        self.assertEqual(south_q2.followup_state, "done")
        self.assertEqual(south_q2.followup_summary, "1 of 1 done")
        # a line without actions last time shows none
        self.assertEqual(self._line(q2).followup_state, "none")
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, q2.ids)[0].decode()
        self.assertIn("Previous actions: 1 of 1 done; moved by", html)

    def test_closed_sheet_is_a_snapshot(self):
        self.company.write({"toolkit_analysis_low_rate": 50, "toolkit_analysis_high_rate": 200})
        sheet = self._sheet()
        sheet.with_user(self.manager).action_close()
        self._order(self.cust_c, self.product_a, 5000, datetime(2021, 3, 1, 2, 0), self.team_east)
        self.assertEqual(self._line(sheet).actual_value, 1400)
        with self.assertRefused(UserError, "frozen snapshot"):
            sheet.with_user(self.manager).action_generate()
        self.assertEqual(self._line(sheet).actual_value, 1400)
        # a fresh sheet of the same period sees the new order
        self.assertEqual(self._line(self._sheet()).actual_value, 6400)

    def test_reopen_is_for_managers_and_logged(self):
        self.company.write({"toolkit_analysis_low_rate": 50, "toolkit_analysis_high_rate": 200})
        sheet = self._sheet()
        sheet.with_user(self.manager).action_close()
        for user in (self.salesman, self.leader):
            with self.assertRefused(AccessError, "Only sales managers"):
                sheet.with_user(user).action_reopen()
        sheet.with_user(self.manager).action_reopen()
        self.assertEqual(sheet.state, "open")
        self.assertTrue(
            any("reopened by Manager Zhao" in (message.body or "") for message in sheet.message_ids),
            sheet.message_ids.mapped("body"),
        )
        with self.assertRefused(UserError, "Generate, Close and Reopen"):
            sheet.write({"state": "closed"})

    def test_conversion_rates(self):
        stage_won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        leads = self.env["crm.lead"].create(
            [
                {"name": "lead", "type": "lead", "team_id": self.team_east.id},
                {"name": "opp", "type": "opportunity", "team_id": self.team_east.id},
                {"name": "opp 2", "type": "opportunity", "team_id": self.team_south.id},
                {"name": "won", "type": "opportunity", "team_id": self.team_east.id},
                {"name": "other year", "type": "opportunity", "team_id": self.team_east.id},
            ]
        )
        leads[3].stage_id = stage_won
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_lead SET create_date = %s WHERE id IN %s",
                datetime(2021, 2, 1, 2, 0),
                tuple(leads[:4].ids),
            )
        )
        leads.invalidate_recordset(["create_date"])
        sheet = self._sheet()
        overall = self._line(sheet)
        self.assertEqual((overall.lead_count, overall.opportunity_count, overall.won_count), (4, 3, 1))
        self.assertAlmostEqual(overall.lead_opportunity_rate, 75)
        self.assertAlmostEqual(overall.opportunity_won_rate, 100 / 3)
        east = self._line(sheet, "team", team_id=self.team_east)
        self.assertEqual((east.lead_count, east.opportunity_count, east.won_count), (3, 2, 1))
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, sheet.ids)[0].decode()
        self.assertIn("4 leads → 3 opportunities (75.0 %) → 1 won (33.3 %)", html)

    def test_query_count_independent_of_dimension_values(self):
        def teams_with_orders(count, when):
            teams = self.env["crm.team"].create(
                [
                    {"name": f"Region {when.month}-{index:02d}", "company_id": self.company.id}
                    for index in range(count)
                ]
            )
            for team in teams:
                self._order(self.cust_c, self.product_a, 100, when, team)

        teams_with_orders(3, datetime(2019, 2, 10, 2, 0))
        teams_with_orders(30, datetime(2019, 8, 10, 2, 0))
        # a first sheet of each period warms the registry caches (access rules, groups)
        self._sheet(date(2019, 1, 1))
        self._sheet(date(2019, 7, 1))

        def queries(date_from):
            sheet = self._sheet(date_from, generate=False)
            manager_sheet = sheet.with_user(self.manager)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            manager_sheet.action_generate()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before, sheet

        queries(date(2019, 1, 1))
        large_count, large = queries(date(2019, 7, 1))
        small_count, small = queries(date(2019, 1, 1))
        self.assertEqual(len(small.line_ids.filtered(lambda line: line.dimension == "team")), 3)
        self.assertEqual(len(large.line_ids.filtered(lambda line: line.dimension == "team")), 30)
        self.assertEqual(small_count, large_count)
        # a handful: the targets, the values sold, the teams, all the figures in one
        # query, the leads, the previous sheet, the lines' insert, the sheet's update
        self.assertLessEqual(large_count, 15)

    def test_access_rules(self):
        company_sheet = self._sheet()
        east_sheet = self._sheet(scope="team", team_id=self.team_east.id)
        south_sheet = self._sheet(scope="team", team_id=self.team_south.id)
        all_sheets = company_sheet | east_sheet | south_sheet
        Sheet = self.env["sales_toolkit.analysis"]
        # reps: their own team's sheets
        self.assertEqual(Sheet.with_user(self.salesman).search([("id", "in", all_sheets.ids)]), east_sheet)
        self.assertFalse(Sheet.with_user(self.salesman_2).search([("id", "in", all_sheets.ids)]))
        Line = self.env["sales_toolkit.analysis.line"]
        self.assertFalse(Line.with_user(self.salesman_2).search([("analysis_id", "=", south_sheet.id)]))
        with self.assertRaises(AccessError):
            south_sheet.with_user(self.salesman_2).read(["name"])
        line = self._line(company_sheet, "team", team_id=self.team_south)
        with self.assertRaises(AccessError):
            line.with_user(self.salesman).write({"root_cause_category": "price"})
        with self.assertRaises(AccessError):
            company_sheet.with_user(self.salesman).read(["name"])
        with self.assertRaises(AccessError):
            company_sheet.with_user(self.salesman).action_generate()
        # team leaders read everything, managers do everything
        self.assertEqual(Sheet.with_user(self.leader).search([("id", "in", all_sheets.ids)]), all_sheets)
        with self.assertRaises(AccessError):
            line.with_user(self.leader).write({"root_cause_category": "price"})
        line.with_user(self.manager).write({"root_cause_category": "price"})
        with self.assertRaises(AccessError):
            company_sheet.with_user(self.leader).write({"summary": "<p>mine</p>"})
        with self.assertRaises(AccessError):
            company_sheet.with_user(self.leader).action_close()
        company_sheet.with_user(self.manager).write({"summary": "<p>Findings</p>"})
        # another company sees nothing
        self.assertFalse(Sheet.with_user(self.salesman_b).search([("id", "in", all_sheets.ids)]))
        self.assertFalse(Line.with_user(self.salesman_b).search([("analysis_id", "in", all_sheets.ids)]))
        # lines cannot be added by hand
        with self.assertRefused(UserError, "generating the sheet"):
            Line.create({"analysis_id": company_sheet.id, "dimension": "overall", "kpi": "revenue"})

    def test_pdf(self):
        sheet = self._sheet()
        self._line(sheet, "team", team_id=self.team_south).write(
            {"root_cause": "Competitor cut price 10%, 3 customers lost", "root_cause_category": "competitor"}
        )
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, sheet.ids)[0].decode()
        for text in (
            "Performance Analysis",
            "Results Overview",
            "By Region",
            "By Product Line",
            "By Customer Type",
            "East China",
            "Product Line A",
            "Competitor cut price 10%, 3 customers lost",
            "125.0 %",  # East China's completion
            "+75.0 %",  # overall YoY
            "+180.0 %",  # overall MoM
            "<svg",
            "<rect",
        ):
            self.assertIn(text, html)
        chart = sheet._chart_bars("team")
        self.assertEqual(len(chart["bars"]), 4)  # target and actual of two regions
        east_target, east_actual = chart["bars"][:2]
        self.assertGreater(east_actual["height"], east_target["height"])
        # readable by a rep for a company sheet
        self.env["ir.actions.report"].with_user(self.salesman)._render_qweb_html(REPORT, sheet.ids)

    def test_xlsx(self):
        import openpyxl

        sheet = self._sheet()
        self._line(sheet, "team", team_id=self.team_south).write(
            {"root_cause": "=1+2 is not a formula, 3 customers lost", "root_cause_category": "competitor"}
        )
        action = sheet.with_user(self.salesman).action_export_xlsx()
        self.assertEqual(action["url"], f"/sales_toolkit/xlsx/sales_toolkit.analysis/{sheet.id}")
        _name, raw = sheet.with_user(self.salesman)._toolkit_xlsx_file()
        workbook = openpyxl.load_workbook(io.BytesIO(raw))
        self.assertEqual(
            workbook.sheetnames, ["Overall", "Region", "Product Line", "Customer Type", "Salesperson"]
        )
        region = workbook["Region"]
        self.assertEqual(region["A4"].value, "Dimension Value")
        rows = {row[0].value: row for row in region.iter_rows(min_row=5, max_row=6)}
        east, south = rows["East China"], rows["South China"]
        self.assertEqual((east[2].value, east[3].value), (800, 1000))
        self.assertAlmostEqual(east[4].value, 1.25)
        self.assertIn("%", east[4].number_format)
        self.assertEqual(
            (south[8].value, south[8].data_type), ("=1+2 is not a formula, 3 customers lost", "s")
        )
        # no colour on blanks, then low and high
        self.assertEqual(sum(len(rule.rules) for rule in region.conditional_formatting), 3)
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
            self.assertGreaterEqual(len(charts), 6)  # a bar chart per sheet and the trend line
            content = "".join(archive.read(name).decode() for name in charts)
        self.assertIn("<c:barChart>", content)
        self.assertIn("<c:lineChart>", content)

    def test_views(self):
        for user in (self.salesman, self.manager):
            views = (
                self.env["sales_toolkit.analysis"]
                .with_user(user)
                .get_views([(False, "list"), (False, "form"), (False, "search")])
            )
            self.assertEqual(set(views["views"]), {"list", "form", "search"})
        form = self.env["sales_toolkit.analysis"].with_user(self.salesman).get_views([(False, "form")])
        self.assertNotIn("action_close", form["views"]["form"]["arch"])
        Line = self.env["sales_toolkit.analysis.line"].with_user(self.leader)
        line_form = Line.get_views([(False, "form")])
        self.assertIn('name="action_ids"', line_form["views"]["form"]["arch"])
        self.assertEqual(
            self.env.ref("sales_toolkit.sales_toolkit_analysis_menu").parent_id,
            self.env.ref("sales_toolkit.sales_toolkit_review_menu"),
        )
