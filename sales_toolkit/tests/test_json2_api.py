from datetime import date, datetime
from http import HTTPStatus

from odoo.tests import tagged
from odoo.tools import format_amount

from .common import Json2Common, create_team, sales_user


@tagged("post_install", "-at_install")
class TestJson2Api(Json2Common):
    """Bad input through Odoo's external JSON-2 API meets the same rules as in the UI.

    Each call is refused with the message the form shows, and nothing is stored.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = sales_user(cls.env, "st_api_rep", "rep", "API Rep")
        cls.manager = sales_user(cls.env, "st_api_manager", "manager", "API Manager")
        cls.team = cls.env["crm.team"].create({"name": "API Team", "user_id": cls.manager.id})
        cls.rep_key = cls._api_key(cls.rep)
        cls.manager_key = cls._api_key(cls.manager)
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "API Co.",
                "type": "opportunity",
                "user_id": cls.rep.id,
                "budget_min": 100000,
                "budget_max": 150000,
            }
        )
        cls.need = cls.env["sales_toolkit.need"].create(
            {"lead_id": cls.lead.id, "name": "Delivery within 15 days", "score": 4}
        )
        cls.target = cls.env["sales_toolkit.target"].create(
            {
                "name": "API Rep Q1",
                "date_from": date(2024, 1, 1),
                "owner_id": cls.rep.id,
                "user_id": cls.rep.id,
                "target_value": 500000,
            }
        )
        cls.task = cls.env["sales_toolkit.task"].create(
            {
                "name": "Visit 5 customers",
                "user_id": cls.rep.id,
                "date_start": date(2024, 3, 1),
                "date_deadline": date(2024, 3, 31),
            }
        )
        cls.sheet = cls.env["sales_toolkit.analysis"].create({"date_from": date(2024, 1, 1)})
        # lines come from generating the sheet, which runs as the superuser
        cls.line = (
            cls.env["sales_toolkit.analysis.line"]
            .with_context(toolkit_analysis_generate=True)
            .create({"analysis_id": cls.sheet.id, "dimension": "overall", "kpi": "revenue"})
        )

    def test_create_through_json2(self):
        response = self.assertCallSucceeds(
            self.rep_key,
            "sales_toolkit.need",
            "create",
            vals_list=[{"lead_id": self.lead.id, "name": "Cut cost by 20%", "score": 5}],
        )
        need = self.env["sales_toolkit.need"].browse(response.json())
        self.assertEqual(len(need), 1)
        self.assertRecordValues(need, [{"name": "Cut cost by 20%", "score": 5, "lead_id": self.lead.id}])
        self.assertEqual(self.lead.match_score, 9)

    def test_lead_budget_range(self):
        amount = self.env.company.currency_id
        message = (
            "Lead “%s”: the budget starts at %s but ends at %s. "
            "Enter the range from the lower to the higher amount."
        )
        response = self._call(
            self.rep_key,
            "crm.lead",
            "create",
            vals_list=[{"name": "Backwards Co.", "budget_min": 200000, "budget_max": 150000}],
        )
        expected = message % (
            "Backwards Co.",
            format_amount(self.env, 200000, amount),
            format_amount(self.env, 150000, amount),
        )
        self.assertApiRefused(response, "ValidationError", expected)
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "Backwards Co.")]))

        response = self._call(
            self.rep_key, "crm.lead", "write", ids=self.lead.ids, vals={"budget_min": 300000}
        )
        expected = message % (
            "API Co.",
            format_amount(self.env, 300000, amount),
            format_amount(self.env, 150000, amount),
        )
        self.assertApiRefused(response, "ValidationError", expected)
        self.lead.invalidate_recordset()
        self.assertRecordValues(self.lead, [{"budget_min": 100000, "budget_max": 150000}])

    def test_need_score_out_of_range(self):
        self.assertCallRefused(
            self.rep_key,
            "sales_toolkit.need",
            "create",
            "ValidationError",
            "The score of need “Custom features” is 9: score each need from 1 (no match) to 5 (full match).",
            vals_list=[{"lead_id": self.lead.id, "name": "Custom features", "score": 9}],
        )
        self.assertEqual(self.lead.need_ids, self.need)

        self.assertWriteCallRefused(
            self.rep_key,
            self.need,
            {"score": 0},
            "ValidationError",
            "The score of need “Delivery within 15 days” is 0: score each need from 1 (no match) to 5 "
            "(full match).",
        )
        self.need.invalidate_recordset()
        self.assertEqual(self.need.score, 4)

    def test_target_values_and_period(self):
        Target = self.env["sales_toolkit.target"]
        bad_inputs = [
            ({"target_value": -1}, "A target value cannot be negative."),
            (
                {"period_type": "custom", "date_from": "2024-03-01", "date_to": "2024-02-01"},
                "A target's period cannot end before it starts.",
            ),
        ]
        for vals, message in bad_inputs:
            with self.subTest(vals=vals):
                self.assertCallRefused(
                    self.manager_key,
                    "sales_toolkit.target",
                    "create",
                    "ValidationError",
                    message,
                    vals_list=[dict({"name": "Bad target", "date_from": "2024-01-01"}, **vals)],
                )
                self.assertFalse(Target.search([("name", "=", "Bad target")]))
                self.assertWriteCallRefused(self.manager_key, self.target, vals, "ValidationError", message)
        self.target.invalidate_recordset()
        self.assertRecordValues(
            self.target,
            [{"target_value": 500000, "date_from": date(2024, 1, 1), "date_to": date(2024, 3, 31)}],
        )

    def test_rep_cannot_set_target_value(self):
        self.assertWriteCallRefused(
            self.rep_key,
            self.target,
            {"target_value": 1},
            "AccessError",
            "Only sales managers set and revise targets; you can add remarks to your own targets.",
            status=HTTPStatus.FORBIDDEN,
        )
        self.target.invalidate_recordset()
        self.assertEqual(self.target.target_value, 500000)
        # the remarks are the rep's
        self.assertWriteCallSucceeds(self.rep_key, self.target, {"remarks": "Competitor cut prices"})
        self.target.invalidate_recordset()
        self.assertEqual(self.target.remarks, "Competitor cut prices")

    def test_states_only_through_actions(self):
        """A context sent by the client does not open the door the actions use."""
        calls = [
            (
                "sales_toolkit.target",
                self.target,
                {"toolkit_target_action": True},
                {"state": "closed"},
                "Use Confirm, Close and Reopen to change the state of a target.",
            ),
            (
                "sales_toolkit.analysis",
                self.sheet,
                {"toolkit_analysis_action": True},
                {"state": "closed"},
                "Use Generate, Close and Reopen to change the state of a sheet.",
            ),
            (
                "sales_toolkit.analysis.line",
                self.line,
                {"toolkit_analysis_generate": True},
                {"actual_value": 1000000},
                "The figures of an analysis line are measured from the sales records; "
                "they cannot be typed in.",
            ),
        ]
        for model, record, context, vals, message in calls:
            with self.subTest(model=model):
                self.assertCallRefused(
                    self.manager_key,
                    model,
                    "write",
                    "UserError",
                    message,
                    ids=record.ids,
                    context=context,
                    vals=vals,
                )
        self.assertCallRefused(
            self.manager_key,
            "sales_toolkit.target",
            "create",
            "UserError",
            "Use Confirm, Close and Reopen to change the state of a target.",
            vals_list=[{"name": "Closed at birth", "date_from": "2024-01-01", "state": "closed"}],
            context={"toolkit_target_action": True},
        )
        self.assertCallRefused(
            self.manager_key,
            "sales_toolkit.analysis.line",
            "create",
            "UserError",
            "Analysis lines come from generating the sheet; they cannot be added by hand.",
            vals_list=[{"analysis_id": self.sheet.id, "dimension": "overall", "kpi": "order_count"}],
            context={"toolkit_analysis_generate": True},
        )
        self.assertFalse(self.env["sales_toolkit.target"].search([("name", "=", "Closed at birth")]))
        self.assertEqual(self.sheet.line_ids, self.line)
        self.env.invalidate_all()
        self.assertEqual((self.target.state, self.sheet.state, self.line.actual_value), ("draft", "draft", 0))

    def test_task_dates_and_state(self):
        response = self._call(
            self.rep_key,
            "sales_toolkit.task",
            "create",
            vals_list=[{"name": "Backwards task", "date_start": "2024-03-10", "date_deadline": "2024-03-01"}],
        )
        self.assertApiRefused(response, "ValidationError", "Backwards task cannot end before it starts.")
        self.assertFalse(self.env["sales_toolkit.task"].search([("name", "=", "Backwards task")]))
        for context in ({}, {"toolkit_task_system": True}):
            with self.subTest(context=context):
                self.assertCallRefused(
                    self.rep_key,
                    "sales_toolkit.task",
                    "write",
                    "UserError",
                    "Use Start, Mark Done, Accept and Send Back to move a task on.",
                    ids=self.task.ids,
                    vals={"state": "done"},
                    context=context,
                )
        self.assertWriteCallRefused(
            self.rep_key,
            self.task,
            {"date_start": "2024-04-15"},
            "ValidationError",
            "Visit 5 customers cannot end before it starts.",
        )
        self.task.invalidate_recordset()
        self.assertRecordValues(self.task, [{"state": "todo", "date_start": date(2024, 3, 1)}])

    def assertTrainingsRefused(self, name, bad_inputs):
        """Each (values, message) of ``bad_inputs`` creates no training ``name``: refused with the message."""
        for vals, message in bad_inputs:
            with self.subTest(vals=vals):
                self.assertCallRefused(
                    self.manager_key,
                    "sales_toolkit.training",
                    "create",
                    "ValidationError",
                    message,
                    vals_list=[dict({"name": name, "user_id": self.manager.id}, **vals)],
                )
        self.assertFalse(self.env["sales_toolkit.training"].search([("name", "=", name)]))

    def test_training_dates_and_cost(self):
        bad_inputs = [
            (
                {"date_start": "2024-04-02", "date_end": "2024-04-01"},
                "Bad training cannot end before it starts.",
            ),
            ({"cost": -600}, "The cost of a training cannot be negative."),
        ]
        self.assertTrainingsRefused("Bad training", bad_inputs)

    def test_impossible_dates(self):
        """A date out of 1900-2200, or no date at all, is refused with a clear message (422),
        never a server error (500), and nothing is stored."""
        outside = "is outside the dates the module works with (1900-01-01 to 2200-12-31). Check the year."
        bad_inputs = [
            ({"date_start": "9999-09-30", "date_end": "9999-09-30"}, f"Start: 9999-09-30 {outside}"),
            ({"date_start": "0001-01-01", "date_end": "2024-01-01"}, f"Start: 0001-01-01 {outside}"),
            ({"date_start": "2024-02-30"}, "Start: “2024-02-30” is not a date. Enter it as YYYY-MM-DD."),
            (
                {"date_start": "2024-02-01", "date_end": "2024-02-30"},
                "End: “2024-02-30” is not a date. Enter it as YYYY-MM-DD.",
            ),
        ]
        self.assertTrainingsRefused("Impossible training", bad_inputs)
        self.assertWriteCallRefused(
            self.rep_key,
            self.task,
            {"date_start": "0001-01-01"},
            "ValidationError",
            f"Planned Start: 0001-01-01 {outside}",
        )
        self.task.invalidate_recordset()
        self.assertEqual(self.task.date_start, date(2024, 3, 1))

    def test_meeting_end_before_start(self):
        self.assertCallRefused(
            self.manager_key,
            "sales_toolkit.review.meeting",
            "create",
            "ValidationError",
            "Backwards review cannot end before it starts.",
            vals_list=[
                {
                    "name": "Backwards review",
                    "team_id": self.team.id,
                    "date_start": "2024-04-05 08:00:00",
                    "date_end": "2024-04-05 06:00:00",
                }
            ],
        )
        self.assertFalse(self.env["sales_toolkit.review.meeting"].search([("name", "=", "Backwards review")]))

    def test_vague_root_cause(self):
        self.assertWriteCallRefused(
            self.manager_key,
            self.line,
            {"root_cause": "The market is bad."},
            "ValidationError",
            f"{self.line.display_name}: the root cause is too vague. Say what changed, where and how much "
            "(e.g. 'competitor cut price 10%, 3 customers lost'), not 'the market is bad'.",
        )
        self.line.invalidate_recordset()
        self.assertFalse(self.line.root_cause)


@tagged("post_install", "-at_install")
class TestJson2FieldRights(Json2Common):
    """Field-level rights hold through JSON-2 with each group's API key, whatever context is sent.

    Refused writes answer with the message the ORM gives and store nothing; the buttons that
    own those fields work through the API as in the form.
    """

    # the flags the module's own code once relied on: a client sending them unlocks nothing
    FORGED_CONTEXT = {
        "toolkit_task_system": True,
        "toolkit_target_action": True,
        "toolkit_training_action": True,
        "toolkit_analysis_action": True,
        "toolkit_analysis_generate": True,
    }
    SYSTEM = (
        "is kept by the toolkit itself, through its buttons, computations and scheduled jobs: it cannot "
        "be written directly."
    )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = sales_user(cls.env, "st_rights_rep", "rep", "Rights Rep")
        cls.rep_2 = sales_user(cls.env, "st_rights_rep_2", "rep", "Rep Two")
        cls.leader = sales_user(cls.env, "st_rights_leader", "leader", "Rights Leader")
        cls.manager = sales_user(cls.env, "st_rights_manager", "manager", "Rights Manager")
        cls.team = create_team(cls.env, "Rights API Team", cls.leader, cls.rep)
        cls.keys = {user: cls._api_key(user) for user in (cls.rep, cls.leader, cls.manager)}
        cls.lead = cls.env["crm.lead"].create(
            {"name": "Rights Co.", "type": "opportunity", "user_id": cls.rep.id, "team_id": cls.team.id}
        )
        cls.env["sales_toolkit.need"].create({"lead_id": cls.lead.id, "name": "Fast delivery", "score": 3})
        cls.task = cls.env["sales_toolkit.task"].create(
            {
                "name": "Visit 5 customers",
                "user_id": cls.rep.id,
                "date_start": date(2024, 3, 1),
                "date_deadline": date(2024, 3, 31),
            }
        )
        cls.customer = cls.env["res.partner"].create({"name": "Rights Customer", "is_company": True})
        cls.meeting = cls.env["sales_toolkit.review.meeting"].create(
            {
                "name": "Q1 review",
                "team_id": cls.team.id,
                "user_id": cls.leader.id,
                "date_start": datetime(2024, 4, 5, 6, 0),
                "date_end": datetime(2024, 4, 5, 8, 0),
            }
        )
        training = cls.env["sales_toolkit.training"].create(
            {
                "name": "Negotiation",
                "date_start": date(2024, 4, 1),
                "date_end": date(2024, 4, 2),
                "user_id": cls.manager.id,
            }
        )
        cls.line = cls.env["sales_toolkit.training.participant"].create(
            {"training_id": training.id, "user_id": cls.rep.id}
        )
        cls.issue = cls.env["sales_toolkit.followup"].create(
            {"lead_id": cls.lead.id, "summary": "Machine stopped", "kind": "issue", "user_id": cls.rep.id}
        )

    def _call(self, user, model, method, **body):
        return super()._call(self.keys[user], model, method, **body)

    def assertWriteRefused(self, user, record, vals, message):
        before = record.read(list(vals))
        self.assertCallRefused(
            user,
            record._name,
            "write",
            "AccessError",
            message,
            status=HTTPStatus.FORBIDDEN,
            ids=record.ids,
            vals=vals,
            context=self.FORGED_CONTEXT,
        )
        record.invalidate_recordset()
        self.assertEqual(record.read(list(vals)), before)

    def test_lead_system_and_reviewer_fields(self):
        for fname, value, label in (
            ("match_score", 25, "Match Score"),
            ("needs_review", True, "Needs Review"),
            ("followup_state", "overdue", "Follow-up State"),
        ):
            with self.subTest(field=fname):
                self.assertWriteRefused(self.rep, self.lead, {fname: value}, f"{label} (Lead) {self.SYSTEM}")
                self.assertWriteRefused(
                    self.manager, self.lead, {fname: value}, f"{label} (Lead) {self.SYSTEM}"
                )
        self.assertWriteRefused(
            self.rep,
            self.lead,
            {"verified_by_id": self.rep.id},
            "Only sales team leaders and managers can change Verified By (Lead).",
        )
        self.assertCallRefused(
            self.rep,
            "crm.lead",
            "create",
            "AccessError",
            f"Match Level (Lead) {self.SYSTEM}",
            status=HTTPStatus.FORBIDDEN,
            vals_list=[{"name": "High at birth", "match_level": "high"}],
        )
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "High at birth")]))
        # the form shows them read-only to the rep
        response = self._call(
            self.rep,
            "crm.lead",
            "fields_get",
            allfields=["match_score", "verified_by_id"],
            attributes=["readonly"],
        )
        self.assertEqual(
            response.json(), {"match_score": {"readonly": True}, "verified_by_id": {"readonly": True}}
        )
        # the leader verifies, through the button or the field
        self.assertCallSucceeds(self.leader, "crm.lead", "action_toolkit_verify", ids=self.lead.ids)
        self.assertEqual(self.lead.verified_by_id, self.leader)

    def test_task_reviewer(self):
        self.assertCallRefused(
            self.rep,
            "sales_toolkit.task",
            "create",
            "AccessError",
            "Only sales team leaders and managers can change Reviewer (Sales Task).",
            status=HTTPStatus.FORBIDDEN,
            vals_list=[
                {
                    "name": "Reviewed by a friend",
                    "reviewer_id": self.rep_2.id,
                    "date_start": "2024-03-01",
                    "date_deadline": "2024-03-31",
                }
            ],
            context=self.FORGED_CONTEXT,
        )
        self.assertFalse(self.env["sales_toolkit.task"].search([("name", "=", "Reviewed by a friend")]))
        self.assertWriteCallRefused(
            self.rep,
            self.task,
            {"reviewer_id": self.rep.id},
            "AccessError",
            "You report the progress of your tasks (achieved quantity, dates, remarks); the reviewer or a "
            "team leader changes the rest.",
            status=HTTPStatus.FORBIDDEN,
        )
        self.assertEqual(self.task.reviewer_id, self.leader)
        self.assertWriteCallSucceeds(self.leader, self.task, {"reviewer_id": self.rep_2.id})
        self.task.invalidate_recordset()
        self.assertEqual(self.task.reviewer_id, self.rep_2)

    def test_customer_tier(self):
        message = f"Customer Tier (Contact) {self.SYSTEM}"
        for user in (self.rep, self.leader, self.manager):
            with self.subTest(user=user.login):
                self.assertWriteRefused(user, self.customer, {"customer_tier": "vip"}, message)
        self.assertWriteCallSucceeds(
            self.manager,
            self.customer,
            {"tier_override": "vip", "tier_override_reason": "Group buyer of three plants"},
        )
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.customer_tier, "vip")
        self.assertIn("Group buyer of three plants", self.customer.message_ids[0].body)

    def test_meeting_state(self):
        message = f"State (Sales Review Meeting) {self.SYSTEM}"
        for user in (self.leader, self.manager):
            with self.subTest(user=user.login):
                self.assertWriteRefused(user, self.meeting, {"state": "minutes_sent"}, message)
        self.assertCallSucceeds(
            self.leader, "sales_toolkit.review.meeting", "action_hold", ids=self.meeting.ids
        )
        self.meeting.invalidate_recordset()
        self.assertEqual(self.meeting.state, "held")

    def test_participant_passed_and_satisfaction(self):
        self.assertWriteRefused(
            self.manager,
            self.line,
            {"passed": True},
            f"Passed (Sales Training Participant) {self.SYSTEM}",
        )
        # JSON-2 hands the float to the integer field as it is: refused, not cut to 4
        self.assertWriteCallRefused(
            self.rep,
            self.line,
            {"satisfaction": 4.7},
            "ValidationError",
            "Satisfaction (1-5) takes a whole number, not 4.7.",
        )
        self.line.invalidate_recordset()
        self.assertEqual(self.line.satisfaction, 0)
        self.assertWriteCallSucceeds(self.rep, self.line, {"satisfaction": 4})
        self.line.invalidate_recordset()
        self.assertEqual(self.line.satisfaction, 4)

    def test_followup_service_level(self):
        for fname, value, label in (
            ("responded_date", "2024-01-01 09:00:00", "Responded On"),
            ("reported_date", "2024-01-01 08:00:00", "Reported On"),
            ("probability", 99, "Probability When Logged"),
        ):
            with self.subTest(field=fname):
                self.assertWriteRefused(
                    self.rep, self.issue, {fname: value}, f"{label} (Follow-up Log) {self.SYSTEM}"
                )
        self.assertCallSucceeds(
            self.rep, "sales_toolkit.followup", "action_mark_responded", ids=self.issue.ids
        )
        self.issue.invalidate_recordset()
        self.assertTrue(self.issue.responded_date)
