import json
from datetime import date, datetime, timedelta
from http import HTTPStatus

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import format_amount, mute_logger


@tagged("post_install", "-at_install")
class TestJson2Api(HttpCase):
    """Bad input through Odoo's external JSON-2 API meets the same rules as in the UI.

    Each call is refused with the message the form shows, and nothing is stored.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(
            cls.env, "st_api_rep", groups="sales_team.group_sale_salesman", name="API Rep"
        )
        cls.manager = new_test_user(
            cls.env, "st_api_manager", groups="sales_team.group_sale_manager", name="API Manager"
        )
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

    @classmethod
    def _api_key(cls, user):
        return (
            cls.env["res.users.apikeys"]
            .with_user(user)
            ._generate(
                scope="rpc", name="sales_toolkit test", expiration_date=datetime.now() + timedelta(hours=12)
            )
        )

    def _call(self, key, model, method, **body):
        with mute_logger("odoo.http"):
            return self.url_open(
                f"/json/2/{model}/{method}",
                data=json.dumps(body, default=str),
                headers={"Content-Type": "application/json", "Authorization": f"bearer {key}"},
            )

    def assertApiRefused(self, response, error, message, status=HTTPStatus.UNPROCESSABLE_ENTITY):
        """The call failed with ``error`` and exactly the message the user reads in the UI."""
        self.assertEqual(response.status_code, status, response.text)
        body = response.json()
        self.assertEqual(body["name"], f"odoo.exceptions.{error}")
        self.assertEqual(body["message"], message)

    def test_create_through_json2(self):
        response = self._call(
            self.rep_key,
            "sales_toolkit.need",
            "create",
            vals_list=[{"lead_id": self.lead.id, "name": "Cut cost by 20%", "score": 5}],
        )
        self.assertEqual(response.status_code, HTTPStatus.OK, response.text)
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
        response = self._call(
            self.rep_key,
            "sales_toolkit.need",
            "create",
            vals_list=[{"lead_id": self.lead.id, "name": "Custom features", "score": 9}],
        )
        self.assertApiRefused(
            response,
            "ValidationError",
            "The score of need “Custom features” is 9: score each need from 1 (no match) to 5 (full match).",
        )
        self.assertEqual(self.lead.need_ids, self.need)

        response = self._call(
            self.rep_key, "sales_toolkit.need", "write", ids=self.need.ids, vals={"score": 0}
        )
        self.assertApiRefused(
            response,
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
                response = self._call(
                    self.manager_key,
                    "sales_toolkit.target",
                    "create",
                    vals_list=[dict({"name": "Bad target", "date_from": "2024-01-01"}, **vals)],
                )
                self.assertApiRefused(response, "ValidationError", message)
                self.assertFalse(Target.search([("name", "=", "Bad target")]))
                response = self._call(
                    self.manager_key, "sales_toolkit.target", "write", ids=self.target.ids, vals=vals
                )
                self.assertApiRefused(response, "ValidationError", message)
        self.target.invalidate_recordset()
        self.assertRecordValues(
            self.target,
            [{"target_value": 500000, "date_from": date(2024, 1, 1), "date_to": date(2024, 3, 31)}],
        )

    def test_rep_cannot_set_target_value(self):
        response = self._call(
            self.rep_key, "sales_toolkit.target", "write", ids=self.target.ids, vals={"target_value": 1}
        )
        self.assertApiRefused(
            response,
            "AccessError",
            "Only sales managers set and revise targets; you can add remarks to your own targets.",
            status=HTTPStatus.FORBIDDEN,
        )
        self.target.invalidate_recordset()
        self.assertEqual(self.target.target_value, 500000)
        # the remarks are the rep's
        response = self._call(
            self.rep_key,
            "sales_toolkit.target",
            "write",
            ids=self.target.ids,
            vals={"remarks": "Competitor cut prices"},
        )
        self.assertEqual(response.status_code, HTTPStatus.OK, response.text)
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
                response = self._call(
                    self.manager_key, model, "write", ids=record.ids, context=context, vals=vals
                )
                self.assertApiRefused(response, "UserError", message)
        response = self._call(
            self.manager_key,
            "sales_toolkit.target",
            "create",
            vals_list=[{"name": "Closed at birth", "date_from": "2024-01-01", "state": "closed"}],
            context={"toolkit_target_action": True},
        )
        self.assertApiRefused(
            response, "UserError", "Use Confirm, Close and Reopen to change the state of a target."
        )
        response = self._call(
            self.manager_key,
            "sales_toolkit.analysis.line",
            "create",
            vals_list=[{"analysis_id": self.sheet.id, "dimension": "overall", "kpi": "order_count"}],
            context={"toolkit_analysis_generate": True},
        )
        self.assertApiRefused(
            response,
            "UserError",
            "Analysis lines come from generating the sheet; they cannot be added by hand.",
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
        self.assertApiRefused(response, "ValidationError", "A task cannot end before it starts.")
        self.assertFalse(self.env["sales_toolkit.task"].search([("name", "=", "Backwards task")]))
        for context in ({}, {"toolkit_task_system": True}):
            with self.subTest(context=context):
                response = self._call(
                    self.rep_key,
                    "sales_toolkit.task",
                    "write",
                    ids=self.task.ids,
                    vals={"state": "done"},
                    context=context,
                )
                self.assertApiRefused(
                    response, "UserError", "Use Start, Mark Done, Accept and Send Back to move a task on."
                )
        response = self._call(
            self.rep_key,
            "sales_toolkit.task",
            "write",
            ids=self.task.ids,
            vals={"date_start": "2024-04-15"},
        )
        self.assertApiRefused(response, "ValidationError", "Visit 5 customers cannot end before it starts.")
        self.task.invalidate_recordset()
        self.assertRecordValues(self.task, [{"state": "todo", "date_start": date(2024, 3, 1)}])

    def test_training_dates_and_cost(self):
        bad_inputs = [
            (
                {"date_start": "2024-04-02", "date_end": "2024-04-01"},
                "A training cannot end before it starts.",
            ),
            ({"cost": -600}, "The cost of a training cannot be negative."),
        ]
        for vals, message in bad_inputs:
            with self.subTest(vals=vals):
                response = self._call(
                    self.manager_key,
                    "sales_toolkit.training",
                    "create",
                    vals_list=[dict({"name": "Bad training", "user_id": self.manager.id}, **vals)],
                )
                self.assertApiRefused(response, "ValidationError", message)
        self.assertFalse(self.env["sales_toolkit.training"].search([("name", "=", "Bad training")]))

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
        for vals, message in bad_inputs:
            with self.subTest(vals=vals):
                response = self._call(
                    self.manager_key,
                    "sales_toolkit.training",
                    "create",
                    vals_list=[dict({"name": "Impossible training", "user_id": self.manager.id}, **vals)],
                )
                self.assertApiRefused(response, "ValidationError", message)
        self.assertFalse(self.env["sales_toolkit.training"].search([("name", "=", "Impossible training")]))
        response = self._call(
            self.rep_key,
            "sales_toolkit.task",
            "write",
            ids=self.task.ids,
            vals={"date_start": "0001-01-01"},
        )
        self.assertApiRefused(response, "ValidationError", f"Planned Start: 0001-01-01 {outside}")
        self.task.invalidate_recordset()
        self.assertEqual(self.task.date_start, date(2024, 3, 1))

    def test_meeting_end_before_start(self):
        response = self._call(
            self.manager_key,
            "sales_toolkit.review.meeting",
            "create",
            vals_list=[
                {
                    "name": "Backwards review",
                    "team_id": self.team.id,
                    "date_start": "2024-04-05 08:00:00",
                    "date_end": "2024-04-05 06:00:00",
                }
            ],
        )
        self.assertApiRefused(response, "ValidationError", "Backwards review cannot end before it starts.")
        self.assertFalse(self.env["sales_toolkit.review.meeting"].search([("name", "=", "Backwards review")]))

    def test_vague_root_cause(self):
        response = self._call(
            self.manager_key,
            "sales_toolkit.analysis.line",
            "write",
            ids=self.line.ids,
            vals={"root_cause": "The market is bad."},
        )
        self.assertApiRefused(
            response,
            "ValidationError",
            f"{self.line.display_name}: the root cause is too vague. Say what changed, where and how much "
            "(e.g. 'competitor cut price 10%, 3 customers lost'), not 'the market is bad'.",
        )
        self.line.invalidate_recordset()
        self.assertFalse(self.line.root_cause)
