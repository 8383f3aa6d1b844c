from datetime import date, datetime
from http import HTTPStatus

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import Json2Common, SalesToolkitCommon, create_team, sales_user

FOREIGN_COMPANY = "You do not work for Toolkit Company B"
FOREIGN_PARENT = "You may not modify this"
HIDDEN_RECORD = "cannot open"


class IntegrityCommon(SalesToolkitCommon):
    """The rep and a colleague each with a lead, a care plan (with an action and a log) and a
    task; the team leader leads the rep's team only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = create_team(cls.env, "Integrity Team", cls.leader, cls.salesman)
        cls.other_team = create_team(cls.env, "Other Integrity Team", None, cls.salesman_2)
        cls.customer = cls.env["res.partner"].create({"name": "Integrity Customer", "is_company": True})
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Colleague's Customer", "is_company": True}
        )
        cls.lead = cls._create_lead(name="Rep's lead")
        cls.other_lead = cls._create_lead(name="Colleague's lead", user_id=cls.salesman_2.id)
        Followup = cls.env["sales_toolkit.followup"]
        cls.followup = Followup.with_user(cls.salesman).create(
            {"lead_id": cls.lead.id, "summary": "Called the buyer", "date": date(2026, 3, 10)}
        )
        Followup.with_user(cls.salesman_2).create(
            {"lead_id": cls.other_lead.id, "summary": "Sent the quote", "date": date(2026, 1, 5)}
        )
        Plan = cls.env["sales_toolkit.care.plan"]
        cls.plan = Plan.create(
            {"partner_id": cls.customer.id, "user_id": cls.salesman.id, "date_start": date(2026, 1, 1)}
        )
        cls.other_plan = Plan.create(
            {
                "partner_id": cls.other_customer.id,
                "user_id": cls.salesman_2.id,
                "date_start": date(2026, 1, 1),
            }
        )
        Action = cls.env["sales_toolkit.care.action"]
        cls.action = Action.create({"plan_id": cls.plan.id, "name": "Quarterly call"})
        cls.other_action = Action.create({"plan_id": cls.other_plan.id, "name": "Mid-Autumn gift box"})
        Log = cls.env["sales_toolkit.care.log"]
        cls.log = Log.create(
            {
                "plan_id": cls.plan.id,
                "description": "Unhappy with the delivery",
                "date": date(2026, 3, 1),
                "satisfaction_score": 10,
            }
        )
        Log.create(
            {
                "plan_id": cls.other_plan.id,
                "description": "Satisfaction survey",
                "date": date(2026, 2, 1),
                "satisfaction_score": 90,
            }
        )
        Task = cls.env["sales_toolkit.task"]
        cls.task = Task.create(
            {
                "name": "Visit 5 customers",
                "user_id": cls.salesman.id,
                "date_start": date(2026, 3, 1),
                "date_deadline": date(2026, 3, 31),
            }
        )
        cls.other_task = Task.create(
            {
                "name": "Call 20 customers",
                "user_id": cls.salesman_2.id,
                "date_start": date(2026, 3, 1),
                "date_deadline": date(2026, 3, 31),
                "target_qty": 20,
            }
        )


@tagged("post_install", "-at_install")
class TestCompanyChanges(IntegrityCommon):
    """A record's company is one of its user's companies; a child's company is its parent's."""

    def test_rep_cannot_move_own_plan_to_another_company(self):
        with self.assertRefused(AccessError, FOREIGN_COMPANY):
            self.plan.with_user(self.salesman).company_id = self.company_b
        self.assertEqual(self.plan.company_id, self.company)
        with self.assertRefused(AccessError, FOREIGN_COMPANY):
            self.env["sales_toolkit.care.plan"].with_user(self.salesman).create(
                {"partner_id": self.customer.id, "company_id": self.company_b.id}
            )
        # nor its actions and logs, nor a follow-up (below): they follow their parent
        with self.assertRefused(AccessError, "cannot be written directly"):
            self.action.with_user(self.salesman).company_id = self.company_b
        # the plan stays where its company's people work on it, out of company B's sight
        self.plan.with_user(self.salesman).satisfaction_goal = 97
        self.plan.with_user(self.manager).satisfaction_goal = 98
        self.assertEqual(self.plan.satisfaction_goal, 98)
        with self.assertRaises(AccessError):
            self.plan.with_user(self.salesman_b).read(["name"])

    def test_leader_and_manager_move_records_to_their_own_companies_only(self):
        meeting = self.env["sales_toolkit.review.meeting"].create(
            {
                "name": "Team review",
                "team_id": self.team.id,
                "user_id": self.leader.id,
                "date_start": datetime(2026, 4, 5, 6, 0),
                "date_end": datetime(2026, 4, 5, 8, 0),
            }
        )
        for user in (self.leader, self.manager):
            for record in (self.plan, self.task, meeting):
                with self.assertRefused(AccessError, FOREIGN_COMPANY):
                    record.with_user(user).company_id = self.company_b
                self.assertEqual(record.company_id, self.company)
        # once the manager and the plan's owner work for company B too, the plan moves there;
        # its actions and logs follow it
        (self.manager | self.salesman).company_ids |= self.company_b
        self.plan.with_user(self.manager).company_id = self.company_b
        self.assertEqual((self.action.company_id, self.log.company_id), (self.company_b, self.company_b))
        self.assertEqual(self.env["sales_toolkit.care.plan"].with_user(self.salesman_b).search([]), self.plan)

    def test_other_company_user_cannot_take_a_record(self):
        with self.assertRaises(AccessError):
            self.plan.with_user(self.salesman_b).company_id = self.company_b
        with self.assertRaises(AccessError):
            self.task.with_user(self.salesman_b).write({"company_id": self.company_b.id})
        self.assertEqual(self.plan.company_id | self.task.company_id, self.company)

    def test_child_company_follows_its_parent(self):
        for user in (self.salesman, self.leader, self.manager):
            for child in (self.action, self.log, self.followup):
                with self.assertRefused(AccessError, "cannot be written directly"):
                    child.with_user(user).write({"company_id": self.company_b.id})
                self.assertEqual(child.company_id, self.company)
        # writing the parent's own company changes nothing and is harmless
        self.action.with_user(self.salesman).write({"company_id": self.company.id, "name": "Call"})
        self.assertEqual(self.action.name, "Call")

    def test_links_to_another_company_refused(self):
        partner_b = self.env["res.partner"].create({"name": "B Customer", "company_id": self.company_b.id})
        with self.assertRefused(UserError, "(?i)compan"):
            self.plan.with_user(self.salesman).partner_id = partner_b
        with self.assertRefused(UserError, "(?i)compan"):
            self.action.with_user(self.salesman).executor_id = self.salesman_b
        with self.assertRefused(UserError, "(?i)compan"):
            self.followup.with_user(self.salesman).write(
                {"next_action": "Call back", "next_action_user_id": self.salesman_b.id,
                 "next_action_deadline": date(2026, 4, 1)}
            )  # fmt: skip


@tagged("post_install", "-at_install")
class TestParentLinks(IntegrityCommon):
    """A child is created on, or moved to or from, a parent the user may modify."""

    def test_rep_cannot_move_children_onto_a_colleague_s_parent(self):
        rep = self.salesman
        dates = self.other_lead.read(["last_followup_date", "next_followup_date", "followup_count"])
        with self.assertRefused(AccessError, FOREIGN_PARENT):
            self.followup.with_user(rep).lead_id = self.other_lead
        self.assertEqual(self.followup.lead_id, self.lead)
        self.assertEqual(
            self.other_lead.read(["last_followup_date", "next_followup_date", "followup_count"]), dates
        )
        self.assertEqual(self.other_plan.satisfaction_score, 90)
        for child in (self.action, self.log):
            with self.assertRefused(AccessError, FOREIGN_PARENT):
                child.with_user(rep).plan_id = self.other_plan
            self.assertEqual(child.plan_id, self.plan)
        self.other_plan.invalidate_recordset()
        self.assertEqual(self.other_plan.satisfaction_score, 90)
        with self.assertRefused(AccessError, FOREIGN_PARENT):
            self.log.with_user(rep).action_id = self.other_action
        # nor attached there when created
        with self.assertRefused(AccessError, FOREIGN_PARENT):
            self.env["sales_toolkit.care.log"].with_user(rep).create(
                {"plan_id": self.plan.id, "action_id": self.other_action.id, "description": "Gift sent"}
            )
        # own parents stay open to the rep
        second = (
            self.env["sales_toolkit.care.plan"].with_user(rep).create({"partner_id": self.other_customer.id})
        )
        self.action.with_user(rep).plan_id = second
        self.assertEqual(second.action_ids, self.action)

    def test_sub_tasks_only_under_tasks_the_user_may_modify(self):
        values = {
            "name": "Call 5 of them",
            "date_start": date(2026, 3, 1),
            "date_deadline": date(2026, 3, 31),
            "achieved_qty": 5,
        }
        Task = self.env["sales_toolkit.task"]
        with self.assertRefused(AccessError, FOREIGN_PARENT):
            Task.with_user(self.salesman).create(dict(values, parent_id=self.other_task.id))
        sub_task = Task.with_user(self.salesman).create(dict(values, parent_id=self.task.id))
        self.assertEqual(self.task.child_ids, sub_task)
        # the leader re-plans the tasks of their team, not under another team's task
        with self.assertRefused(AccessError, FOREIGN_PARENT):
            sub_task.with_user(self.leader).parent_id = self.other_task
        self.assertFalse(self.other_task.child_ids)
        self.assertEqual(self.other_task.achieved_qty, 0)
        sub_task.with_user(self.manager).parent_id = self.other_task
        self.assertEqual(self.other_task.achieved_qty, 5)

    def test_leader_and_manager_move_children_where_their_rules_let_them(self):
        for user in (self.leader, self.manager):
            self.followup.with_user(user).lead_id = self.other_lead
            self.assertEqual(self.other_lead.followup_count, 2)
            self.followup.with_user(user).lead_id = self.lead
            self.log.with_user(user).plan_id = self.other_plan
            self.assertEqual(self.other_plan.satisfaction_score, 10)
            self.log.with_user(user).plan_id = self.plan
            self.other_plan.invalidate_recordset()
            self.assertEqual(self.other_plan.satisfaction_score, 90)

    def test_leader_moves_problems_within_the_meetings_of_their_teams(self):
        Meeting = self.env["sales_toolkit.review.meeting"]
        values = {"date_start": datetime(2026, 4, 5, 6, 0), "date_end": datetime(2026, 4, 5, 8, 0)}
        meeting = Meeting.create(
            dict(
                values,
                name="Team review",
                team_id=self.team.id,
                attendee_ids=[Command.set(self.salesman.ids)],
            )
        )
        other_meeting = Meeting.create(dict(values, name="Other team review", team_id=self.other_team.id))
        # an attendee still brings their own problem to a meeting they cannot edit
        problem = (
            self.env["sales_toolkit.review.problem"]
            .with_user(self.salesman)
            .create({"meeting_id": meeting.id, "description": "Lost 3 customers to a price cut"})
        )
        with self.assertRefused(UserError, "before it is held"):
            problem.with_user(self.salesman).meeting_id = other_meeting
        with self.assertRefused(AccessError, FOREIGN_PARENT):
            problem.with_user(self.leader).meeting_id = other_meeting
        self.assertEqual(problem.meeting_id, meeting)
        problem.with_user(self.manager).meeting_id = other_meeting
        self.assertEqual(other_meeting.problem_ids, problem)

    def test_other_company_user_cannot_attach_children(self):
        with self.assertRaises(AccessError):
            self.env["sales_toolkit.followup"].with_user(self.salesman_b).create(
                {"lead_id": self.lead.id, "summary": "Not my company's lead"}
            )
        with self.assertRaises(AccessError):
            self.env["sales_toolkit.care.log"].with_user(self.salesman_b).create(
                {"plan_id": self.plan.id, "description": "Not my company's plan", "satisfaction_score": 1}
            )
        self.assertEqual(len(self.plan.log_ids), 1)


@tagged("post_install", "-at_install")
class TestActivityAssignees(IntegrityCommon):
    """Activities on the module's records go to users who can open them."""

    def _schedule(self, user, record, assignee):
        return record.with_user(user).activity_schedule(
            "mail.mail_activity_data_todo", summary="Call the customer", user_id=assignee.id
        )

    def test_rep_cannot_assign_own_records_to_a_colleague_who_cannot_open_them(self):
        for record in (self.plan, self.task):
            with self.assertRefused(UserError, HIDDEN_RECORD):
                self._schedule(self.salesman, record, self.salesman_2)
            activity = self._schedule(self.salesman, record, self.leader)
            with self.assertRefused(UserError, HIDDEN_RECORD):
                activity.with_user(self.salesman).user_id = self.salesman_2
            self.assertEqual(activity.user_id, self.leader)
        self.assertFalse(self.plan.with_user(self.salesman_2).search_count([("id", "=", self.plan.id)]))

    def test_leader_and_manager_assign_to_who_can_open(self):
        for user in (self.leader, self.manager):
            with self.assertRefused(UserError, HIDDEN_RECORD):
                self._schedule(user, self.plan, self.salesman_2)
            with self.assertRefused(UserError, HIDDEN_RECORD):
                self._schedule(user, self.plan, self.salesman_b)
            self.assertEqual(self._schedule(user, self.plan, self.salesman).user_id, self.salesman)

    def test_next_action_of_a_follow_up_for_someone_who_can_open_the_lead(self):
        values = {"next_action": "Send the quote", "next_action_deadline": date(2026, 4, 1)}
        with self.assertRefused(UserError, HIDDEN_RECORD):
            self.followup.with_user(self.salesman).write(dict(values, next_action_user_id=self.salesman_2.id))
        self.assertFalse(self.followup.activity_id)
        self.followup.with_user(self.salesman).write(dict(values, next_action_user_id=self.leader.id))
        self.assertEqual(self.followup.activity_id.user_id, self.leader)
        with self.assertRefused(UserError, HIDDEN_RECORD):
            self.followup.with_user(self.leader).next_action_user_id = self.salesman_2
        self.assertEqual(self.followup.activity_id.user_id, self.leader)

    def test_scheduled_jobs_keep_their_assignees(self):
        """The superuser's jobs pick the records' own people: they are not held up."""
        self.action.write({"next_date": date(2020, 1, 1), "executor_id": self.salesman_2.id})
        with self.no_commit():
            self.env["sales_toolkit.care.plan"]._cron_schedule_care_actions()
        self.assertEqual(self.plan.activity_ids.user_id, self.salesman_2)


@tagged("post_install", "-at_install")
class TestReportsFollowRecordRules(IntegrityCommon):
    """A printed report shows its reader what the form shows them, no line more."""

    _april = {"date_start": date(2026, 4, 6), "date_deadline": date(2026, 4, 30)}  # noqa: RUF012

    def _html(self, user, report, records):
        self.env.invalidate_all()  # as in a new request: nothing read before by another user
        return (
            self.env["ir.actions.report"].with_user(user)._render_qweb_html(report, records.ids)[0].decode()
        )

    def _training(self):
        training = self.env["sales_toolkit.training"].create(
            {
                "name": "Negotiation training",
                "date_start": date(2020, 4, 1),
                "date_end": date(2020, 4, 2),
                "user_id": self.manager.id,
            }
        )
        scores = {self.salesman: (55, 80), self.salesman_2: (62, 85), self.leader: (58, 78)}
        for user, (pre, post) in scores.items():
            self.env["sales_toolkit.training.participant"].create(
                {"training_id": training.id, "user_id": user.id, "pre_score": pre, "post_score": post}
            )
        product = self.env["product.product"].create({"name": "Trained Product", "taxes_id": False})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.other_customer.id,
                "user_id": self.salesman_2.id,
                "order_line": [Command.create({"product_id": product.id, "price_unit": 12345.67})],
            }
        )
        order.action_confirm()
        order.date_order = datetime(2020, 4, 10, 4)
        training._toolkit_refresh_results()
        return training

    def test_training_evaluation_shows_a_rep_their_own_line(self):
        training = self._training()
        html = self._html(self.salesman, "sales_toolkit.action_report_training_evaluation", training)
        participants = html.split("o_toolkit_training_participants")[1].split("</table>")[0]
        self.assertEqual(participants.count("<tr"), 2, "the header and the rep's line")
        self.assertIn("Rep Zhang", html)
        for colleague in ("Rep Li", "Leader Wang", "12,345.67", ">85<", ">62<", ">78<"):
            self.assertNotIn(colleague, html)
        # the averages the form shows the rep
        self.assertEqual(training.with_user(self.salesman).avg_post_score, 80)
        self.assertIn("80.0", html)

    def test_training_evaluation_shows_a_leader_their_team_and_a_manager_everything(self):
        training = self._training()
        html = self._html(self.leader, "sales_toolkit.action_report_training_evaluation", training)
        self.assertIn("Rep Zhang", html)
        self.assertIn("Leader Wang", html)
        self.assertNotIn("Rep Li", html)
        self.assertNotIn("12,345.67", html)
        html = self._html(self.manager, "sales_toolkit.action_report_training_evaluation", training)
        for name in ("Rep Zhang", "Rep Li", "Leader Wang", "12,345.67", "81.0"):
            self.assertIn(name, html)
        with self.assertRaises(AccessError):
            self._html(self.salesman_b, "sales_toolkit.action_report_training_evaluation", training)

    def test_meeting_minutes_show_an_attendee_what_they_may_read(self):
        sheet = self.env["sales_toolkit.analysis"].create(
            {"date_from": date(2026, 1, 1), "scope": "team", "team_id": self.team.id}
        )
        self.env["sales_toolkit.analysis.line"].with_context(toolkit_analysis_generate=True).create(
            {"analysis_id": sheet.id, "dimension": "overall", "kpi": "revenue", "actual_value": 98765.43}
        )
        meeting = self.env["sales_toolkit.review.meeting"].create(
            {
                "name": "Team review",
                "team_id": self.team.id,
                "analysis_id": sheet.id,
                "date_start": datetime(2026, 4, 5, 6, 0),
                "date_end": datetime(2026, 4, 5, 8, 0),
                "attendee_ids": [Command.set((self.salesman | self.salesman_2).ids)],
                "action_item_ids": [
                    Command.create(
                        {
                            "name": "Rep's item",
                            "user_id": self.salesman.id,
                            **self._april,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Colleague's item",
                            "user_id": self.salesman_2.id,
                            **self._april,
                        }
                    ),
                ],
            }
        )
        report = "sales_toolkit.action_report_review_meeting"
        # the form shows an attendee of another team their own item and none of the team's figures
        form = meeting.with_user(self.salesman_2).web_read(
            {
                "analysis_line_ids": {"fields": {"actual_value": {}}},
                "action_item_ids": {"fields": {"name": {}}},
            }
        )
        self.assertEqual(form[0]["analysis_line_ids"], [])
        self.assertEqual([item["name"] for item in form[0]["action_item_ids"]], ["Colleague's item"])
        html = self._html(self.salesman, report, meeting)
        self.assertIn("Rep&#39;s item", html)
        self.assertIn("98,765.43", html)
        self.assertNotIn("Colleague&#39;s item", html)
        # an attendee of another team reads the meeting, not the team's analysis sheet
        html = self._html(self.salesman_2, report, meeting)
        self.assertIn("Colleague&#39;s item", html)
        self.assertNotIn("Rep&#39;s item", html)
        self.assertNotIn("98,765.43", html)
        html = self._html(self.manager, report, meeting)
        for text in ("Rep&#39;s item", "Colleague&#39;s item", "98,765.43"):
            self.assertIn(text, html)


@tagged("post_install", "-at_install")
class TestIntegrityJson2(Json2Common):
    """The same refusals through Odoo's external JSON-2 API, with the rep's API key."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = sales_user(cls.env, "st_api_rep", "rep", "API Rep")
        cls.colleague = sales_user(cls.env, "st_api_colleague", "rep", "API Colleague")
        cls.company_b = cls.env["res.company"].create({"name": "API Company B"})
        cls.rep_key = cls._api_key(cls.rep)
        Plan = cls.env["sales_toolkit.care.plan"]
        customer = cls.env["res.partner"].create({"name": "API Customer", "is_company": True})
        cls.plan = Plan.create({"partner_id": customer.id, "user_id": cls.rep.id})
        cls.other_plan = Plan.create({"partner_id": customer.id, "user_id": cls.colleague.id})
        cls.log = cls.env["sales_toolkit.care.log"].create(
            {"plan_id": cls.plan.id, "description": "Complaint", "satisfaction_score": 10}
        )

    def test_rep_cannot_move_a_plan_to_another_company(self):
        self.assertWriteCallRefused(
            self.rep_key,
            self.plan,
            {"company_id": self.company_b.id},
            "AccessError",
            "You do not work for API Company B: put the Relationship Care Plan in one of your companies.",
            HTTPStatus.FORBIDDEN,
        )
        self.assertEqual(self.plan.company_id, self.env.company)

    def test_rep_cannot_move_a_log_onto_a_colleague_s_plan(self):
        self.assertWriteCallRefused(
            self.rep_key,
            self.log,
            {"plan_id": self.other_plan.id},
            "AccessError",
            "You may not modify this Relationship Care Plan, so you cannot add a Relationship Care "
            "Execution to it or move one to or from it: ask its owner or a sales manager.",
            HTTPStatus.FORBIDDEN,
        )
        self.assertEqual(self.log.plan_id, self.plan)

    def test_rep_cannot_assign_an_activity_to_who_cannot_open_the_plan(self):
        self.assertCallRefused(
            self.rep_key,
            "mail.activity",
            "create",
            "UserError",
            f"API Colleague cannot open Relationship Care Plan “{self.plan.name}”: assign the activity "
            "to someone who can, or give API Colleague access first.",
            HTTPStatus.UNPROCESSABLE_ENTITY,
            vals_list=[
                {
                    "res_model_id": self.env["ir.model"]._get_id("sales_toolkit.care.plan"),
                    "res_id": self.plan.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                    "user_id": self.colleague.id,
                }
            ],
        )
        self.assertFalse(self.plan.activity_ids)
