from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date, formatLang

from ..tools.actions import form_dialog
from ..tools.people_fields import internal_user_field, sales_team_field
from ..tools.tree import depth_first_rows
from .sales_toolkit_field_rights import LEADERS, SYSTEM

PROGRESS_SOURCES = [
    ("manual", "Typed by the owner"),
    ("leads", "Leads created"),
    ("won", "Opportunities won"),
    ("orders", "Confirmed orders"),
    ("followups", "Follow-ups logged"),
]
GRADES = [("excellent", "Excellent"), ("good", "Good"), ("pass", "Pass"), ("fail", "Fail")]
TASK_STATES = [("todo", "To Do"), ("in_progress", "In Progress"), ("done", "Done"), ("delayed", "Delayed")]
OPEN_STATES = ("todo", "in_progress", "delayed")
# what the owner of a task may change; the rest is the assigner's
OWNER_FIELDS = {"achieved_qty", "remarks", "date_start", "date_done"}


class SalesToolkitTask(models.Model):
    _name = "sales_toolkit.task"
    _description = "Sales Task"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "sales_toolkit.pipl.mixin",
        "sales_toolkit.record.mixin",
    ]
    # the system's fields are written by the actions only (see write)
    _toolkit_write_rights = {
        "reviewer_id": LEADERS,
        "team_id": LEADERS,
        "state": SYSTEM,
        "parent_path": SYSTEM,
        "date_accepted": SYSTEM,
        "accepted_by_id": SYSTEM,
        "achievement_rate": SYSTEM,
        "quality_grade": SYSTEM,
    }
    _order = "date_deadline, sequence, id"
    _parent_store = True
    # owners and reviewers discuss a task they can read
    _mail_post_access = "read"
    _toolkit_parent_fields = ("parent_id", "meeting_id", "analysis_action_id")

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    parent_id = fields.Many2one(
        "sales_toolkit.task", string="Parent Task", index=True, ondelete="restrict", check_company=True
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("sales_toolkit.task", "parent_id", string="Sub-tasks")
    child_count = fields.Integer(string="Sub-task Count", compute="_compute_child_count")
    user_id = internal_user_field("Owner", required=True, index=True, tracking=True)
    reviewer_id = internal_user_field(
        "Reviewer",
        default=None,
        index=True,
        tracking=True,
        compute="_compute_reviewer_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Who accepts the task when it is done: by default the leader of the owner's sales team.",
    )
    team_id = sales_team_field(
        default=None,
        index=True,
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    target_id = fields.Many2one("sales_toolkit.target", index="btree_not_null", check_company=True)
    milestone_id = fields.Many2one(
        "sales_toolkit.strategy.milestone",
        string="Strategy Milestone",
        index="btree_not_null",
        check_company=True,
    )
    date_start = fields.Date(string="Planned Start", default=fields.Date.context_today, tracking=True)
    date_deadline = fields.Date(string="Planned End", required=True, tracking=True)
    date_done = fields.Date(string="Actual End", tracking=True, copy=False)
    acceptance_criterion = fields.Text(
        help="What the reviewer checks, e.g. leads with name, contact and need, verified in the CRM "
        "as valid and not duplicated."
    )
    remarks = fields.Text()

    progress_source = fields.Selection(
        PROGRESS_SOURCES,
        string="Achievement From",
        default="manual",
        required=True,
        help="Typed by the owner, or counted from the owner's records between the planned start and "
        "the actual (or planned) end.",
    )
    source_id = fields.Many2one(
        "utm.source",
        string="Lead Source",
        help="Count only the leads of this source, e.g. the trade show or online ads.",
    )
    target_qty = fields.Float(string="Target Quantity", tracking=True)
    unit = fields.Char(
        compute="_compute_unit",
        store=True,
        readonly=False,
        precompute=True,
        help="e.g. leads, customers, visits",
    )
    achieved_qty = fields.Float(
        string="Achieved Quantity",
        tracking=True,
        copy=False,
        help="Typed, counted from the records, or for a task with sub-tasks the sum of those "
        "with the same unit.",
    )
    achievement_rate = fields.Float(string="Achievement (%)", readonly=True, copy=False, aggregator="avg")
    progress_date = fields.Datetime(string="Progress As Of", readonly=True, copy=False)
    quality_grade = fields.Selection(GRADES, readonly=True, copy=False, index=True, tracking=True)
    state = fields.Selection(
        TASK_STATES, default="todo", required=True, tracking=True, copy=False, group_expand=True, index=True
    )
    is_late = fields.Boolean(
        string="Late",
        compute="_compute_is_late",
        search="_search_is_late",
        help="Unfinished after its planned end, even before the nightly job marks it delayed.",
    )
    date_accepted = fields.Datetime(string="Accepted On", readonly=True, copy=False, tracking=True)
    accepted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    is_accepted = fields.Boolean(string="Accepted", compute="_compute_is_accepted", store=True)
    meeting_id = fields.Many2one(
        "sales_toolkit.review.meeting",
        string="Review Meeting",
        index="btree_not_null",
        check_company=True,
        help="The review meeting that decided this action item.",
    )
    analysis_action_id = fields.Many2one(
        "sales_toolkit.analysis.action",
        string="Improvement Action",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        help="The improvement action of a performance analysis this task carries out.",
    )

    _qty_check = models.Constraint(
        "CHECK (target_qty >= 0 AND achieved_qty >= 0)", "Quantities cannot be negative."
    )
    _toolkit_date_order = (("date_start", "date_deadline"),)
    _toolkit_insert_checks = ("_check_quantities",)

    def _toolkit_pipl_fields(self):
        return ["name", "remarks"]

    @api.depends("user_id")
    def _compute_team_id(self):
        for task in self:
            task.team_id = task.user_id.sale_team_id or task.team_id

    @api.depends("team_id", "user_id")
    def _compute_reviewer_id(self):
        # the owner's team leader, also when the task changes hands; without one, who reviewed
        # it so far, else the assigner; never the owner (leaders and managers may choose another)
        for task in self:
            candidates = task.team_id.user_id | task.reviewer_id | self.env.user
            task.reviewer_id = next((user for user in candidates if user != task.user_id), False)

    @api.depends("progress_source")
    def _compute_unit(self):
        units = {
            "leads": self.env._("leads"),
            "won": self.env._("opportunities"),
            "orders": self.env._("orders"),
            "followups": self.env._("follow-ups"),
        }
        for task in self:
            if task.progress_source in units:
                task.unit = units[task.progress_source]

    @api.depends("date_accepted")
    def _compute_is_accepted(self):
        for task in self:
            task.is_accepted = bool(task.date_accepted)

    def _compute_child_count(self):
        counts = dict(self._read_group([("parent_id", "in", self.ids)], ["parent_id"], ["__count"]))
        for task in self:
            task.child_count = counts.get(task, 0)

    @api.depends("state", "date_deadline")
    @api.depends_context("company")
    def _compute_is_late(self):
        todays = {company: company._toolkit_today() for company in self.company_id}
        for task in self:
            today = todays.get(task.company_id) or self.env.company._toolkit_today()
            task.is_late = (
                task.state in OPEN_STATES and bool(task.date_deadline) and task.date_deadline < today
            )

    def _search_is_late(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        late = [("state", "in", OPEN_STATES), ("date_deadline", "<", self.env.company._toolkit_today())]
        return late if (operator == "in") == (True in value) else ["!", "&", *late]

    @api.constrains("target_qty", "achieved_qty")
    def _check_quantities(self):
        if any(task.target_qty < 0 or task.achieved_qty < 0 for task in self):
            raise ValidationError(self.env._("Quantities cannot be negative."))

    @api.constrains("parent_id")
    def _check_parent_recursion(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A task cannot be its own parent or sub-task."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_create(vals)
        tasks = super().create(vals_list)
        tasks._toolkit_refresh_progress()
        return tasks

    def write(self, vals):
        # states, grades and acceptance are written by the actions only (as the superuser,
        # which no client context can make up)
        if not (self.env.su and self.env.context.get("toolkit_task_system")):
            if self._toolkit_system_fields() & vals.keys():
                raise UserError(self.env._("Use Start, Mark Done, Accept and Send Back to move a task on."))
            if "achieved_qty" in vals:
                self._check_typed_progress()
        self._check_owner_write(vals)
        if set(vals) - {"remarks", "active"} and self.filtered("is_accepted"):
            raise UserError(self.env._("An accepted task is closed: its grade is frozen."))
        previous_parents = self.sudo()._ancestors() if "parent_id" in vals else self.browse()
        res = super().write(vals)
        if set(vals) & {
            "achieved_qty",
            "target_qty",
            "progress_source",
            "source_id",
            "date_start",
            "date_deadline",
            "date_done",
            "user_id",
            "parent_id",
            "unit",
            "active",
            "state",
        }:
            if previous_parents:
                previous_parents._reset_childless()
            (self | previous_parents | self.sudo()._ancestors())._toolkit_refresh_progress()
        return res

    def unlink(self):
        parents = self.sudo()._ancestors() - self
        res = super().unlink()
        parents = parents.exists()
        parents._reset_childless()
        parents._toolkit_refresh_progress()
        return res

    def _reset_childless(self):
        """A goal that lost its last sub-task no longer holds their sum."""
        childless = self.sudo().filtered(
            lambda task: (
                not task.with_context(active_test=False).child_ids and task.progress_source == "manual"
            )
        )
        childless = childless.filtered("achieved_qty")
        if childless:
            childless.write({"achieved_qty": 0.0})

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if self.filtered(lambda task: task.state == "done"):
            raise UserError(self.env._("A done task is part of the record: archive it instead."))
        if self.child_ids - self:
            raise UserError(self.env._("Delete or move the sub-tasks of a task before deleting it."))

    def _check_typed_progress(self):
        counted = self.filtered(lambda task: task.progress_source != "manual" or task.child_ids)
        if counted:
            raise UserError(
                self.env._(
                    "%(task)s counts its achievement from the records (or its sub-tasks): "
                    "it cannot be typed.",
                    task=counted[0].name,
                )
            )

    @api.model
    def _check_create(self, vals):
        """A task starts to do, ungraded; reps plan their own tasks, leaders assign them."""
        if self.env.su:
            return
        if vals.get("state", "todo") != "todo" or self._toolkit_system_fields() & vals.keys():
            raise UserError(self.env._("A new task starts to do: grades and acceptance come later."))
        owner = vals.get("user_id", self.env.uid)
        if owner != self.env.uid and not self.env.user.has_group("sales_team.group_sale_salesman_all_leads"):
            raise AccessError(self.env._("Team leaders and managers assign tasks; you can plan your own."))

    def _check_owner_write(self, vals):
        """Owners report progress; assigning, re-planning and grading is for reviewers and leaders."""
        if self.env.su or self.env.user.has_group("sales_team.group_sale_salesman_all_leads"):
            return
        if set(vals) - OWNER_FIELDS:
            reviewed = self.filtered(lambda task: task.reviewer_id == self.env.user)
            if reviewed != self:
                raise AccessError(
                    self.env._(
                        "You report the progress of your tasks (achieved quantity, dates, remarks); "
                        "the reviewer or a team leader changes the rest."
                    )
                )

    @api.model
    def _toolkit_system_fields(self):
        """The fields the rights table keeps for the system: the actions move them (as the
        superuser, with the ``toolkit_task_system`` flag), no one types them, not even the
        superuser."""
        return {fname for fname, right in self._toolkit_write_rights.items() if right == SYSTEM}

    def _ancestors(self):
        ids = {int(part) for path in self.mapped("parent_path") for part in (path or "").split("/") if part}
        return self.browse(ids - set(self.ids))

    # ------------------------------------------------------------------ actions

    def _set_state(self, state, **extra):
        # the action checked who may move the task; the state itself is the system's to write
        return self.with_context(toolkit_task_system=True)._toolkit_write_as_system(dict(extra, state=state))

    def action_start(self):
        self._check_state(("todo",), self.env._("Only tasks to do can be started."))
        self._set_state("in_progress")
        return True

    def action_mark_done(self):
        self._check_state(OPEN_STATES, self.env._("This task is done already."))
        # one write per day done (a task done before keeps its day)
        for day, tasks in self.grouped(
            lambda task: task.date_done or task.company_id._toolkit_today()
        ).items():
            tasks._set_state("done", date_done=day)
        return True

    def action_accept(self):
        """The reviewer accepts a done task: the grade is frozen and the acceptance logged."""
        self._check_reviewer()
        if self.filtered(lambda task: task.state != "done" or task.is_accepted):
            raise UserError(self.env._("Only done tasks not yet accepted can be accepted."))
        self._toolkit_refresh_progress()
        grades = dict(self._fields["quality_grade"]._description_selection(self.env))
        for task in self:
            # data loaded or jobs run as the superuser accept in the reviewer's name
            reviewer = task.reviewer_id if self.env.su and task.reviewer_id else self.env.user
            task.sudo().with_context(toolkit_task_system=True).write(
                {"date_accepted": fields.Datetime.now(), "accepted_by_id": reviewer.id}
            )
        self._message_log_batch(
            {
                task.id: self.env._(
                    "Accepted by %(reviewer)s: %(achieved)s of %(target)s %(unit)s (%(rate)s %%), %(grade)s.",
                    reviewer=task.accepted_by_id.name,
                    achieved=formatLang(self.env, task.achieved_qty, digits=0),
                    target=formatLang(self.env, task.target_qty, digits=0),
                    unit=task.unit or "",
                    rate=formatLang(self.env, task.achievement_rate, digits=0),
                    grade=grades.get(task.quality_grade, "-"),
                )
                for task in self
            }
        )
        return True

    def action_send_back(self):
        self.ensure_one()
        self._check_reviewer()
        return form_dialog(
            self.env._("Send Back"), "sales_toolkit.task.send.back", {"default_task_id": self.id}
        )

    def _toolkit_send_back(self, reason):
        """The reviewer returns a done task with the reason; it is open again."""
        self._check_reviewer()
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the task goes back to its owner."))
        if self.filtered(lambda task: task.state != "done" or task.is_accepted):
            raise UserError(self.env._("Only done tasks not yet accepted can be sent back."))
        today = {company: company._toolkit_today() for company in self.company_id}
        for task in self:
            late = task.date_deadline < today[task.company_id]
            task._set_state("delayed" if late else "in_progress", date_done=False)
        self._message_log_batch(
            {
                task.id: self.env._(
                    "Sent back by %(reviewer)s: %(reason)s", reviewer=self.env.user.name, reason=reason
                )
                for task in self
            }
        )
        return True

    def _check_reviewer(self):
        if self.env.su:
            return
        if self.filtered(lambda task: task.user_id == self.env.user):
            raise AccessError(self.env._("Nobody accepts or sends back their own task: the reviewer does."))
        if self.env.user.has_group("sales_team.group_sale_salesman_all_leads"):
            return
        if self.filtered(lambda task: task.reviewer_id != self.env.user):
            raise AccessError(self.env._("Only the reviewer or a team leader accepts or sends back a task."))

    def action_open_children(self):
        return self._toolkit_children_action(
            "sales_toolkit.sales_toolkit_task_action",
            unit=self.unit,
            date_start=self.date_start,
            date_deadline=self.date_deadline,
            reviewer_id=self.reviewer_id.id,
        )

    # ------------------------------------------------------------------ progress

    def _toolkit_refresh_progress(self):
        """Achieved quantity, rate and (once done) grade of the tasks that are not accepted.

        Counted tasks get their quantity from one grouped query per kind of record; a
        task with sub-tasks adds up those with its unit, deepest tasks first.
        """
        # a rep's progress moves the parent task, which they may not be allowed to read
        tasks = (
            self.sudo()
            .with_context(toolkit_task_system=True)
            .filtered(lambda task: task.id and not task.is_accepted)
        )
        if not tasks:
            return
        counts = self._toolkit_counts(tasks.filtered(lambda task: task.progress_source != "manual"))
        for task in tasks.sorted(lambda task: -len(task.parent_path or "")):
            children = task.with_context(active_test=False).child_ids
            if children:
                # a goal adds up its sub-tasks of its unit; with none left active, nothing
                achieved = sum(
                    child.achieved_qty for child in children if child.active and child.unit == task.unit
                )
            elif task.progress_source != "manual":
                achieved = counts.get(task.id, 0)
            else:
                achieved = task.achieved_qty
            rate = 100.0 * achieved / task.target_qty if task.target_qty else 0.0
            values = {
                "achieved_qty": achieved,
                "achievement_rate": rate,
                # graded on completion, as the handbook's reviewer does
                "quality_grade": task._grade_of(rate) if task.target_qty and task.state == "done" else False,
            }
            if any(task[name] != value for name, value in values.items()):
                task.write(values)
        self.env.cr.execute(
            SQL(
                "UPDATE sales_toolkit_task SET progress_date = %s WHERE id IN %s",
                fields.Datetime.now(),
                tuple(tasks.ids),
            )
        )
        tasks.invalidate_recordset(["progress_date"])

    def _grade_of(self, rate):
        """Excellent above 120 %, good from 100 %, pass from 80 %, fail below (settings)."""
        company = self.company_id
        rate = round(rate, 2)  # 12 of 15 is 80 %, not 79.999...
        if rate > company.toolkit_task_excellent_rate:
            return "excellent"
        if rate >= company.toolkit_task_good_rate:
            return "good"
        return "pass" if rate >= company.toolkit_task_pass_rate else "fail"

    @api.model
    def _toolkit_counts(self, tasks):
        """{task id: records counted for its owner in its window}, one query for all kinds."""
        if not tasks:
            return {}
        rows = SQL(", ").join(
            SQL(
                "(%s::int, %s::int, %s::int, %s::varchar, %s::int, %s::date, %s::date)",
                task.id,
                task.company_id.id,
                task.user_id.id,
                task.progress_source,
                task.source_id.id or None,
                task.date_start or task.date_deadline,
                task.date_done or task.date_deadline,
            )
            for task in tasks
        )
        self.env["res.company"].flush_model(["partner_id"])
        self.env["res.partner"].flush_model(["tz"])
        self.env["crm.lead"].flush_model(["user_id", "company_id", "source_id", "won_status", "date_closed"])
        self.env["sale.order"].flush_model(["user_id", "company_id", "state", "date_order"])
        self.env["sales_toolkit.followup"].flush_model(["user_id", "company_id", "date"])
        Kpi = self.env["sales_toolkit.kpi"]
        self.env.cr.execute(
            SQL(
                """WITH spec(key, company_id, user_id, progress_source, source_id, date_from, date_to)
                       AS (VALUES %(rows)s),
                   zoned AS (
                       SELECT spec.*, %(tz)s AS tz
                         FROM spec
                         JOIN res_company c ON c.id = spec.company_id
                         JOIN res_partner cp ON cp.id = c.partner_id
                   ),
                   bounds AS (
                       SELECT zoned.*,
                              %(utc_from)s AS utc_from, %(utc_to)s AS utc_to
                         FROM zoned
                   )
                   SELECT b.key, COUNT(l.id) FROM bounds b
                     JOIN crm_lead l ON b.progress_source = 'leads' AND l.user_id = b.user_id
                                            AND l.company_id = b.company_id
                                            AND l.create_date >= b.utc_from AND l.create_date < b.utc_to
                                            AND (b.source_id IS NULL OR l.source_id = b.source_id)
                 GROUP BY b.key
                 UNION ALL
                   SELECT b.key, COUNT(l.id) FROM bounds b
                     JOIN crm_lead l ON b.progress_source = 'won' AND l.user_id = b.user_id
                                            AND l.company_id = b.company_id AND l.won_status = 'won'
                                            AND l.date_closed >= b.utc_from AND l.date_closed < b.utc_to
                 GROUP BY b.key
                 UNION ALL
                   SELECT b.key, COUNT(o.id) FROM bounds b
                     JOIN sale_order o ON b.progress_source = 'orders' AND o.user_id = b.user_id
                                      AND o.company_id = b.company_id AND %(confirmed)s
                                      AND o.date_order >= b.utc_from AND o.date_order < b.utc_to
                 GROUP BY b.key
                 UNION ALL
                   SELECT b.key, COUNT(f.id) FROM bounds b
                     JOIN sales_toolkit_followup f ON b.progress_source = 'followups'
                                                          AND f.user_id = b.user_id
                                                          AND f.company_id = b.company_id
                                                          AND f.date BETWEEN b.date_from AND b.date_to
                 GROUP BY b.key""",
                rows=rows,
                tz=Kpi._company_tz_sql("cp"),
                utc_from=Kpi._utc_midnight_sql(SQL("tz"), SQL("date_from")),
                utc_to=Kpi._utc_midnight_sql(SQL("tz"), SQL("date_to + 1")),
                confirmed=Kpi._confirmed_sql("o"),
            )
        )
        return dict(self.env.cr.fetchall())

    # ------------------------------------------------------------------ crons

    @api.model
    def _cron_mark_delayed(self, batch_size=500):
        """Daily: open tasks past their planned end are delayed, and say so in their chatter."""
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            tasks = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", ("todo", "in_progress")),
                    ("date_deadline", "<", company._toolkit_today()),
                ],
                order="id",
            )
            if not self.env["sales_toolkit.job"]._run_batches(
                tasks,
                lambda batch: batch._mark_delayed(),
                "sales_toolkit.ir_cron_mark_tasks_delayed",
                batch_size,
            ):
                return

    def _mark_delayed(self):
        self._set_state("delayed")
        self._message_log_batch(
            {
                task.id: self.env._(
                    "Delayed: the planned end (%(deadline)s) has passed.",
                    deadline=format_date(self.env, task.date_deadline),
                )
                for task in self
            }
        )

    @api.model
    def _cron_refresh_progress(self, batch_size=500):
        """Hourly: counted tasks that are still open follow the records.

        Tasks counted in the last half hour are skipped, so that a run killed halfway
        resumes where it stopped.
        """
        recent = fields.Datetime.now() - timedelta(minutes=30)
        tasks = self.search(
            [
                ("state", "!=", "done"),
                ("progress_source", "!=", "manual"),
                "|",
                ("progress_date", "=", False),
                ("progress_date", "<", recent),
            ],
            order="id",
        )
        self.env["sales_toolkit.job"]._run_batches(
            tasks,
            lambda batch: (batch | batch._ancestors())._toolkit_refresh_progress(),
            "sales_toolkit.ir_cron_refresh_task_progress",
            batch_size,
        )

    def _tracking_sheet_rows(self):
        """[(depth, task)]: this task, then its sub-tasks depth first."""
        self.ensure_one()
        return depth_first_rows(self, self.search([("id", "child_of", self.id)]) - self)
