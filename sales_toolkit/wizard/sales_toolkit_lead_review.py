from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.sales_toolkit_field_rights import LEADERS


class SalesToolkitLeadReview(models.TransientModel):
    _name = "sales_toolkit.lead.review"
    _description = "Stale Lead Review"
    _inherit = ["sales_toolkit.field.rights"]
    _toolkit_write_default = LEADERS

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade")
    decision = fields.Selection(
        [
            ("continue", "Continue with a changed strategy"),
            ("nurture", "Move to long-term nurture"),
            ("lost", "Mark as lost"),
        ],
        required=True,
        default="continue",
    )
    analysis = fields.Text(
        required=True,
        help="Why the follow-ups brought no progress: unclear need? a competitor? the wrong contact?",
    )
    new_strategy = fields.Text(help="What changes from now on.")
    lost_reason_id = fields.Many2one("crm.lost.reason")

    @api.model
    def _check_decision(self, decision, new_strategy, lost_reason):
        if decision == "continue" and not new_strategy:
            raise UserError(self.env._("Describe the changed strategy before continuing."))
        if decision == "lost" and not lost_reason:
            raise UserError(self.env._("Choose the reason why the lead is lost."))

    def action_apply(self):
        self.ensure_one()
        self._check_decision(self.decision, self.new_strategy, self.lost_reason_id)
        lead = self.lead_id
        decision_label = dict(self._fields["decision"]._description_selection(self.env))[self.decision]
        body = Markup("<p><b>%s</b>: %s</p><p>%s</p>") % (
            self.env._("Strategy review"),
            decision_label,
            self.analysis,
        )
        if self.new_strategy:
            body += Markup("<p>%s %s</p>") % (self.env._("New strategy:"), self.new_strategy)
        lead.message_post(body=body, subtype_xmlid="mail.mt_note")
        lead.write(
            {
                "toolkit_reviewed_date": fields.Datetime.now(),
                "toolkit_review_followup_id": lead.followup_ids.sorted("id")[-1:].id,
            }
        )
        if self.decision == "nurture":
            lead.intent_tier = "low"
        elif self.decision == "lost":
            lead.action_set_lost(lost_reason_id=self.lost_reason_id.id)
        return {"type": "ir.actions.act_window_close"}
