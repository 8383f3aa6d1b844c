import contextlib
import os
import tempfile

from odoo import models

from ..tools.xlsx import ToolkitWorkbook


class SalesToolkitXlsxMixin(models.AbstractModel):
    """Records that download themselves as an Excel workbook.

    The workbook is built on request by the read-only route of controllers/main.py (a
    database replica can serve it) and never stored; models implement ``_toolkit_xlsx_file``
    with the module's one writer, ``_toolkit_workbook``.
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

    @contextlib.contextmanager
    def _toolkit_workbook(self):
        """``with self._toolkit_workbook() as book:`` write the sheets; after the block,
        ``book.content`` holds the file."""
        with tempfile.TemporaryDirectory() as tmpdir:
            path = os.path.join(tmpdir, "workbook.xlsx")
            book = ToolkitWorkbook(path, tmpdir)
            yield book
            book.workbook.close()
            with open(path, "rb") as file:
                book.content = file.read()
