from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare, format_amount, format_date, formatLang

from ..tools.periods import period_start
from .sales_toolkit_field_rights import MANAGERS, SYSTEM
from .sales_toolkit_kpi import CUSTOMER_TYPES

ANALYSIS_PERIODS = [("month", "Month"), ("quarter", "Quarter")]
SCOPES = [("company", "Whole company"), ("team", "Sales team")]
DIMENSIONS = [
    ("overall", "Overall"),
    ("team", "Region"),
    ("category", "Product Line"),
    ("customer_type", "Customer Type"),
    ("user", "Salesperson"),
]
# the indicators of the overall line; every other dimension value measures revenue
OVERALL_KPIS = ("revenue", "order_count", "new_customers", "repurchase_rate")
# what identifies a line from one generation (and one sheet) to the next
LINE_KEY_FIELDS = ("dimension", "kpi", "team_id", "categ_id", "customer_type", "user_id")
# the figures a generation writes; nobody types them
LINE_FIGURE_FIELDS = (
    "target_id",
    "target_value",
    "has_target",
    "actual_value",
    "completion_rate",
    "last_year_value",
    "yoy_rate",
    "previous_value",
    "mom_rate",
    "is_highlighted",
    "gap_direction",
    "previous_line_id",
    "previous_actual_value",
    "movement_value",
    "lead_count",
    "opportunity_count",
    "won_count",
    "lead_opportunity_rate",
    "opportunity_won_rate",
)


class SalesToolkitAnalysis(models.Model):
    _name = "sales_toolkit.analysis"
    _description = "Performance Analysis Sheet"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "sales_toolkit.xlsx.mixin",
        "sales_toolkit.record.mixin",
    ]
    _toolkit_write_default = MANAGERS
    _toolkit_write_rights = {
        "state": SYSTEM,
    }
    _order = "date_from desc, id desc"

    name = fields.Char(
        compute="_compute_name", store=True, readonly=False, precompute=True, required=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_type = fields.Selection(ANALYSIS_PERIODS, string="Period", default="quarter", required=True)
    date_from = fields.Date(string="From", required=True, default=lambda self: self._default_date_from())
    date_to = fields.Date(string="To", compute="_compute_date_to", store=True, precompute=True)
    scope = fields.Selection(SCOPES, default="company", required=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", index="btree_not_null", check_company=True)
    user_id = fields.Many2one(
        "res.users",
        check_company=True,
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("open", "Generated"), ("closed", "Closed")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many("sales_toolkit.analysis.line", "analysis_id", string="Lines", copy=False)
    generated_date = fields.Datetime(string="Figures As Of", readonly=True, copy=False)
    previous_id = fields.Many2one(
        "sales_toolkit.analysis",
        check_company=True,
        string="Previous Sheet",
        readonly=True,
        copy=False,
        help="The sheet of the previous period for the same scope, whose improvement actions this sheet "
        "follows up.",
    )
    highlighted_count = fields.Integer(string="Lines to Explain", compute="_compute_highlighted_count")
    unexplained_count = fields.Integer(string="Unexplained Lines", compute="_compute_highlighted_count")
    summary = fields.Html(help="Key findings of the period.")

    _period_check = models.Constraint(
        "CHECK (date_to >= date_from)", "A sheet's period cannot end before it starts."
    )
    _company_period_idx = models.Index("(company_id, date_from)")

    def _default_date_from(self):
        return period_start(self.env.company._toolkit_today(), "quarter")

    @api.depends("period_type", "date_from", "scope", "team_id", "company_id")
    def _compute_name(self):
        for sheet in self:
            if not sheet.date_from:
                continue
            start = sheet.date_from
            period = (
                f"{start.year}-{start.month:02d}"
                if sheet.period_type == "month"
                else f"{start.year} Q{(start.month - 1) // 3 + 1}"
            )
            where = sheet.team_id.name if sheet.scope == "team" else sheet.company_id.name
            sheet.name = f"{period} · {where or ''}".strip(" ·")

    @api.depends("period_type", "date_from")
    def _compute_date_to(self):
        for sheet in self:
            if sheet.date_from:
                sheet.date_to = sheet.date_from + relativedelta(months=sheet._period_months(), days=-1)
            else:
                sheet.date_to = False

    @api.depends("line_ids.is_highlighted", "line_ids.root_cause", "line_ids.root_cause_category")
    def _compute_highlighted_count(self):
        for sheet in self:
            highlighted = sheet.line_ids.filtered("is_highlighted")
            sheet.highlighted_count = len(highlighted)
            sheet.unexplained_count = len(highlighted.filtered(lambda line: not line._is_explained()))

    @api.onchange("period_type", "date_from")
    def _onchange_period_start(self):
        if self.date_from:
            self.date_from = period_start(self.date_from, self.period_type)

    @api.constrains("scope", "team_id")
    def _check_scope(self):
        for sheet in self:
            if sheet.scope == "team" and not sheet.team_id:
                raise UserError(self.env._("A sales team sheet needs its sales team."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft" and not self.env.su:
                raise UserError(self.env._("Use Generate, Close and Reopen to change the state of a sheet."))
            if vals.get("date_from"):
                vals["date_from"] = period_start(
                    self._toolkit_to_date("date_from", vals["date_from"]),
                    vals.get("period_type") or "quarter",
                )
            if vals.get("scope", "company") == "company":
                vals["team_id"] = False
        return super().create(vals_list)

    def write(self, vals):
        # states are written by the actions only (as the superuser, which no client context can
        # make up)
        if "state" in vals and not (self.env.su and self.env.context.get("toolkit_analysis_action")):
            raise UserError(self.env._("Use Generate, Close and Reopen to change the state of a sheet."))
        if set(vals) & {"period_type", "date_from", "scope", "team_id", "company_id"} and self.filtered(
            lambda sheet: sheet.state != "draft"
        ):
            raise UserError(
                self.env._("The period and scope of a generated sheet are fixed: create a new sheet instead.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        if self.filtered(lambda sheet: sheet.state == "closed"):
            raise UserError(self.env._("A closed sheet is part of the record: it cannot be deleted."))

    # ------------------------------------------------------------------ periods

    def _period_months(self):
        return 1 if self.period_type == "month" else 3

    def _comparison_periods(self):
        """{'current' | 'last_year' | 'previous': (date_from, date_to)}."""
        self.ensure_one()
        months = relativedelta(months=self._period_months())
        return {
            "current": (self.date_from, self.date_to),
            "last_year": (self.date_from - relativedelta(years=1), self.date_to - relativedelta(years=1)),
            "previous": (self.date_from - months, self.date_from - relativedelta(days=1)),
        }

    def _utc_bounds(self):
        """The sheet's period as UTC datetimes, days counted where the company is."""
        self.ensure_one()
        return self.company_id._toolkit_utc_bounds(self.date_from, self.date_to)

    # ------------------------------------------------------------------ actions

    def _check_can_manage(self):
        if not (self.env.su or self.env.user.has_group("sales_team.group_sale_manager")):
            raise AccessError(self.env._("Only sales managers generate, close and reopen analysis sheets."))

    def action_generate(self):
        """Fill the lines from live data; a closed sheet keeps its snapshot."""
        self._check_can_manage()
        if self.filtered(lambda sheet: sheet.state == "closed"):
            raise UserError(
                self.env._(
                    "A closed sheet is a frozen snapshot: reopen it before generating its figures again."
                )
            )
        for sheet in self:
            sheet._toolkit_generate()
        self.sudo().with_context(toolkit_analysis_action=True).write(
            {"state": "open", "generated_date": fields.Datetime.now()}
        )
        return True

    def action_close(self):
        self._check_can_manage()
        for sheet in self:
            if sheet.state != "open":
                raise UserError(self.env._("Generate the sheet before closing it."))
            missing = sheet.line_ids.filtered(lambda line: line.is_highlighted and not line._is_explained())
            if missing:
                raise UserError(
                    self.env._(
                        "Give a root cause and its category for every highlighted line before closing "
                        "the sheet: %(lines)s",
                        lines=", ".join(missing[:5].mapped("display_name")),
                    )
                )
        self.sudo().with_context(toolkit_analysis_action=True).write({"state": "closed"})
        return True

    def action_reopen(self):
        self._check_can_manage()
        if self.filtered(lambda sheet: sheet.state != "closed"):
            raise UserError(self.env._("Only closed sheets can be reopened."))
        self.sudo().with_context(toolkit_analysis_action=True).write({"state": "open"})
        for sheet in self:
            sheet.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Sheet reopened by %(user)s: its figures may be generated again.", user=self.env.user.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _toolkit_xlsx_file(self):
        """(file name, content) of the workbook, for the download route."""
        self.ensure_one()
        name = self.env._("Performance analysis - %(sheet)s.xlsx", sheet=self.name)
        return name, self._analysis_xlsx()

    # ------------------------------------------------------------------ generation

    def _toolkit_generate(self):
        """Measure every line of the sheet with a fixed number of grouped queries.

        The dimension values, the targets, the previous sheet and the lead conversion are
        read with one query each; all the figures (this period, the same period last year
        and the previous period, for every line) come from one call of the KPI engine.
        """
        self.ensure_one()
        targets = self._find_targets()
        line_keys = self._line_keys(targets)
        figures = self._measure_line_keys(line_keys)
        conversion = self._lead_conversion()
        previous = self._previous_sheet()
        previous_lines = {line._line_key(): line for line in previous.line_ids}
        existing = {line._line_key(): line for line in self.line_ids}
        to_create = []
        for sequence, key in enumerate(line_keys):
            vals = self._line_figures(key, figures[key], self._lookup_target(targets, key))
            vals.update(self._line_movement(figures[key]["current"], previous_lines.get(key)))
            dimension, kpi, team_id, categ_id, customer_type, user_id = key
            vals["sequence"] = sequence
            if kpi == "revenue" and dimension in ("overall", "team"):
                vals.update(self._conversion_figures(conversion, team_id if dimension == "team" else None))
            if key in existing:
                existing.pop(key).sudo().with_context(toolkit_analysis_generate=True).write(vals)
            else:
                to_create.append(
                    dict(
                        vals,
                        analysis_id=self.id,
                        dimension=dimension,
                        kpi=kpi,
                        team_id=team_id,
                        categ_id=categ_id,
                        customer_type=customer_type,
                        user_id=user_id,
                    )
                )
        if to_create:
            self.env["sales_toolkit.analysis.line"].sudo().with_context(
                toolkit_analysis_generate=True
            ).create(to_create)
        # lines that no longer have data go, unless someone explained or followed them up
        stale = self.env["sales_toolkit.analysis.line"].concat(*existing.values())
        stale.filtered(lambda line: not line.root_cause and not line.action_ids).unlink()
        self.sudo().previous_id = previous

    def _measure_line_keys(self, line_keys):
        """{line key: {'current' | 'last_year' | 'previous': value}}: one engine call."""
        periods = self._comparison_periods()
        specs, spec_index = [], {}
        for key in line_keys:
            for period, (date_from, date_to) in periods.items():
                spec_index[key, period] = len(specs)
                specs.append(
                    dict(self._spec_dimensions(key), key=len(specs), date_from=date_from, date_to=date_to)
                )
        values = self.env["sales_toolkit.kpi"]._measure(specs)
        return {
            key: {period: values.get(spec_index[key, period], 0.0) for period in periods} for key in line_keys
        }

    def _line_figures(self, key, figures, target):
        """The line's figures against its target and last year; highlighted outside the
        company's band of completion."""
        actual, last_year = figures["current"], figures["last_year"]
        target_value = target.target_value if target else 0.0
        completion = 100.0 * actual / target_value if target_value else 0.0
        low, high = self.company_id.toolkit_analysis_low_rate, self.company_id.toolkit_analysis_high_rate
        direction = False
        if target_value and float_compare(completion, low, precision_digits=2) < 0:
            direction = "below"
        elif target_value and float_compare(completion, high, precision_digits=2) > 0:
            direction = "above"
        return {
            "target_id": target.id if target else False,
            "target_value": target_value,
            "has_target": bool(target),
            "actual_value": actual,
            "completion_rate": completion,
            "last_year_value": last_year,
            "yoy_rate": self._change_rate(actual, last_year),
            "previous_value": figures["previous"],
            "mom_rate": self._change_rate(actual, figures["previous"]),
            "is_highlighted": bool(direction),
            "gap_direction": direction,
        }

    @api.model
    def _line_movement(self, actual, previous_line):
        """The line against the same line of the previous sheet."""
        return {
            "previous_line_id": previous_line.id if previous_line else False,
            "previous_actual_value": previous_line.actual_value if previous_line else 0.0,
            "movement_value": actual - previous_line.actual_value if previous_line else 0.0,
        }

    @api.model
    def _conversion_figures(self, conversion, team_id):
        leads, opportunities, won = conversion.get(team_id, (0, 0, 0))
        return {
            "lead_count": leads,
            "opportunity_count": opportunities,
            "won_count": won,
            "lead_opportunity_rate": 100.0 * opportunities / leads if leads else 0.0,
            "opportunity_won_rate": 100.0 * won / opportunities if opportunities else 0.0,
        }

    @api.model
    def _change_rate(self, value, base):
        return 100.0 * (value - base) / abs(base) if base else 0.0

    def _spec_dimensions(self, key):
        dimension, kpi, team_id, categ_id, customer_type, user_id = key
        return {
            "company_id": self.company_id.id,
            "kpi": kpi,
            "team_id": team_id or (self.team_id.id if self.scope == "team" else None),
            "user_id": user_id,
            "categ_id": categ_id,
            "customer_type": customer_type,
        }

    def _target_key(self, key):
        spec = self._spec_dimensions(key)
        return (
            spec["kpi"],
            spec["team_id"] or None,
            spec["user_id"] or None,
            spec["categ_id"] or None,
            spec["customer_type"] or None,
        )

    def _lookup_target(self, targets, key):
        """The line's target: the exact dimension first, then the handbook's usual forms.

        New customers are usually targeted as "new customers" and the repurchase rate as
        "existing customers' repurchase rate"; a salesperson's target may also name the
        salesperson's team.
        """
        exact = self._target_key(key)
        if exact in targets:
            return targets[exact]
        kpi, team_id, user_id, categ_id, customer_type = exact
        implied = {"new_customers": "new", "repurchase_rate": "existing"}.get(kpi)
        if implied and not customer_type and (kpi, team_id, user_id, categ_id, implied) in targets:
            return targets[(kpi, team_id, user_id, categ_id, implied)]
        if user_id and not team_id:
            return next(
                (
                    target
                    for (t_kpi, _team, t_user, t_categ, t_type), target in targets.items()
                    if (t_kpi, t_user, t_categ, t_type) == (kpi, user_id, categ_id, customer_type)
                ),
                None,
            )
        return None

    def _find_targets(self):
        """{(kpi, team, user, category, customer type): target} of the sheet's period.

        A confirmed or closed target of the same company, KPI and period whose dimension
        is exactly the line's.
        """
        self.ensure_one()
        found = (
            self.env["sales_toolkit.target"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("state", "in", ("confirmed", "closed")),
                    ("date_from", "=", self.date_from),
                    ("date_to", "=", self.date_to),
                ],
                order="id desc",
            )
        )
        targets = {}
        for target in found:
            key = (
                target.kpi,
                target.team_id.id or None,
                target.user_id.id or None,
                target.product_categ_id.id or None,
                target.customer_type or None,
            )
            targets.setdefault(key, target)
        return targets

    def _line_keys(self, targets):
        """The sheet's lines: (dimension, kpi, team, category, customer type, user), in order.

        Regions, product lines (top-level categories) and salespeople that sold in the
        period, plus those that have a target for it.
        """
        self.ensure_one()
        teams, categs, users = self._sold_dimension_values()
        scope_team = self.team_id.id if self.scope == "team" else None
        for kpi, team_id, user_id, categ_id, customer_type in targets:
            if kpi != "revenue" or customer_type:
                continue
            if team_id and not user_id and not categ_id and not scope_team:
                teams.add(team_id)
            elif categ_id and not user_id and team_id == scope_team:
                categs.add(categ_id)
            elif user_id and not categ_id and team_id == scope_team:
                users.add(user_id)
        keys = [("overall", kpi, None, None, None, None) for kpi in OVERALL_KPIS]
        if not scope_team:
            for team in self.env["crm.team"].browse(teams).sorted(lambda team: (team.name or "", team.id)):
                keys.append(("team", "revenue", team.id, None, None, None))
        for categ in (
            self.env["product.category"].browse(categs).sorted(lambda c: (c.complete_name or "", c.id))
        ):
            keys.append(("category", "revenue", None, categ.id, None, None))
        for customer_type, _label in CUSTOMER_TYPES:
            keys.append(("customer_type", "revenue", None, None, customer_type, None))
        for user in self.env["res.users"].browse(users).sorted(lambda user: (user.name or "", user.id)):
            keys.append(("user", "revenue", None, None, None, user.id))
        return keys

    def _sold_dimension_values(self):
        """(team ids, top-level category ids, salesperson ids) of the period's confirmed sales."""
        self.ensure_one()
        Kpi = self.env["sales_toolkit.kpi"]
        Kpi._flush_measured_models()
        utc_from, utc_to = self._utc_bounds()
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT o.team_id, o.user_id,
                          NULLIF(split_part(pc.parent_path, '/', 1), '')::int
                     FROM sale_order o
                     JOIN sale_order_line l ON l.order_id = o.id AND l.display_type IS NULL
                                           AND l.is_downpayment IS NOT TRUE
                LEFT JOIN product_product pp ON pp.id = l.product_id
                LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
                LEFT JOIN product_category pc ON pc.id = pt.categ_id
                    WHERE o.company_id = %(company)s AND %(confirmed)s
                      AND o.date_order >= %(utc_from)s AND o.date_order < %(utc_to)s
                      AND (%(team)s::int IS NULL OR o.team_id = %(team)s::int)""",
                company=self.company_id.id,
                confirmed=Kpi._confirmed_sql("o"),
                utc_from=utc_from,
                utc_to=utc_to,
                team=self.team_id.id if self.scope == "team" else None,
            )
        )
        teams, categs, users = set(), set(), set()
        for team_id, user_id, categ_id in self.env.cr.fetchall():
            teams.add(team_id)
            users.add(user_id)
            categs.add(categ_id)
        return teams - {None}, categs - {None}, users - {None}

    def _lead_conversion(self):
        """{team id (None: the sheet's total): (leads, opportunities, won)} of the leads
        created in the period: one grouped query."""
        self.ensure_one()
        utc_from, utc_to = self._utc_bounds()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("create_date", ">=", utc_from),
            ("create_date", "<", utc_to),
        ]
        if self.scope == "team":
            domain.append(("team_id", "=", self.team_id.id))
        groups = (
            self.env["crm.lead"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(domain, ["team_id", "type", "won_status"], ["__count"])
        )
        counts = defaultdict(lambda: [0, 0, 0])
        for team, lead_type, won_status, count in groups:
            for key in (team.id or False, None):
                counts[key][0] += count
                if lead_type == "opportunity":
                    counts[key][1] += count
                if won_status == "won":
                    counts[key][2] += count
        return {key: tuple(value) for key, value in counts.items()}

    def _previous_sheet(self):
        self.ensure_one()
        previous_from = self._comparison_periods()["previous"][0]
        return self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("scope", "=", self.scope),
                ("team_id", "=", self.team_id.id),
                ("period_type", "=", self.period_type),
                ("date_from", "=", previous_from),
                ("state", "in", ("open", "closed")),
                ("id", "!=", self.id),
            ],
            order="state desc, id desc",
            limit=1,
        )

    # ------------------------------------------------------------------ report helpers

    def _lines_of(self, dimension):
        self.ensure_one()
        return self.line_ids.filtered(lambda line: line.dimension == dimension).sorted("sequence")

    def _overall_line(self):
        return self._lines_of("overall").filtered(lambda line: line.kpi == "revenue")[:1]

    def _format_amount(self, value):
        self.ensure_one()
        return format_amount(self.env, value, self.currency_id)

    def _format_percent(self, value, signed=False):
        text = formatLang(self.env, value, digits=1)
        return ("+" + text if signed and value > 0 else text) + " %"

    def _period_label(self):
        self.ensure_one()
        return self.env._(
            "%(start)s – %(end)s",
            start=format_date(self.env, self.date_from),
            end=format_date(self.env, self.date_to),
        )

    def _chart_bars(self, dimension, width=680, height=220):
        """Geometry of a bar chart of target vs actual per dimension value, for QWeb's SVG.

        Plain dicts only: the template draws ``<rect>`` and ``<text>`` from them.
        """
        self.ensure_one()
        lines = self._lines_of(dimension).filtered(lambda line: line.kpi == "revenue")
        top, bottom, left = 20, 40, 10
        plot_height = height - top - bottom
        peak = max([*lines.mapped("target_value"), *lines.mapped("actual_value"), 0.0]) or 1.0
        slot = (width - 2 * left) / max(len(lines), 1)
        bar = max(min(slot * 0.3, 60), 4)
        bars, labels = [], []
        for index, line in enumerate(lines):
            x = left + index * slot + (slot - 2 * bar) / 2
            for offset, value, colour in (
                (0, line.target_value, "#B4B4B4"),
                (bar, line.actual_value, "#E06666" if line.is_highlighted else "#3C78D8"),
            ):
                bar_height = round(plot_height * value / peak, 1)
                bars.append(
                    {
                        "x": round(x + offset, 1),
                        "y": round(top + plot_height - bar_height, 1),
                        "width": round(bar - 2, 1),
                        "height": bar_height,
                        "fill": colour,
                    }
                )
            labels.append(
                {
                    "x": round(x + bar, 1),
                    "y": height - bottom + 16,
                    "text": (line.dimension_value or "")[:24],
                    "rate_y": round(
                        top
                        + plot_height
                        - plot_height * max(line.target_value, line.actual_value) / peak
                        - 4,
                        1,
                    ),
                    "rate": self._format_percent(line.completion_rate) if line.has_target else "",
                }
            )
        return {
            "width": width,
            "height": height,
            "baseline": top + plot_height,
            "left": left,
            "right": width - left,
            "bars": bars,
            "labels": labels,
            "legend_y": height - 6,
        }

    # ------------------------------------------------------------------ workbook

    def _xlsx_dimensions(self):
        dimensions = [dimension for dimension, _label in DIMENSIONS]
        if self.scope == "team":
            dimensions.remove("team")
        return dimensions

    def _analysis_xlsx(self):
        """One sheet per dimension, with a native bar chart of target vs actual; the
        overview adds a line chart of the revenue trend."""
        self.ensure_one()
        dimension_labels = dict(
            self.env["sales_toolkit.analysis.line"]._fields["dimension"]._description_selection(self.env)
        )
        with self._toolkit_workbook() as book:
            for dimension in self._xlsx_dimensions():
                sheet = book.add_sheet(
                    dimension_labels[dimension],
                    self._xlsx_columns(),
                    self.env._(
                        "Performance Analysis: %(sheet)s — %(dimension)s",
                        sheet=self.name,
                        dimension=dimension_labels[dimension],
                    ),
                    self._period_label(),
                )
                lines = self._lines_of(dimension)
                self._xlsx_lines(book, sheet, lines, first=4)
                last = 4 + max(len(lines), 1) - 1
                if dimension == "overall":
                    self._xlsx_trend(book, sheet, last + 20)
        return book.content

    def _xlsx_columns(self):
        return [
            (self.env._("Dimension Value"), 28),
            (self.env._("Indicator"), 20),
            (self.env._("Target"), 16),
            (self.env._("Actual"), 16),
            (self.env._("Completion"), 12),
            (self.env._("YoY"), 10),
            (self.env._("MoM"), 10),
            (self.env._("Root Cause Category"), 18),
            (self.env._("Root Cause"), 50),
        ]

    def _xlsx_lines(self, book, sheet, lines, first):
        """The lines from row ``first``, completion coloured outside the company's band, and
        the chart of target vs actual revenue."""
        categories = dict(
            self.env["sales_toolkit.analysis.line"]
            ._fields["root_cause_category"]
            ._description_selection(self.env)
        )
        for index, line in enumerate(lines):
            book.write_row(
                sheet,
                first + index,
                [
                    (line.dimension_value or "", "text"),
                    (line.kpi_label or "", "text"),
                    (line.target_value if line.has_target else None, "number"),
                    (line.actual_value, "number"),
                    (line.completion_rate / 100.0 if line.has_target else None, "percent_1"),
                    (line.yoy_rate / 100.0 if line.last_year_value else None, "percent_1"),
                    (line.mom_rate / 100.0 if line.previous_value else None, "percent_1"),
                    (categories.get(line.root_cause_category, ""), "text"),
                    (line.root_cause or "", "text"),
                ],
            )
        last = first + max(len(lines), 1) - 1
        completion = f"E{first + 1}:E{last + 1}"
        low = self.company_id.toolkit_analysis_low_rate / 100.0
        high = self.company_id.toolkit_analysis_high_rate / 100.0
        # no target, no colour: Excel would take an empty cell for 0 %
        sheet.conditional_format(completion, {"type": "blanks", "stop_if_true": True})
        sheet.conditional_format(
            completion, {"type": "cell", "criteria": "<", "value": low, "format": book.formats["low"]}
        )
        sheet.conditional_format(
            completion, {"type": "cell", "criteria": ">", "value": high, "format": book.formats["high"]}
        )
        revenue_rows = [first + index for index, line in enumerate(lines) if line.kpi == "revenue"]
        if revenue_rows:
            book.insert_chart(
                sheet,
                "column",
                self.env._("Target vs Actual"),
                [(self.env._("Target"), 2), (self.env._("Actual"), 3)],
                (revenue_rows[0], revenue_rows[-1]),
                (last + 3, 0),
                {"x_scale": 1.4, "y_scale": 1.1},
            )

    def _xlsx_trend(self, book, sheet, row):
        """The overall revenue of the same period last year, the previous period and this one."""
        line = self._overall_line()
        book.write_row(
            sheet, row, [(self.env._("Revenue Trend"), "header"), (self.env._("Revenue"), "header")]
        )
        points = (
            (self.env._("Same period last year"), line.last_year_value),
            (self.env._("Previous period"), line.previous_value),
            (self.env._("This period"), line.actual_value),
        )
        for index, (label, value) in enumerate(points, start=1):
            book.write_row(sheet, row + index, [(label, "text"), (value, "number")])
        book.insert_chart(
            sheet,
            "line",
            self.env._("Revenue Trend"),
            [(self.env._("Revenue"), 1)],
            (row + 1, row + 3),
            (row, 3),
            marker={"type": "circle"},
        )
