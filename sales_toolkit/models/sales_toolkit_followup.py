from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, format_date

from .sales_toolkit_field_rights import SALESMAN, SYSTEM

CHANNELS = [
    ("phone", "Phone"),
    ("visit", "Visit"),
    ("email", "Email"),
    ("wechat", "WeChat"),
    ("other", "Other"),
]
RESULTS = [("pending", "Pending"), ("done", "Done"), ("failed", "Failed")]


class SalesToolkitFollowup(models.Model):
    _name = "sales_toolkit.followup"
    _description = "Follow-up Log"
    _inherit = ["sales_toolkit.pipl.mixin", "sales_toolkit.record.mixin"]
    # the service-level clock runs from logging to the Responded and Resolved buttons
    _toolkit_write_rights = {
        "user_id": SALESMAN,
        "reported_date": SYSTEM,
        "responded_date": SYSTEM,
        "resolved_date": SYSTEM,
    }
    _order = "date desc, id desc"
    _rec_name = "summary"
    _toolkit_parent_fields = ("lead_id",)

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="lead_id.partner_id", string="Customer", store=True)
    company_id = fields.Many2one(related="lead_id.company_id", store=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Logged By", default=lambda self: self.env.user, readonly=True, copy=False
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    channel = fields.Selection(CHANNELS, required=True, default="phone")
    summary = fields.Text(required=True, help="What was discussed.")
    customer_feedback = fields.Text(help="The customer's feedback or objection, in their own words.")
    objection_handling = fields.Text(help="How the objection was answered.")
    next_action = fields.Char(help="The next step, specific and dated: the point of the log.")
    next_action_user_id = fields.Many2one("res.users", check_company=True, string="Next Action Owner")
    next_action_deadline = fields.Date()
    result = fields.Selection(RESULTS, required=True, default="pending")
    stage_id = fields.Many2one("crm.stage", string="Stage When Logged", readonly=True, ondelete="set null")
    probability = fields.Float(string="Probability When Logged", readonly=True, aggregator="avg")
    # Customer issues (tool 6): service levels by customer tier
    kind = fields.Selection(
        [("contact", "Follow-up"), ("issue", "Customer Issue")], required=True, default="contact"
    )
    reported_date = fields.Datetime(string="Reported On", default=fields.Datetime.now)
    response_deadline = fields.Datetime(compute="_compute_sla_deadlines", store=True)
    resolution_deadline = fields.Datetime(compute="_compute_sla_deadlines", store=True)
    responded_date = fields.Datetime(string="Responded On")
    resolved_date = fields.Datetime(string="Resolved On")
    sla_breached = fields.Boolean(
        string="Service Level Breached",
        compute="_compute_sla_breached",
        search="_search_sla_breached",
        help="The response or the resolution came, or is still missing, after its deadline.",
    )
    activity_id = fields.Many2one("mail.activity", readonly=True, copy=False)

    @api.depends("kind", "reported_date", "lead_id.partner_id", "lead_id.company_id")
    def _compute_sla_deadlines(self):
        policy_model = self.env["sales_toolkit.tier.policy"]
        for followup in self:
            followup.response_deadline = followup.resolution_deadline = False
            if followup.kind != "issue" or not followup.reported_date:
                continue
            company = followup.lead_id._toolkit_company()
            customer = followup.lead_id.partner_id.commercial_partner_id.with_company(company)
            policy = policy_model._policy_for(customer.customer_tier or "regular", company)
            if policy.response_hours:
                followup.response_deadline = followup.reported_date + timedelta(hours=policy.response_hours)
            if policy.resolution_hours:
                followup.resolution_deadline = followup.reported_date + timedelta(
                    hours=policy.resolution_hours
                )

    @api.depends("response_deadline", "resolution_deadline", "responded_date", "resolved_date")
    def _compute_sla_breached(self):
        now = fields.Datetime.now()
        for followup in self:
            followup.sla_breached = any(
                deadline and (done or now) > deadline
                for deadline, done in (
                    (followup.response_deadline, followup.responded_date),
                    (followup.resolution_deadline, followup.resolved_date),
                )
            )

    def _search_sla_breached(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        self.flush_model(["response_deadline", "resolution_deadline", "responded_date", "resolved_date"])
        breached = Domain(
            "id",
            "in",
            SQL(
                """SELECT id FROM sales_toolkit_followup
                    WHERE COALESCE(responded_date, %(now)s) > response_deadline
                       OR COALESCE(resolved_date, %(now)s) > resolution_deadline""",
                now=fields.Datetime.now(),
            ),
        )
        return breached if (operator == "in") == (True in value) else ~breached

    @api.constrains("next_action", "next_action_user_id", "next_action_deadline")
    def _check_next_action(self):
        for followup in self:
            if followup.next_action and not (followup.next_action_user_id and followup.next_action_deadline):
                raise ValidationError(
                    self.env._(
                        "The next action “%(action)s” needs an owner and a deadline: a next "
                        "step nobody owns or dates does not happen.",
                        action=followup.next_action,
                    )
                )

    def _toolkit_pipl_fields(self):
        return ["summary", "customer_feedback", "objection_handling", "next_action"]

    @api.constrains("date", "lead_id")
    def _check_date_not_future(self):
        for followup in self:
            latest = followup.lead_id._toolkit_latest_followup_date()
            if followup.date > latest:
                raise ValidationError(
                    self.env._(
                        "A follow-up records a contact that took place: it cannot be dated %(date)s, "
                        "after %(latest)s. Plan the next contact as the next action, with its deadline.",
                        date=format_date(self.env, followup.date),
                        latest=format_date(self.env, latest),
                    )
                )

    def _check_logged_by(self, vals):
        """Who logged a follow-up is history: reps log in their own name and keep it."""
        if "user_id" not in vals or self.env.su:
            return
        if self.env.user.has_group("sales_team.group_sale_salesman_all_leads"):
            return
        if vals["user_id"] != self.env.uid or any(followup.user_id.id != self.env.uid for followup in self):
            raise AccessError(self.env._("Reps log follow-ups in their own name only."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_logged_by(vals)
        followups = super().create(vals_list)
        followups._record_progress_when_logged(vals_list)
        followups._sync_activity()
        return followups

    def write(self, vals):
        self._check_logged_by(vals)
        res = super().write(vals)
        if {"next_action", "next_action_user_id", "next_action_deadline", "result"} & vals.keys():
            self._sync_activity()
        return res

    def unlink(self):
        self.activity_id.filtered(lambda act: act.active).unlink()
        return super().unlink()

    def _sync_activity(self):
        """Keep one to-do on the lead per next action: scheduled, moved, closed."""
        # the next action's owner must be able to open the lead (see mail.activity)
        checked = self.with_context(toolkit_check_assignee=True)
        for followup in checked:
            activity = followup.activity_id.exists()
            values = (
                followup.result == "pending"
                and followup.next_action
                and {
                    "summary": followup.next_action,
                    "user_id": followup.next_action_user_id.id,
                    "date_deadline": followup.next_action_deadline,
                }
            )
            done = followup.result == "done" and self.env._("Done: %(summary)s", summary=followup.summary)
            scheduled = activity._toolkit_keep_todo(followup.lead_id, values, feedback=done)
            if scheduled and not activity:
                followup.sudo().activity_id = scheduled

    def action_mark_responded(self):
        self._set_service_times(responded=True)
        return True

    def action_mark_resolved(self):
        self._set_service_times(responded=True, resolved=True)
        return True

    def _record_progress_when_logged(self, vals_list):
        """Record the lead's stage and probability on these new follow-ups (the stale rule
        compares against them): the system's values, one write per lead, except what the
        superuser gave in ``vals_list``."""
        whole = self.browse()
        for followup, vals in zip(self.sudo(), vals_list, strict=True):
            lead = followup.lead_id
            missing = {
                fname: value
                for fname, value in (("stage_id", lead.stage_id.id), ("probability", lead.probability))
                if fname not in vals
            }
            if len(missing) == 2:
                whole |= followup
            elif missing:
                followup.write(missing)
        for lead, followups in whole.sudo().grouped("lead_id").items():
            followups.write({"stage_id": lead.stage_id.id, "probability": lead.probability})

    def _set_service_times(self, responded=False, resolved=False):
        """The service-level clock is the system's: the buttons stamp it, for those who may
        change the follow-up."""
        self.check_access("write")
        now = fields.Datetime.now()
        if responded:
            self.filtered(lambda followup: not followup.responded_date)._toolkit_write_as_system(
                {"responded_date": now}
            )
        if resolved:
            self._toolkit_write_as_system({"resolved_date": now})

    def action_mark_done(self):
        self.write({"result": "done"})
        return True

    def action_mark_failed(self):
        self.write({"result": "failed"})
        return True
