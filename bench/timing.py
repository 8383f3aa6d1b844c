"""Time each heavy operation of the module against one hand-written SQL query giving the same result.

Every run works in its own cursor and is rolled back: each run does the same work, and
the database is left as generated. Cron progress never commits (see ``generate.no_commit``).
"""

import io
import math
import resource
import statistics
import time
from datetime import datetime

import generate
import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api
from odoo.addons.sales_toolkit.models.crm_lead import MATCH_GRADE_FIELDS
from odoo.tools import SQL

ADMIN_ID = 2


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Operation:
    """One benchmarked operation: what the module does, the same with one SQL query, the result."""

    name = ""
    label = ""
    as_superuser = False

    def available(self, env):
        return True

    def prepare(self, env):
        """Untimed: put the database in the state the operation starts from."""

    def module(self, env):
        raise NotImplementedError

    def sql(self, env):
        raise NotImplementedError

    def result(self, env, returned):
        """A comparable summary of what the operation produced (read after it, untimed)."""
        return returned

    def compare(self, module_result, sql_result):
        """'' when the results agree, else what differs."""
        return _diff(module_result, sql_result)


def _close(a, b):
    if isinstance(a, float) or isinstance(b, float):
        a, b = float(a or 0.0), float(b or 0.0)
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=0.01)
    return a == b


def _diff(left, right):
    if isinstance(left, dict) and isinstance(right, dict):
        keys = set(left) | set(right)
        bad = [key for key in keys if not _close_value(left.get(key), right.get(key))]
        if bad:
            sample = sorted(bad, key=str)[:3]
            return f"{len(bad)} of {len(keys)} differ, e.g. " + "; ".join(
                f"{key}: module {left.get(key)!r} vs SQL {right.get(key)!r}" for key in sample
            )
        return ""
    return "" if _close_value(left, right) else f"module {left!r} vs SQL {right!r}"


def _close_value(a, b):
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return _close(a, b)


# --------------------------------------------------------------------------- targets


class TargetRefresh(Operation):
    name = "targets"
    label = "Target achievement, all targets"

    def prepare(self, env):
        env.cr.execute("UPDATE sales_toolkit_target SET achieved_value = -1")

    def module(self, env):
        env["sales_toolkit.target"].search([])._toolkit_refresh_figures()

    def result(self, env, returned):
        env.cr.execute("SELECT id, achieved_value FROM sales_toolkit_target WHERE state != 'closed'")
        return {key: round(value, 2) for key, value in env.cr.fetchall()}

    def sql(self, env):
        """One UPDATE: each distinct period window reads its confirmed lines once; targets
        of a window sharing category, customer type and split (team, salesperson) are grouped
        together; won opportunities counted per target."""
        env.cr.execute(
            """
WITH t AS (
    SELECT t.id, t.company_id, t.kpi, t.team_id, t.user_id, t.customer_type, pc.parent_path AS categ_path,
           timezone('UTC', timezone(COALESCE(cp.tz, 'UTC'), t.date_from::timestamp)) AS utc_from,
           timezone('UTC', timezone(COALESCE(cp.tz, 'UTC'), (t.date_to + 1)::timestamp)) AS utc_to,
           timezone('UTC', timezone(COALESCE(cp.tz, 'UTC'),
               (CASE WHEN t.kpi = 'repurchase_rate' THEN t.date_from - (t.date_to - t.date_from + 1)
                     ELSE t.date_from END)::timestamp)) AS utc_scan
      FROM sales_toolkit_target t
      JOIN res_company c ON c.id = t.company_id
      JOIN res_partner cp ON cp.id = c.partner_id
 LEFT JOIN product_category pc ON pc.id = t.product_categ_id
     WHERE t.state != 'closed'
), g AS MATERIALIZED (
    SELECT t.*, dense_rank() OVER (ORDER BY company_id, utc_scan, utc_from, utc_to) AS w,
           dense_rank() OVER (ORDER BY company_id, utc_scan, utc_from, utc_to, team_id IS NULL, user_id IS NULL,
                                       categ_path, customer_type) AS grp
      FROM t WHERE kpi != 'won_leads'
), grp AS MATERIALIZED (
    SELECT grp, w, company_id, utc_from, categ_path, customer_type, bool_and(team_id IS NOT NULL) AS by_team,
           bool_and(user_id IS NOT NULL) AS by_user
      FROM g GROUP BY 1, 2, 3, 4, 5, 6
), firsts AS MATERIALIZED (
    SELECT o.company_id, p.commercial_partner_id AS customer, MIN(o.date_order) AS first_at
      FROM sale_order o JOIN res_partner p ON p.id = o.partner_id
     WHERE o.state = 'sale'
  GROUP BY 1, 2
), wl AS MATERIALIZED (
    SELECT w.w, o.team_id, o.user_id, o.id AS order_id, p.commercial_partner_id AS customer, f.first_at,
           COALESCE(cust.customer_tier ->> o.company_id::text, 'regular') IN ('vip', 'key') AS is_key,
           pc.parent_path, o.date_order >= w.utc_from AS in_period,
           l.price_subtotal / COALESCE(NULLIF(o.currency_rate, 0), 1) AS amount
      FROM (SELECT DISTINCT w, company_id, utc_scan, utc_from, utc_to FROM g) w
      JOIN sale_order o ON o.company_id = w.company_id AND o.state = 'sale'
                       AND o.date_order >= w.utc_scan AND o.date_order < w.utc_to
      JOIN sale_order_line l ON l.order_id = o.id AND l.display_type IS NULL AND l.is_downpayment IS NOT TRUE
      JOIN res_partner p ON p.id = o.partner_id
      JOIN res_partner cust ON cust.id = p.commercial_partner_id
      JOIN firsts f ON f.company_id = o.company_id AND f.customer = p.commercial_partner_id
 LEFT JOIN product_product pp ON pp.id = l.product_id
 LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
 LEFT JOIN product_category pc ON pc.id = pt.categ_id
), per_customer AS MATERIALIZED (
    SELECT grp.grp, CASE WHEN grp.by_team THEN wl.team_id END AS team_id,
           CASE WHEN grp.by_user THEN wl.user_id END AS user_id, wl.customer,
           SUM(wl.amount) FILTER (WHERE wl.in_period) AS amount,
           COUNT(DISTINCT wl.order_id) FILTER (WHERE wl.in_period) AS orders,
           bool_or(NOT wl.in_period) AS before, MIN(wl.first_at) >= grp.utc_from AS first_in
      FROM grp JOIN wl ON wl.w = grp.w
     WHERE (grp.categ_path IS NULL OR wl.parent_path LIKE grp.categ_path || '%')
       AND (grp.customer_type IS NULL OR (grp.customer_type = 'key_account' AND wl.is_key)
            OR (grp.customer_type = 'new' AND wl.first_at >= grp.utc_from)
            OR (grp.customer_type = 'existing' AND wl.first_at < grp.utc_from))
  GROUP BY grp.grp, 2, 3, wl.customer, grp.utc_from
), per_group AS MATERIALIZED (
    SELECT grp, team_id, user_id, SUM(amount) AS revenue, SUM(orders) AS orders,
           COUNT(*) FILTER (WHERE orders > 0 AND first_in) AS new_customers,
           100.0 * COUNT(*) FILTER (WHERE before AND orders > 0) / NULLIF(COUNT(*) FILTER (WHERE before), 0) AS rate
      FROM per_customer GROUP BY 1, 2, 3
), won AS (
    SELECT t.id, COUNT(l.id) AS won
      FROM t
      JOIN crm_lead l ON l.company_id = t.company_id AND l.won_status = 'won'
                     AND l.date_closed >= t.utc_from AND l.date_closed < t.utc_to
                     AND (t.team_id IS NULL OR l.team_id = t.team_id)
                     AND (t.user_id IS NULL OR l.user_id = t.user_id)
 LEFT JOIN res_partner p ON p.id = l.partner_id
 LEFT JOIN res_partner cust ON cust.id = p.commercial_partner_id
 LEFT JOIN firsts f ON f.company_id = l.company_id AND f.customer = p.commercial_partner_id
     WHERE t.kpi = 'won_leads'
       AND (t.customer_type IS NULL
            OR (t.customer_type = 'key_account'
                AND COALESCE(cust.customer_tier ->> t.company_id::text, 'regular') IN ('vip', 'key'))
            OR (t.customer_type = 'new' AND (f.first_at IS NULL OR f.first_at >= t.utc_from))
            OR (t.customer_type = 'existing' AND f.first_at < t.utc_from))
  GROUP BY t.id
)
UPDATE sales_toolkit_target target
   SET achieved_value = COALESCE(CASE t.kpi WHEN 'revenue' THEN pg.revenue WHEN 'order_count' THEN pg.orders
                                            WHEN 'new_customers' THEN pg.new_customers
                                            WHEN 'repurchase_rate' THEN pg.rate ELSE won.won END, 0)
  FROM t
  LEFT JOIN g ON g.id = t.id
  LEFT JOIN per_group pg ON pg.grp = g.grp AND COALESCE(pg.team_id, 0) = COALESCE(g.team_id, 0)
                        AND COALESCE(pg.user_id, 0) = COALESCE(g.user_id, 0)
  LEFT JOIN won ON won.id = t.id
 WHERE target.id = t.id"""
        )


# --------------------------------------------------------------------------- need match

# the seven stored grades of a lead, as the module names them
LEAD_MATCH_FIELDS = MATCH_GRADE_FIELDS


class NeedMatch(Operation):
    name = "need_match"
    label = "Need-match recompute, all leads"

    def prepare(self, env):
        env.cr.execute(
            "UPDATE crm_lead SET need_count = NULL, match_score = NULL, match_max_score = NULL, "
            "match_ratio = NULL, match_level = NULL, purchasing_power = NULL, followup_strategy = NULL"
        )

    def module(self, env):
        # what a change of the match settings runs: every lead of the companies re-graded
        env["crm.lead"]._toolkit_regrade_match(env.companies)

    def result(self, env, returned):
        env.cr.execute(
            SQL(
                "SELECT id, %s FROM crm_lead",
                SQL(", ").join(SQL.identifier(name) for name in LEAD_MATCH_FIELDS),
            )
        )
        return {
            row[0]: tuple(
                float(v) if isinstance(v, int | float) or hasattr(v, "is_nan") else v for v in row[1:]
            )
            for row in env.cr.fetchall()
        }

    def sql(self, env):
        env.cr.execute(
            """
UPDATE crm_lead l
   SET need_count = COALESCE(n.cnt, 0), match_score = COALESCE(n.score, 0),
       match_max_score = 5 * COALESCE(n.cnt, 0),
       match_ratio = CASE WHEN n.cnt > 0 THEN round(100.0 * n.score / (5 * n.cnt), 1) ELSE 0 END,
       match_level = g.level, purchasing_power = pw.power,
       followup_strategy = CASE g.level WHEN 'high' THEN CASE WHEN pw.power = 'high' THEN 'senior_visit'
                                                             ELSE 'confirm_budget' END
                                        WHEN 'medium' THEN 'resolve_objection' WHEN 'low' THEN 'nurture' END
  FROM crm_lead src
  JOIN res_company c ON c.id = COALESCE(src.company_id, 1)
  LEFT JOIN (SELECT lead_id, COUNT(*) AS cnt, SUM(score) AS score FROM sales_toolkit_need GROUP BY lead_id) n
         ON n.lead_id = src.id
  CROSS JOIN LATERAL (
      SELECT CASE WHEN n.cnt IS NULL THEN NULL
                  WHEN c.toolkit_match_mode = 'normalised' THEN
                      CASE WHEN 100.0 * n.score / (5 * n.cnt) >= c.toolkit_match_high_ratio THEN 'high'
                           WHEN 100.0 * n.score / (5 * n.cnt) >= c.toolkit_match_medium_ratio THEN 'medium'
                           ELSE 'low' END
                  WHEN n.score >= c.toolkit_match_high_score THEN 'high'
                  WHEN n.score >= c.toolkit_match_medium_score THEN 'medium' ELSE 'low' END AS level
  ) g
  CROSS JOIN LATERAL (
      SELECT CASE WHEN COALESCE(NULLIF(src.budget_max, 0), src.budget_min, 0) = 0
                       OR COALESCE(src.expected_revenue, 0) <= 0 THEN NULL
                  WHEN 100.0 * COALESCE(NULLIF(src.budget_max, 0), src.budget_min) / src.expected_revenue
                       >= c.toolkit_power_high_ratio THEN 'high'
                  WHEN 100.0 * COALESCE(NULLIF(src.budget_max, 0), src.budget_min) / src.expected_revenue
                       >= c.toolkit_power_medium_ratio THEN 'medium'
                  ELSE 'low' END AS power
  ) pw
 WHERE l.id = src.id"""
        )


# --------------------------------------------------------------------------- tiers


class CustomerTiers(Operation):
    name = "tiers"
    label = "Nightly customer tier job"
    as_superuser = True

    def prepare(self, env):
        # a tenth of the customers moved since last night
        env.cr.execute(
            SQL(
                """UPDATE res_partner SET customer_tier = jsonb_build_object(%(company)s::text,
                       CASE WHEN customer_tier ->> %(company)s::text IN ('vip', 'key') THEN 'regular' ELSE 'key' END)
                    WHERE id %% 10 = 0 AND parent_id IS NULL AND customer_rank > 0""",
                company=env.company.id,
            )
        )
        env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_message")
        self.last_message = env.cr.fetchone()[0]

    def module(self, env):
        with generate.no_commit():
            env["res.partner"]._cron_update_customer_tiers()

    def result(self, env, returned):
        env.cr.execute(
            SQL(
                """SELECT p.id, COALESCE(p.customer_tier ->> c.id::text, 'regular'),
                          (SELECT COUNT(*) FROM mail_message m WHERE m.model = 'res.partner'
                              AND m.res_id = p.id AND m.id > %s)
                     FROM res_partner p CROSS JOIN res_company c
                    WHERE p.parent_id IS NULL AND (p.customer_rank > 0 OR p.customer_tier IS NOT NULL)""",
                self.last_message,
            )
        )
        return {(row[0]): (row[1], row[2]) for row in env.cr.fetchall()}

    def sql(self, env):
        """Amounts of the trailing 12 months, new tiers and one chatter line per change."""
        env.cr.execute(
            """
WITH co AS (
    SELECT c.id, c.name, c.toolkit_tier_vip_amount AS vip, c.toolkit_tier_key_amount AS key,
           COALESCE(cp.tz, 'UTC') AS tz,
           (now() AT TIME ZONE COALESCE(cp.tz, 'UTC'))::date AS today
      FROM res_company c JOIN res_partner cp ON cp.id = c.partner_id
), amounts AS (
    SELECT co.id AS company_id, p.commercial_partner_id AS partner_id,
           SUM(o.amount_untaxed / COALESCE(NULLIF(o.currency_rate, 0), 1)) AS amount
      FROM co JOIN sale_order o ON o.company_id = co.id AND o.state = 'sale'
       AND o.date_order >= timezone('UTC', timezone(co.tz, (co.today - interval '1 year' + interval '1 day')))
       AND o.date_order < timezone('UTC', timezone(co.tz, (co.today + 1)::timestamp))
      JOIN res_partner p ON p.id = o.partner_id
  GROUP BY 1, 2
), candidates AS (
    SELECT co.id AS company_id, co.name AS company_name, p.id AS partner_id,
           COALESCE(a.amount, 0) AS amount,
           COALESCE(p.customer_tier ->> co.id::text, 'regular') AS old_tier,
           COALESCE(p.tier_override ->> co.id::text,
                    CASE WHEN COALESCE(a.amount, 0) >= co.vip THEN 'vip'
                         WHEN COALESCE(a.amount, 0) >= co.key THEN 'key' ELSE 'regular' END) AS new_tier,
           p.tier_override ->> co.id::text IS NOT NULL AS manual
      FROM co JOIN res_partner p ON p.parent_id IS NULL
      LEFT JOIN amounts a ON a.company_id = co.id AND a.partner_id = p.id
     WHERE a.partner_id IS NOT NULL OR p.customer_tier ->> co.id::text IN ('vip', 'key')
        OR p.tier_override ->> co.id::text IS NOT NULL
), changed AS (
    UPDATE res_partner p
       SET customer_tier = COALESCE(p.customer_tier, '{}'::jsonb) || jsonb_build_object(c.company_id::text, c.new_tier)
      FROM candidates c
     WHERE p.id = c.partner_id AND c.new_tier != c.old_tier
 RETURNING c.*
)
INSERT INTO mail_message (model, res_id, message_type, subtype_id, body, author_id, date, create_uid, write_uid,
                          create_date, write_date)
SELECT 'res.partner', ch.partner_id, 'notification',
       (SELECT res_id FROM ir_model_data WHERE module = 'mail' AND name = 'mt_note'),
       '<p>Customer tier (' || ch.company_name || '): ' || ch.old_tier || ' → ' || ch.new_tier
           || ', annual purchases ' || round(ch.amount, 2) || CASE WHEN ch.manual THEN ' (set by hand)' ELSE '' END
           || '</p>',
       (SELECT partner_id FROM res_users WHERE id = 1), now() AT TIME ZONE 'UTC', 1, 1,
       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
  FROM changed ch"""
        )


# --------------------------------------------------------------------------- follow-up cadence


class FollowupCron(Operation):
    name = "followup_cron"
    label = "Nightly follow-up cadence job"
    as_superuser = True

    def module(self, env):
        with generate.no_commit():
            env["crm.lead"]._cron_refresh_followup_state()

    def result(self, env, returned):
        env.cr.execute("SELECT followup_state, COUNT(*), SUM(id) FROM crm_lead GROUP BY 1")
        return {row[0]: (row[1], row[2]) for row in env.cr.fetchall()}

    def sql(self, env):
        env.cr.execute(
            """
UPDATE crm_lead l
   SET followup_state = CASE WHEN l.next_followup_date < d.today THEN 'overdue' ELSE 'due' END
  FROM (SELECT c.id, (now() AT TIME ZONE COALESCE(cp.tz, 'UTC'))::date AS today,
               c.id = (SELECT MIN(id) FROM res_company) AS main
          FROM res_company c JOIN res_partner cp ON cp.id = c.partner_id) d
 WHERE (l.company_id = d.id OR (l.company_id IS NULL AND d.main))
   AND l.won_status = 'pending' AND l.next_followup_date IS NOT NULL AND l.active
   AND ((l.next_followup_date < d.today AND l.followup_state IS DISTINCT FROM 'overdue')
        OR (l.next_followup_date = d.today AND l.followup_state IS DISTINCT FROM 'due'))"""
        )


# --------------------------------------------------------------------------- analysis sheet


class AnalysisSheet(Operation):
    name = "analysis"
    label = "Generate this quarter's analysis sheet"

    def _quarter(self, env):
        today = env.company._toolkit_today()
        return today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)

    def module(self, env):
        sheet = env["sales_toolkit.analysis"].create(
            {"period_type": "quarter", "date_from": self._quarter(env)}
        )
        sheet.action_generate()
        return sheet

    def result(self, env, sheet):
        if isinstance(sheet, dict):
            return sheet
        return {
            (
                line.dimension,
                line.kpi,
                line.team_id.id or None,
                line.categ_id.id or None,
                line.customer_type or None,
                line.user_id.id or None,
            ): (
                round(line.actual_value, 2),
                round(line.last_year_value, 2),
                round(line.previous_value, 2),
                line.lead_count,
                line.opportunity_count,
                line.won_count,
            )
            for line in sheet.line_ids
        }

    def sql(self, env):
        """Every figure of the sheet for this quarter, the same quarter last year and the
        previous quarter: overall revenue, orders, new customers and repurchase rate, revenue
        per region, product line, customer type and salesperson, and the lead conversion."""
        start = self._quarter(env)
        periods = {
            "current": start,
            "last_year": start - relativedelta(years=1),
            "previous": start - relativedelta(months=3),
        }
        env.cr.execute(
            SQL(
                """
WITH co AS (SELECT c.id, COALESCE(cp.tz, 'UTC') AS tz FROM res_company c
              JOIN res_partner cp ON cp.id = c.partner_id WHERE c.id = %(company)s),
     p(name, day_from) AS (VALUES ('current', %(current)s::date), ('last_year', %(last_year)s::date),
                                  ('previous', %(previous)s::date)),
     b AS (SELECT p.name, timezone('UTC', timezone(co.tz, p.day_from::timestamp)) AS utc_from,
                  timezone('UTC', timezone(co.tz, (p.day_from + interval '3 months')::timestamp)) AS utc_to,
                  timezone('UTC', timezone(co.tz, (p.day_from - ((p.day_from + interval '3 months')::date
                                                                  - p.day_from))::timestamp)) AS utc_scan
             FROM p CROSS JOIN co),
     firsts AS MATERIALIZED (
         SELECT p.commercial_partner_id AS customer, MIN(o.date_order) AS first_at
           FROM sale_order o JOIN res_partner p ON p.id = o.partner_id
          WHERE o.state = 'sale' AND o.company_id = %(company)s
       GROUP BY 1),
     lines AS MATERIALIZED (
         SELECT b.name AS period, o.id AS order_id, o.team_id, o.user_id, p.commercial_partner_id AS customer,
                NULLIF(split_part(pc.parent_path, '/', 1), '')::int AS line_id,
                o.date_order >= b.utc_from AS in_period, f.first_at >= b.utc_from AS is_new,
                COALESCE(cust.customer_tier ->> %(company)s::text, 'regular') IN ('vip', 'key') AS is_key,
                l.price_subtotal / COALESCE(NULLIF(o.currency_rate, 0), 1) AS amount
           FROM b JOIN sale_order o ON o.company_id = %(company)s AND o.state = 'sale'
                                   AND o.date_order >= b.utc_scan AND o.date_order < b.utc_to
           JOIN sale_order_line l ON l.order_id = o.id AND l.display_type IS NULL AND l.is_downpayment IS NOT TRUE
           JOIN res_partner p ON p.id = o.partner_id
           JOIN res_partner cust ON cust.id = p.commercial_partner_id
           JOIN firsts f ON f.customer = p.commercial_partner_id
      LEFT JOIN product_product pp ON pp.id = l.product_id
      LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
      LEFT JOIN product_category pc ON pc.id = pt.categ_id),
     sums AS (
         SELECT period, CASE WHEN GROUPING(team_id) = 0 THEN 'team' WHEN GROUPING(line_id) = 0 THEN 'category'
                             WHEN GROUPING(user_id) = 0 THEN 'user' WHEN GROUPING(is_new) = 0 THEN 'new'
                             WHEN GROUPING(is_key) = 0 THEN 'key' ELSE 'overall' END AS dim,
                team_id, line_id, user_id, is_new, is_key, SUM(amount) AS revenue,
                COUNT(DISTINCT order_id) AS orders, COUNT(DISTINCT customer) FILTER (WHERE is_new) AS new_customers
           FROM lines WHERE in_period
       GROUP BY GROUPING SETS ((period), (period, team_id), (period, line_id), (period, user_id),
                               (period, is_new), (period, is_key))),
     repurchase AS (
         SELECT period, 100.0 * COUNT(*) FILTER (WHERE before AND again)
                        / NULLIF(COUNT(*) FILTER (WHERE before), 0) AS rate
           FROM (SELECT period, customer, bool_or(NOT in_period) AS before, bool_or(in_period) AS again
                   FROM lines GROUP BY period, customer) c
       GROUP BY period),
     conversion AS (
         SELECT l.team_id, GROUPING(l.team_id) AS total, COUNT(*) AS leads,
                COUNT(*) FILTER (WHERE l.type = 'opportunity') AS opportunities,
                COUNT(*) FILTER (WHERE l.won_status = 'won') AS won
           FROM b JOIN crm_lead l ON l.company_id = %(company)s AND l.create_date >= b.utc_from
                                 AND l.create_date < b.utc_to
          WHERE b.name = 'current'
       GROUP BY GROUPING SETS ((), (l.team_id)))
SELECT 's', period, dim, team_id, line_id, user_id, is_new, is_key, revenue, orders, new_customers FROM sums
 UNION ALL
SELECT 'r', period, NULL, NULL, NULL, NULL, NULL, NULL, rate, NULL, NULL FROM repurchase
 UNION ALL
SELECT 'c', NULL, NULL, team_id, total, NULL, NULL, NULL, leads, opportunities, won FROM conversion""",
                company=env.company.id,
                **periods,
            )
        )
        index = {"current": 0, "last_year": 1, "previous": 2}
        values, conversion = {}, {}

        def put(key, period, value):
            values.setdefault(key, [0.0, 0.0, 0.0])[index[period]] = round(float(value or 0.0), 2)

        for kind, period, dim, team, line, user, is_new, is_key, first, second, third in env.cr.fetchall():
            if kind == "c":
                conversion["total" if line else team] = (first, second, third)
            elif kind == "r":
                put(("overall", "repurchase_rate", None, None, None, None), period, first)
            elif dim == "overall":
                put(("overall", "revenue", None, None, None, None), period, first)
                put(("overall", "order_count", None, None, None, None), period, second)
                put(("overall", "new_customers", None, None, None, None), period, third)
            elif dim == "new":
                put(
                    ("customer_type", "revenue", None, None, "new" if is_new else "existing", None),
                    period,
                    first,
                )
            elif dim == "key" and is_key:
                put(("customer_type", "revenue", None, None, "key_account", None), period, first)
            elif dim == "team" and team:
                put(("team", "revenue", team, None, None, None), period, first)
            elif dim == "category" and line:
                put(("category", "revenue", None, line, None, None), period, first)
            elif dim == "user" and user:
                put(("user", "revenue", None, None, None, user), period, first)
        result = {}
        for key, figures in values.items():
            counts = (0, 0, 0)
            if key[:2] == ("overall", "revenue"):
                counts = conversion.get("total", counts)
            elif key[0] == "team":
                counts = conversion.get(key[2], counts)
            result[key] = (*figures, *counts)
        return result

    def compare(self, module_result, sql_result):
        # the sheet lists what sold this quarter (and what has a target): compare those,
        # and check that nothing that sold is missing
        empty = (0.0, 0.0, 0.0, 0, 0, 0)
        keys = set(module_result) | {key for key, value in sql_result.items() if value[0]}
        keys |= {key for key in sql_result if key[0] in ("overall", "customer_type")}
        return _diff(
            {k: module_result.get(k, empty) for k in keys}, {k: sql_result.get(k, empty) for k in keys}
        )


# --------------------------------------------------------------------------- target export


class TargetExport(Operation):
    name = "target_xlsx"
    label = "Target tracking sheet to Excel, whole tree"

    def _root(self, env):
        env.cr.execute(
            """SELECT p.id FROM sales_toolkit_target p WHERE p.parent_id IS NULL
             ORDER BY (SELECT COUNT(*) FROM sales_toolkit_target c WHERE c.parent_path LIKE p.parent_path || '%') DESC,
                      p.id LIMIT 1"""
        )
        return env["sales_toolkit.target"].browse(env.cr.fetchone()[0])

    def module(self, env):
        """What the download route does: the access check, then the workbook."""
        root = self._root(env)
        root.check_access("read")
        _name, content = root._toolkit_xlsx_file()
        return {"rows": len(root._tracking_sheet_rows()), "bytes": bool(content)}

    def sql(self, env):
        """One query for the rows (depth-first order), written with xlsxwriter like the module."""
        root = self._root(env)
        env.cr.execute(
            SQL(
                """SELECT t.name, array_length(string_to_array(t.parent_path, '/'), 1) - 2 - %(depth)s,
                          t.kpi, t.target_value, t.achieved_value, t.completion_rate, t.expected_rate,
                          t.status, u.login, COALESCE(t.remarks, '')
                     FROM sales_toolkit_target t JOIN res_users u ON u.id = t.owner_id
                    WHERE t.parent_path LIKE %(path)s AND t.active
                 ORDER BY t.parent_path""",
                depth=root.parent_path.count("/") - 1,
                path=root.parent_path + "%",
            )
        )
        rows = env.cr.fetchall()
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
        sheet = workbook.add_worksheet("Tracking")
        number = workbook.add_format({"num_format": "#,##0.00"})
        for index, row in enumerate(rows, start=4):
            sheet.write_string(index, 0, "    " * row[1] + row[0])
            for col, value in enumerate(row[2:], start=2):
                if isinstance(value, float):
                    sheet.write_number(index, col, value, number)
                else:
                    sheet.write_string(index, col, str(value or ""))
        chart = workbook.add_chart({"type": "column"})
        chart.add_series({"values": ["Tracking", 4, 3, 3 + len(rows), 3]})
        sheet.insert_chart(len(rows) + 6, 0, chart)
        workbook.close()
        return {"rows": len(rows), "bytes": bool(buffer.getvalue())}


# --------------------------------------------------------------------------- cockpit


class Cockpit(Operation):
    name = "cockpit"
    label = "Open the manager cockpit"

    def available(self, env):
        return "sales_toolkit.cockpit" in env.registry

    def module(self, env):
        return env["sales_toolkit.cockpit"].get_cockpit_data()

    def result(self, env, returned):
        if "sections" not in returned:
            return returned
        return {tile["key"]: tile["value"] for section in returned["sections"] for tile in section["tiles"]}

    def sql(self, env):
        """The manager's tiles on targets, follow-ups and care plans in one query."""
        today = env.company._toolkit_today()
        env.cr.execute(
            SQL(
                """SELECT COUNT(*) FILTER (WHERE t.kind = 'target'),
                          COUNT(*) FILTER (WHERE t.kind = 'target' AND t.status IN ('at_risk', 'behind')),
                          COUNT(*) FILTER (WHERE t.kind = 'overdue'), COUNT(*) FILTER (WHERE t.kind = 'due'),
                          COUNT(*) FILTER (WHERE t.kind = 'review'), COUNT(*) FILTER (WHERE t.kind = 'care')
                     FROM (SELECT 'target' AS kind, status FROM sales_toolkit_target
                            WHERE active AND state = 'confirmed' AND date_from <= %(today)s
                              AND date_to >= %(today)s AND company_id = ANY(%(companies)s)
                           UNION ALL
                           SELECT CASE WHEN next_followup_date < %(today)s THEN 'overdue' ELSE 'due' END, NULL
                             FROM crm_lead
                            WHERE active AND won_status = 'pending' AND next_followup_date <= %(today)s
                              AND (company_id IS NULL OR company_id = ANY(%(companies)s))
                           UNION ALL
                           SELECT 'review', NULL FROM crm_lead
                            WHERE active AND needs_review AND (company_id IS NULL OR company_id = ANY(%(companies)s))
                           UNION ALL
                           SELECT 'care', NULL FROM sales_toolkit_care_plan p
                            WHERE p.active AND p.company_id = ANY(%(companies)s)
                              AND (EXISTS (SELECT 1 FROM sales_toolkit_care_action a
                                            WHERE a.plan_id = p.id AND a.next_date <= %(today)s)
                                   OR EXISTS (SELECT 1 FROM mail_activity m
                                               WHERE m.res_model = 'sales_toolkit.care.plan' AND m.res_id = p.id
                                                 AND m.active AND m.date_deadline <= %(today)s))) t""",
                today=today,
                companies=env.user.company_ids.ids,
            )
        )
        keys = (
            "targets_current",
            "targets_off_pace",
            "followups_overdue",
            "followups_due",
            "review_queue",
            "care_due",
        )
        return dict(zip(keys, env.cr.fetchone(), strict=True))

    def compare(self, module_result, sql_result):
        # task and training tiles are not in the benchmark's data (and not in the SQL)
        return _diff({key: module_result.get(key) for key in sql_result}, sql_result)


OPERATIONS = [
    TargetRefresh(),
    NeedMatch(),
    CustomerTiers(),
    FollowupCron(),
    AnalysisSheet(),
    TargetExport(),
    Cockpit(),
]


# --------------------------------------------------------------------------- harness


def _one_run(registry, operation, which):
    with registry.cursor() as cr:
        uid = SUPERUSER_ID if operation.as_superuser else ADMIN_ID
        env = api.Environment(cr, uid, {"lang": "en_US", "tz": generate.TZ})
        if operation.as_superuser:
            env = env(su=True)
        operation.prepare(env)
        env.flush_all()
        env.invalidate_all()
        queries = cr.sql_log_count
        start = time.perf_counter()
        returned = getattr(operation, which)(env)
        env.flush_all()
        elapsed = time.perf_counter() - start
        queries = cr.sql_log_count - queries
        env.invalidate_all()
        result = operation.result(env, returned)
        cr.rollback()
    return elapsed, queries, result


def run(registry, args):
    rows = []
    with registry.cursor() as cr:
        env = api.Environment(cr, ADMIN_ID, {})
        cr.execute(
            "SELECT (SELECT COUNT(*) FROM sale_order_line), (SELECT COUNT(*) FROM crm_lead), "
            "(SELECT COUNT(*) FROM sales_toolkit_target), "
            "(SELECT COUNT(*) FROM res_partner WHERE is_company AND customer_rank > 0)"
        )
        lines, leads, targets, customers = cr.fetchone()
        available = {op.name: op.available(env) for op in OPERATIONS}
    print(
        f"Timing on {args.db}: {lines} sale lines, {leads} leads, {targets} targets, {customers} customers; "
        f"{args.runs} runs each",
        flush=True,
    )
    for operation in OPERATIONS:
        if operation.name not in args.only:
            continue
        if not available[operation.name]:
            print(f"- {operation.label}: skipped (sales_toolkit.cockpit is not in the registry)", flush=True)
            continue
        module_times, sql_times = [], []
        for _run in range(args.runs):
            elapsed, queries, module_result = _one_run(registry, operation, "module")
            module_times.append(elapsed)
            sql_elapsed, _sql_queries, sql_result = _one_run(registry, operation, "sql")
            sql_times.append(sql_elapsed)
        diff = operation.compare(module_result, sql_result)
        row = {
            "label": operation.label,
            "module_median": statistics.median(module_times),
            "module_min": min(module_times),
            "sql_median": statistics.median(sql_times),
            "sql_min": min(sql_times),
            "queries": queries,
            "check": "same" if not diff else "DIFFERENT: " + diff,
            "rss": peak_rss_mb(),
        }
        row["ratio"] = row["module_median"] / row["sql_median"] if row["sql_median"] else float("inf")
        rows.append(row)
        print(
            f"- {row['label']}: module {row['module_median']:.3f} s (min {row['module_min']:.3f}), "
            f"SQL {row['sql_median']:.3f} s (min {row['sql_min']:.3f}), ratio {row['ratio']:.2f}, "
            f"{queries} queries, {row['check']}, peak RSS {row['rss']:.0f} MB",
            flush=True,
        )
    table = markdown(rows, args, (lines, leads, targets, customers))
    print()
    print(table)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as file:
            file.write(table + "\n")
    return rows


def markdown(rows, args, volume):
    lines, leads, targets, customers = volume
    out = [
        f"{datetime.now():%Y-%m-%d %H:%M}, database `{args.db}` (scale {args.scale:g}): {customers} customers, "
        f"{leads} leads, {lines} sale lines, {targets} targets; median (min) of {args.runs} runs.",
        "",
        "| Operation | Module | Hand-written SQL | Ratio | Module queries | Same result | Peak RSS |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        out.append(
            f"| {row['label']} | {row['module_median']:.3f} s ({row['module_min']:.3f}) "
            f"| {row['sql_median']:.3f} s ({row['sql_min']:.3f}) | {row['ratio']:.2f}× | {row['queries']} "
            f"| {row['check']} | {row['rss']:.0f} MB |"
        )
    return "\n".join(out)
