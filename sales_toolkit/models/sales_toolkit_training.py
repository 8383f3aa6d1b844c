from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date

from ..tools.date_bounds import in_date_bounds
from ..tools.people_fields import internal_user_field
from .sales_toolkit_field_rights import MANAGERS, SYSTEM

TRAINING_TYPES = [
    ("product", "Product Knowledge"),
    ("selling_skills", "Selling Skills"),
    ("industry", "Industry Knowledge"),
]
# the results level of a participant line, measured from sale orders and opportunities
RESULT_FIELDS = (
    "revenue_before",
    "revenue_after",
    "revenue_uplift",
    "conversion_before",
    "conversion_after",
    "conversion_uplift",
)
# fields whose change moves a training's before/after windows
WINDOW_FIELDS = ("date_start", "date_end", "company_id")


class SalesToolkitTraining(models.Model):
    """A sales training and its evaluation (销售培训效果评估表), on Kirkpatrick's four levels.

    Reaction is the participants' satisfaction, learning the post-training test
    against the pre-training baseline, behaviour the manager's rating some weeks
    later, results the participants' won revenue and conversion rate in equal
    windows before and after the training (see ``_toolkit_refresh_results``).
    """

    _name = "sales_toolkit.training"
    _description = "Sales Training"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales_toolkit.record.mixin"]
    _toolkit_write_default = MANAGERS
    _toolkit_write_rights = {
        "state": SYSTEM,
    }
    _order = "date_start desc, id desc"

    name = fields.Char(string="Topic", required=True, tracking=True)
    training_type = fields.Selection(
        TRAINING_TYPES, string="Type", required=True, default="product", tracking=True
    )
    date_start = fields.Date(
        string="Start", required=True, default=lambda self: self.env.company._toolkit_today(), tracking=True
    )
    date_end = fields.Date(
        string="End", required=True, default=lambda self: self.env.company._toolkit_today(), tracking=True
    )
    trainer_id = fields.Many2one(
        "res.partner", check_company=True, tracking=True, help="Internal or external trainer."
    )
    user_id = internal_user_field(
        "Responsible",
        required=True,
        index=True,
        tracking=True,
        help="Organises the training; rates the behaviour of participants who have no team leader.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost = fields.Monetary(tracking=True, help="Total cost of the training: trainer, venue, materials, time.")
    objectives = fields.Text(help="What the participants should know or do better afterwards.")
    state = fields.Selection(
        [("draft", "Planned"), ("in_progress", "In Progress"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        group_expand=True,
    )
    participant_ids = fields.One2many(
        "sales_toolkit.training.participant", "training_id", string="Participants"
    )
    participant_count = fields.Integer(compute="_compute_evaluation")
    results_date = fields.Datetime(
        string="Results As Of", readonly=True, copy=False, help="When the results were last measured."
    )
    window_label = fields.Char(string="Results Windows", compute="_compute_window_label")
    results_final = fields.Boolean(
        compute="_compute_window_label",
        help="The after-training window has closed: revenue, conversion, uplift and ROI are final.",
    )

    # Evaluation: averages and improvements (computed from the participant lines)
    avg_pre_score = fields.Float(string="Average Pre-training Test", compute="_compute_evaluation")
    avg_roleplay_score = fields.Float(string="Average Role-play Score", compute="_compute_evaluation")
    avg_feedback_score = fields.Float(string="Average 360° Score", compute="_compute_evaluation")
    avg_attendance_rate = fields.Float(string="Average Attendance Rate (%)", compute="_compute_evaluation")
    assignment_rate = fields.Float(
        string="Assignments Completed (%)",
        compute="_compute_evaluation",
        help="Assignments done out of assignments given, all participants together.",
    )
    avg_satisfaction = fields.Float(
        string="Average Satisfaction",
        compute="_compute_evaluation",
        help="Reaction level: the participants' satisfaction (1-5), over those who rated.",
    )
    avg_post_score = fields.Float(string="Average Post-training Test", compute="_compute_evaluation")
    learning_gain = fields.Float(
        string="Learning Improvement",
        compute="_compute_evaluation",
        help="Learning level: average post-training test minus average pre-training test, in points, "
        "over the participants who sat both tests.",
    )
    pass_rate = fields.Float(
        string="Pass Rate (%)",
        compute="_compute_evaluation",
        help="Share of the participants who sat the post-training test and reached the pass mark.",
    )
    pass_mark = fields.Float(related="company_id.toolkit_training_pass_mark")
    avg_behaviour_rating = fields.Float(
        string="Average Behaviour Rating",
        compute="_compute_evaluation",
        help="Behaviour level: the managers' rating (1-5) of on-the-job use, over the rated participants.",
    )
    behaviour_rated_count = fields.Integer(string="Behaviour Rated", compute="_compute_evaluation")
    revenue_before = fields.Monetary(compute="_compute_evaluation")
    revenue_after = fields.Monetary(compute="_compute_evaluation")
    revenue_uplift = fields.Monetary(
        compute="_compute_evaluation",
        help="Results level: the participants' won revenue after the training minus before it.",
    )
    avg_conversion_before = fields.Float(string="Conversion Before (%)", compute="_compute_evaluation")
    avg_conversion_after = fields.Float(string="Conversion After (%)", compute="_compute_evaluation")
    conversion_uplift = fields.Float(
        string="Conversion Uplift (points)",
        compute="_compute_evaluation",
        help="Average conversion rate after the training minus before it, in percentage points.",
    )
    roi = fields.Float(
        string="ROI (%)",
        compute="_compute_evaluation",
        help="Revenue uplift divided by the cost of the training; 0 when no cost is recorded.",
    )

    conclusion = fields.Text(help="Did the training work? What worked and what did not.")
    next_plan = fields.Text(string="Next Training Plan")

    _date_check = models.Constraint(
        "CHECK (date_end >= date_start)", "A training cannot end before it starts."
    )
    _cost_check = models.Constraint("CHECK (cost >= 0)", "The cost of a training cannot be negative.")
    _toolkit_date_order = (("date_start", "date_end"),)
    _toolkit_insert_checks = ("_check_cost",)

    @api.depends(
        "participant_ids.pre_score",
        "participant_ids.roleplay_score",
        "participant_ids.feedback_score",
        "participant_ids.attendance_rate",
        "participant_ids.assignment_count",
        "participant_ids.assignment_done_count",
        "participant_ids.satisfaction",
        "participant_ids.post_score",
        "participant_ids.passed",
        "participant_ids.behaviour_rating",
        "participant_ids.revenue_before",
        "participant_ids.revenue_after",
        "participant_ids.conversion_before",
        "participant_ids.conversion_after",
        "cost",
    )
    @api.depends_context("uid")
    def _compute_evaluation(self):
        """Averages of the participant lines; a score of 0 means "not yet taken" and is left out.

        Sales managers evaluate over all the lines; anyone else over the lines they may
        read (a rep their own, a team leader their team's), so that nobody works out a
        colleague's scores from an average.
        """

        def average(values):
            values = [value for value in values if value]
            return sum(values) / len(values) if values else 0.0

        # managers see every line, unsaved ones of a form too
        see_all = self.env.su or self.env.user.has_group("sales_team.group_sale_manager")
        readable = self.env["sales_toolkit.training.participant"]
        if not see_all:
            readable = self._toolkit_readable("participant_ids")
        for training in self:
            if see_all:
                lines = training.sudo().participant_ids
            else:
                lines = readable.filtered(lambda line, training=training: line.training_id == training)
            both = lines.filtered(lambda line: line.pre_score and line.post_score)
            tested = lines.filtered("post_score")
            assigned = sum(lines.mapped("assignment_count"))
            training.participant_count = len(lines)
            training.avg_pre_score = average(lines.mapped("pre_score"))
            training.avg_roleplay_score = average(lines.mapped("roleplay_score"))
            training.avg_feedback_score = average(lines.mapped("feedback_score"))
            training.avg_attendance_rate = sum(lines.mapped("attendance_rate")) / len(lines) if lines else 0.0
            training.assignment_rate = (
                100.0 * sum(lines.mapped("assignment_done_count")) / assigned if assigned else 0.0
            )
            training.avg_satisfaction = average(lines.mapped("satisfaction"))
            training.avg_post_score = average(lines.mapped("post_score"))
            training.learning_gain = (
                sum(both.mapped("post_score")) / len(both) - sum(both.mapped("pre_score")) / len(both)
                if both
                else 0.0
            )
            training.pass_rate = 100.0 * len(tested.filtered("passed")) / len(tested) if tested else 0.0
            training.avg_behaviour_rating = average(lines.mapped("behaviour_rating"))
            training.behaviour_rated_count = len(lines.filtered("behaviour_rating"))
            training.revenue_before = sum(lines.mapped("revenue_before"))
            training.revenue_after = sum(lines.mapped("revenue_after"))
            training.revenue_uplift = training.revenue_after - training.revenue_before
            count = len(lines) or 1
            training.avg_conversion_before = sum(lines.mapped("conversion_before")) / count
            training.avg_conversion_after = sum(lines.mapped("conversion_after")) / count
            training.conversion_uplift = training.avg_conversion_after - training.avg_conversion_before
            training.roi = 100.0 * training.revenue_uplift / training.cost if training.cost else 0.0

    @api.depends("date_start", "date_end", "company_id.toolkit_training_result_days")
    def _compute_window_label(self):
        for training in self:
            # a date being typed out of bounds is refused when saved; no window until then
            if not (training.date_start and training.date_end) or not (
                in_date_bounds(training.date_start) and in_date_bounds(training.date_end)
            ):
                training.window_label = False
                training.results_final = False
                continue
            before, after = training._result_windows()
            training.results_final = after[1] < training.company_id._toolkit_today()
            training.window_label = self.env._(
                "Before: %(b_from)s – %(b_to)s; after: %(a_from)s – %(a_to)s",
                b_from=format_date(self.env, before[0]),
                b_to=format_date(self.env, before[1]),
                a_from=format_date(self.env, after[0]),
                a_to=format_date(self.env, after[1]),
            )

    @api.constrains("cost")
    def _check_cost(self):
        if any(training.cost < 0 for training in self):
            raise ValidationError(self.env._("The cost of a training cannot be negative."))

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft" and not self.env.su:
                raise UserError(self.env._("A training starts planned: use its buttons to move it on."))
        trainings = super().create(vals_list)
        # participants created with the training are measured by their own create
        return trainings

    def write(self, vals):
        # the state moves only through the actions, which measure and schedule what goes with it
        if "state" in vals and not (self.env.su and self.env.context.get("toolkit_training_action")):
            raise UserError(self.env._("A training's state changes only through its buttons."))
        res = super().write(vals)
        if set(vals) & set(WINDOW_FIELDS):
            self._toolkit_refresh_results()
        if vals.get("state") in ("draft", "cancelled"):
            self.participant_ids._unlink_behaviour_activity()
        if "date_end" in vals:
            # the rating is due some weeks after the last day: it moves with it
            self.filtered(
                lambda training: training.state == "done"
            ).participant_ids._reschedule_behaviour_activity()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(training.state == "done" for training in self):
            raise UserError(self.env._("A done training is on record: cancel it instead of deleting it."))

    # ------------------------------------------------------------------ actions

    def action_start(self):
        self._check_state(("draft",), self.env._("Only planned trainings can start."))
        self._set_state("in_progress")
        return True

    def action_done(self):
        """Close the training: measure the results and ask each manager for a behaviour rating."""
        self._check_state(
            ("draft", "in_progress"), self.env._("Only planned or ongoing trainings can be marked done.")
        )
        self._set_state("done")
        self.participant_ids._schedule_behaviour_activity()
        self._toolkit_refresh_results()
        return True

    def action_cancel(self):
        if self.filtered(lambda training: training.state == "cancelled"):
            raise UserError(self.env._("This training is already cancelled."))
        self._set_state("cancelled")
        return True

    def action_draft(self):
        self._check_state(("cancelled",), self.env._("Only cancelled trainings can be planned again."))
        self._set_state("draft")
        return True

    def _set_state(self, state):
        # the buttons are for whoever may edit the training; then the guarded write
        self.with_context(toolkit_training_action=True)._toolkit_write_as_system({"state": state})

    def action_refresh_results(self):
        self._toolkit_refresh_results()
        return True

    def action_open_participants(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_toolkit.sales_toolkit_training_participant_action"
        )
        action.update(
            domain=[("training_id", "=", self.id)],
            context={"default_training_id": self.id},
        )
        return action

    # ------------------------------------------------------------------ results

    def _result_windows(self):
        """((before_from, before_to), (after_from, after_to)): inclusive days where the company is.

        With N = the company's results window (90 days by default), the N days before
        the first day of the training against the N days after its last day; the
        training days themselves are in neither window.
        """
        self.ensure_one()
        days = self.company_id.toolkit_training_result_days or 90
        return (
            (self.date_start - timedelta(days=days), self.date_start - timedelta(days=1)),
            (self.date_end + timedelta(days=1), self.date_end + timedelta(days=days)),
        )

    def _toolkit_refresh_results(self):
        """Measure the results level of every participant line of these trainings.

        Two statements whatever the number of trainings and participants: one grouped
        SELECT over sale orders and opportunities, one UPDATE of the lines.

        - Won revenue: confirmed sale orders (state 'sale') of the participant as
          salesperson in the training's company, untaxed and in company currency
          (amount_untaxed / currency_rate), whose order date falls in the window.
        - Conversion rate: opportunities of the participant closed in the window
          (``date_closed``) that were won, out of those won or lost; lost
          opportunities are archived and counted all the same. No closed
          opportunity gives 0.
        - Days are calendar days in the company's timezone (its partner's, UTC when unset).
        """
        lines = self.participant_ids.filtered("id")
        if not lines:
            return
        self.env["sales_toolkit.training.participant"].flush_model(["training_id", "user_id", "company_id"])
        self.flush_model(["date_start", "date_end", "company_id"])
        self.env["res.company"].flush_model(["toolkit_training_result_days", "partner_id"])
        self.env["res.partner"].flush_model(["tz"])
        self.env["sale.order"].flush_model(["state", "company_id", "user_id", "date_order", "amount_untaxed"])
        self.env["sale.order"].flush_model(["currency_rate"])
        self.env["crm.lead"].flush_model(["won_status", "date_closed", "company_id", "user_id", "type"])
        Kpi = self.env["sales_toolkit.kpi"]
        self.env.cr.execute(
            SQL(
                """WITH spec AS (
                       SELECT p.id AS line_id, p.user_id, t.company_id,
                              %(tz)s AS tz,
                              t.date_start - c.toolkit_training_result_days AS before_from,
                              t.date_start AS before_to,
                              t.date_end + 1 AS after_from,
                              t.date_end + 1 + c.toolkit_training_result_days AS after_to
                         FROM sales_toolkit_training_participant p
                         JOIN sales_toolkit_training t ON t.id = p.training_id
                         JOIN res_company c ON c.id = t.company_id
                         JOIN res_partner cp ON cp.id = c.partner_id
                        WHERE p.id IN %(ids)s
                   ),
                   bounds AS (
                       SELECT line_id, user_id, company_id,
                              %(b_from)s AS b_from, %(b_to)s AS b_to, %(a_from)s AS a_from, %(a_to)s AS a_to
                         FROM spec
                   ),
                   revenue AS (
                       SELECT b.line_id,
                              SUM(%(amount)s) FILTER (WHERE o.date_order < b.b_to) AS before,
                              SUM(%(amount)s) FILTER (WHERE o.date_order >= b.a_from) AS after
                         FROM bounds b
                         JOIN sale_order o ON o.user_id = b.user_id AND o.company_id = b.company_id
                                          AND %(confirmed)s
                                          AND ((o.date_order >= b.b_from AND o.date_order < b.b_to)
                                               OR (o.date_order >= b.a_from AND o.date_order < b.a_to))
                     GROUP BY b.line_id
                   ),
                   conversion AS (
                       SELECT b.line_id,
                              COUNT(*) FILTER (WHERE l.date_closed < b.b_to AND l.won_status = 'won')
                                  AS won_before,
                              COUNT(*) FILTER (WHERE l.date_closed < b.b_to) AS closed_before,
                              COUNT(*) FILTER (WHERE l.date_closed >= b.a_from AND l.won_status = 'won')
                                  AS won_after,
                              COUNT(*) FILTER (WHERE l.date_closed >= b.a_from) AS closed_after
                         FROM bounds b
                         JOIN crm_lead l ON l.user_id = b.user_id AND l.company_id = b.company_id
                                        AND l.type = 'opportunity'
                                        AND l.won_status IN ('won', 'lost')
                                        AND ((l.date_closed >= b.b_from AND l.date_closed < b.b_to)
                                             OR (l.date_closed >= b.a_from AND l.date_closed < b.a_to))
                     GROUP BY b.line_id
                   )
                   UPDATE sales_toolkit_training_participant p
                      SET revenue_before = COALESCE(r.before, 0),
                          revenue_after = COALESCE(r.after, 0),
                          revenue_uplift = COALESCE(r.after, 0) - COALESCE(r.before, 0),
                          conversion_before = COALESCE(100.0 * v.won_before / NULLIF(v.closed_before, 0), 0),
                          conversion_after = COALESCE(100.0 * v.won_after / NULLIF(v.closed_after, 0), 0),
                          conversion_uplift = COALESCE(100.0 * v.won_after / NULLIF(v.closed_after, 0), 0)
                                            - COALESCE(100.0 * v.won_before / NULLIF(v.closed_before, 0), 0)
                     FROM bounds b
                LEFT JOIN revenue r ON r.line_id = b.line_id
                LEFT JOIN conversion v ON v.line_id = b.line_id
                    WHERE p.id = b.line_id""",
                ids=tuple(lines.ids),
                tz=Kpi._company_tz_sql("cp"),
                b_from=Kpi._utc_midnight_sql(SQL("tz"), SQL("before_from")),
                b_to=Kpi._utc_midnight_sql(SQL("tz"), SQL("before_to")),
                a_from=Kpi._utc_midnight_sql(SQL("tz"), SQL("after_from")),
                a_to=Kpi._utc_midnight_sql(SQL("tz"), SQL("after_to")),
                amount=Kpi._company_amount_sql(SQL("o.amount_untaxed"), SQL("o.currency_rate")),
                confirmed=Kpi._confirmed_sql("o"),
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE sales_toolkit_training SET results_date = %s WHERE id IN %s",
                fields.Datetime.now(),
                tuple(lines.training_id.ids),
            )
        )
        lines.invalidate_recordset(RESULT_FIELDS)
        lines.training_id.invalidate_recordset(["results_date"])
        # the training's evaluation is computed from these lines
        lines.training_id.invalidate_recordset(
            [name for name, field in self._fields.items() if field.compute == "_compute_evaluation"]
        )

    # ------------------------------------------------------------------ crons

    @api.model
    def _cron_refresh_results(self, batch_size=200):
        """Daily: measure again the trainings whose results windows are open or just closed.

        Orders are confirmed and opportunities closed late: a training is measured until
        30 days after its after-window ends.
        """
        # measured in the last hour: done by a run that was killed later, or by hand
        recent = fields.Datetime.now() - timedelta(hours=1)
        trainings = self.search(
            [
                ("state", "in", ("in_progress", "done")),
                "|",
                ("results_date", "=", False),
                ("results_date", "<", recent),
            ],
            order="id",
        )
        today = {company: company._toolkit_today() for company in trainings.company_id}
        trainings = trainings.filtered(lambda training: training._results_open(today[training.company_id]))
        self.env["sales_toolkit.job"]._run_batches(
            trainings,
            lambda batch: batch._toolkit_refresh_results(),
            "sales_toolkit.ir_cron_refresh_training_results",
            batch_size,
        )

    def _results_open(self, today):
        """Whether the results may still change: until 30 days after the after-window ends."""
        self.ensure_one()
        days = self.company_id.toolkit_training_result_days or 90
        # counted back from today, not on from the training: a date near the end of the
        # calendar (9999) cannot overflow it
        return self.date_end >= today - timedelta(days=days + 30)
