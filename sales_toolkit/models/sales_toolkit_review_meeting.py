from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..tools.actions import form_dialog
from ..tools.people_fields import internal_user_field, sales_team_field
from .sales_toolkit_field_rights import LEADERS, SYSTEM

MEETING_STATES = [
    ("planned", "Planned"),
    ("held", "Held"),
    ("minutes_sent", "Minutes Sent"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]


class SalesToolkitReviewMeeting(models.Model):
    _name = "sales_toolkit.review.meeting"
    _description = "Sales Review Meeting"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "sales_toolkit.pipl.mixin",
        "sales_toolkit.record.mixin",
    ]
    _toolkit_write_default = LEADERS
    _toolkit_write_rights = {
        "state": SYSTEM,
    }
    _order = "date_start desc, id desc"
    # attendees discuss a meeting they can read
    _mail_post_access = "read"

    name = fields.Char(string="Topic", required=True, tracking=True, help="e.g. 2024 Q1 review")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    team_id = sales_team_field(required=True, index=True, tracking=True)
    user_id = internal_user_field("Organizer", index=True, tracking=True)
    date_start = fields.Datetime(string="Start", required=True, tracking=True)
    date_end = fields.Datetime(string="End", required=True, tracking=True)
    place = fields.Char(help="e.g. Meeting room 3, or the video-call link")
    attendee_ids = fields.Many2many(
        "res.users",
        "sales_toolkit_review_meeting_attendee_rel",
        "meeting_id",
        "user_id",
        check_company=True,
        string="Attendees",
        domain="[('share', '=', False)]",
        help="Sales, the manager, marketing and product: they receive the agenda and the minutes.",
    )
    followup_user_id = internal_user_field(
        "Follow-up Owner",
        default=None,
        index="btree_not_null",
        tracking=True,
        help="Tracks the action items every week until they are done; reviewer of the action items.",
    )
    state = fields.Selection(
        MEETING_STATES,
        default="planned",
        required=True,
        tracking=True,
        copy=False,
        group_expand=True,
        index=True,
    )
    agenda_ids = fields.One2many("sales_toolkit.review.agenda", "meeting_id", copy=True)
    problem_ids = fields.One2many("sales_toolkit.review.problem", "meeting_id", string="Problems")
    analysis_id = fields.Many2one(
        "sales_toolkit.analysis",
        string="Analysis Sheet",
        index="btree_not_null",
        check_company=True,
        help="The performance analysis the meeting reviews: its figures show in the minutes.",
    )
    analysis_line_ids = fields.One2many(related="analysis_id.line_ids", string="Analysis Figures")
    results_review = fields.Html(
        help="Actual against target, year on year and period on period, and why: from the analysis sheet."
    )
    highlight_ids = fields.One2many("sales_toolkit.review.highlight", "meeting_id", string="Highlights")
    lesson_ids = fields.One2many("sales_toolkit.review.lesson", "meeting_id", string="Lessons")
    resolution_ids = fields.One2many("sales_toolkit.review.resolution", "meeting_id", string="Resolutions")
    action_item_ids = fields.One2many(
        "sales_toolkit.task",
        "meeting_id",
        string="Action Items",
        help="What, who and by when: tasks tracked in the task list until they are done.",
    )
    action_item_count = fields.Integer(compute="_compute_action_item_count")
    open_item_count = fields.Integer(string="Open Action Items", compute="_compute_action_item_count")
    carried_item_ids = fields.Many2many(
        "sales_toolkit.task",
        string="Carried-over Items",
        compute="_compute_carried_item_ids",
        help="Action items of earlier meetings of the team that are not done yet: on the agenda until done.",
    )
    reminder_activity_id = fields.Many2one("mail.activity", readonly=True, copy=False, index="btree_not_null")

    _date_check = models.Constraint(
        "CHECK (date_end >= date_start)", "A meeting cannot end before it starts."
    )
    _toolkit_date_order = (("date_start", "date_end"),)

    def _toolkit_pipl_fields(self):
        return ["results_review"]

    @api.depends("action_item_ids.state")
    def _compute_action_item_count(self):
        for meeting in self:
            meeting.action_item_count = len(meeting.action_item_ids)
            meeting.open_item_count = len(meeting.action_item_ids.filtered(lambda task: task.state != "done"))

    @api.depends("team_id", "date_start")
    def _compute_carried_item_ids(self):
        meetings = self.filtered(lambda meeting: meeting.team_id and meeting.date_start)
        (self - meetings).carried_item_ids = False
        if not meetings:
            return
        tasks = self.env["sales_toolkit.task"].search(
            [
                ("state", "!=", "done"),
                ("meeting_id.team_id", "in", meetings.team_id.ids),
                ("meeting_id.state", "!=", "cancelled"),
                ("meeting_id.date_start", "<", max(meetings.mapped("date_start"))),
            ]
        )
        for meeting in meetings:
            meeting.carried_item_ids = tasks.filtered(
                lambda task, meeting=meeting: (
                    task.meeting_id.team_id == meeting.team_id
                    and task.meeting_id.date_start < meeting.date_start
                    and task.meeting_id != meeting
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._set_action_item_defaults(vals, vals.get("followup_user_id"), vals.get("company_id"))
        return super().create(vals_list)

    def write(self, vals):
        if "action_item_ids" in vals:
            for meeting in self:
                reviewer = vals.get("followup_user_id", meeting.followup_user_id.id)
                self._set_action_item_defaults(vals, reviewer, meeting.company_id.id)
        return super().write(vals)

    @api.model
    def _set_action_item_defaults(self, vals, reviewer_id, company_id):
        """Action items created from the meeting: reviewed by the follow-up owner, in its company."""
        for command in vals.get("action_item_ids") or []:
            if command[0] == Command.CREATE:
                if reviewer_id:
                    command[2].setdefault("reviewer_id", reviewer_id)
                if company_id:
                    command[2].setdefault("company_id", company_id)

    # ------------------------------------------------------------------ actions

    def _set_state(self, state):
        # the button checked the move; the state itself is the system's to write
        self._toolkit_write_as_system({"state": state})

    def action_hold(self):
        self._check_state(("planned",), self.env._("Only a planned meeting can be held."))
        self._set_state("held")
        return True

    def action_send_agenda(self):
        self._check_state(("planned",), self.env._("The agenda is sent before the meeting."))
        self._send_to_attendees("sales_toolkit.mail_template_review_meeting_agenda")
        return True

    def action_send_minutes(self):
        self._check_state(("held", "minutes_sent"), self.env._("Minutes are sent once the meeting is held."))
        self._send_to_attendees("sales_toolkit.mail_template_review_meeting_minutes")
        self.filtered(lambda meeting: meeting.state == "held")._set_state("minutes_sent")
        return True

    def action_close(self):
        self._check_state(("minutes_sent",), self.env._("Send the minutes before closing the meeting."))
        self._set_state("closed")
        return True

    def action_cancel(self):
        self._check_state(("planned", "held"), self.env._("Only a planned or held meeting can be cancelled."))
        self._set_state("cancelled")
        return True

    def action_reset(self):
        self._check_state(("cancelled",), self.env._("Only a cancelled meeting can be planned again."))
        self._set_state("planned")
        return True

    def action_add_problem(self):
        """Reps bring a problem to a planned meeting they attend."""
        self.ensure_one()
        return form_dialog(
            self.env._("Report a Problem"), "sales_toolkit.review.problem", {"default_meeting_id": self.id}
        )

    def action_open_action_items(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_toolkit.sales_toolkit_task_action")
        action.update(
            name=self.env._("Action Items"),
            domain=[("meeting_id", "=", self.id)],
            context={
                "default_meeting_id": self.id,
                "default_reviewer_id": self.followup_user_id.id,
                "default_company_id": self.company_id.id,
            },
        )
        return action

    def _send_to_attendees(self, template_xmlid):
        # readers may discuss a meeting; sending in the organiser's name is for those who run it
        self.check_access("write")
        template = self.env.ref(template_xmlid)
        for meeting in self:
            if not meeting.attendee_ids:
                raise UserError(self.env._("Add the attendees of %(meeting)s first.", meeting=meeting.name))
            meeting.message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=meeting.attendee_ids.partner_id.ids,
            )

    # ------------------------------------------------------------------ minutes (report)

    def _report_figures(self):
        """The analysis lines the reader may read, as the form shows them: searched, because
        ``analysis_line_ids`` is related (computed as the superuser) and holds every line."""
        self.ensure_one()
        if not self.analysis_id:
            return self.env["sales_toolkit.analysis.line"]
        return self.env["sales_toolkit.analysis.line"].search(
            [
                ("analysis_id", "=", self.analysis_id.id),
                "|",
                ("dimension", "=", "overall"),
                ("is_highlighted", "=", True),
            ]
        )

    # ------------------------------------------------------------------ follow-up

    def _sync_followup_reminder(self):
        """One open to-do for the follow-up owner while action items are open, closed when all are done."""
        today = fields.Date.context_today(self)
        for meeting in self:
            activity = meeting.reminder_activity_id.exists().filtered("active")
            open_items = meeting.action_item_ids.filtered(lambda task: task.state != "done")
            if not open_items or not meeting.followup_user_id or meeting.state == "cancelled":
                meeting.sudo().reminder_activity_id = activity._toolkit_keep_todo(
                    meeting, False, feedback=self.env._("All action items are done.")
                )
                continue
            note = Markup("<ul>%s</ul>") % Markup().join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(item)s (%(owner)s, by %(deadline)s)",
                    item=task.name,
                    owner=task.user_id.name,
                    deadline=fields.Date.to_string(task.date_deadline),
                )
                for task in open_items
            )
            values = {
                "summary": self.env._("Follow up %(count)s open action items", count=len(open_items)),
                "note": note,
                "user_id": meeting.followup_user_id.id,
                "date_deadline": today,
            }
            scheduled = activity._toolkit_keep_todo(meeting, values)
            if scheduled != activity:
                meeting.sudo().reminder_activity_id = scheduled

    @api.model
    def _cron_remind_followup_owners(self, batch_size=200):
        """Weekly: the follow-up owner of each meeting with open action items gets (one) reminder."""
        meetings = self.search(
            [
                "|",
                "&",
                ("state", "not in", ("planned", "cancelled")),
                ("action_item_ids.state", "!=", "done"),
                ("reminder_activity_id", "!=", False),
            ],
            order="id",
        )
        self.env["sales_toolkit.job"]._run_batches(
            meetings,
            lambda batch: batch._sync_followup_reminder(),
            "sales_toolkit.ir_cron_remind_review_followup_owners",
            batch_size,
        )
