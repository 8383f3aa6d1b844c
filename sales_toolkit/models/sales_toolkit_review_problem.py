from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.people_fields import internal_user_field


class SalesToolkitReviewProblem(models.Model):
    _name = "sales_toolkit.review.problem"
    _description = "Review Meeting Problem"
    _inherit = ["sales_toolkit.review.child.mixin"]
    # reps bring their own problems to the meeting (_check_rep_before_meeting)
    _toolkit_write_default = None

    user_id = internal_user_field("Reported By", required=True)
    description = fields.Text(required=True, help="e.g. Lost 3 customers in North China")
    root_cause = fields.Text(
        help="Specific, as found in the meeting: “a competitor cut its price, 3 customers lost”, "
        "not “the market is bad”."
    )

    def _toolkit_pipl_fields(self):
        return ["description", "root_cause"]

    @api.model_create_multi
    def create(self, vals_list):
        problems = super().create(vals_list)
        problems._check_rep_before_meeting()
        return problems

    def write(self, vals):
        self._check_rep_before_meeting()
        res = super().write(vals)
        self._check_rep_before_meeting()
        return res

    def _toolkit_check_parent_access(self, fname, parents):
        # attendees bring their problems to a meeting they cannot edit: the rule for reps is
        # _check_rep_before_meeting, the meeting's write access the rule for leaders
        if not self.env.user.has_group("sales_team.group_sale_salesman_all_leads"):
            return None
        return super()._toolkit_check_parent_access(fname, parents)

    def _check_rep_before_meeting(self):
        """Reps bring their own problems to a planned meeting they attend; leaders edit the rest."""
        if self.env.su or self.env.user.has_group("sales_team.group_sale_salesman_all_leads"):
            return
        user = self.env.user
        for problem in self:
            meeting = problem.meeting_id
            if problem.user_id != user or user not in meeting.attendee_ids or meeting.state != "planned":
                raise UserError(
                    self.env._("Attendees add their own problems to a meeting before it is held.")
                )
