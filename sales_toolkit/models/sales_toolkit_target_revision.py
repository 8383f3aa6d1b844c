from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .sales_toolkit_field_rights import SYSTEM


class SalesToolkitTargetRevision(models.Model):
    """The handbook's dynamic adjustment: a confirmed target's new value, on record with its reason.

    The Revise action (``_toolkit_revise``) gives the reason; the target's ``write`` asks
    ``_prepare_revisions`` before it writes a value (a confirmed target refuses a new value
    without a reason) and ``_log_revisions`` after.
    """

    _name = "sales_toolkit.target.revision"
    _description = "Sales Target Revision"
    _inherit = ["sales_toolkit.record.mixin"]
    # revisions are logged by the Revise action, never written by hand
    _toolkit_write_default = SYSTEM
    _order = "date desc, id desc"
    _toolkit_parent_fields = ("target_id",)

    target_id = fields.Many2one("sales_toolkit.target", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="target_id.company_id", store=True)
    kpi = fields.Selection(related="target_id.kpi")
    old_value = fields.Float(required=True, readonly=True)
    new_value = fields.Float(required=True, readonly=True)
    reason = fields.Text(required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users", string="Revised By", required=True, readonly=True, default=lambda self: self.env.user
    )

    @api.model
    def _toolkit_revise(self, targets, new_value, reason):
        """Revise ``targets`` to ``new_value`` for ``reason``."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for revising the target."))
        return targets.with_context(toolkit_revision_reason=reason).write({"target_value": new_value})

    @api.model
    def _prepare_revisions(self, targets, new_value):
        """The values of the revisions that writing ``new_value`` on ``targets`` makes: one
        per confirmed target whose value changes, with the reason of the Revise action."""
        reason = (self.env.context.get("toolkit_revision_reason") or "").strip()
        changed = targets.filtered(
            lambda target: target.state == "confirmed" and float_compare(target.target_value, new_value, 2)
        )
        if changed and not reason:
            raise UserError(
                self.env._(
                    "%(target)s is confirmed: revise its value with a reason (Revise button), "
                    "so that the adjustment stays on record.",
                    target=changed[0].name,
                )
            )
        return [
            {
                "target_id": target.id,
                "old_value": target.target_value,
                "new_value": new_value,
                "reason": reason,
                "user_id": self.env.uid,
            }
            for target in changed
        ]

    @api.model
    def _log_revisions(self, vals_list):
        """Record the revisions and say so in each target's chatter."""
        revisions = self.sudo().create(vals_list)
        targets = revisions.target_id.with_env(self.env)
        targets._message_log_batch(
            {
                revision.target_id.id: self.env._(
                    "Target revised from %(old)s to %(new)s. Reason: %(reason)s",
                    old=revision.target_id._format_value(revision.old_value),
                    new=revision.target_id._format_value(revision.new_value),
                    reason=revision.reason,
                )
                for revision in revisions
            }
        )
        return revisions
