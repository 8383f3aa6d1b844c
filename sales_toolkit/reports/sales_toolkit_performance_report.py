from odoo import fields, models
from odoo.tools import SQL

CUSTOMER_TYPES = [("new", "New Customers"), ("existing", "Existing Customers")]


class SalesToolkitPerformanceReport(models.Model):
    """Sales performance by month, sales team, salesperson, product category and customer type.

    One row per combination, summed from confirmed sale lines, quotations sent, leads,
    won opportunities and follow-ups. Months are calendar months in the company's
    timezone, as everywhere in the module.
    """

    _name = "sales_toolkit.performance.report"
    _description = "Sales Performance Analysis"
    _inherit = ["sales_toolkit.field.rights"]
    _auto = False
    _order = "month desc"
    _rec_name = "month"
    # what the view reads: pending changes to these are flushed before it is queried
    _depends = {
        "res.company": ["partner_id"],
        "res.partner": ["tz", "commercial_partner_id", "customer_tier"],
        "sale.order": [
            "state",
            "date_order",
            "company_id",
            "team_id",
            "user_id",
            "partner_id",
            "currency_rate",
        ],
        "sale.order.line": ["order_id", "price_subtotal", "display_type", "is_downpayment", "product_id"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id"],
        "crm.team": ["company_id"],
        "crm.lead": ["company_id", "team_id", "user_id", "create_date", "won_status", "date_closed"],
        "sales_toolkit.followup": ["company_id", "user_id", "date", "channel", "kind", "lead_id"],
    }

    month = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    product_categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    customer_type = fields.Selection(
        CUSTOMER_TYPES,
        readonly=True,
        help="New: the customer's first confirmed order falls in the month; existing: it ordered before.",
    )
    is_key_account = fields.Boolean(
        string="Key Account", readonly=True, help="Customer tier VIP or key account."
    )
    revenue = fields.Monetary(
        readonly=True, aggregator="sum", help="Confirmed sale lines, untaxed, company currency."
    )
    order_count = fields.Integer(
        string="Orders",
        readonly=True,
        aggregator="sum",
        help="An order with lines in several product categories counts once, under the category of "
        "its first line.",
    )
    average_order_value = fields.Monetary(
        readonly=True, aggregator="avg", help="Revenue per order: the group's revenue over its orders."
    )
    new_customer_count = fields.Integer(
        string="New Customers",
        readonly=True,
        aggregator="sum",
        help="Customers count once a month, in the row of their first sale line of the month.",
    )
    repeat_customer_count = fields.Integer(
        string="Repurchasing Customers",
        readonly=True,
        aggregator="sum",
        help="Customers who ordered in the month after ordering before it.",
    )
    quotation_count = fields.Integer(
        string="Quotations Sent",
        readonly=True,
        aggregator="sum",
        help="Quotations sent to the customer in the month, confirmed since or not.",
    )
    lead_count = fields.Integer(string="Leads Created", readonly=True, aggregator="sum")
    won_count = fields.Integer(string="Opportunities Won", readonly=True, aggregator="sum")
    visit_count = fields.Integer(string="Visits", readonly=True, aggregator="sum")
    call_count = fields.Integer(string="Calls", readonly=True, aggregator="sum")

    def _read_group_select(self, aggregate_spec, query):
        # a group's average order value is its revenue over its orders, not a mean of rows
        if aggregate_spec != "average_order_value:avg":
            return super()._read_group_select(aggregate_spec, query)
        return SQL(
            "SUM(%(revenue)s) / NULLIF(SUM(%(orders)s), 0)",
            revenue=self._field_to_sql(self._table, "revenue", query),
            orders=self._field_to_sql(self._table, "order_count", query),
        )

    @property
    def _table_query(self):
        Kpi = self.env["sales_toolkit.kpi"]
        return SQL(
            """WITH zones AS (
                   SELECT c.id AS company_id, %(tz)s AS tz
                     FROM res_company c JOIN res_partner p ON p.id = c.partner_id
               ),
               firsts AS (%(firsts)s),
               sales AS (
                   SELECT o.company_id, o.team_id, o.user_id, pt.categ_id,
                          %(order_month)s::date AS month,
                          CASE WHEN %(first_month)s
                                    = %(order_month)s
                               THEN 'new' ELSE 'existing' END AS customer_type,
                          COALESCE(cust.customer_tier ->> o.company_id::text, 'regular') IN ('vip', 'key')
                              AS is_key_account,
                          o.id AS order_id, cust.id AS customer,
                          l.id = MIN(l.id) OVER (PARTITION BY o.id) AS first_line,
                          l.id = MIN(l.id) OVER (
                              PARTITION BY o.company_id, cust.id,
                                           %(order_month)s
                          ) AS first_customer_line,
                          %(amount)s AS amount
                     FROM sale_order o
                     JOIN zones z ON z.company_id = o.company_id
                     JOIN sale_order_line l ON l.order_id = o.id AND l.display_type IS NULL
                                           AND l.is_downpayment IS NOT TRUE
                     JOIN res_partner p ON p.id = o.partner_id
                     JOIN res_partner cust ON cust.id = p.commercial_partner_id
                     JOIN firsts f ON f.company_id = o.company_id AND f.customer = cust.id
                LEFT JOIN product_product pp ON pp.id = l.product_id
                LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
                    WHERE %(confirmed)s
               ),
               events AS (
                   SELECT company_id, team_id, user_id, categ_id, month, customer_type, is_key_account,
                          SUM(amount) AS revenue,
                          COUNT(DISTINCT order_id) FILTER (WHERE first_line) AS order_count,
                          COUNT(DISTINCT customer)
                              FILTER (WHERE first_customer_line AND customer_type = 'new') AS new_customers,
                          COUNT(DISTINCT customer)
                              FILTER (WHERE first_customer_line AND customer_type = 'existing')
                              AS repeat_customers,
                          0 AS quotations, 0 AS leads, 0 AS won, 0 AS visits, 0 AS calls
                     FROM sales
                 GROUP BY company_id, team_id, user_id, categ_id, month, customer_type, is_key_account
                 UNION ALL
                   SELECT o.company_id, o.team_id, o.user_id, NULL, %(order_month)s::date, NULL, FALSE,
                          0, 0, 0, 0, COUNT(*), 0, 0, 0, 0
                     FROM sale_order o JOIN zones z ON z.company_id = o.company_id
                    WHERE o.state IN ('sent', 'sale')
                 GROUP BY 1, 2, 3, 5
                 UNION ALL
                   SELECT z.company_id, l.team_id, l.user_id, NULL, %(lead_month)s::date, NULL, FALSE,
                          0, 0, 0, 0, 0, COUNT(*), 0, 0, 0
                     FROM crm_lead l
                LEFT JOIN crm_team t ON t.id = l.team_id
                     JOIN zones z ON z.company_id = COALESCE(l.company_id, t.company_id)
                 GROUP BY 1, 2, 3, 5
                 UNION ALL
                   SELECT z.company_id, l.team_id, l.user_id, NULL, %(closed_month)s::date, NULL, FALSE,
                          0, 0, 0, 0, 0, 0, COUNT(*), 0, 0
                     FROM crm_lead l
                LEFT JOIN crm_team t ON t.id = l.team_id
                     JOIN zones z ON z.company_id = COALESCE(l.company_id, t.company_id)
                    WHERE l.won_status = 'won' AND l.date_closed IS NOT NULL
                 GROUP BY 1, 2, 3, 5
                 UNION ALL
                   SELECT COALESCE(l.company_id, t.company_id), l.team_id, f.user_id, NULL,
                          date_trunc('month', f.date)::date, NULL, FALSE, 0, 0, 0, 0, 0, 0, 0,
                          COUNT(*) FILTER (WHERE f.channel = 'visit'),
                          COUNT(*) FILTER (WHERE f.channel = 'phone')
                     FROM sales_toolkit_followup f
                     JOIN crm_lead l ON l.id = f.lead_id
                LEFT JOIN crm_team t ON t.id = l.team_id
                    WHERE f.kind = 'contact' AND COALESCE(l.company_id, t.company_id) IS NOT NULL
                 GROUP BY 1, 2, 3, 5
               )
               SELECT ROW_NUMBER() OVER () AS id, company_id, team_id, user_id,
                      categ_id AS product_categ_id, month, customer_type, is_key_account,
                      SUM(revenue) AS revenue, SUM(order_count) AS order_count,
                      SUM(revenue) / NULLIF(SUM(order_count), 0) AS average_order_value,
                      SUM(new_customers) AS new_customer_count,
                      SUM(repeat_customers) AS repeat_customer_count,
                      SUM(quotations) AS quotation_count, SUM(leads) AS lead_count, SUM(won) AS won_count,
                      SUM(visits) AS visit_count, SUM(calls) AS call_count
                 FROM events
             GROUP BY company_id, team_id, user_id, categ_id, month, customer_type, is_key_account""",
            tz=Kpi._company_tz_sql("p"),
            firsts=Kpi._first_orders_sql(SQL("TRUE")),
            amount=Kpi._company_amount_sql(SQL("l.price_subtotal"), SQL("o.currency_rate")),
            confirmed=Kpi._confirmed_sql("o"),
            order_month=self._local_month_sql("o.date_order"),
            first_month=self._local_month_sql("f.first_at"),
            lead_month=self._local_month_sql("l.create_date"),
            closed_month=self._local_month_sql("l.date_closed"),
        )

    def _local_month_sql(self, column):
        """The first day of the month where the company is (``z.tz``) of a UTC column."""
        Kpi = self.env["sales_toolkit.kpi"]
        return SQL("date_trunc('month', %s)", Kpi._local_time_sql(SQL("z.tz"), SQL(column)))
