from odoo import fields, models


class CrmTeam(models.Model):
    _name = "crm.team"
    _inherit = ["crm.team", "sales_toolkit.field.rights"]

    toolkit_digest_date = fields.Datetime(
        string="Last Follow-up Digest",
        readonly=True,
        copy=False,
        help="When the team leader last received the weekly digest of follow-ups to act on.",
    )

    def _toolkit_send_followup_digest(self, leads):
        """Notify the team leader (inbox or email, as they chose) of the leads to act on."""
        self.ensure_one()
        leader = self.user_id
        team = self.with_context(lang=leader.lang or self.env.lang)
        body = team.env["ir.qweb"]._render(
            "sales_toolkit.followup_digest_mail",
            {
                "team": team,
                "overdue": leads.filtered(lambda lead: lead.followup_state == "overdue"),
                "stale": leads.filtered("needs_review"),
            },
        )
        team.message_notify(
            partner_ids=leader.partner_id.ids,
            subject=team.env._("Follow-ups to act on in %(team)s", team=team.name),
            body=body,
            email_layout_xmlid="mail.mail_notification_light",
        )
