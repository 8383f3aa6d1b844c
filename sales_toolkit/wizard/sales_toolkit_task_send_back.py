from odoo import fields, models


class SalesToolkitTaskSendBack(models.TransientModel):
    _name = "sales_toolkit.task.send.back"
    _description = "Send a Sales Task Back"
    _inherit = ["sales_toolkit.field.rights"]

    task_id = fields.Many2one("sales_toolkit.task", required=True, ondelete="cascade")
    reason = fields.Text(required=True, help="What is missing before the task can be accepted.")

    def action_apply(self):
        self.ensure_one()
        self.task_id._toolkit_send_back(self.reason)
        return {"type": "ir.actions.act_window_close"}
