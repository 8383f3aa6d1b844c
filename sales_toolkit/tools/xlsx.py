"""The module's one Excel writer (see SalesToolkitXlsxMixin._toolkit_workbook)."""

import xlsxwriter

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

    def insert_chart(self, sheet, chart_type, title, series, rows, at, options=None, **series_options):
        """A chart of ``series`` [(label, column)] over the rows ``rows`` (first, last), the
        categories in column A, inserted at cell ``at`` (row, col)."""
        chart = self.workbook.add_chart({"type": chart_type})
        for label, col in series:
            chart.add_series(
                {
                    "name": label,
                    "categories": [sheet.get_name(), rows[0], 0, rows[1], 0],
                    "values": [sheet.get_name(), rows[0], col, rows[1], col],
                    **series_options,
                }
            )
        chart.set_title({"name": title})
        sheet.insert_chart(*at, chart, options or {})
        return chart

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
