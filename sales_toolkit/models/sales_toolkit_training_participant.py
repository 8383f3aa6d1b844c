from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from ..tools.people_fields import internal_user_field
from .sales_toolkit_field_rights import MANAGERS, Owner
from .sales_toolkit_training import RESULT_FIELDS

# typed scores and their scales: field -> (lowest, highest)
SCALES = {
    "pre_score": (0, 100),
    "roleplay_score": (0, 100),
    "feedback_score": (0, 100),
    "post_score": (0, 100),
    "attendance_rate": (0, 100),
    "satisfaction": (0, 5),
    "behaviour_rating": (0, 5),
}
COUNT_FIELDS = ("interaction_count", "assignment_count", "assignment_done_count")


class SalesToolkitTrainingParticipant(models.Model):
    """One salesperson in a training: baseline, monitoring, and the four levels.

    Scores are out of 100 (tests, role-play, 360° feedback); satisfaction and the
    behaviour rating are 1-5, 0 meaning "not rated yet". Results are measured, never
    typed (see ``sales_toolkit.training._toolkit_refresh_results``).
    """

    _name = "sales_toolkit.training.participant"
    _description = "Sales Training Participant"
    _inherit = ["sales_toolkit.pipl.mixin", "sales_toolkit.record.mixin"]
    # managers enter scores; the participant rates the training (the reaction level) on their
    # own line, the participant's manager the behaviour
    _toolkit_write_default = MANAGERS
    _toolkit_write_rights = {
        "satisfaction": Owner("user_id"),
        "reaction_comment": Owner("user_id"),
        "behaviour_rating": Owner("manager_id"),
        "behaviour_note": Owner("manager_id"),
    }
    _order = "training_id, id"
    _rec_name = "user_id"
    _toolkit_parent_fields = ("training_id",)

    training_id = fields.Many2one("sales_toolkit.training", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="training_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="training_id.currency_id")
    training_state = fields.Selection(related="training_id.state", string="Training State")
    training_type = fields.Selection(related="training_id.training_type", store=True)
    date_start = fields.Date(related="training_id.date_start", string="Training Start", store=True)
    user_id = internal_user_field("Salesperson", default=None, required=True, index=True)
    team_id = fields.Many2one(
        related="user_id.sale_team_id",
        string="Sales Team",
        store=True,
        help="The participant's main sales team.",
    )
    manager_id = internal_user_field(
        "Manager",
        default=None,
        compute="_compute_manager_id",
        store=True,
        readonly=False,
        index=True,
        help="Rates the participant's behaviour on the job: the leader of the participant's sales "
        "team, or the training's responsible when there is none.",
    )

    # 1. Baseline (培训前能力测评)
    pre_score = fields.Float(string="Pre-training Test", aggregator="avg", help="Written test, out of 100.")
    roleplay_score = fields.Float(
        string="Role-play Score", aggregator="avg", help="Mock negotiation before the training, out of 100."
    )
    feedback_score = fields.Float(
        string="360° Feedback Score",
        aggregator="avg",
        help="Feedback from manager, peers and customers before the training, out of 100.",
    )
    # 2. Monitoring during the training (培训过程监控)
    attendance_rate = fields.Float(string="Attendance Rate (%)", aggregator="avg")
    interaction_count = fields.Integer(string="Interactions", help="Questions asked, discussions led.")
    assignment_count = fields.Integer(string="Assignments Assigned")
    assignment_done_count = fields.Integer(string="Assignments Done")
    engagement = fields.Char(help="How the participant took part, e.g. asks questions, shares cases.")
    # 3. Reaction (反应层)
    satisfaction = fields.Integer(
        string="Satisfaction (1-5)",
        aggregator="avg",
        help="The participant's rating of the training; 0: not rated.",
    )
    reaction_comment = fields.Text(string="Participant Feedback")
    # 4. Learning (学习层)
    post_score = fields.Float(string="Post-training Test", aggregator="avg", help="Written test, out of 100.")
    learning_gain = fields.Float(
        string="Learning Improvement",
        compute="_compute_learning",
        store=True,
        aggregator="avg",
        help="Post-training test minus pre-training test, in points.",
    )
    passed = fields.Boolean(
        compute="_compute_learning",
        store=True,
        help="The post-training test reaches the company's pass mark.",
    )
    # 5. Behaviour (行为层)
    behaviour_rating = fields.Integer(
        string="Behaviour Rating (1-5)",
        aggregator="avg",
        help="The manager's rating of on-the-job use some weeks after the training; 0: not rated.",
    )
    behaviour_note = fields.Text(string="Behaviour Observations")
    behaviour_due_date = fields.Date(string="Behaviour Rating Due", readonly=True, copy=False)
    behaviour_activity_id = fields.Many2one(
        "mail.activity", string="Behaviour Rating Activity", readonly=True, copy=False, index="btree_not_null"
    )
    # 6. Results (成果层): measured
    revenue_before = fields.Monetary(readonly=True, copy=False, aggregator="sum")
    revenue_after = fields.Monetary(readonly=True, copy=False, aggregator="sum")
    revenue_uplift = fields.Monetary(readonly=True, copy=False, aggregator="sum")
    conversion_before = fields.Float(
        string="Conversion Before (%)", readonly=True, copy=False, aggregator="avg"
    )
    conversion_after = fields.Float(
        string="Conversion After (%)", readonly=True, copy=False, aggregator="avg"
    )
    conversion_uplift = fields.Float(
        string="Conversion Uplift (points)", readonly=True, copy=False, aggregator="avg"
    )

    _score_check = models.Constraint(
        "CHECK (pre_score BETWEEN 0 AND 100 AND post_score BETWEEN 0 AND 100 "
        "AND roleplay_score BETWEEN 0 AND 100 AND feedback_score BETWEEN 0 AND 100)",
        "Test, role-play and 360° scores are out of 100.",
    )
    _attendance_check = models.Constraint(
        "CHECK (attendance_rate BETWEEN 0 AND 100)", "The attendance rate is between 0% and 100%."
    )
    _rating_check = models.Constraint(
        "CHECK (satisfaction BETWEEN 0 AND 5 AND behaviour_rating BETWEEN 0 AND 5)",
        "Satisfaction and behaviour are rated from 1 to 5.",
    )
    _assignment_check = models.Constraint(
        "CHECK (assignment_done_count BETWEEN 0 AND assignment_count AND interaction_count >= 0)",
        "Assignments done cannot exceed the assignments given.",
    )
    _toolkit_insert_checks = ("_check_scales",)

    def _toolkit_pipl_fields(self):
        return ["engagement", "reaction_comment", "behaviour_note"]

    @api.depends("user_id", "training_id.user_id")
    def _compute_manager_id(self):
        for line in self:
            leader = line.user_id.sudo().sale_team_id.user_id
            if not leader or leader == line.user_id:
                leader = line.training_id.user_id
            line.manager_id = leader

    @api.depends("pre_score", "post_score", "company_id.toolkit_training_pass_mark")
    def _compute_learning(self):
        for line in self:
            tested = bool(line.post_score)
            line.learning_gain = line.post_score - line.pre_score if tested and line.pre_score else 0.0
            mark = line.company_id.toolkit_training_pass_mark or 80.0
            line.passed = tested and float_compare(line.post_score, mark, precision_digits=2) >= 0

    @api.constrains(*SCALES, *COUNT_FIELDS)
    def _check_scales(self):
        for line in self:
            line._check_values({name: line[name] for name in (*SCALES, *COUNT_FIELDS)})

    @api.constrains("passed", "post_score")
    def _check_passed_on_score(self):
        for line in self:
            if line.passed and not line.post_score:
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot pass %(training)s without a post-training test score: enter "
                        "the score, the pass follows from it.",
                        user=line.user_id.name,
                        training=line.training_id.name,
                    )
                )

    @api.constrains("training_id", "user_id")
    def _check_unique_participant(self):
        counts = self._read_group(
            [("training_id", "in", self.training_id.ids), ("user_id", "in", self.user_id.ids)],
            ["training_id", "user_id"],
            ["__count"],
        )
        for training, user, count in counts:
            if count > 1:
                raise ValidationError(
                    self.env._(
                        "%(user)s already takes part in %(training)s.", user=user.name, training=training.name
                    )
                )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if set(vals) & set(RESULT_FIELDS):
                raise ValidationError(self._results_message())
        lines = super().create(vals_list)
        lines.training_id._toolkit_refresh_results()
        lines.filtered(lambda line: line.training_id.state == "done")._schedule_behaviour_activity()
        return lines

    def write(self, vals):
        if set(vals) & set(RESULT_FIELDS):
            raise ValidationError(self._results_message())
        res = super().write(vals)
        if {"user_id", "training_id"} & vals.keys():
            self.training_id._toolkit_refresh_results()
        if {"behaviour_rating", "manager_id", "user_id"} & vals.keys():
            self._sync_behaviour_activity()
        return res

    def unlink(self):
        self._unlink_behaviour_activity()
        return super().unlink()

    def _results_message(self):
        return self.env._(
            "Revenue and conversion are measured from sale orders and opportunities; they cannot be typed in."
        )

    @api.model
    def _check_values(self, vals):
        labels = {
            name: field.get_description(self.env)["string"]
            for name, field in self._fields.items()
            if name in SCALES or name in COUNT_FIELDS
        }
        for name, (low, high) in SCALES.items():
            value = vals.get(name) or 0
            if not low <= value <= high:
                if high == 5:
                    message = self.env._(
                        "%(field)s is a rating from 1 to 5 (0: not rated), not %(value)s.",
                        field=labels[name],
                        value=value,
                    )
                elif name == "attendance_rate":
                    message = self.env._(
                        "The attendance rate is between 0%% and 100%%, not %(value)s.", value=value
                    )
                else:
                    message = self.env._(
                        "%(field)s is a score out of 100, not %(value)s.", field=labels[name], value=value
                    )
                raise ValidationError(message)
        for name in COUNT_FIELDS:
            if (vals.get(name) or 0) < 0:
                raise ValidationError(self.env._("%(field)s cannot be negative.", field=labels[name]))
        if (vals.get("assignment_done_count") or 0) > (vals.get("assignment_count") or 0):
            raise ValidationError(
                self.env._(
                    "%(done)s assignments done out of %(given)s given: done cannot exceed given.",
                    done=vals.get("assignment_done_count") or 0,
                    given=vals.get("assignment_count") or 0,
                )
            )

    # ------------------------------------------------------------------ behaviour (行为层)

    def _schedule_behaviour_activity(self):
        """Ask each manager to rate the behaviour, some weeks after the training ends.

        One activity on the training per participant not rated yet, for the participant's
        manager, due the company's delay (4 weeks by default) after the last training day.
        Done in sudo: the manager may be a team leader who cannot write the training.
        """
        activity_type = self.env.ref("sales_toolkit.mail_activity_type_training_behaviour")
        for line in self.sudo():
            if line.behaviour_rating or line.behaviour_activity_id.exists():
                continue
            training = line.training_id
            due = training.date_end + timedelta(weeks=training.company_id.toolkit_training_behaviour_weeks)
            lang_env = line.with_context(lang=line.manager_id.lang or self.env.lang).env
            line.behaviour_activity_id = training.activity_schedule(
                activity_type_id=activity_type.id,
                summary=lang_env._("Rate the on-the-job behaviour of %(user)s", user=line.user_id.name),
                user_id=line.manager_id.id,
                date_deadline=due,
            )
            line.behaviour_due_date = due

    def _reschedule_behaviour_activity(self):
        for line in self.sudo():
            activity = line.behaviour_activity_id.exists()
            if line.behaviour_rating or not activity or not activity.active:
                continue
            training = line.training_id
            due = training.date_end + timedelta(weeks=training.company_id.toolkit_training_behaviour_weeks)
            activity.date_deadline = due
            line.behaviour_due_date = due

    def _sync_behaviour_activity(self):
        """Close the activity once the behaviour is rated; follow a change of manager."""
        for line in self.sudo():
            activity = line.behaviour_activity_id.exists()
            if not activity or not activity.active:
                continue
            if line.behaviour_rating:
                activity.action_feedback(
                    feedback=self.env._(
                        "Behaviour of %(user)s rated %(rating)s/5",
                        user=line.user_id.name,
                        rating=line.behaviour_rating,
                    )
                )
            elif activity.user_id != line.manager_id:
                activity.user_id = line.manager_id

    def _unlink_behaviour_activity(self):
        activities = self.sudo().behaviour_activity_id.exists()
        activities.filtered("active").unlink()
        # nothing to rate any more: the training was cancelled or planned again
        self.sudo().behaviour_due_date = False
