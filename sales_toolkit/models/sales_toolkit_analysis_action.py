from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools.people_fields import internal_user_field
from .sales_toolkit_field_rights import MANAGERS
from .sales_toolkit_task import TASK_STATES


class SalesToolkitAnalysisAction(models.Model):
    _name = "sales_toolkit.analysis.action"
    _description = "Improvement Action"
    _inherit = ["sales_toolkit.pipl.mixin", "sales_toolkit.record.mixin"]
    _toolkit_write_default = MANAGERS
    _order = "date_deadline, id"
    _toolkit_parent_fields = ("line_id",)

    line_id = fields.Many2one(
        "sales_toolkit.analysis.line", string="Analysis Line", required=True, index=True, ondelete="cascade"
    )
    analysis_id = fields.Many2one(related="line_id.analysis_id", store=True, index=True)
    company_id = fields.Many2one(related="line_id.company_id", store=True, index=True, precompute=True)
    name = fields.Text(
        string="Improvement Action",
        required=True,
        help="e.g. buy-one-get-one on product line A in April.",
    )
    user_id = internal_user_field("Owner", required=True)
    date_deadline = fields.Date(string="Deadline", required=True)
    task_ids = fields.One2many("sales_toolkit.task", "analysis_action_id", string="Tasks")
    task_id = fields.Many2one("sales_toolkit.task", compute="_compute_task_id")
    task_state = fields.Selection(TASK_STATES, string="Task Status", compute="_compute_task_id")

    def _toolkit_pipl_fields(self):
        return ["name"]

    @api.depends("task_ids.state")
    def _compute_task_id(self):
        for action in self:
            task = action.sudo().task_ids[:1]
            action.task_id = task
            action.task_state = task.state

    @api.model_create_multi
    def create(self, vals_list):
        self._check_can_write()
        actions = super().create(vals_list)
        actions._create_tasks()
        return actions

    def write(self, vals):
        self._check_can_write()
        res = super().write(vals)
        if set(vals) & {"name", "user_id", "date_deadline"}:
            for action in self:
                tasks = action.sudo().task_ids.filtered(
                    lambda task: not task.is_accepted and task.state != "done"
                )
                tasks.write(action._task_values())
        return res

    def _check_can_write(self):
        # the ACL refuses the others too, but with Odoo's generic message: say who sets actions
        if not (self.env.su or self.env.user.has_group("sales_team.group_sale_manager")):
            raise AccessError(self.env._("Only sales managers set the improvement actions."))

    def _task_values(self):
        self.ensure_one()
        today = self.company_id._toolkit_today()
        return {
            "name": self.name.splitlines()[0][:200] if self.name else "",
            "user_id": self.user_id.id,
            "date_start": min(today, self.date_deadline),
            "date_deadline": self.date_deadline,
        }

    def _create_tasks(self):
        """Each action becomes a task of its owner, due by its deadline; the author reviews it."""
        vals_list = []
        for action in self:
            vals = dict(
                action._task_values(),
                company_id=action.company_id.id,
                analysis_action_id=action.id,
                remarks=self.env._(
                    "Improvement action of %(sheet)s, %(line)s",
                    sheet=action.analysis_id.name,
                    line=action.line_id.display_name,
                ),
            )
            if self.env.user != action.user_id:
                vals["reviewer_id"] = self.env.user.id
            vals_list.append(vals)
        self.env["sales_toolkit.task"].sudo().create(vals_list)
