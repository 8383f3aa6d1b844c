from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

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
