from odoo import models


class SalesToolkitXlsxMixin(models.AbstractModel):
    """Records that download themselves as an Excel workbook.

    The workbook is built on request by the read-only route of controllers/main.py (a
    database replica can serve it) and never stored; models implement ``_toolkit_xlsx_file``.
    """

    _name = "sales_toolkit.xlsx.mixin"
    _description = "Sales Toolkit Excel Export"

    def action_export_xlsx(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/sales_toolkit/xlsx/{self._name}/{self.id}",
            "target": "download",
        }

    def _toolkit_xlsx_file(self):
        """(file name, workbook content) of this record."""
        raise NotImplementedError()
