from collections import defaultdict
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL, format_amount, formatLang

KPIS = [
    ("revenue", "Revenue"),
    ("order_count", "Order Count"),
    ("new_customers", "New Customers"),
    ("repurchase_rate", "Repurchase Rate (%)"),
    ("won_leads", "Won Opportunities"),
]
# KPIs that add up over time and across sub-targets; the repurchase rate is a ratio
ADDITIVE_KPIS = ("revenue", "order_count", "new_customers", "won_leads")
# the repurchase rate and, for a caller that shows how it came about, its two counts (the
# customers of the previous period, and those of them who ordered again): one definition
REPURCHASE_KPIS = ("repurchase_rate", "repurchase_base", "repurchase_repeat")
CUSTOMER_TYPES = [
    ("new", "New Customers"),
    ("existing", "Existing Customers"),
    ("key_account", "Key Accounts"),
]
# the pace of an achievement (``_pace``)
STATUSES = [("on_track", "On Track"), ("at_risk", "At Risk"), ("behind", "Behind")]
# the optional keys of a spec, and what leaving them out means
SPEC_DEFAULTS = {"team_id": None, "user_id": None, "categ_id": None, "customer_type": None}


class SalesToolkitKpi(models.AbstractModel):
    """The module's one measurement engine, and its one definition of each sales rule.

    ``_measure(specs)`` gives ``{key: value}`` for any number of specs in a fixed number
    of queries; ``_history(spec, years)`` the same period of past years. A spec is a dict:

    - ``key``: an integer, the key of its value in the result;
    - ``company_id``: the company whose sales are measured (days in its timezone);
    - ``kpi``: ``revenue`` (untaxed, company currency; from posted invoices when the
      company's revenue basis says so), ``order_count``, ``new_customers``,
      ``repurchase_rate`` (%) or ``won_leads``; ``repurchase_base`` and ``repurchase_repeat``
      give the two counts behind a repurchase rate (see REPURCHASE_KPIS);
    - ``date_from``, ``date_to``: the period, calendar days where the company is;
    - optional, ``None`` for all: ``team_id`` (sales team), ``user_id`` (salesperson),
      ``categ_id`` (product line: a category and its children; not for ``won_leads``),
      ``customer_type`` (``new``, ``existing`` or ``key_account``).

    The rules every tool shares are written here once: a confirmed sale
    (``_confirmed_sql``), revenue in company currency (``_company_amount_sql``), a local day
    as UTC (``_utc_midnight_sql``, ``_local_time_sql``; in Python
    ``res.company._toolkit_utc_bounds``), a new customer (``_new_customer_sql``) and the
    repurchase rate (``_measure_orders_query``).

    The engine reads the sales tables as the superuser, whoever calls it: its callers
    (targets, analysis sheets, the suggest wizard, tasks, trainings, the cockpit) check
    that the user may see what a spec measures before they ask. Underscore-private, so
    that no external API call reaches it.
    """

    _name = "sales_toolkit.kpi"
    _description = "Sales Toolkit KPI Engine"

    # ------------------------------------------------------------------ shared rules

    @api.model
    def _confirmed_sql(self, order="o"):
        """A confirmed sale: the order alias's state is ``sale`` (quotations, sent and
        cancelled orders are not sales)."""
        return SQL("%s = 'sale'", SQL.identifier(order, "state"))

    @api.model
    def _company_amount_sql(self, amount, rate):
        """An order's amount in company currency: SQL ``amount`` over the order's
        ``currency_rate`` (1 when unset)."""
        return SQL("(%s / COALESCE(NULLIF(%s, 0), 1))", amount, rate)

    @api.model
    def _utc_midnight_sql(self, tz, day):
        """The UTC timestamp of local midnight starting SQL date ``day`` in timezone ``tz``."""
        return SQL("timezone('UTC', timezone(%s, (%s)::timestamp))", tz, day)

    @api.model
    def _local_time_sql(self, tz, moment):
        """The local wall-clock time in timezone ``tz`` of the UTC timestamp ``moment``."""
        return SQL("timezone(%s, timezone('UTC', %s))", tz, moment)

    @api.model
    def _company_tz_sql(self, company_partner="cp"):
        """The company's timezone from its partner's alias: UTC when unset."""
        return SQL("COALESCE(%s, 'UTC')", SQL.identifier(company_partner, "tz"))

    @api.model
    def _new_customer_sql(self, first_at, utc_from):
        """A new customer of a period: its first confirmed order is in the period or later
        (or it has none yet, for an invoice or an opportunity)."""
        return SQL("(%(first)s IS NULL OR %(first)s >= %(start)s)", first=first_at, start=utc_from)

    @api.model
    def _first_orders_sql(self, companies):
        """SELECT (company_id, customer, first_at): each commercial partner's first confirmed
        order per company, for the SQL ``companies`` condition on ``o.company_id``."""
        return SQL(
            """SELECT o.company_id, p.commercial_partner_id AS customer, MIN(o.date_order) AS first_at
                 FROM sale_order o JOIN res_partner p ON p.id = o.partner_id
                WHERE %(confirmed)s AND %(companies)s
             GROUP BY o.company_id, p.commercial_partner_id""",
            confirmed=self._confirmed_sql(),
            companies=companies,
        )

    # ------------------------------------------------------------------ entry points

    @api.model
    def _measure(self, specs):
        """{key: measured value} of specs (see the class), real targets or hypothetical.

        One query per KPI family (sale orders, posted invoices, won opportunities),
        whatever the number of specs; a spec that measures nothing gives 0.
        """
        if not specs:
            return {}
        specs = [{**SPEC_DEFAULTS, **spec} for spec in specs]
        companies = self.env["res.company"].sudo().browse({spec["company_id"] for spec in specs})
        invoiced = set(
            companies.filtered(lambda company: company.toolkit_target_revenue_basis == "invoices").ids
        )
        families = defaultdict(list)
        for spec in specs:
            if spec["kpi"] == "won_leads":
                families["leads"].append(spec)
            elif spec["kpi"] == "revenue" and spec["company_id"] in invoiced:
                families["invoices"].append(spec)
            else:
                families["orders"].append(spec)
        self._flush_measured_models()
        result = {}
        for family, family_specs in families.items():
            query = getattr(self, f"_measure_{family}_query")(
                self._spec_bounds_sql(family_specs), self._spec_scan_range(family_specs)
            )
            self.env.cr.execute(query)
            result.update((key, value or 0.0) for key, value in self.env.cr.fetchall())
        return result

    @api.model
    def _history(self, spec, years=2):
        """The same period of each of the last ``years`` years: [(date_from, date_to, value)]."""
        spec = {**SPEC_DEFAULTS, **spec}
        shifted = [
            dict(
                spec,
                key=offset,
                date_from=spec["date_from"] - relativedelta(years=offset),
                date_to=spec["date_to"] - relativedelta(years=offset),
            )
            for offset in range(1, years + 1)
        ]
        values = self._measure(shifted)
        return [(s["date_from"], s["date_to"], values.get(s["key"], 0.0)) for s in shifted]

    @api.model
    def _pace(self, spec, goal, achieved, today):
        """How ``achieved`` of a spec stands against ``goal`` on ``today``:
        ``{"completion", "expected", "forecast", "status"}``.

        Completion and expected (the share of the period elapsed) are percentages; the
        forecast runs the pace so far to the end of the period (a ratio KPI keeps its
        value); the status compares the forecast with the company's on-track and at-risk
        rates.
        """
        days = (spec["date_to"] - spec["date_from"]).days + 1
        elapsed = min(max((today - spec["date_from"]).days + 1, 0), days)
        if spec["kpi"] in ADDITIVE_KPIS:
            forecast = achieved * days / elapsed if elapsed else 0.0
        else:
            forecast = achieved if elapsed else 0.0
        status = "on_track"
        if elapsed and goal:
            company = self.env["res.company"].browse(spec["company_id"])
            projected = 100.0 * forecast / goal
            if projected < company.toolkit_target_on_track_rate:
                status = "at_risk" if projected >= company.toolkit_target_at_risk_rate else "behind"
        return {
            "completion": 100.0 * achieved / goal if goal else 0.0,
            "expected": 100.0 * elapsed / days,
            "forecast": forecast,
            "status": status,
        }

    @api.model
    def _unit(self, kpi, currency):
        """The unit of ``kpi``'s values: ``currency``'s code for revenue."""
        units = {
            "order_count": self.env._("orders"),
            "new_customers": self.env._("customers"),
            "repurchase_rate": "%",
            "won_leads": self.env._("opportunities"),
        }
        return units.get(kpi) or currency.name or ""

    @api.model
    def _format_value(self, kpi, value, currency):
        """A value of ``kpi`` as people read it: an amount in ``currency``, a rate, a count."""
        if kpi == "revenue":
            return format_amount(self.env, value, currency)
        if kpi == "repurchase_rate":
            return formatLang(self.env, value, digits=1) + " %"
        return formatLang(self.env, value, digits=0)

    # ------------------------------------------------------------------ queries

    @api.model
    def _flush_measured_models(self):
        self.env["res.company"].flush_model(["partner_id"])
        self.env["res.partner"].flush_model(["commercial_partner_id", "customer_tier", "tz"])
        self.env["sale.order"].flush_model(
            ["state", "company_id", "date_order", "partner_id", "team_id", "user_id", "currency_rate"]
        )
        self.env["sale.order.line"].flush_model(
            ["order_id", "price_subtotal", "display_type", "is_downpayment", "product_id"]
        )
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["categ_id"])
        self.env["product.category"].flush_model(["parent_path"])
        self.env["account.move"].flush_model(
            [
                "state",
                "move_type",
                "invoice_date",
                "team_id",
                "invoice_user_id",
                "commercial_partner_id",
                "company_id",
            ]
        )
        self.env["account.move.line"].flush_model(["move_id", "display_type", "balance", "product_id"])
        self.env["crm.lead"].flush_model(
            ["won_status", "date_closed", "company_id", "team_id", "user_id", "partner_id"]
        )

    @api.model
    def _spec_bounds_sql(self, specs):
        """CTEs ``bounds`` (each spec with its UTC limits and category path) and
        ``firsts`` (each customer's first confirmed order per company)."""
        rows = SQL(", ").join(
            SQL(
                "(%s::int, %s::int, %s::varchar, %s::int, %s::int, %s::int, %s::varchar, %s::date, %s::date)",
                spec["key"],
                spec["company_id"],
                spec["kpi"],
                spec["team_id"] or None,
                spec["user_id"] or None,
                spec["categ_id"] or None,
                spec["customer_type"] or None,
                spec["date_from"],
                spec["date_to"],
            )
            for spec in specs
        )
        # local midnights of the days in the company's timezone, as UTC timestamps
        return SQL(
            """spec(key, company_id, kpi, team_id, user_id, categ_id, customer_type, date_from, date_to)
                   AS (VALUES %(rows)s),
               zoned AS (
                   SELECT spec.*, %(tz)s AS tz, cat.parent_path AS categ_path,
                          CASE WHEN spec.kpi LIKE 'repurchase%%'
                               THEN spec.date_from - (spec.date_to - spec.date_from + 1)
                               ELSE spec.date_from END AS scan_from
                     FROM spec
                     JOIN res_company c ON c.id = spec.company_id
                     JOIN res_partner cp ON cp.id = c.partner_id
                LEFT JOIN product_category cat ON cat.id = spec.categ_id
               ),
               bounds AS (
                   SELECT zoned.*,
                          %(utc_scan)s AS utc_scan, %(utc_from)s AS utc_from, %(utc_to)s AS utc_to
                     FROM zoned
               ),
               firsts AS (%(firsts)s)""",
            rows=rows,
            tz=self._company_tz_sql("cp"),
            utc_scan=self._utc_midnight_sql(SQL("tz"), SQL("scan_from")),
            utc_from=self._utc_midnight_sql(SQL("tz"), SQL("date_from")),
            utc_to=self._utc_midnight_sql(SQL("tz"), SQL("date_to + 1")),
            firsts=self._first_orders_sql(SQL("o.company_id IN (SELECT company_id FROM spec)")),
        )

    @api.model
    def _spec_scan_range(self, specs):
        """Constant limits around every spec's period, for the planner.

        The exact limits are computed in SQL (``bounds``: local midnights in each company's
        timezone, a period earlier for a repurchase rate), where the planner cannot see
        them; the same limits as constants, a day wider on each side (no timezone is a day
        away from UTC), let it estimate how many rows a period holds and read them with
        hash joins rather than with an index lookup per row.
        """
        day_from = min(
            spec["date_from"] - (spec["date_to"] - spec["date_from"] + timedelta(days=1))
            if spec["kpi"] in REPURCHASE_KPIS
            else spec["date_from"]
            for spec in specs
        )
        day_to = max(spec["date_to"] for spec in specs)
        return {
            "company_ids": tuple({spec["company_id"] for spec in specs}),
            "day_from": day_from,
            "day_to": day_to,
            "utc_from": datetime.combine(day_from - timedelta(days=1), time.min),
            "utc_to": datetime.combine(day_to + timedelta(days=2), time.min),
        }

    @api.model
    def _customer_type_sql(self, customer, first_at):
        """The customer-type condition on a commercial partner alias and its first order.

        New is every customer who is not existing: first confirmed order in the period
        (or after it, for an invoice or an opportunity), or none at all yet.
        """
        return SQL(
            """(b.customer_type IS NULL
                OR (b.customer_type = 'key_account'
                    AND COALESCE(%(customer)s.customer_tier ->> b.company_id::text, 'regular')
                        IN ('vip', 'key'))
                OR (b.customer_type = 'new' AND %(new)s)
                OR (b.customer_type = 'existing' AND NOT %(new)s))""",
            customer=SQL.identifier(customer),
            new=self._new_customer_sql(first_at, SQL("b.utc_from")),
        )

    @api.model
    def _measure_orders_query(self, bounds, scan):
        """Revenue, order count, new customers and repurchase rate from confirmed sale lines.

        Confirmed orders are read once, with their customer and first order, then their
        product lines once, with their category, and sorted into the distinct period
        windows (company, period) of the specs; a window reaches back a period earlier only
        when one of its specs is a repurchase rate. Specs of a window that share a product
        category and a customer type, and split by the same dimensions (sales team,
        salesperson), form a bucket: each bucket groups the window's lines by team and
        salesperson, and each spec picks its group. Revenue is first summed per window,
        team, salesperson, category and customer kind (cells), so buckets add up cells, not
        lines; orders and customers are counted from the orders (from the lines only for a
        product line), and only for the buckets that measure them. A thousand targets, or
        an analysis sheet's hundreds of lines over three periods, cost one read of the
        lines.

        Repurchase rate, the module's one definition: of the customers with a confirmed
        order in the previous period of the same length, the share (in %) who ordered
        again in this one.
        """
        return SQL(
            """WITH %(bounds)s,
               specs AS (
                   SELECT bounds.*,
                          dense_rank() OVER (ORDER BY company_id, utc_from, utc_to) AS window_id,
                          dense_rank() OVER (ORDER BY company_id, utc_from, utc_to, team_id IS NULL,
                                                      user_id IS NULL, categ_path, customer_type) AS bucket
                     FROM bounds
               ),
               windows AS (
                   SELECT window_id, company_id, MIN(utc_scan) AS utc_scan, utc_from, utc_to
                     FROM specs GROUP BY window_id, company_id, utc_from, utc_to
               ),
               buckets AS (
                   SELECT bucket, window_id, categ_path, customer_type,
                          bool_and(team_id IS NOT NULL) AS by_team, array_agg(DISTINCT team_id) AS team_ids,
                          bool_and(user_id IS NOT NULL) AS by_user, array_agg(DISTINCT user_id) AS user_ids,
                          bool_or(kpi != 'revenue') AS counts_customers,
                          bool_or(kpi LIKE 'repurchase%%') AS reads_before
                     FROM specs
                 GROUP BY bucket, window_id, categ_path, customer_type
               ),
               scanned_orders AS MATERIALIZED (
                   -- each confirmed order with a product line read once, whatever the number of
                   -- windows it falls in: constants around all the windows, then the windows
                   SELECT o.id AS order_id, o.company_id, o.date_order, o.team_id, o.user_id, o.currency_rate,
                          p.commercial_partner_id AS customer, f.first_at,
                          COALESCE(cust.customer_tier ->> o.company_id::text, 'regular') IN ('vip', 'key')
                              AS is_key
                     FROM sale_order o
                     JOIN res_partner p ON p.id = o.partner_id
                     JOIN res_partner cust ON cust.id = p.commercial_partner_id
                     JOIN firsts f ON f.company_id = o.company_id AND f.customer = p.commercial_partner_id
                    WHERE %(confirmed)s AND o.company_id IN %(company_ids)s
                      AND o.date_order >= %(utc_from)s AND o.date_order < %(utc_to)s
                      AND EXISTS (SELECT 1 FROM windows w
                                   WHERE w.company_id = o.company_id
                                     AND o.date_order >= w.utc_scan AND o.date_order < w.utc_to)
                      AND EXISTS (SELECT 1 FROM sale_order_line l
                                   WHERE l.order_id = o.id AND l.display_type IS NULL
                                     AND l.is_downpayment IS NOT TRUE)
               ),
               scanned AS MATERIALIZED (
                   -- and each of their product lines, with its product line (category path)
                   SELECT s.*, pc.parent_path AS line_categ_path,
                          %(amount)s AS amount
                     FROM scanned_orders s
                     JOIN sale_order_line l ON l.order_id = s.order_id AND l.display_type IS NULL
                                           AND l.is_downpayment IS NOT TRUE
                LEFT JOIN product_product pp ON pp.id = l.product_id
                LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
                LEFT JOIN product_category pc ON pc.id = pt.categ_id
               ),
               window_orders AS MATERIALIZED (
                   SELECT w.window_id, s.team_id, s.user_id, s.order_id, s.customer, s.is_key,
                          s.date_order >= w.utc_from AS in_period, %(new_in_window)s AS first_in_period
                     FROM windows w
                     JOIN scanned_orders s ON s.company_id = w.company_id
                                          AND s.date_order >= w.utc_scan AND s.date_order < w.utc_to
               ),
               window_lines AS MATERIALIZED (
                   SELECT w.window_id, s.team_id, s.user_id, s.order_id, s.customer, s.is_key,
                          s.line_categ_path, s.amount, s.date_order >= w.utc_from AS in_period,
                          %(new_in_window)s AS first_in_period
                     FROM windows w
                     JOIN scanned s ON s.company_id = w.company_id
                                   AND s.date_order >= w.utc_scan AND s.date_order < w.utc_to
               ),
               cells AS MATERIALIZED (
                   SELECT window_id, team_id, user_id, line_categ_path, is_key, first_in_period,
                          SUM(amount) AS amount
                     FROM window_lines WHERE in_period
                 GROUP BY window_id, team_id, user_id, line_categ_path, is_key, first_in_period
               ),
               revenue AS MATERIALIZED (
                   SELECT b.bucket, CASE WHEN b.by_team THEN x.team_id END AS team_id,
                          CASE WHEN b.by_user THEN x.user_id END AS user_id, SUM(x.amount) AS revenue
                     FROM buckets b
                     JOIN cells x ON x.window_id = b.window_id
                                 AND (NOT b.by_team OR x.team_id = ANY(b.team_ids))
                                 AND (NOT b.by_user OR x.user_id = ANY(b.user_ids))
                    WHERE (b.categ_path IS NULL OR x.line_categ_path LIKE b.categ_path || '%%')
                      AND %(customer_type)s
                 GROUP BY 1, 2, 3
               ),
               -- order and customer counts, only for the buckets that measure them: from the
               -- orders, or for a product line from the lines (an order counts once)
               orders AS (
                   SELECT b.bucket, CASE WHEN b.by_team THEN x.team_id END AS team_id,
                          CASE WHEN b.by_user THEN x.user_id END AS user_id,
                          x.customer, x.order_id, x.in_period, x.first_in_period
                     FROM buckets b
                     JOIN window_orders x ON x.window_id = b.window_id
                                         AND (x.in_period OR b.reads_before)
                                         AND (NOT b.by_team OR x.team_id = ANY(b.team_ids))
                                         AND (NOT b.by_user OR x.user_id = ANY(b.user_ids))
                    WHERE b.counts_customers AND b.categ_path IS NULL AND %(customer_type)s
                UNION ALL
                   SELECT DISTINCT b.bucket, CASE WHEN b.by_team THEN x.team_id END,
                          CASE WHEN b.by_user THEN x.user_id END,
                          x.customer, x.order_id, x.in_period, x.first_in_period
                     FROM buckets b
                     JOIN window_lines x ON x.window_id = b.window_id
                                        AND (x.in_period OR b.reads_before)
                                        AND (NOT b.by_team OR x.team_id = ANY(b.team_ids))
                                        AND (NOT b.by_user OR x.user_id = ANY(b.user_ids))
                    WHERE b.counts_customers AND b.categ_path IS NOT NULL
                      AND x.line_categ_path LIKE b.categ_path || '%%' AND %(customer_type)s
               ),
               customers AS (
                   SELECT bucket, team_id, user_id, customer, COUNT(*) FILTER (WHERE in_period) AS orders,
                          bool_or(in_period) AS again, bool_or(NOT in_period) AS before,
                          bool_and(first_in_period) AS first_in_period
                     FROM orders GROUP BY bucket, team_id, user_id, customer
               ),
               counts AS MATERIALIZED (
                   SELECT bucket, team_id, user_id, SUM(orders) AS orders,
                          COUNT(*) FILTER (WHERE again AND first_in_period) AS new_customers,
                          COUNT(*) FILTER (WHERE before) AS base_count,
                          COUNT(*) FILTER (WHERE before AND again) AS again_count
                     FROM customers GROUP BY bucket, team_id, user_id
               )
               SELECT s.key, CASE s.kpi WHEN 'revenue' THEN r.revenue WHEN 'order_count' THEN c.orders
                                        WHEN 'new_customers' THEN c.new_customers
                                        WHEN 'repurchase_base' THEN c.base_count
                                        WHEN 'repurchase_repeat' THEN c.again_count
                                        ELSE 100.0 * c.again_count / NULLIF(c.base_count, 0) END
                 FROM specs s
            LEFT JOIN revenue r ON s.kpi = 'revenue' AND r.bucket = s.bucket
                               AND COALESCE(r.team_id, 0) = COALESCE(s.team_id, 0)
                               AND COALESCE(r.user_id, 0) = COALESCE(s.user_id, 0)
            LEFT JOIN counts c ON s.kpi != 'revenue' AND c.bucket = s.bucket
                              AND COALESCE(c.team_id, 0) = COALESCE(s.team_id, 0)
                              AND COALESCE(c.user_id, 0) = COALESCE(s.user_id, 0)""",
            bounds=bounds,
            company_ids=scan["company_ids"],
            utc_from=scan["utc_from"],
            utc_to=scan["utc_to"],
            confirmed=self._confirmed_sql("o"),
            amount=self._company_amount_sql(SQL("l.price_subtotal"), SQL("s.currency_rate")),
            new_in_window=self._new_customer_sql(SQL("s.first_at"), SQL("w.utc_from")),
            customer_type=SQL(
                """(b.customer_type IS NULL
                    OR (b.customer_type = 'key_account' AND x.is_key)
                    OR (b.customer_type = 'new' AND x.first_in_period)
                    OR (b.customer_type = 'existing' AND NOT x.first_in_period))"""
            ),
        )

    @api.model
    def _measure_invoices_query(self, bounds, scan):
        """Revenue from posted customer invoices and credit notes, untaxed, company currency."""
        return SQL(
            """WITH %(bounds)s
               SELECT b.key, SUM(-aml.balance)
                 FROM bounds b
                 JOIN account_move m ON m.company_id = b.company_id AND m.state = 'posted'
                                    AND m.move_type IN ('out_invoice', 'out_refund')
                                    AND m.invoice_date BETWEEN b.date_from AND b.date_to
                                    AND m.invoice_date BETWEEN %(day_from)s AND %(day_to)s
                                    AND (b.team_id IS NULL OR m.team_id = b.team_id)
                                    AND (b.user_id IS NULL OR m.invoice_user_id = b.user_id)
                 JOIN account_move_line aml ON aml.move_id = m.id AND aml.display_type = 'product'
                 JOIN res_partner cust ON cust.id = m.commercial_partner_id
            %(first_order)s
            LEFT JOIN product_product pp ON pp.id = aml.product_id
            LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
            LEFT JOIN product_category pc ON pc.id = pt.categ_id
                WHERE (b.categ_path IS NULL OR pc.parent_path LIKE b.categ_path || '%%')
                  AND %(customer_type)s
             GROUP BY b.key""",
            bounds=bounds,
            day_from=scan["day_from"],
            day_to=scan["day_to"],
            first_order=self._first_order_sql(SQL("m.company_id"), SQL("m.commercial_partner_id")),
            customer_type=self._customer_type_sql("cust", SQL("f.first_at")),
        )

    @api.model
    def _first_order_sql(self, company, customer):
        """LEFT JOIN LATERAL ``f``: the customer's first confirmed order, looked up only for
        the specs whose customer type needs it (new or existing), by index."""
        return SQL(
            """LEFT JOIN LATERAL (
                   SELECT MIN(fo.date_order) AS first_at
                     FROM res_partner fp
                     JOIN sale_order fo ON fo.partner_id = fp.id AND %(confirmed)s
                                       AND fo.company_id = %(company)s
                    WHERE fp.commercial_partner_id = %(customer)s AND b.customer_type IN ('new', 'existing')
               ) f ON TRUE""",
            company=company,
            customer=customer,
            confirmed=self._confirmed_sql("fo"),
        )

    @api.model
    def _measure_leads_query(self, bounds, scan):
        """Opportunities won (closed) in the period."""
        return SQL(
            """WITH %(bounds)s
               SELECT b.key, COUNT(l.id)
                 FROM bounds b
                 JOIN crm_lead l ON l.company_id = b.company_id AND l.won_status = 'won'
                                AND l.date_closed >= b.utc_from AND l.date_closed < b.utc_to
                                AND l.date_closed >= %(utc_from)s AND l.date_closed < %(utc_to)s
                                AND (b.team_id IS NULL OR l.team_id = b.team_id)
                                AND (b.user_id IS NULL OR l.user_id = b.user_id)
            LEFT JOIN res_partner p ON p.id = l.partner_id
            LEFT JOIN res_partner cust ON cust.id = p.commercial_partner_id
            %(first_order)s
                WHERE %(customer_type)s
             GROUP BY b.key""",
            bounds=bounds,
            utc_from=scan["utc_from"],
            utc_to=scan["utc_to"],
            first_order=self._first_order_sql(SQL("l.company_id"), SQL("p.commercial_partner_id")),
            customer_type=self._customer_type_sql("cust", SQL("f.first_at")),
        )
