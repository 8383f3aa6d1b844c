import io
from datetime import date

import openpyxl

from odoo.tests import HttpCase, tagged

from ..controllers.main import SalesToolkitExport
from .common import SalesToolkitCommon


@tagged("post_install", "-at_install")
class TestXlsxDownload(HttpCase, SalesToolkitCommon):
    """Workbooks stream from a read-only route: nothing stored, the reader's access applies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        values = {
            "period_type": "quarter",
            "date_from": date(2021, 4, 1),
            "kpi": "revenue",
            "target_value": 1000,
            "owner_id": cls.manager.id,
            "company_id": cls.company.id,
        }
        Target = cls.env["sales_toolkit.target"]
        cls.own = Target.create(dict(values, name="Zhang Q2", user_id=cls.salesman.id))
        cls.foreign = Target.create(dict(values, name="Li Q2", user_id=cls.salesman_2.id))

    def _download(self, url):
        return self.url_open(url, allow_redirects=False)

    def test_rep_downloads_what_they_read_and_nothing_else(self):
        attachments = self.env["ir.attachment"].search_count([])
        self.authenticate("st_salesman", "st_salesman")
        response = self._download(f"/sales_toolkit/xlsx/sales_toolkit.target/{self.own.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.headers["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        self.assertIn("Target%20tracking%20-%20Zhang%20Q2.xlsx", response.headers["Content-Disposition"])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet["A5"].value, "Zhang Q2")
        # another rep's target, a model that exports nothing, a record that does not exist
        self.assertEqual(
            self._download(f"/sales_toolkit/xlsx/sales_toolkit.target/{self.foreign.id}").status_code, 403
        )
        self.assertEqual(self._download(f"/sales_toolkit/xlsx/res.users/{self.salesman.id}").status_code, 404)
        self.assertEqual(
            self._download("/sales_toolkit/xlsx/sales_toolkit.target/999999999").status_code, 404
        )
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)

    def test_anonymous_visitor_is_sent_to_login(self):
        response = self._download(f"/sales_toolkit/xlsx/sales_toolkit.target/{self.own.id}")
        self.assertNotEqual(response.status_code, 200)
        self.assertIn("/web/login", response.headers.get("Location", ""))

    def test_route_is_read_only(self):
        # with --db_replica_host, read-only routes are served from the replica
        self.assertIs(SalesToolkitExport.download_xlsx.original_routing["readonly"], True)
