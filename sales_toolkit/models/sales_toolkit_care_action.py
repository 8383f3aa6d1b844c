import re
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.date_bounds import in_date_bounds

ACTION_TYPES = [
    ("greeting", "Holiday greeting"),
    ("service", "Value-added service"),
    ("visit", "Visit"),
    ("call", "Call"),
    ("survey", "Satisfaction survey"),
]
# the longest repeat interval by unit: two years
MAX_INTERVALS = {"months": 24, "weeks": 104}


class SalesToolkitCareAction(models.Model):
    _name = "sales_toolkit.care.action"
    _description = "Relationship Care Action"
    _inherit = ["sales_toolkit.pipl.mixin", "sales_toolkit.record.mixin"]
    _order = "plan_id, sequence, id"
    _toolkit_parent_fields = ("plan_id",)

    plan_id = fields.Many2one("sales_toolkit.care.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    action_type = fields.Selection(ACTION_TYPES, string="Type", required=True, default="call")
    name = fields.Char(
        string="Action", required=True, help="e.g. Mid-Autumn gift box, quarterly industry report"
    )
    frequency = fields.Selection(
        [("interval", "Every ..."), ("dates", "On fixed dates")], required=True, default="interval"
    )
    interval_number = fields.Integer(string="Every", default=3)
    interval_unit = fields.Selection(
        [("weeks", "Weeks"), ("months", "Months")], string="Unit", default="months"
    )
    fixed_dates = fields.Char(
        help="Dates as YYYY-MM-DD separated by commas, e.g. the Spring and Mid-Autumn festivals.",
    )
    owner_id = fields.Many2one("res.users", check_company=True, default=lambda self: self.env.user)
    executor_id = fields.Many2one("res.users", check_company=True, default=lambda self: self.env.user)
    next_date = fields.Date(index=True)

    def _toolkit_pipl_fields(self):
        return ["name"]

    @api.constrains("frequency", "interval_number", "interval_unit", "fixed_dates", "next_date")
    def _check_frequency(self):
        for action in self:
            if action.frequency == "interval" and not action._interval_in_bounds():
                raise ValidationError(
                    self.env._(
                        "Action “%(action)s”: repeat it every 1 to 24 months or every 1 to 104 weeks.",
                        action=action.name,
                    )
                )
            if action.frequency == "dates":
                for day in action._parse_fixed_dates():
                    action._toolkit_check_date_bounds("fixed_dates", day)

    def _parse_fixed_dates(self):
        self.ensure_one()
        dates = []
        for text in re.split(r"[,\s;，；]+", self.fixed_dates or ""):
            if not text:
                continue
            try:
                dates.append(date.fromisoformat(text))
            except ValueError:
                raise ValidationError(
                    self.env._(
                        "Action “%(action)s”: “%(text)s” is not a date; write dates as YYYY-MM-DD.",
                        action=self.name,
                        text=text,
                    )
                ) from None
        if not dates:
            raise ValidationError(
                self.env._("Action “%(action)s”: give at least one fixed date.", action=self.name)
            )
        return sorted(dates)

    def _interval_in_bounds(self):
        return 1 <= self.interval_number <= MAX_INTERVALS.get(self.interval_unit or "months", 0)

    def _step(self):
        return relativedelta(**{self.interval_unit or "months": self.interval_number})

    def _next_after(self, day):
        """The first planned date strictly after ``day``."""
        self.ensure_one()
        if self.frequency == "dates":
            return next((d for d in self._parse_fixed_dates() if d > day), False)
        following = self.next_date or day
        while following <= day:
            following += self._step()
        return following

    def _dates_between(self, start, end):
        """Planned dates of the action within [start, end]."""
        self.ensure_one()
        if self.frequency == "dates":
            return [d for d in self._parse_fixed_dates() if start <= d <= end]
        if not (self.next_date and in_date_bounds(self.next_date) and self._interval_in_bounds()):
            return []  # a value still being typed in the plan's form: refused when saved
        dates, day = [], self.next_date
        while day - self._step() >= start:
            day -= self._step()
        while day <= end:
            if day >= start:
                dates.append(day)
            day += self._step()
        return dates

    @api.onchange("frequency", "fixed_dates")
    def _onchange_first_date(self):
        if self.frequency == "dates" and self.fixed_dates and not self.next_date:
            try:
                self.next_date = self._next_after(fields.Date.context_today(self) - relativedelta(days=1))
            except ValidationError:
                self.next_date = False

    def _schedule_activity(self):
        """One activity per due action, for its executor, then the next date moves on.

        Activities are created in one batch and without one assignment email each
        (they show in the executors' activity menu): the job costs the same number
        of queries for one action or for hundreds.
        """
        today = fields.Date.context_today(self)
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("sales_toolkit.care.plan")
        labels = dict(ACTION_TYPES)
        # each activity stores its plan's name: read them at once, not one query per plan at the flush
        self.plan_id.fetch(["name"])
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": action.plan_id.id,
                    "activity_type_id": todo.id,
                    "summary": action.name,
                    "note": labels.get(action.action_type),
                    "date_deadline": action.next_date,
                    "user_id": (action.executor_id or action.owner_id or action.plan_id.user_id).id,
                }
                for action in self
            ]
        )
        for action in self:
            action.next_date = action._next_after(max(today, action.next_date))
