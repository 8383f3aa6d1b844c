"""Fill a sales_toolkit database with synthetic data: the ORM for the small things, SQL for the big tables."""

import logging
import time
from contextlib import contextmanager
from datetime import date, timedelta
from unittest.mock import patch

import scale
from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tools import SQL

_logger = logging.getLogger("bench")
TZ = "Asia/Shanghai"
NO_MAIL = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
    "no_reset_password": True,
}


@contextmanager
def step(label):
    start = time.perf_counter()
    yield
    print(f"  {label}: {time.perf_counter() - start:.1f} s", flush=True)


def no_commit():
    """Cron progress never commits in the bench (outside a cron it would)."""
    return patch("odoo.addons.base.models.ir_cron.IrCron._commit_progress", lambda *a, **k: 3600.0)


def generate(env, scale_factor, seed):
    sizes = scale.counts(scale_factor)
    print(f"Generating {sizes} into {env.cr.dbname}", flush=True)
    env = env(context=dict(env.context, **NO_MAIL))
    cr = env.cr
    if env["res.users"].search_count([("login", "=like", "bench_rep_%")]):
        raise SystemExit(f"{cr.dbname} already holds bench data: use a fresh database")
    cr.execute(SQL("SELECT setseed(%s)", seed))
    company = env.company
    with step("company, teams, salespeople"):
        company.partner_id.tz = TZ
        users, teams = _sales_force(env, sizes)
    with step("product lines and products"):
        products = _products(env)
    cr.commit()
    with step(f"{sizes['customers']} customers and their contacts (SQL)"):
        _customers(env, sizes, users)
    with step(f"{sizes['orders']} sale orders, about {sizes['lines']} lines (SQL)"):
        _orders(env, sizes, company, products)
    cr.commit()
    with step(f"{sizes['leads']} leads, their needs and follow-ups (SQL)"):
        _leads(env, sizes, company)
    _reset_sequences(env)
    cr.execute("ANALYZE")
    cr.commit()
    with step("need match, follow-up dates and states of every lead (ORM recompute)"):
        _recompute_leads(env)
    cr.commit()
    with step("customer tiers (nightly job, first run)"):
        with no_commit():
            env["res.partner"]._cron_update_customer_tiers()
    cr.commit()
    with step("care plans and actions"):
        _care_plans(env, sizes)
    with step(f"{sizes['targets']} targets in a tree"):
        _targets(env, sizes, company, users, teams)
    cr.commit()
    with step("previous quarter's analysis sheet"):
        today = company._toolkit_today()
        start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1) - relativedelta(months=3)
        sheet = env["sales_toolkit.analysis"].create({"period_type": "quarter", "date_from": start})
        sheet.action_generate()
    cr.execute("ANALYZE")
    cr.commit()
    cr.execute(
        """SELECT (SELECT COUNT(*) FROM res_partner WHERE is_company AND customer_rank > 0),
                  (SELECT COUNT(*) FROM crm_lead), (SELECT COUNT(*) FROM sales_toolkit_need),
                  (SELECT COUNT(*) FROM sales_toolkit_followup), (SELECT COUNT(*) FROM sale_order),
                  (SELECT COUNT(*) FROM sale_order_line), (SELECT COUNT(*) FROM sales_toolkit_target)"""
    )
    customers, leads, needs, followups, orders, lines, targets = cr.fetchone()
    print(
        f"Done: {customers} customers, {leads} leads, {needs} needs, {followups} follow-ups, "
        f"{orders} orders, {lines} lines, {targets} targets",
        flush=True,
    )


def _sales_force(env, sizes):
    """Teams (regions) with a leader each and salespeople spread over them; {user id: team id}."""
    salesman = env.ref("sales_team.group_sale_salesman")
    leader_group = env.ref("sales_team.group_sale_salesman_all_leads")
    users = env["res.users"].create(
        [
            {
                "name": f"Rep {index:03d}",
                "login": f"bench_rep_{index:03d}",
                "email": f"rep{index:03d}@bench.example.com",
                "tz": TZ,
                "group_ids": [Command.set([salesman.id])],
            }
            for index in range(1, sizes["salespeople"] + 1)
        ]
    )
    regions = ["East", "North", "South", "West", "Central", "Northeast", "Northwest", "Southwest"]
    team_users = {}
    teams = env["crm.team"]
    for index in range(sizes["teams"]):
        members = users[index :: sizes["teams"]]
        name = (
            regions[index % len(regions)] + " China" + (f" {index // len(regions) + 1}" if index >= 8 else "")
        )
        team = env["crm.team"].create({"name": name, "user_id": members[0].id})
        team.member_ids = [Command.set(members.ids)]
        members[0].group_ids = [Command.link(leader_group.id)]
        teams |= team
        team_users.update((user.id, team.id) for user in members)
    return team_users, teams


def _products(env):
    """Five product lines (top-level categories) of four families each, 200 products."""
    products = []
    lines = env["product.category"].create(
        [{"name": f"Line {chr(65 + i)}"} for i in range(scale.PRODUCT_LINES)]
    )
    families = env["product.category"].create(
        [
            {"name": f"Family {line.name[-1]}{j + 1}", "parent_id": line.id}
            for line in lines
            for j in range(scale.SUBCATEGORIES)
        ]
    )
    products = env["product.product"].create(
        [
            {
                "name": f"Product {index:03d}",
                "default_code": f"P{index:03d}",
                "type": "consu",
                "categ_id": families[index % len(families)].id,
                "list_price": 20 + (index * 37) % 980,
                "taxes_id": [Command.clear()],
            }
            for index in range(scale.PRODUCTS)
        ]
    )
    env.flush_all()
    return products


def _customers(env, sizes, users):
    cr = env.cr
    user_ids = list(users)
    cr.execute(
        SQL(
            """CREATE TEMP TABLE bench_user AS
               SELECT row_number() OVER (ORDER BY u.user_id) AS idx, u.user_id, u.team_id
                 FROM unnest(%s::int[], %s::int[]) AS u(user_id, team_id)""",
            user_ids,
            [users[user_id] for user_id in user_ids],
        )
    )
    # companies first, then one contact person each: orders go to either
    cr.execute(
        SQL(
            """INSERT INTO res_partner (name, complete_name, is_company, type, active, customer_rank,
                                        supplier_rank, autopost_bills, lang, tz, email, phone, city,
                                        partner_share, user_id, create_uid, write_uid, create_date, write_date)
               SELECT 'Customer ' || lpad(g::text, 5, '0'), 'Customer ' || lpad(g::text, 5, '0'), TRUE,
                      'contact', TRUE, 1, 0, 'ask', 'en_US', %(tz)s,
                      'buyer@customer' || g || '.example.com', '+86 21 5' || lpad(g::text, 7, '0'),
                      (ARRAY['Shanghai', 'Beijing', 'Guangzhou', 'Shenzhen', 'Hangzhou', 'Chengdu'])[1 + g %% 6],
                      TRUE, u.user_id, 1, 1, now() - interval '4 years', now()
                 FROM generate_series(1, %(n)s) g
                 JOIN bench_user u ON u.idx = 1 + g %% %(users)s""",
            tz=TZ,
            n=sizes["customers"],
            users=len(users),
        )
    )
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL")
    cr.execute(
        """CREATE TEMP TABLE bench_customer AS
           SELECT row_number() OVER (ORDER BY p.id) AS idx, p.id AS partner_id, p.id AS contact_id,
                  p.user_id, u.team_id
             FROM res_partner p JOIN bench_user u ON u.user_id = p.user_id
            WHERE p.is_company AND p.name LIKE 'Customer %'"""
    )
    cr.execute(
        SQL(
            """WITH contacts AS (
                   INSERT INTO res_partner (name, complete_name, parent_id, commercial_partner_id, is_company,
                                            type, active, customer_rank, supplier_rank, autopost_bills, lang,
                                            tz, email, function, partner_share, user_id, create_uid,
                                            write_uid, create_date, write_date, commercial_company_name)
                   SELECT 'Buyer ' || c.idx, 'Customer ' || lpad(c.idx::text, 5, '0') || ', Buyer ' || c.idx,
                          c.partner_id, c.partner_id, FALSE, 'contact', TRUE, 1, 0, 'ask', 'en_US', %(tz)s,
                          'buyer' || c.idx || '@customer' || c.idx || '.example.com', 'Purchasing Manager',
                          TRUE, c.user_id, 1, 1, now() - interval '4 years', now(),
                          'Customer ' || lpad(c.idx::text, 5, '0')
                     FROM bench_customer c
                   RETURNING id, parent_id
               )
               UPDATE bench_customer c SET contact_id = contacts.id FROM contacts
                WHERE contacts.parent_id = c.partner_id""",
            tz=TZ,
        )
    )
    # a few referrals: they count on the referrer's care plan
    cr.execute(
        """UPDATE res_partner p SET referred_by_id = r.partner_id
             FROM bench_customer c JOIN bench_customer r ON r.idx = 1 + c.idx % 50
            WHERE p.id = c.partner_id AND c.idx % 25 = 0 AND c.idx > 50"""
    )
    cr.execute("ANALYZE bench_customer")


def _orders(env, sizes, company, products):
    cr = env.cr
    cr.execute(
        SQL(
            """CREATE TEMP TABLE bench_product AS
               SELECT row_number() OVER (ORDER BY pp.id) AS idx, pp.id AS product_id, pt.uom_id,
                      pt.list_price AS price, pt.name->>'en_US' AS name
                 FROM product_product pp JOIN product_template pt ON pt.id = pp.product_tmpl_id
                WHERE pp.id IN %s""",
            tuple(products.ids),
        )
    )
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM sale_order")
    base = cr.fetchone()[0]
    # skewed customers (a few big accounts), 90 %% of orders by the account's own
    # salesperson, more orders in recent months (growth), 85 %% confirmed
    cr.execute(
        SQL(
            """CREATE TEMP TABLE bench_order AS
               SELECT %(base)s + s.g AS id, c.partner_id, c.contact_id,
                      CASE WHEN s.r2 < 0.5 THEN c.contact_id ELSE c.partner_id END AS order_partner_id,
                      COALESCE(other.user_id, c.user_id) AS user_id, COALESCE(other.team_id, c.team_id) AS team_id,
                      date_trunc('second', (now() AT TIME ZONE 'UTC')
                          - (1 - sqrt(s.r3)) * interval '%(years)s years') AS date_order,
                      CASE WHEN s.r4 < 0.85 THEN 'sale' WHEN s.r4 < 0.92 THEN 'cancel'
                           WHEN s.r4 < 0.96 THEN 'sent' ELSE 'draft' END AS state,
                      1 + floor(s.r5 * %(max_lines)s)::int AS nlines
                 FROM (SELECT g, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6
                         FROM generate_series(1, %(n)s) g) s
                 JOIN bench_customer c ON c.idx = 1 + floor(%(customers)s * s.r1 * s.r1)::int
            LEFT JOIN bench_user other ON s.r6 >= 0.9 AND other.idx = 1 + floor((s.r6 - 0.9) * 10 * %(users)s)::int""",
            base=base,
            years=scale.YEARS,
            max_lines=scale.max_lines_per_order(sizes),
            n=sizes["orders"],
            customers=sizes["customers"],
            users=sizes["salespeople"],
        )
    )
    cr.execute(
        SQL(
            """INSERT INTO sale_order (id, name, company_id, partner_id, partner_invoice_id, partner_shipping_id,
                                       currency_id, user_id, team_id, state, date_order, validity_date,
                                       invoice_status, currency_rate, amount_untaxed, amount_tax, amount_total,
                                       locked, require_signature, require_payment, prepayment_percent,
                                       create_uid, write_uid, create_date, write_date)
               SELECT o.id, 'S' || lpad(o.id::text, 7, '0'), %(company)s, o.order_partner_id, o.order_partner_id,
                      o.order_partner_id, %(currency)s, o.user_id, o.team_id, o.state, o.date_order,
                      (o.date_order + interval '30 days')::date, CASE WHEN o.state = 'sale' THEN 'to invoice' ELSE 'no' END,
                      1.0, 0, 0, 0, FALSE, FALSE, FALSE, 1.0, o.user_id, o.user_id, o.date_order, o.date_order
                 FROM bench_order o""",
            company=company.id,
            currency=company.currency_id.id,
        )
    )
    cr.execute(
        SQL(
            """INSERT INTO sale_order_line (order_id, sequence, company_id, currency_id, order_partner_id,
                                            salesman_id, product_id, product_uom_id, state, name,
                                            product_uom_qty, price_unit, technical_price_unit, discount,
                                            price_subtotal, price_total, price_tax, price_reduce_taxexcl,
                                            price_reduce_taxinc, qty_delivered, qty_invoiced, qty_to_invoice,
                                            untaxed_amount_invoiced, untaxed_amount_to_invoice,
                                            qty_delivered_method, invoice_status, customer_lead,
                                            is_downpayment, is_expense, collapse_prices, collapse_composition,
                                            create_uid, write_uid, create_date, write_date)
               SELECT x.id, 10 + x.k, %(company)s, %(currency)s, x.order_partner_id, x.user_id, p.product_id,
                      p.uom_id, x.state, p.name, x.qty, p.price, p.price, 0, x.qty * p.price, x.qty * p.price, 0,
                      p.price, p.price, 0, 0, CASE WHEN x.state = 'sale' THEN x.qty ELSE 0 END, 0,
                      CASE WHEN x.state = 'sale' THEN x.qty * p.price ELSE 0 END, 'manual',
                      CASE WHEN x.state = 'sale' THEN 'to invoice' ELSE 'no' END, 0, FALSE, FALSE, FALSE, FALSE,
                      x.user_id, x.user_id, x.date_order, x.date_order
                 FROM (SELECT o.*, k, 1 + floor(random() * %(products)s)::int AS pidx,
                              1 + floor(random() * 10)::int AS qty
                         FROM bench_order o, generate_series(1, o.nlines) k) x
                 JOIN bench_product p ON p.idx = x.pidx""",
            company=company.id,
            currency=company.currency_id.id,
            products=len(products),
        )
    )
    cr.execute(
        SQL(
            """UPDATE sale_order o SET amount_untaxed = s.total, amount_total = s.total
                 FROM (SELECT order_id, SUM(price_subtotal) AS total FROM sale_order_line
                        WHERE order_id > %s GROUP BY order_id) s
                WHERE o.id = s.order_id""",
            base,
        )
    )
    seq = env["ir.sequence"].search([("code", "=", "sale.order"), ("company_id", "in", [company.id, False])])
    cr.execute("SELECT MAX(id) FROM sale_order")
    seq.write({"number_next": cr.fetchone()[0] + 1})


def _leads(env, sizes, company):
    cr = env.cr
    stages = env["crm.stage"].search([], order="sequence, id")
    open_stages = stages.filtered(lambda stage: not stage.is_won)
    won_stage = stages.filtered("is_won")[:1]
    env["sales_toolkit.strength"].create(
        [
            {"name": name}
            for name in (
                "Delivery in 48 hours",
                "ISO 9001 certified production",
                "Local engineering support",
                "Flexible payment terms",
                "Custom packaging",
                "Ten-year warranty",
            )
        ]
    )
    env.flush_all()
    strengths = env["sales_toolkit.strength"].search([]).ids
    lost_reason = env["crm.lost.reason"].search([], limit=1).id
    # outcome by age: older opportunities are mostly decided
    cr.execute(
        SQL(
            """CREATE TEMP TABLE bench_lead AS
               SELECT g, c.partner_id, s.r2 < 0.8 AS with_partner, c.user_id, c.team_id,
                      date_trunc('second', (now() AT TIME ZONE 'UTC')
                          - (1 - sqrt(s.r3)) * interval '%(years)s years') AS created,
                      CASE WHEN s.r4 < 0.25 THEN 'lead' ELSE 'opportunity' END AS type,
                      s.r5, s.r6, s.r7
                 FROM (SELECT g, random() r1, random() r2, random() r3, random() r4, random() r5,
                              random() r6, random() r7
                         FROM generate_series(1, %(n)s) g) s
                 JOIN bench_customer c ON c.idx = 1 + floor(%(customers)s * s.r1)::int""",
            years=scale.YEARS,
            n=sizes["leads"],
            customers=sizes["customers"],
        )
    )
    cr.execute(
        """ALTER TABLE bench_lead ADD COLUMN outcome varchar;
           UPDATE bench_lead SET outcome = CASE
               WHEN type = 'lead' THEN CASE WHEN r5 < 0.4 AND created < now() - interval '60 days'
                                            THEN 'lost' ELSE 'pending' END
               WHEN created < now() - interval '120 days' THEN
                   CASE WHEN r5 < 0.35 THEN 'won' WHEN r5 < 0.8 THEN 'lost' ELSE 'pending' END
               ELSE CASE WHEN r5 < 0.1 THEN 'won' WHEN r5 < 0.2 THEN 'lost' ELSE 'pending' END END"""
    )
    cr.execute(
        SQL(
            """INSERT INTO crm_lead (name, type, active, won_status, company_id, team_id, user_id, partner_id,
                                     partner_name, contact_name, email_from, stage_id, probability,
                                     automated_probability, expected_revenue, prorated_revenue, priority,
                                     date_open, date_last_stage_update, date_closed, lost_reason_id,
                                     expected_purchase_date, budget_min, budget_max, employee_count,
                                     consent_state, intent_tier_manual, color,
                                     create_uid, write_uid, create_date, write_date)
               SELECT 'Opportunity ' || g, l.type, l.outcome != 'lost', l.outcome, %(company)s, l.team_id, l.user_id,
                      CASE WHEN l.with_partner THEN l.partner_id END, p.name, 'Buyer ' || g,
                      'buyer' || g || '@lead.example.com',
                      CASE WHEN l.outcome = 'won' THEN %(won_stage)s
                           WHEN l.type = 'lead' THEN (%(open_stages)s::int[])[1]
                           ELSE (%(open_stages)s::int[])[1 + floor(l.r6 * %(n_open)s)::int] END,
                      prob.p, prob.p, rev.amount, rev.amount * prob.p / 100, (floor(l.r7 * 4))::int::text,
                      l.created, l.created, closed.at, CASE WHEN l.outcome = 'lost' THEN %(lost_reason)s END,
                      CASE WHEN l.outcome = 'pending' THEN (now() + (l.r7 * 210 - 30) * interval '1 day')::date
                           ELSE (l.created + l.r7 * interval '120 days')::date END,
                      CASE WHEN l.r6 < 0.6 THEN round((rev.amount * (0.4 + l.r7 * 0.6) * 0.6)::numeric, -2) END,
                      CASE WHEN l.r6 < 0.6 THEN round((rev.amount * (0.4 + l.r7 * 0.6))::numeric, -2) END,
                      10 + floor(l.r5 * 990)::int, 'not_required', FALSE, 0,
                      l.user_id, l.user_id, l.created, COALESCE(closed.at, l.created)
                 FROM bench_lead l
                 JOIN res_partner p ON p.id = l.partner_id
                 CROSS JOIN LATERAL (SELECT round((5000 + l.r6 * 195000)::numeric, -2) AS amount) rev
                 CROSS JOIN LATERAL (SELECT CASE l.outcome WHEN 'won' THEN 100 WHEN 'lost' THEN 0
                                              ELSE 10 + floor(l.r6 * 60) END AS p) prob
                 CROSS JOIN LATERAL (SELECT CASE WHEN l.outcome != 'pending'
                                              THEN LEAST(l.created + (5 + l.r7 * 110) * interval '1 day',
                                                         now() AT TIME ZONE 'UTC') END AS at) closed""",
            company=company.id,
            won_stage=won_stage.id,
            open_stages=open_stages.ids,
            n_open=len(open_stages),
            lost_reason=lost_reason,
        )
    )
    # needs: 0 to 5 per opportunity, 0 to 2 per lead
    cr.execute(
        SQL(
            """INSERT INTO sales_toolkit_need (lead_id, name, sequence, is_pain_point, strength_id, score,
                                               company_id, user_id, create_uid, write_uid, create_date, write_date)
               SELECT x.id, (ARRAY['Faster delivery', 'Lower total cost', 'Reliable quality', 'After-sales service',
                                   'Custom specification', 'Payment terms'])[1 + (x.id + x.k) %% 6],
                      10 * x.k, x.k = 1, (%(strengths)s::int[])[1 + (x.id * 7 + x.k) %% %(n_strengths)s],
                      1 + floor(random() * 5)::int, x.company_id, x.user_id, x.create_uid, x.create_uid,
                      x.create_date, x.create_date
                 FROM (SELECT l.*, k FROM crm_lead l,
                              generate_series(1, CASE WHEN l.type = 'lead' THEN l.id %% 3 ELSE l.id %% 6 END) k
                        WHERE l.name LIKE 'Opportunity %%') x""",
            strengths=strengths,
            n_strengths=len(strengths),
        )
    )
    # follow-ups: 0 to 6 per lead, from its creation to its close (or to the last
    # few weeks for open leads, so that some are due and some overdue)
    cr.execute(
        """INSERT INTO sales_toolkit_followup (lead_id, partner_id, company_id, user_id, next_action_user_id,
                                               stage_id, probability, date, channel, summary, result, kind,
                                               reported_date, create_uid, write_uid, create_date, write_date)
           SELECT x.id, x.partner_id, x.company_id, x.user_id, x.user_id, x.stage_id,
                  CASE WHEN x.k < x.n AND x.id % 2 = 0 THEN GREATEST(x.probability - 10, 0) ELSE x.probability END,
                  x.day, (ARRAY['phone', 'visit', 'email', 'wechat', 'other'])[1 + (x.id + x.k) % 5],
                  'Discussed the proposal (' || x.k || ')', CASE WHEN x.k < x.n THEN 'done' ELSE 'pending' END,
                  CASE WHEN (x.id + x.k) % 50 = 0 THEN 'issue' ELSE 'contact' END,
                  x.day::timestamp + interval '10 hours', x.user_id, x.user_id,
                  x.day::timestamp + interval '10 hours', x.day::timestamp + interval '10 hours'
             FROM (SELECT l.*, k, n,
                          (l.create_date::date + (span.last_day - l.create_date::date) * k / n) AS day
                     FROM crm_lead l
                     CROSS JOIN LATERAL (SELECT l.id % 7 AS n) cnt(n)
                     CROSS JOIN LATERAL (SELECT GREATEST(l.create_date::date, CASE WHEN l.won_status = 'pending'
                                 THEN (now() - (l.id % 40) * interval '1 day')::date
                                 ELSE l.date_closed::date END) AS last_day) span
                     CROSS JOIN LATERAL generate_series(1, n) k
                    WHERE l.name LIKE 'Opportunity %' AND n > 0) x"""
    )


def _reset_sequences(env):
    for table in (
        "res_partner",
        "sale_order",
        "sale_order_line",
        "crm_lead",
        "sales_toolkit_need",
        "sales_toolkit_followup",
    ):
        env.cr.execute(
            SQL(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM %s))",
                table,
                SQL.identifier(table),
            )
        )


def _recompute_leads(env):
    """The module's stored computes on every lead, then the follow-up states as they were
    last night: the nightly job has the day's work to do."""
    leads = env["crm.lead"].with_context(active_test=False).search([])
    fields = [
        "intent_tier",
        "need_count",
        "match_score",
        "match_max_score",
        "match_ratio",
        "match_level",
        "purchasing_power",
        "followup_strategy",
        "followup_count",
        "last_followup_date",
        "next_followup_date",
        "followup_state",
        "needs_review",
    ]
    for start in range(0, len(leads), 5000):
        batch = leads[start : start + 5000]
        for name in fields:
            env.add_to_compute(leads._fields[name], batch)
        batch.flush_recordset()
        env.invalidate_all()
    env.cr.execute(
        """UPDATE crm_lead l SET match_evaluated_date = n.day, match_review_date = n.day + interval '3 months'
             FROM (SELECT lead_id, MAX(create_date)::date AS day FROM sales_toolkit_need GROUP BY lead_id) n
            WHERE n.lead_id = l.id"""
    )
    today = env.company._toolkit_today()
    env.cr.execute(
        SQL(
            """UPDATE crm_lead SET followup_state = CASE WHEN next_followup_date = %(today)s THEN 'on_track'
                                                          ELSE 'due' END
                WHERE followup_state IS NOT NULL AND next_followup_date IN (%(today)s, %(yesterday)s)""",
            today=today,
            yesterday=today - timedelta(days=1),
        )
    )


def _care_plans(env, sizes):
    """A care plan for the biggest customers (VIP and key accounts), three actions each."""
    env.cr.execute(
        SQL(
            """SELECT partner_id, user_id FROM bench_customer ORDER BY idx LIMIT %s""",
            max(5, sizes["customers"] // 20),
        )
    )
    today = date.today()
    env["sales_toolkit.care.plan"].create(
        [
            {
                "partner_id": partner_id,
                "user_id": user_id,
                "date_start": today - relativedelta(months=18),
                "action_ids": [
                    Command.create(
                        {
                            "name": "Quarterly business review",
                            "action_type": "visit",
                            "interval_number": 3,
                            "interval_unit": "months",
                            "next_date": today + timedelta(days=partner_id % 90),
                            "owner_id": user_id,
                            "executor_id": user_id,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Monthly call",
                            "action_type": "call",
                            "interval_number": 1,
                            "interval_unit": "months",
                            "next_date": today + timedelta(days=partner_id % 30),
                            "owner_id": user_id,
                            "executor_id": user_id,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Mid-Autumn gift box",
                            "action_type": "greeting",
                            "frequency": "dates",
                            "fixed_dates": f"{today.year + 1}-09-25",
                            "next_date": date(today.year + 1, 9, 25),
                            "owner_id": user_id,
                            "executor_id": user_id,
                        }
                    ),
                ],
            }
            for partner_id, user_id in env.cr.fetchall()
        ]
    )
    env.flush_all()


def _targets(env, sizes, company, users, teams):
    """Company → teams → salespeople and product lines, this year: mixed KPIs and periods.

    Levels are created breadth first and cut at the wanted count; figures are measured
    by the benchmark, not here.
    """
    Target = env["sales_toolkit.target"]
    year = company._toolkit_today().replace(month=1, day=1)
    quarters = [year + relativedelta(months=3 * q) for q in range(4)]
    current_quarter = quarters[(company._toolkit_today().month - 1) // 3]
    months = [current_quarter + relativedelta(months=m) for m in range(3)]
    lines = env["product.category"].search([("parent_id", "=", False), ("name", "=like", "Line %")])
    owner = env.user
    budget = 1.0
    left = [sizes["targets"]]

    def make(vals_list):
        vals_list = vals_list[: left[0]]
        left[0] -= len(vals_list)
        if not vals_list:
            return Target
        return Target.create(vals_list)

    def vals(name, kpi, value, period, start, parent=None, **dims):
        return dict(
            {
                "name": name,
                "kpi": kpi,
                "target_value": value,
                "period_type": period,
                "date_from": start,
                "owner_id": owner.id,
                "parent_id": parent.id if parent else False,
            },
            **dims,
        )

    env.cr.execute("SELECT SUM(amount_untaxed) / 3 FROM sale_order WHERE state = 'sale'")
    yearly = float(env.cr.fetchone()[0] or 1.0) * budget
    with patch.object(type(Target), "_toolkit_refresh_figures", lambda self: None):
        top = make(
            [
                vals(f"{year.year} revenue", "revenue", yearly, "year", year),
                vals(f"{year.year} orders", "order_count", sizes["orders"] * 0.3, "year", year),
                vals(f"{year.year} new customers", "new_customers", 20, "year", year, customer_type="new"),
                vals(
                    f"{year.year} repurchase", "repurchase_rate", 60, "year", year, customer_type="existing"
                ),
                vals(f"{year.year} won opportunities", "won_leads", sizes["leads"] * 0.1, "year", year),
            ]
        )
        revenue_year = top[:1]
        company_quarters = make(
            [
                vals(f"Q{i + 1} revenue", "revenue", yearly / 4, "quarter", start, revenue_year)
                for i, start in enumerate(quarters)
            ]
            + [
                vals(f"Q{i + 1} orders", "order_count", sizes["orders"] * 0.3 / 4, "quarter", start, top[1:2])
                for i, start in enumerate(quarters)
            ]
        )
        by_quarter = {target.date_from: target for target in company_quarters if target.kpi == "revenue"}
        n_teams = len(teams)
        team_targets = make(
            [
                vals(
                    f"{team.name} Q{i + 1}",
                    "revenue",
                    yearly / 4 / n_teams,
                    "quarter",
                    start,
                    by_quarter.get(start),
                    team_id=team.id,
                )
                for i, start in enumerate(quarters)
                for team in teams
            ]
            + [
                vals(
                    f"{team.name} Q{i + 1} key accounts",
                    "revenue",
                    yearly / 8 / n_teams,
                    "quarter",
                    start,
                    by_quarter.get(start),
                    team_id=team.id,
                    customer_type="key_account",
                )
                for i, start in enumerate(quarters)
                for team in teams
            ]
            + [
                vals(f"{team.name} Q{i + 1} won", "won_leads", 30, "quarter", start, team_id=team.id)
                for i, start in enumerate(quarters)
                for team in teams
            ]
        )
        team_of = {
            (t.team_id, t.date_from): t for t in team_targets if t.kpi == "revenue" and not t.customer_type
        }
        make(
            [
                vals(
                    f"{team.name} Q{i + 1} {line.name}",
                    "revenue",
                    yearly / 4 / n_teams / len(lines),
                    "quarter",
                    start,
                    team_of.get((team, start)),
                    team_id=team.id,
                    product_categ_id=line.id,
                )
                for i, start in enumerate(quarters)
                for team in teams
                for line in lines
            ]
        )
        reps = env["res.users"].browse(list(users))
        rep_quarters = make(
            [
                vals(
                    f"{rep.name} Q{i + 1}",
                    "revenue",
                    yearly / 4 / len(reps),
                    "quarter",
                    start,
                    team_of.get((env["crm.team"].browse(users[rep.id]), start)),
                    team_id=users[rep.id],
                    user_id=rep.id,
                )
                for i, start in enumerate(quarters)
                for rep in reps
            ]
        )
        rep_of = {(t.user_id, t.date_from): t for t in rep_quarters}
        make(
            [
                vals(
                    f"{rep.name} {current_quarter:%Y-%m} new customers",
                    "new_customers",
                    2,
                    "quarter",
                    current_quarter,
                    user_id=rep.id,
                    customer_type="new",
                )
                for rep in reps
            ]
            + [
                vals(
                    f"{rep.name} {start:%Y-%m}",
                    "revenue",
                    yearly / 12 / len(reps),
                    "month",
                    start,
                    rep_of.get((rep, current_quarter)),
                    team_id=users[rep.id],
                    user_id=rep.id,
                )
                for start in months
                for rep in reps
            ]
        )
        # fill up to the wanted count with product-line targets per salesperson
        while left[0] > 0:
            before = left[0]
            make(
                [
                    vals(
                        f"{rep.name} {line.name} {year.year}",
                        "revenue",
                        yearly / len(reps) / len(lines),
                        "year",
                        year,
                        user_id=rep.id,
                        product_categ_id=line.id,
                    )
                    for rep in reps
                    for line in lines
                ]
            )
            if left[0] == before:
                break
    env.cr.execute("UPDATE sales_toolkit_target SET state = 'confirmed'")
    env.invalidate_all()
