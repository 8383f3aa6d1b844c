from odoo import api, models
from odoo.exceptions import UserError


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        activities._toolkit_check_assignee_access()
        return activities

    def write(self, vals):
        res = super().write(vals)
        if {"user_id", "res_model", "res_model_id", "res_id"} & vals.keys():
            self._toolkit_check_assignee_access()
        return res

    def _toolkit_check_assignee_access(self):
        """An activity on a toolkit record goes to someone who can open that record.

        Odoo lets anyone be assigned an activity on any document (they see it without the
        document). On the module's records, and on a lead whose follow-up names the next
        action's owner (context ``toolkit_check_assignee``), that hands out work the
        assignee cannot do. Odoo's own flows on leads keep Odoo's behaviour; scheduled jobs
        (the superuser) pick their assignees from the records' own people.
        """
        if self.env.su:
            return
        checked = self.sudo().filtered(
            lambda activity: (
                activity.user_id
                and activity.res_id
                and activity.res_model
                and (
                    activity.res_model.startswith("sales_toolkit.")
                    or self.env.context.get("toolkit_check_assignee")
                )
            )
        )
        for (model, user), activities in checked.grouped(lambda act: (act.res_model, act.user_id)).items():
            documents = self.env[model].browse(set(activities.mapped("res_id"))).exists()
            hidden = documents - documents.with_user(user)._filtered_access("read")
            if hidden:
                raise UserError(
                    self.env._(
                        "%(user)s cannot open %(document)s “%(record)s”: assign the activity to "
                        "someone who can, or give %(user)s access first.",
                        user=user.name,
                        document=self.env["ir.model"]._get(model).name,
                        record=hidden[0].sudo().display_name,
                    )
                )

    def _toolkit_keep_todo(self, host, values, feedback=False):
        """Keep ``self``, the one to-do of a toolkit record (or none), in step with it.

        With ``values`` (summary, user, deadline…), write them on the to-do, or schedule a new
        to-do on ``host`` with them; without, close the to-do: done with ``feedback`` when given,
        deleted otherwise. Returns the open to-do, if any, for the record to keep.
        """
        if not values:
            if self and feedback:
                self.action_feedback(feedback=feedback)
            elif self:
                self.unlink()
            return self.browse()
        if self:
            self.write(values)
            return self
        todo = self.env.ref("mail.mail_activity_data_todo")
        return host.activity_schedule(activity_type_id=todo.id, **values)

    def _action_done(self, feedback=False, attachment_ids=None):
        """An owner who marks the to-do of a strategy milestone done has reached the milestone."""
        milestones = (
            self.env["sales_toolkit.strategy.milestone"]
            .sudo()
            .search([("activity_id", "in", self.ids), ("state", "=", "todo")])
        )
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        is_manager = self.env.user.has_group("sales_team.group_sale_manager")
        reached = milestones.filtered(lambda ms: is_manager or ms.user_id == self.env.user)
        # the activity is closed already: the milestone only changes state
        reached.write({"state": "done"})
        return result
