from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.people_fields import internal_user_field
from .sales_toolkit_field_rights import Owner


class SalesToolkitStrategyMilestone(models.Model):
    _name = "sales_toolkit.strategy.milestone"
    _description = "Sales Strategy Milestone"
    _inherit = ["sales_toolkit.strategy.child.mixin"]
    # managers plan, the owner marks their milestone done
    _toolkit_write_rights = {
        "state": Owner("user_id"),
    }
    _order = "date, sequence, id"

    strategy_state = fields.Selection(related="strategy_id.state", string="Strategy State")
    name = fields.Char(string="Milestone", required=True, help="e.g. Sign 3 distributors")
    date = fields.Date(required=True)
    user_id = internal_user_field("Owner", required=True, index=True)
    done_criterion = fields.Char(help="How everyone can tell it is done, e.g. “3 contracts signed”.")
    state = fields.Selection(
        [("todo", "To Do"), ("done", "Done"), ("cancelled", "Cancelled")],
        required=True,
        default="todo",
        copy=False,
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Not done by its date while the strategy is active.",
    )
    activity_id = fields.Many2one("mail.activity", readonly=True, copy=False, index="btree_not_null")

    @api.depends("date", "state", "strategy_id.state")
    @api.depends_context("tz")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for milestone in self:
            milestone.is_overdue = (
                milestone.state == "todo"
                and milestone.strategy_id.state == "active"
                and bool(milestone.date)
                and milestone.date < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        overdue = [
            ("state", "=", "todo"),
            ("strategy_id.state", "=", "active"),
            ("date", "<", fields.Date.context_today(self)),
        ]
        return overdue if (operator == "in") == (True in value) else ["!", "&", "&", *overdue]

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        milestones = super().create(vals_list)
        milestones._sync_activity()
        return milestones

    def write(self, vals):
        res = super().write(vals)
        if {"name", "date", "user_id", "state", "done_criterion", "strategy_id"} & vals.keys():
            self._sync_activity()
        return res

    def unlink(self):
        self.activity_id.sudo().unlink()
        return super().unlink()

    # ------------------------------------------------------------------
    # Activities
    # ------------------------------------------------------------------

    def _sync_activity(self):
        """One to-do for the owner per open milestone of an active strategy: scheduled, moved, closed.

        Done in sudo: a rep who marks a milestone done cannot write the strategy
        the activity belongs to, and the activity is the owner's anyway.
        """
        for milestone in self.sudo():
            activity = milestone.activity_id.exists()
            if activity and not activity.active:
                continue  # already marked done from the activity itself
            wanted = milestone.state == "todo" and milestone.strategy_id.state == "active"
            values = wanted and {
                "summary": milestone.name,
                "note": milestone.done_criterion
                and self.env._("Done when: %(criterion)s", criterion=milestone.done_criterion)
                or "",
                "user_id": milestone.user_id.id,
                "date_deadline": milestone.date,
            }
            reached = milestone.state == "done" and self.env._(
                "Milestone reached: %(name)s", name=milestone.name
            )
            scheduled = activity._toolkit_keep_todo(milestone.strategy_id, values, feedback=reached)
            if scheduled and not activity:
                milestone.activity_id = scheduled

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_mark_done(self):
        if any(ms.strategy_id.state != "active" for ms in self):
            raise UserError(self.env._("Milestones are marked done while their strategy is active."))
        self.filtered(lambda ms: ms.state == "todo").write({"state": "done"})
        return True

    def action_cancel(self):
        self.filtered(lambda ms: ms.state == "todo").write({"state": "cancelled"})
        return True

    def action_reset(self):
        self.filtered(lambda ms: ms.state != "todo").write({"state": "todo"})
        return True
