from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.models import MAGIC_COLUMNS
from odoo.tests import new_test_user, tagged

from .common import SalesToolkitCommon, create_team

# Who may do what, as the security files say. Letters: c(reate) r(ead) w(rite) u(nlink).
# "own" = sales_team.group_sale_salesman (own documents only), "all" = group_sale_salesman_all_leads
# (team leaders), "manager" = group_sale_manager, then a portal user and the public user.
USER_KINDS = ("own", "all", "manager", "portal", "public")
ACL_MATRIX = {
    # model                                 own      all      manager  portal  public
    "sales_toolkit.strength":              ("r",    "r",     "crwu",  "",     ""),
    "sales_toolkit.need":                  ("crwu", "crwu",  "crwu",  "",     ""),
    "sales_toolkit.followup":              ("crwu", "crwu",  "crwu",  "",     ""),
    "sales_toolkit.lead.review":           ("",     "crwu",  "crwu",  "",     ""),
    "sales_toolkit.tier.policy":           ("r",    "r",     "crwu",  "",     ""),
    "sales_toolkit.care.plan":             ("crwu", "crwu",  "crwu",  "",     ""),
    "sales_toolkit.care.action":           ("crwu", "crwu",  "crwu",  "",     ""),
    "sales_toolkit.care.log":              ("crwu", "crwu",  "crwu",  "",     ""),
    "sales_toolkit.target":                ("rw",   "rw",    "crwu",  "",     ""),
    "sales_toolkit.target.revision":       ("r",    "r",     "r",     "",     ""),
    "sales_toolkit.target.revise":         ("",     "",      "crwu",  "",     ""),
    "sales_toolkit.target.suggest":        ("",     "",      "crwu",  "",     ""),
    "sales_toolkit.strategy":              ("r",    "r",     "crwu",  "",     ""),
    "sales_toolkit.strategy.line":         ("r",    "r",     "crwu",  "",     ""),
    "sales_toolkit.strategy.milestone":    ("rw",   "rw",    "crwu",  "",     ""),
    "sales_toolkit.strategy.risk":         ("r",    "r",     "crwu",  "",     ""),
    "sales_toolkit.strategy.kpi":          ("r",    "r",     "crwu",  "",     ""),
    "sales_toolkit.strategy.activate":     ("",     "",      "crwu",  "",     ""),
    "sales_toolkit.task":                  ("crw",  "crwu",  "crwu",  "",     ""),
    "sales_toolkit.task.send.back":        ("crwu", "crwu",  "crwu",  "",     ""),
    "sales_toolkit.training":              ("r",    "r",     "crwu",  "",     ""),
    "sales_toolkit.training.participant":  ("rw",   "rw",    "crwu",  "",     ""),
    "sales_toolkit.performance.report":    ("r",    "r",     "r",     "",     ""),
    "sales_toolkit.review.meeting":        ("r",    "crwu",  "crwu",  "",     ""),
    "sales_toolkit.review.agenda":         ("r",    "crwu",  "crwu",  "",     ""),
    "sales_toolkit.review.problem":        ("crwu", "crwu",  "crwu",  "",     ""),
    "sales_toolkit.review.highlight":      ("r",    "crwu",  "crwu",  "",     ""),
    "sales_toolkit.review.lesson":         ("r",    "crwu",  "crwu",  "",     ""),
    "sales_toolkit.review.resolution":     ("r",    "crwu",  "crwu",  "",     ""),
    "sales_toolkit.analysis":              ("r",    "r",     "crwu",  "",     ""),
    "sales_toolkit.analysis.line":         ("r",    "r",     "crwu",  "",     ""),
    "sales_toolkit.analysis.action":       ("r",    "r",     "crwu",  "",     ""),
}  # fmt: skip

# The same on actual records (record rules): the rep's ("own") records against those of another
# rep of another team, whom the team leader ("all") does not lead. Letters: r(ead) w(rite) u(nlink).
RECORD_MATRIX = {
    # record                                        own    all    manager portal public
    "need of the rep's lead":                      ("rwu", "rwu", "rwu",  "",    ""),
    "need of another rep's lead":                  ("",    "rwu", "rwu",  "",    ""),
    "follow-up the rep logged on their lead":      ("rwu", "rwu", "rwu",  "",    ""),
    "follow-up a manager logged on the rep's lead": ("rw", "rwu", "rwu",  "",    ""),
    "follow-up of another rep's lead":             ("",    "rwu", "rwu",  "",    ""),
    "care plan of the rep":                        ("rwu", "rwu", "rwu",  "",    ""),
    "care action of another rep's plan":           ("",    "rwu", "rwu",  "",    ""),
    "target the rep answers for":                  ("rw",  "r",   "rwu",  "",    ""),
    "target of another rep":                       ("",    "r",   "rwu",  "",    ""),
    "task of the rep":                             ("rw",  "rwu", "rwu",  "",    ""),
    "task of another rep":                         ("",    "",    "rwu",  "",    ""),
    "training line of the rep":                    ("rw",  "rw",  "rwu",  "",    ""),
    "training line of another rep":                ("",    "",    "rwu",  "",    ""),
    "training the rep takes part in":              ("r",   "r",   "rwu",  "",    ""),
    "problem the rep brings to their meeting":     ("rwu", "rwu", "rwu",  "",    ""),
    "problem of another team's meeting":           ("",    "r",   "rwu",  "",    ""),
}  # fmt: skip

# Fields the module adds to Odoo's models: sales staff only, the tier override for managers.
MANAGER_ONLY_FIELDS = {"res.partner": {"tier_override", "tier_override_reason"}}
STAFF_KINDS = ("own", "all", "manager")

# Who may write each field the module defines (on its own models, and on crm.lead, res.partner
# and crm.team), on top of the access rights and record rules above: "own" every sales user (the
# rules and the model's own checks then say on which records), "all" team leaders and managers,
# "manager" sales managers, "system" no user: the module's own code writes it (buttons,
# computations, scheduled jobs, wizards). Odoo's own fields of the extended models are not here.
FIELD_MATRIX = {
    "crm.lead": {
        "own": (
            "industry_id employee_count annual_revenue pain_point expected_purchase_date "
            "budget_min budget_max intent_tier intent_tier_manual consent_state consent_purpose "
            "consent_date need_ids followup_ids"
        ),
        "all": "verified_by_id verified_date toolkit_reviewed_date toolkit_review_followup_id",
        "system": (
            "need_count match_score match_max_score match_ratio match_level match_threshold_note "
            "purchasing_power followup_strategy match_evaluated_date match_review_date "
            "match_review_due followup_count last_followup_date next_followup_date followup_state "
            "needs_review"
        ),
    },
    "crm.team": {
        "system": "toolkit_digest_date",
    },
    "res.partner": {
        "own": "referred_by_id care_plan_ids",
        "manager": "tier_override tier_override_reason",
        "system": "customer_tier annual_purchase_amount toolkit_currency_id toolkit_followup_count",
    },
    "sales_toolkit.analysis": {
        "manager": "name company_id period_type date_from scope team_id user_id line_ids summary",
        "system": (
            "currency_id date_to state generated_date previous_id highlighted_count unexplained_count"
        ),
    },
    "sales_toolkit.analysis.line": {
        "manager": "sequence root_cause root_cause_category action_ids",
        "system": (
            "analysis_id company_id currency_id state dimension kpi team_id categ_id "
            "customer_type user_id dimension_value kpi_label target_id has_target target_value "
            "actual_value completion_rate last_year_value yoy_rate previous_value mom_rate "
            "is_highlighted gap_direction lead_count opportunity_count won_count "
            "lead_opportunity_rate opportunity_won_rate previous_line_id previous_actual_value "
            "movement_value followup_state followup_summary"
        ),
    },
    "sales_toolkit.analysis.action": {
        "manager": "line_id name user_id date_deadline task_ids",
        "system": "analysis_id company_id task_id task_state",
    },
    "sales_toolkit.care.action": {
        "own": (
            "plan_id sequence action_type name frequency interval_number interval_unit "
            "fixed_dates owner_id executor_id next_date"
        ),
        "system": "company_id",
    },
    "sales_toolkit.care.log": {
        "own": ("plan_id action_id date description customer_feedback evaluation satisfaction_score user_id"),
        "system": "company_id",
    },
    "sales_toolkit.care.plan": {
        "own": (
            "name partner_id company_id user_id active date_start repurchase_goal "
            "satisfaction_goal referral_goal action_ids log_ids"
        ),
        "system": (
            "tier repurchase_rate satisfaction_score referral_count touches_planned touches_done "
            "improvement_needed"
        ),
    },
    "sales_toolkit.followup": {
        "own": (
            "lead_id user_id date channel summary customer_feedback objection_handling "
            "next_action next_action_user_id next_action_deadline result kind"
        ),
        "system": (
            "partner_id company_id stage_id probability reported_date response_deadline "
            "resolution_deadline responded_date resolved_date sla_breached activity_id"
        ),
    },
    "sales_toolkit.lead.review": {
        "all": "lead_id decision analysis new_strategy lost_reason_id",
    },
    "sales_toolkit.need": {
        "own": "lead_id name sequence is_pain_point strength_id score note",
        "system": "company_id user_id",
    },
    "sales_toolkit.performance.report": {
        "system": (
            "month company_id currency_id team_id user_id product_categ_id customer_type "
            "is_key_account revenue order_count average_order_value new_customer_count "
            "repeat_customer_count quotation_count lead_count won_count visit_count call_count"
        ),
    },
    "sales_toolkit.review.agenda": {
        "all": "meeting_id sequence name presenter_id duration",
        "system": "company_id",
    },
    "sales_toolkit.review.highlight": {
        "all": "meeting_id sequence user_id description",
        "system": "company_id",
    },
    "sales_toolkit.review.lesson": {
        "all": "meeting_id sequence kind description",
        "system": "company_id",
    },
    "sales_toolkit.review.meeting": {
        "all": (
            "name company_id team_id user_id date_start date_end place attendee_ids "
            "followup_user_id agenda_ids problem_ids analysis_id results_review highlight_ids "
            "lesson_ids resolution_ids action_item_ids"
        ),
        "system": (
            "state analysis_line_ids action_item_count open_item_count carried_item_ids reminder_activity_id"
        ),
    },
    "sales_toolkit.review.problem": {
        "own": "meeting_id sequence user_id description root_cause",
        "system": "company_id",
    },
    "sales_toolkit.review.resolution": {
        "all": "meeting_id date sequence name user_id",
        "system": "company_id team_id",
    },
    "sales_toolkit.strategy": {
        "manager": (
            "name scenario company_id team_id user_id date_from date_to color pest_policy "
            "pest_economy pest_society pest_technology competitor_analysis customer_needs "
            "objective target_ids expected_effect line_ids resource_user_ids material budget "
            "milestone_ids risk_ids kpi_ids review_cadence"
        ),
        "system": (
            "currency_id state target_completion milestone_count milestone_done_count "
            "milestone_overdue_count has_overdue_milestone focus_conflict_ids"
        ),
    },
    "sales_toolkit.strategy.activate": {
        "manager": "strategy_ids",
        "system": "message",
    },
    "sales_toolkit.strategy.kpi": {
        "manager": "strategy_id sequence name target actual unit",
        "system": "company_id achievement",
    },
    "sales_toolkit.strategy.line": {
        "manager": "strategy_id sequence kind description",
        "system": "company_id",
    },
    "sales_toolkit.strategy.milestone": {
        "own": "state",
        "manager": "strategy_id sequence name date user_id done_criterion",
        "system": "company_id strategy_state is_overdue activity_id",
    },
    "sales_toolkit.strategy.risk": {
        "manager": "strategy_id sequence name likelihood impact contingency",
        "system": "company_id",
    },
    "sales_toolkit.strength": {
        "manager": "name description sequence active company_id need_ids",
        "system": "need_count average_score",
    },
    "sales_toolkit.target": {
        "own": "remarks",
        "manager": (
            "name sequence active company_id parent_id child_ids period_type date_from date_to "
            "team_id user_id product_categ_id customer_type kpi target_value owner_id "
            "strategy_ids revision_ids"
        ),
        "system": (
            "currency_id parent_path child_count state dimension_label kpi_unit achieved_value "
            "completion_rate expected_rate forecast_value status figures_date strategy_count "
            "revision_count responsible_user_ids can_manage review_requested_date "
            "decomposition_state decomposition_gap decomposition_summary"
        ),
    },
    "sales_toolkit.target.revise": {
        "manager": "target_id new_value reason",
        "system": "current_value kpi_unit",
    },
    "sales_toolkit.target.revision": {
        "system": "target_id company_id kpi old_value new_value reason date user_id",
    },
    "sales_toolkit.target.suggest": {
        "manager": "target_id growth_rate",
        "system": (
            "kpi_unit last_year_value two_years_ago_value history_label average_value suggested_value"
        ),
    },
    "sales_toolkit.task": {
        "own": (
            "name sequence active company_id parent_id child_ids user_id target_id milestone_id "
            "date_start date_deadline date_done acceptance_criterion remarks progress_source source_id "
            "target_qty unit achieved_qty meeting_id analysis_action_id"
        ),
        "all": "reviewer_id team_id",
        "system": (
            "parent_path child_count achievement_rate progress_date quality_grade state is_late "
            "date_accepted accepted_by_id is_accepted"
        ),
    },
    "sales_toolkit.task.send.back": {
        "own": "task_id reason",
    },
    "sales_toolkit.tier.policy": {
        "manager": (
            "tier sequence company_id owner_role repurchase_goal satisfaction_goal referral_goal "
            "response_hours resolution_hours"
        ),
    },
    "sales_toolkit.training": {
        "manager": (
            "name training_type date_start date_end trainer_id user_id company_id cost objectives "
            "participant_ids conclusion next_plan"
        ),
        "system": (
            "currency_id state participant_count results_date window_label results_final "
            "avg_pre_score avg_roleplay_score avg_feedback_score avg_attendance_rate "
            "assignment_rate avg_satisfaction avg_post_score learning_gain pass_rate pass_mark "
            "avg_behaviour_rating behaviour_rated_count revenue_before revenue_after "
            "revenue_uplift avg_conversion_before avg_conversion_after conversion_uplift roi"
        ),
    },
    "sales_toolkit.training.participant": {
        "own": "satisfaction reaction_comment behaviour_rating behaviour_note",
        "manager": (
            "training_id user_id manager_id pre_score roleplay_score feedback_score "
            "attendance_rate interaction_count assignment_count assignment_done_count engagement "
            "post_score"
        ),
        "system": (
            "company_id currency_id training_state training_type date_start team_id learning_gain "
            "passed behaviour_due_date behaviour_activity_id revenue_before revenue_after "
            "revenue_uplift conversion_before conversion_after conversion_uplift"
        ),
    },
}
WRITERS = {"own": ("own", "all", "manager"), "all": ("all", "manager"), "manager": ("manager",), "system": ()}
EXTENDED_MODELS = ("crm.lead", "res.partner", "crm.team")


@tagged("post_install", "-at_install")
class TestSecurityMatrix(SalesToolkitCommon):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Matrix Customer Co."})
        cls.portal = new_test_user(cls.env, "st_portal", groups="base.group_portal", name="Portal Customer")
        cls.portal.partner_id.parent_id = cls.customer
        cls.public = cls.env.ref("base.public_user")
        cls.users = {
            "own": cls.salesman,
            "all": cls.leader,
            "manager": cls.manager,
            "portal": cls.portal,
            "public": cls.public,
        }
        # the leader leads the rep's team; the other rep's team has no leader
        cls.team = create_team(cls.env, "Matrix Team", cls.leader, cls.salesman)
        cls.other_team = create_team(cls.env, "Other Matrix Team", None, cls.salesman_2)
        cls.lead_own = cls._create_lead(name="Rep's lead", partner_id=cls.customer.id)
        cls.lead_other = cls._create_lead(name="Other rep's lead", user_id=cls.salesman_2.id)
        cls.records = {**cls._lead_records(), **cls._work_records(), **cls._training_and_review_records()}
        records = cls.records
        cls.field_records = cls._field_records(
            records["care plan of the rep"],
            records["target the rep answers for"],
            records["task of the rep"],
            records["training the rep takes part in"],
            records["training line of the rep"],
            records["problem the rep brings to their meeting"].meeting_id,
        )
        cls.field_records.update(
            {
                "sales_toolkit.need": records["need of the rep's lead"],
                "sales_toolkit.followup": records["follow-up the rep logged on their lead"],
                "sales_toolkit.review.problem": records["problem the rep brings to their meeting"],
            }
        )

    @classmethod
    def _lead_records(cls):
        """Needs and follow-ups of the rep's lead and of the other rep's lead."""
        Need = cls.env["sales_toolkit.need"]
        Followup = cls.env["sales_toolkit.followup"]
        return {
            "need of the rep's lead": Need.create({"lead_id": cls.lead_own.id, "name": "Faster delivery"}),
            "need of another rep's lead": Need.create({"lead_id": cls.lead_other.id, "name": "Lower price"}),
            "follow-up the rep logged on their lead": Followup.with_user(cls.salesman).create(
                {"lead_id": cls.lead_own.id, "summary": "Called the buyer"}
            ),
            "follow-up a manager logged on the rep's lead": Followup.with_user(cls.manager).create(
                {"lead_id": cls.lead_own.id, "summary": "Met the general manager"}
            ),
            "follow-up of another rep's lead": Followup.create(
                {"lead_id": cls.lead_other.id, "summary": "Sent the quote"}
            ),
        }

    @classmethod
    def _work_records(cls):
        """Care plans, targets and tasks of the rep and of the other rep."""
        CarePlan = cls.env["sales_toolkit.care.plan"]
        plan_own = CarePlan.create({"partner_id": cls.customer.id, "user_id": cls.salesman.id})
        plan_other = CarePlan.create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "Other Co."}).id,
                "user_id": cls.salesman_2.id,
            }
        )
        records = {
            "care plan of the rep": plan_own,
            "care action of another rep's plan": cls.env["sales_toolkit.care.action"].create(
                {"plan_id": plan_other.id, "name": "Mid-Autumn gift box"}
            ),
        }
        owners = (
            (cls.salesman, "Rep Q1", "Visit 5 customers"),
            (cls.salesman_2, "Other Q1", "Call 20 customers"),
        )
        targets = [
            cls.env["sales_toolkit.target"].create(
                {"name": name, "date_from": date(2024, 1, 1), "owner_id": user.id, "target_value": 100}
            )
            for user, name, _task in owners
        ]
        tasks = [
            cls.env["sales_toolkit.task"].create(
                {
                    "name": name,
                    "user_id": user.id,
                    "date_start": date(2024, 3, 1),
                    "date_deadline": date(2024, 3, 31),
                }
            )
            for user, _target, name in owners
        ]
        records["target the rep answers for"], records["target of another rep"] = targets
        records["task of the rep"], records["task of another rep"] = tasks
        return records

    @classmethod
    def _training_and_review_records(cls):
        """A training both reps take part in, and a problem in each team's review meeting."""
        training = cls.env["sales_toolkit.training"].create(
            {
                "name": "Negotiation training",
                "date_start": date(2024, 4, 1),
                "date_end": date(2024, 4, 2),
                "user_id": cls.manager.id,
            }
        )
        Participant = cls.env["sales_toolkit.training.participant"]
        records = {
            "training line of the rep": Participant.create(
                {"training_id": training.id, "user_id": cls.salesman.id}
            ),
            "training line of another rep": Participant.create(
                {"training_id": training.id, "user_id": cls.salesman_2.id}
            ),
            "training the rep takes part in": training,
        }
        for key, team, leader, rep, description in (
            (
                "problem the rep brings to their meeting",
                cls.team,
                cls.leader,
                cls.salesman,
                "Lost 3 customers",
            ),
            (
                "problem of another team's meeting",
                cls.other_team,
                cls.manager,
                cls.salesman_2,
                "Late deliveries",
            ),
        ):
            meeting = cls.env["sales_toolkit.review.meeting"].create(
                {
                    "name": "Q1 review",
                    "date_start": datetime(2024, 4, 5, 6, 0),
                    "date_end": datetime(2024, 4, 5, 8, 0),
                    "team_id": team.id,
                    "user_id": leader.id,
                    "attendee_ids": [Command.set((leader | rep).ids)],
                }
            )
            records[key] = cls.env["sales_toolkit.review.problem"].create(
                {"meeting_id": meeting.id, "user_id": rep.id, "description": description}
            )
        return records

    @classmethod
    def _field_records(cls, plan, target, task, training, line, meeting):
        """{model: a record of it} for the real write attempts of the field matrix."""
        env = cls.env
        strategy = env["sales_toolkit.strategy"].create(
            {
                "name": "East launch",
                "team_id": cls.team.id,
                "date_from": date(2024, 1, 1),
                "date_to": date(2024, 6, 30),
            }
        )
        sheet = env["sales_toolkit.analysis"].create({"date_from": date(2024, 1, 1)})
        sheet_line = (
            env["sales_toolkit.analysis.line"]
            .with_context(toolkit_analysis_generate=True)
            .create({"analysis_id": sheet.id, "dimension": "overall", "kpi": "revenue"})
        )
        on_meeting = {"meeting_id": meeting.id}
        return {
            "crm.lead": cls.lead_own,
            "res.partner": cls.customer,
            "crm.team": cls.team,
            "sales_toolkit.strength": cls.strength_cost,
            "sales_toolkit.tier.policy": env["sales_toolkit.tier.policy"].search([], limit=1),
            "sales_toolkit.care.plan": plan,
            "sales_toolkit.care.action": env["sales_toolkit.care.action"].create(
                {"plan_id": plan.id, "name": "Quarterly industry report"}
            ),
            "sales_toolkit.care.log": env["sales_toolkit.care.log"].create(
                {"plan_id": plan.id, "description": "Sent the report"}
            ),
            "sales_toolkit.target": target,
            "sales_toolkit.task": task,
            "sales_toolkit.training": training,
            "sales_toolkit.training.participant": line,
            "sales_toolkit.review.meeting": meeting,
            "sales_toolkit.review.agenda": env["sales_toolkit.review.agenda"].create(
                dict(on_meeting, name="Results review")
            ),
            "sales_toolkit.review.highlight": env["sales_toolkit.review.highlight"].create(
                dict(on_meeting, user_id=cls.salesman.id, description="Referral bonus worked")
            ),
            "sales_toolkit.review.lesson": env["sales_toolkit.review.lesson"].create(
                dict(on_meeting, kind="avoid", description="Discount wars")
            ),
            "sales_toolkit.review.resolution": env["sales_toolkit.review.resolution"].create(
                dict(on_meeting, name="Referral bonus 500")
            ),
            "sales_toolkit.strategy": strategy,
            "sales_toolkit.strategy.milestone": env["sales_toolkit.strategy.milestone"].create(
                {"strategy_id": strategy.id, "name": "Sign 3 distributors", "date": date(2024, 3, 31)}
            ),
            "sales_toolkit.strategy.kpi": env["sales_toolkit.strategy.kpi"].create(
                {"strategy_id": strategy.id, "name": "Distributors", "target": 3}
            ),
            "sales_toolkit.strategy.line": env["sales_toolkit.strategy.line"].create(
                {"strategy_id": strategy.id, "description": "Sign 3 distributors"}
            ),
            "sales_toolkit.strategy.risk": env["sales_toolkit.strategy.risk"].create(
                {"strategy_id": strategy.id, "name": "A distributor pulls out", "contingency": "Backup"}
            ),
            "sales_toolkit.analysis": sheet,
            "sales_toolkit.analysis.line": sheet_line,
            "sales_toolkit.analysis.action": env["sales_toolkit.analysis.action"].create(
                {
                    "line_id": sheet_line.id,
                    "name": "Promotion",
                    "user_id": cls.salesman.id,
                    "date_deadline": date(2024, 4, 30),
                }
            ),
        }

    def _toolkit_models(self):
        """Every model the module defines (not those it extends), as the registry lists them."""
        models = self.env["ir.model"].search([])
        return {
            model.model
            for model in models
            if model.modules == "sales_toolkit" and not self.env[model.model]._abstract
        }

    def _module_fields(self, model):
        """The fields the module defines on ``model`` (not the log columns every model has)."""
        return {
            name
            for name, field in self.env[model]._fields.items()
            if field._modules[:1] == ("sales_toolkit",) and name not in MAGIC_COLUMNS
        }

    def _field_matrix(self):
        """{model: {field: who may write it}} from FIELD_MATRIX."""
        return {
            model: {fname: level for level, names in row.items() for fname in names.split()}
            for model, row in FIELD_MATRIX.items()
        }

    def test_field_matrix_lists_every_field(self):
        """One rule for every field: a new field without a row fails here."""
        models = self._toolkit_models() | set(EXTENDED_MODELS)
        self.assertEqual(set(FIELD_MATRIX), models, "models of the field matrix")
        self.assertEqual(
            models - set(self.env.registry.descendants(["sales_toolkit.field.rights"], "_inherit")),
            set(),
            "models without the field rights",
        )
        matrix = self._field_matrix()
        for model, row in FIELD_MATRIX.items():
            listed = [fname for names in row.values() for fname in names.split()]
            self.assertEqual(len(listed), len(set(listed)), f"{model}: a field listed twice")
            self.assertEqual(
                set(listed), self._module_fields(model), f"{model}: fields without a row, or gone"
            )
            self.assertLessEqual(set(row), set(WRITERS), model)
        self.assertEqual(matrix["crm.lead"]["needs_review"], "system")

    def test_field_write_rights_matrix(self):
        """Each sales group may write exactly the fields of its level, and its forms say so."""
        wrong = []
        for model, rights in self._field_matrix().items():
            for kind in STAFF_KINDS:
                records = self.env[model].with_user(self.users[kind])
                readonly = {
                    fname: desc["readonly"] for fname, desc in records.fields_get(list(rights)).items()
                }
                for fname, level in rights.items():
                    allowed = kind in WRITERS[level]
                    if records._has_field_access(records._fields[fname], "write") != allowed:
                        wrong.append(
                            (model, fname, kind, "write allowed" if not allowed else "write refused")
                        )
                    # a field the user may not even read is not in their forms at all
                    if not allowed and not readonly.get(fname, True):
                        wrong.append((model, fname, kind, "editable in the forms"))
        self.assertEqual(wrong, [], "(model, field, user kind, what is wrong)")

    def _forged_value(self, record, field):
        """A value ``field`` of ``record`` does not have yet, or None for relations to lists."""
        current = record.sudo()[field.name]
        if field.type in ("char", "text", "html"):
            return "Forged"
        if field.type == "boolean":
            # the user's own value: a computed flag may depend on who reads it (can_manage)
            return not record[field.name]
        if field.type in ("integer", "float", "monetary"):
            return (current or 0) + 7
        if field.type == "date":
            return date(2001, 2, 3)
        if field.type == "datetime":
            return datetime(2001, 2, 3, 4, 5)
        if field.type == "selection":
            values = [value for value, _label in field._description_selection(self.env)]
            return next(value for value in values if value != current)
        if field.type == "many2one":
            return self.env[field.comodel_name].sudo().search([("id", "!=", current.id)], limit=1).id
        return None

    def test_protected_fields_refuse_real_writes(self):
        """What a user may not write is refused by a real write, on a record they may change."""
        matrix = self._field_matrix()
        self.assertEqual(
            set(matrix) - set(self.field_records),
            {
                "sales_toolkit.lead.review",
                "sales_toolkit.performance.report",
                "sales_toolkit.strategy.activate",
                "sales_toolkit.target.revise",
                "sales_toolkit.target.revision",
                "sales_toolkit.target.suggest",
                "sales_toolkit.task.send.back",
            },
            "models without a record to try (wizards, and what nobody may change)",
        )
        tried = set()
        for model, record in self.field_records.items():
            for kind in STAFF_KINDS:
                mine = record.with_user(self.users[kind])
                if not mine.has_access("write"):
                    continue
                for fname, level in matrix[model].items():
                    field = record._fields[fname]
                    value = self._forged_value(mine, field)
                    if kind in WRITERS[level] or value is None:
                        continue
                    before = record.sudo()[fname]
                    with self.subTest(model=model, field=fname, user=kind):
                        # refused by the field's rule, or before it by the model's own check
                        with self.assertRaises(UserError):
                            mine.write({fname: value})
                        record.invalidate_recordset()
                        self.assertEqual(record.sudo()[fname], before)
                    tried.add((model, fname))
        # among them, the rules of issue 12
        for model, fname in (
            ("crm.lead", "match_score"),
            ("crm.lead", "needs_review"),
            ("crm.lead", "followup_state"),
            ("crm.lead", "verified_by_id"),
            ("sales_toolkit.task", "reviewer_id"),
            ("res.partner", "customer_tier"),
            ("sales_toolkit.review.meeting", "state"),
            ("sales_toolkit.training.participant", "passed"),
            ("sales_toolkit.followup", "responded_date"),
            ("sales_toolkit.followup", "stage_id"),
        ):
            self.assertIn((model, fname), tried)

    def test_cockpit_is_for_sales_staff(self):
        """The cockpit has no table: it counts what each user may read, and serves sales staff only."""
        Cockpit = self.env["sales_toolkit.cockpit"]
        self.assertTrue(Cockpit._abstract)
        for kind in ("own", "all", "manager"):
            data = Cockpit.with_user(self.users[kind]).get_cockpit_data()
            self.assertEqual(data["scope"], "mine" if kind == "own" else "team")
        for kind in ("portal", "public"):
            with self.assertRaises(AccessError, msg=kind):
                Cockpit.with_user(self.users[kind]).get_cockpit_data()

    def test_matrix_lists_every_model(self):
        models = self._toolkit_models()
        self.assertIn("sales_toolkit.performance.report", models)
        self.assertIn("sales_toolkit.task.send.back", models)
        self.assertEqual(models - set(ACL_MATRIX), set(), "models without a row in the security matrix")
        self.assertEqual(set(ACL_MATRIX) - models, set(), "rows of models that no longer exist")

    def test_access_rights_matrix(self):
        operations = ("create", "read", "write", "unlink")
        letter = {"create": "c", "read": "r", "write": "w", "unlink": "u"}
        actual = {
            model: tuple(
                "".join(
                    letter[op]
                    for op in operations
                    if self.env[model].with_user(self.users[kind]).browse().has_access(op)
                )
                for kind in USER_KINDS
            )
            for model in ACL_MATRIX
        }
        self.assertEqual(actual, ACL_MATRIX)
        # check_access() agrees with has_access() and names the model it refuses
        for model, row in ACL_MATRIX.items():
            for kind, allowed in zip(USER_KINDS, row, strict=True):
                records = self.env[model].with_user(self.users[kind]).browse()
                for op in operations:
                    if letter[op] in allowed:
                        records.check_access(op)
                        continue
                    with self.assertRaises(AccessError, msg=f"{kind} {op} {model}") as catcher:
                        records.check_access(op)
                    self.assertIn(f"({model})", str(catcher.exception))

    def test_record_rules_matrix(self):
        operations = {"r": "read", "w": "write", "u": "unlink"}
        actual = {
            label: tuple(
                "".join(
                    letter
                    for letter, op in operations.items()
                    if record.with_user(self.users[kind]).has_access(op)
                )
                for kind in USER_KINDS
            )
            for label, record in self.records.items()
        }
        self.assertEqual(actual, RECORD_MATRIX)

    def test_rep_reads_and_writes_own_records_only(self):
        """The rules hold on real reads and writes, not only in has_access()."""
        rep = self.salesman
        need = self.records["need of the rep's lead"].with_user(rep)
        need.write({"score": 4})
        self.assertEqual(need.read(["score"])[0]["score"], 4)
        other_need = self.records["need of another rep's lead"].with_user(rep)
        with self.assertRaises(AccessError):
            other_need.read(["name"])
        with self.assertRaises(AccessError):
            other_need.write({"score": 1})
        self.assertEqual(self.records["need of another rep's lead"].score, 3)

        own_task = self.records["task of the rep"].with_user(rep)
        own_task.write({"achieved_qty": 2})
        self.assertEqual(own_task.read(["achieved_qty"])[0]["achieved_qty"], 2)
        with self.assertRaises(AccessError):
            self.records["task of another rep"].with_user(rep).write({"remarks": "Mine now"})

        target = self.records["target the rep answers for"].with_user(rep)
        target.write({"remarks": "A competitor cut prices"})
        self.assertEqual(target.read(["remarks"])[0]["remarks"], "A competitor cut prices")
        with self.assertRaises(AccessError):
            self.records["target of another rep"].with_user(rep).read(["target_value"])

        # the rep completes the manager's log on their lead, but cannot delete it
        logged = self.records["follow-up a manager logged on the rep's lead"].with_user(rep)
        logged.write({"customer_feedback": "Wants a second demo"})
        with self.assertRaises(AccessError):
            logged.unlink()
        self.assertTrue(logged.exists())
        self.records["follow-up the rep logged on their lead"].with_user(rep).unlink()
        self.assertFalse(self.records["follow-up the rep logged on their lead"].exists())

        own_line = self.records["training line of the rep"].with_user(rep)
        own_line.write({"reaction_comment": "Useful role-plays"})
        self.assertEqual(own_line.read(["reaction_comment"])[0]["reaction_comment"], "Useful role-plays")
        with self.assertRaises(AccessError):
            self.records["training line of another rep"].with_user(rep).read(["user_id"])

    def test_portal_and_public_read_no_toolkit_record(self):
        for kind in ("portal", "public"):
            user = self.users[kind]
            for label, record in self.records.items():
                with self.assertRaises(AccessError, msg=f"{kind} reads the {label}"):
                    record.with_user(user).read(["display_name"])
            for model in ACL_MATRIX:
                with self.assertRaises(AccessError, msg=f"{kind} searches {model}"):
                    self.env[model].with_user(user).search([], limit=1)

    def test_extended_models_fields_are_for_sales_staff(self):
        """Fields the module adds to crm.lead and res.partner: sales staff only.

        Portal and public users read their own partner (and nothing of crm.lead): none of the
        toolkit's fields of either.
        """
        fields_by_model = {}
        for field in self.env["ir.model.fields"].search([("model", "in", ["crm.lead", "res.partner"])]):
            if field.modules == "sales_toolkit":
                fields_by_model.setdefault(field.model, []).append(field.name)
        self.assertIn("customer_tier", fields_by_model["res.partner"])
        self.assertIn("match_score", fields_by_model["crm.lead"])
        records = {"crm.lead": self.lead_own, "res.partner": self.customer}
        own_partner = {"portal": self.portal.partner_id, "public": self.public.partner_id}
        refused = []
        for model, field_names in fields_by_model.items():
            for kind in USER_KINDS:
                record = records[model]
                if model == "res.partner" and kind in own_partner:
                    # what their own partner shows them
                    record = own_partner[kind]
                    record.with_user(self.users[kind]).read(["name"])
                for field_name in field_names:
                    expected = kind in STAFF_KINDS and (
                        kind == "manager" or field_name not in MANAGER_ONLY_FIELDS.get(model, ())
                    )
                    try:
                        record.with_user(self.users[kind]).read([field_name])
                        readable = True
                    except AccessError:
                        readable = False
                    if readable != expected:
                        refused.append((model, field_name, kind, readable))
        self.assertEqual(refused, [], "(model, field, user kind, readable) against the expectation")
