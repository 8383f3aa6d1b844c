from collections import Counter

from odoo import fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    toolkit_followup_count = fields.Integer(string="Follow-ups", compute="_compute_toolkit_followup_count")

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

    def action_toolkit_open_followups(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_toolkit.sales_toolkit_followup_action")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {}
        return action
