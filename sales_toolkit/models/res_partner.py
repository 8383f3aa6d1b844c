from collections import Counter
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_amount

from .sales_toolkit_field_rights import MANAGERS, SYSTEM

CUSTOMER_TIERS = [("vip", "VIP"), ("key", "Key Account"), ("regular", "Regular")]
SALES_STAFF = "sales_team.group_sale_salesman"


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "sales_toolkit.pipl.mixin", "sales_toolkit.field.rights"]
    # the tier is measured every night; only a manager's override (with its reason) changes it
    _toolkit_write_rights = {
        "customer_tier": SYSTEM,
        "tier_override": MANAGERS,
        "tier_override_reason": MANAGERS,
    }

    # Toolkit data is for the sales staff: portal and public users read their own partner, and
    # other internal users the whole address book, but neither sees tiers, purchases or referrals.

    # Customer tiers (tool 6), per company: each company has its own sales to the customer
    customer_tier = fields.Selection(
        CUSTOMER_TIERS,
        company_dependent=True,
        default="regular",
        readonly=True,
        groups=SALES_STAFF,
        help="From the annual purchases, recomputed every night, unless a manager overrides it.",
    )
    tier_override = fields.Selection(
        CUSTOMER_TIERS,
        company_dependent=True,
        groups="sales_team.group_sale_manager",
        help="A tier chosen by hand instead of the one the annual purchases give.",
    )
    tier_override_reason = fields.Text(company_dependent=True, groups="sales_team.group_sale_manager")
    annual_purchase_amount = fields.Monetary(
        string="Annual Purchases",
        compute="_compute_annual_purchase_amount",
        currency_field="toolkit_currency_id",
        groups=SALES_STAFF,
        help="Confirmed sales (untaxed, company currency) of the trailing 12 months to this "
        "customer and its contacts; posted invoices when the settings say so.",
    )
    toolkit_currency_id = fields.Many2one(
        "res.currency", compute="_compute_annual_purchase_amount", groups=SALES_STAFF
    )

    referred_by_id = fields.Many2one(
        "res.partner",
        check_company=True,
        index="btree_not_null",
        copy=False,
        groups=SALES_STAFF,
        help="The customer who referred this one: referrals count on their care plan.",
    )
    care_plan_ids = fields.One2many(
        "sales_toolkit.care.plan", "partner_id", string="Care Plans", groups=SALES_STAFF
    )

    toolkit_followup_count = fields.Integer(
        string="Follow-ups", compute="_compute_toolkit_followup_count", groups=SALES_STAFF
    )

    @api.depends_context("company")
    def _compute_annual_purchase_amount(self):
        company = self.env.company
        amounts = self._toolkit_purchase_amounts(company, self.commercial_partner_id.ids)
        for partner in self:
            partner.toolkit_currency_id = company.currency_id
            partner.annual_purchase_amount = amounts.get(partner.commercial_partner_id.id, 0.0)

    def _toolkit_pipl_fields(self):
        return super()._toolkit_pipl_fields() + ["tier_override_reason"]

    @api.constrains("tier_override", "tier_override_reason")
    def _check_tier_override_reason(self):
        for partner in self:
            if partner.tier_override and not (partner.tier_override_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "%(partner)s: give the reason for overriding the customer tier.",
                        partner=partner.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        # checked on the values: partner creation is a hot path of many flows
        overridden = [
            partner for partner, vals in zip(partners, vals_list, strict=True) if vals.get("tier_override")
        ]
        if overridden:
            self.browse([partner.id for partner in overridden])._toolkit_update_tiers(self.env.company)
        return partners

    def write(self, vals):
        res = super().write(vals)
        if "tier_override" in vals:
            self._toolkit_update_tiers(self.env.company)
        return res

    @api.model
    def _toolkit_purchase_amounts(self, company, partner_ids=None):
        """{commercial partner id: annual purchases} in one grouped query.

        Trailing 12 months in the company's timezone, untaxed, in company currency.
        """
        today = company._toolkit_today()
        first_day = today - relativedelta(years=1) + timedelta(days=1)
        restrict = SQL("AND p.commercial_partner_id IN %s", tuple(partner_ids)) if partner_ids else SQL()
        if partner_ids is not None and not partner_ids:
            return {}
        if company.toolkit_tier_basis == "invoices":
            query = SQL(
                """SELECT p.commercial_partner_id, SUM(m.amount_untaxed_signed)
                     FROM account_move m JOIN res_partner p ON p.id = m.partner_id
                    WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
                      AND m.company_id = %s AND m.invoice_date BETWEEN %s AND %s %s
                 GROUP BY p.commercial_partner_id""",
                company.id,
                first_day,
                today,
                restrict,
            )
        else:
            Kpi = self.env["sales_toolkit.kpi"]
            utc_from, utc_to = company._toolkit_utc_bounds(first_day, today)
            query = SQL(
                """SELECT p.commercial_partner_id, SUM(%s)
                     FROM sale_order o JOIN res_partner p ON p.id = o.partner_id
                    WHERE %s AND o.company_id = %s
                      AND o.date_order >= %s AND o.date_order < %s %s
                 GROUP BY p.commercial_partner_id""",
                Kpi._company_amount_sql(SQL("o.amount_untaxed"), SQL("o.currency_rate")),
                Kpi._confirmed_sql("o"),
                company.id,
                utc_from,
                utc_to,
                restrict,
            )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["sale.order"].flush_model(
            ["state", "company_id", "date_order", "amount_untaxed", "partner_id"]
        )
        self.env["account.move"].flush_model(["state", "move_type", "invoice_date", "amount_untaxed_signed"])
        self.env.cr.execute(query)
        return dict(self.env.cr.fetchall())

    @api.model
    def _toolkit_tier_of(self, company, amount):
        if amount >= company.toolkit_tier_vip_amount:
            return "vip"
        return "key" if amount >= company.toolkit_tier_key_amount else "regular"

    def _toolkit_update_tiers(self, company, batch_size=1000):
        """Set the tier of ``self`` (every customer when empty) for ``company``.

        One grouped query gives all amounts; changed tiers are then stored in batches (one
        UPDATE each), and each change is logged in the partner's chatter.
        """
        partners = self.with_company(company)
        amounts = self._toolkit_purchase_amounts(company, self.commercial_partner_id.ids if self else None)
        if not self:
            # customers with purchases, and those whose stored tier may have to come down
            partners = partners.browse(amounts) | partners.search(
                ["|", ("customer_tier", "in", ["vip", "key"]), ("tier_override", "!=", False)]
            )
        # only the columns the job reads (res.partner is a wide table)
        partners.sudo().fetch(["parent_id", "customer_tier", "tier_override"])
        partners = partners.filtered(lambda partner: not partner.parent_id)
        if self:
            partners._toolkit_apply_tiers(company, amounts)
            return True
        # the nightly job: a customer it fails on is skipped, the others go on
        return self.env["sales_toolkit.job"]._run_batches(
            partners,
            lambda batch: batch._toolkit_apply_tiers(company, amounts),
            "sales_toolkit.ir_cron_update_customer_tiers",
            batch_size,
        )

    def _toolkit_apply_tiers(self, company, amounts):
        """Store the tiers of these customers that moved, and log each move in their chatter."""
        labels = dict(CUSTOMER_TIERS)
        changes = {}
        for partner in self:
            amount = amounts.get(partner.id, 0.0)
            tier = partner.tier_override or self._toolkit_tier_of(company, amount)
            if tier != partner.customer_tier:
                changes[partner] = (partner.customer_tier, tier, amount)
        if changes:
            self._toolkit_store_tiers(company, {partner.id: change[1] for partner, change in changes.items()})
        bodies = {
            partner.id: self.env._(
                "Customer tier (%(company)s): %(old)s → %(new)s, annual purchases %(amount)s%(why)s",
                company=company.name,
                old=labels.get(old, "-"),
                new=labels[new],
                amount=format_amount(self.env, amount, company.currency_id),
                why=self.env._(" (set by hand: %(reason)s)", reason=partner.tier_override_reason)
                if partner.tier_override
                else "",
            )
            for partner, (old, new, amount) in changes.items()
        }
        if bodies:
            # only the partners whose tier moved: a batch log writes a note on every record
            self.browse(list(bodies))._message_log_batch(bodies)

    @api.model
    def _toolkit_store_tiers(self, company, tiers):
        """Store {partner id: tier} for ``company`` with one UPDATE.

        The tier is the module's own measurement (a read-only field): writing it through
        ``res.partner.write`` would cost queries per partner (user and contact checks).
        """
        partners = self.browse(tiers)
        partners.modified(["customer_tier"])
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner p
                      SET customer_tier = COALESCE(p.customer_tier, '{}'::jsonb)
                                          || jsonb_build_object(%(company)s::text, v.tier)
                     FROM (VALUES %(rows)s) AS v(id, tier)
                    WHERE p.id = v.id""",
                company=company.id,
                rows=SQL(", ").join(SQL("(%s::int, %s::varchar)", pid, tier) for pid, tier in tiers.items()),
            )
        )
        partners.invalidate_recordset(["customer_tier"])

    @api.model
    def _cron_update_customer_tiers(self):
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            if not self.browse()._toolkit_update_tiers(company):
                return

    def _compute_toolkit_followup_count(self):
        # one grouped read for the batch, counted per commercial entity
        commercial = self.commercial_partner_id
        rows = self.env["sales_toolkit.followup"]._read_group(
            [("partner_id", "child_of", commercial.ids)], ["partner_id"], ["__count"]
        )
        counts = Counter()
        for partner, count in rows:
            counts[partner.commercial_partner_id.id] += count
        for partner in self:
            partner.toolkit_followup_count = counts[partner.commercial_partner_id.id]

    def _toolkit_open_leads(self):
        return self.env["crm.lead"].search(
            [
                ("partner_id", "child_of", self.commercial_partner_id.ids),
                ("won_status", "=", "pending"),
            ],
            order="write_date desc",
        )

    def action_toolkit_log_followup(self):
        """Log a follow-up on the customer's most recently active open lead."""
        self.ensure_one()
        leads = self._toolkit_open_leads()
        if not leads:
            raise UserError(
                self.env._(
                    "%(partner)s has no open lead or opportunity: a follow-up is logged on one. "
                    "Create the opportunity first.",
                    partner=self.display_name,
                )
            )
        return leads[0].action_toolkit_log_followup()

    def action_toolkit_open_care_plan(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        plan = partner.care_plan_ids.filtered(lambda plan: plan.company_id == self.env.company)[:1]
        action = {
            "type": "ir.actions.act_window",
            "res_model": "sales_toolkit.care.plan",
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {"default_partner_id": partner.id},
        }
        if plan:
            action["res_id"] = plan.id
        return action

    def action_toolkit_open_followups(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_toolkit.sales_toolkit_followup_action")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {}
        return action
