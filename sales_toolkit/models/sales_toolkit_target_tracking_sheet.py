from odoo import api, fields, models
from odoo.tools import format_date

from ..tools.tree import depth_first_rows

# the completion cell's colour, by the target's status
STATUS_COLOURS = (("on_track", "#C6EFCE"), ("at_risk", "#FFEB9C"), ("behind", "#FFC7CE"))
# the first row of targets, below the title, the subtitle and the header
FIRST_ROW = 4


class SalesToolkitTargetTrackingSheet(models.AbstractModel):
    """The handbook's target tracking sheet: a target and its sub-targets, one a row.

    The PDF (reports/sales_toolkit_target_reports.xml) and the Excel workbook read the
    same rows (``_rows``); the workbook is written with the module's one Excel writer.
    """

    _name = "sales_toolkit.target.tracking.sheet"
    _description = "Sales Target Tracking Sheet"

    @api.model
    def _rows(self, target):
        """[(depth, target)]: ``target``, then its active sub-targets depth first."""
        target.ensure_one()
        return depth_first_rows(target, target.search([("id", "child_of", target.id)]) - target)

    @api.model
    def _xlsx_file(self, target):
        """(file name, content) of ``target``'s tracking sheet: completion coloured by
        status, and a chart of target vs achieved."""
        target.ensure_one()
        rows = self._rows(target)
        last = FIRST_ROW + len(rows) - 1
        with target._toolkit_workbook() as book:
            sheet = book.add_sheet(
                self.env._("Tracking"),
                self._columns(),
                self.env._("Target Tracking Sheet: %(target)s", target=target.name),
                self.env._(
                    "%(start)s – %(end)s, figures as of %(date)s",
                    start=format_date(self.env, target.date_from),
                    end=format_date(self.env, target.date_to),
                    date=format_date(self.env, target.figures_date or fields.Datetime.now()),
                ),
            )
            for index, row in enumerate(self._cells(rows)):
                book.write_row(sheet, FIRST_ROW + index, row)
            self._colour_completion(book, sheet, last)
            self._add_chart(book, sheet, last)
        return self.env._("Target tracking - %(target)s.xlsx", target=target.name), book.content

    @api.model
    def _columns(self):
        return [
            (self.env._("Target"), 36),
            (self.env._("Dimension"), 30),
            (self.env._("KPI"), 18),
            (self.env._("Unit"), 12),
            (self.env._("Period Target"), 16),
            (self.env._("Cumulative Achieved"), 18),
            (self.env._("Completion Rate"), 14),
            (self.env._("Expected by Now"), 14),
            (self.env._("Status"), 12),
            (self.env._("Responsible"), 20),
            (self.env._("Remarks"), 40),
        ]

    @api.model
    def _cells(self, rows):
        """The (value, format) cells of each row, in the order of ``_columns``."""
        Target = self.env["sales_toolkit.target"]
        kpis = dict(Target._fields["kpi"]._description_selection(self.env))
        statuses = dict(Target._fields["status"]._description_selection(self.env))
        return [
            [
                ("    " * depth + target.name, "text" if depth else "bold"),
                (target.dimension_label, "text"),
                (kpis[target.kpi], "text"),
                (target.kpi_unit, "text"),
                (target.target_value, "number"),
                (target.achieved_value, "number"),
                (target.completion_rate / 100.0, "percent"),
                (target.expected_rate / 100.0, "percent"),
                (statuses.get(target.status, ""), "text"),
                (target.owner_id.name, "text"),
                (target.remarks or "", "text"),
            ]
            for depth, target in rows
        ]

    @api.model
    def _colour_completion(self, book, sheet, last):
        """Completion (column G) coloured by the status (column I), the pace the form shows."""
        statuses = dict(self.env["sales_toolkit.target"]._fields["status"]._description_selection(self.env))
        for status, colour in STATUS_COLOURS:
            label = statuses[status].replace('"', '""')
            sheet.conditional_format(
                f"G{FIRST_ROW + 1}:G{last + 1}",
                {
                    "type": "formula",
                    "criteria": f'=$I{FIRST_ROW + 1}="{label}"',
                    "format": book.add_format({"bg_color": colour}),
                },
            )

    @api.model
    def _add_chart(self, book, sheet, last):
        """A column chart of the period target (E) and the achievement (F) of each row."""
        book.insert_chart(
            sheet,
            "column",
            self.env._("Target vs Achieved"),
            [(self.env._("Period Target"), 4), (self.env._("Cumulative Achieved"), 5)],
            (FIRST_ROW, last),
            (last + 3, 0),
            {"x_scale": 1.6, "y_scale": 1.2},
        )
