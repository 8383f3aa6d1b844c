import contextlib
import os
import tempfile

import xlsxwriter

from odoo import models

# the module's cell formats, by name; a cell names one of these
FORMATS = {
    "title": {"bold": True, "font_size": 14},
    "header": {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True},
    "text": {"border": 1},
    "bold": {"border": 1, "bold": True},
    "number": {"border": 1, "num_format": "#,##0.00"},
    "percent": {"border": 1, "num_format": "0%"},
    "percent_1": {"border": 1, "num_format": "0.0%"},
    "low": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
    "high": {"bg_color": "#C6EFCE", "font_color": "#006100"},
}


class ToolkitWorkbook:
    """The module's one Excel writer: xlsxwriter in constant_memory mode, rows streamed to a
    temporary file, so each sheet is written top to bottom.

    Sheets get their column widths, a title, a subtitle and a header row from
    ``add_sheet``; rows are lists of (value, format name) cells (``write_row``).
    """

    def __init__(self, path, tmpdir):
        self.workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "tmpdir": tmpdir})
        self.formats = {name: self.workbook.add_format(spec) for name, spec in FORMATS.items()}
        self.content = None

    def add_format(self, spec):
        return self.workbook.add_format(spec)

    def add_chart(self, spec):
        return self.workbook.add_chart(spec)

    def add_sheet(self, name, columns, title, subtitle=None, header_row=3):
        """A new worksheet: ``columns`` [(label, width)], title in A1, subtitle in A2 and
        the column labels on ``header_row``."""
        sheet = self.workbook.add_worksheet(name[:31])
        for col, (_label, width) in enumerate(columns):
            sheet.set_column(col, col, width)
        sheet.write_string(0, 0, title, self.formats["title"])
        if subtitle:
            sheet.write_string(1, 0, subtitle)
        self.write_row(sheet, header_row, [(label, "header") for label, _width in columns])
        return sheet

    def write_row(self, sheet, row, cells, col=0):
        """Write (value, format name) cells from ``col``: text stays text (a remark that
        looks like a formula is not evaluated), numbers are numbers, None is a blank cell."""
        for offset, (value, style) in enumerate(cells):
            cell_format = self.formats[style] if style else None
            if value is None:
                sheet.write_blank(row, col + offset, None, cell_format)
            elif isinstance(value, str):
                sheet.write_string(row, col + offset, value, cell_format)
            else:
                sheet.write_number(row, col + offset, value, cell_format)


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
