import json
from contextlib import contextmanager
from datetime import datetime, timedelta
from http import HTTPStatus
from unittest.mock import patch

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user
from odoo.tools import mute_logger

# The three Sales groups of the access rules: own documents, all documents (team leaders), manager.
SALES_GROUPS = {
    "rep": "sales_team.group_sale_salesman",
    "leader": "sales_team.group_sale_salesman_all_leads",
    "manager": "sales_team.group_sale_manager",
}


def sales_user(env, login, role, name, **values):
    """A user in the Sales group of ``role`` (a key of SALES_GROUPS)."""
    return new_test_user(env, login, groups=SALES_GROUPS[role], name=name, **values)


def create_team(env, name, leader=None, members=(), **values):
    """A sales team led by ``leader`` (if any) with the ``members`` users in it."""
    if leader:
        values["user_id"] = leader.id
    return env["crm.team"].create(
        {"name": name, "member_ids": [Command.link(user.id) for user in members], **values}
    )


def render_html(env, report, records):
    """The HTML of the QWeb ``report`` (an xmlid or report name) for ``records``."""
    return env["ir.actions.report"]._render_qweb_html(report, records.ids)[0].decode()


class SalesToolkitCommon(TransactionCase):
    """Users of each Sales group, a second company and a few strengths."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Toolkit Company B"})
        cls.salesman = sales_user(cls.env, "st_salesman", "rep", "Rep Zhang")
        cls.salesman_2 = sales_user(cls.env, "st_salesman_2", "rep", "Rep Li")
        cls.leader = sales_user(cls.env, "st_leader", "leader", "Leader Wang")
        cls.manager = sales_user(cls.env, "st_manager", "manager", "Manager Zhao")
        cls.salesman_b = sales_user(
            cls.env,
            "st_salesman_b",
            "leader",
            "Rep of Company B",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
        )
        Strength = cls.env["sales_toolkit.strength"]
        cls.strength_cost = Strength.create({"name": "Cuts cost by 15-25%"})
        cls.strength_delivery = Strength.create({"name": "Delivery in 12 days"})
        cls.strength_custom = Strength.create({"name": "Basic customisation included"})

    @classmethod
    def _create_lead(cls, **vals):
        values = {
            "name": "Toolkit lead",
            "type": "opportunity",
            "user_id": cls.salesman.id,
            "company_id": cls.company.id,
            **vals,
        }
        return cls.env["crm.lead"].create(values)

    @classmethod
    def _create_target(cls, confirm=True, **vals):
        """A target the manager sets for the company, confirmed unless ``confirm`` is False."""
        target = cls.env["sales_toolkit.target"].create(
            {"owner_id": cls.manager.id, "company_id": cls.company.id, **vals}
        )
        if confirm:
            target.action_confirm()
        return target

    @classmethod
    def _create_task(cls, **vals):
        """A task of the rep, reviewed by the team leader."""
        return cls.env["sales_toolkit.task"].create(
            {"user_id": cls.salesman.id, "reviewer_id": cls.leader.id, "company_id": cls.company.id, **vals}
        )

    @classmethod
    def _create_meeting(cls, team, start, **vals):
        """A two-hour review meeting of ``team``, chaired and followed up by its leader."""
        return cls.env["sales_toolkit.review.meeting"].create(
            {
                "team_id": team.id,
                "user_id": team.user_id.id,
                "followup_user_id": team.user_id.id,
                "date_start": start,
                "date_end": start + timedelta(hours=2),
                "company_id": team.company_id.id,
                **vals,
            }
        )

    @classmethod
    def _create_handbook_lead(cls, **vals):
        """Tech Co. of the handbook: needs scored 4 + 5 + 3 = 12."""
        values = {
            "name": "Tech Co.",
            "partner_name": "Tech Co.",
            "budget_min": 150000,
            "budget_max": 200000,
            "expected_revenue": 180000,
        }
        lead = cls._create_lead(**dict(values, **vals))
        cls.env["sales_toolkit.need"].create(
            [
                {
                    "lead_id": lead.id,
                    "name": "Cut cost by 20%",
                    "strength_id": cls.strength_cost.id,
                    "score": 4,
                    "is_pain_point": True,
                    "note": "We can cut 15-25%",
                },
                {
                    "lead_id": lead.id,
                    "name": "Delivery within 15 days",
                    "strength_id": cls.strength_delivery.id,
                    "score": 5,
                    "note": "12 days at the fastest",
                },
                {
                    "lead_id": lead.id,
                    "name": "Custom features",
                    "strength_id": cls.strength_custom.id,
                    "score": 3,
                    "note": "Complex work costs extra",
                },
            ]
        )
        return lead

    def no_commit(self):
        """Outside a cron run, _commit_progress commits: tests run the crons without it."""
        return patch.object(type(self.env["ir.cron"]), "_commit_progress", lambda *a, **k: 3600.0)

    @contextmanager
    def assertRefused(self, exception, regex):
        """Odoo's assertRaises (rolled back to a savepoint) plus a check of the message."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)


class Json2Common(HttpCase):
    """Calls to /json/2 with a user's API key."""

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

    def assertCallSucceeds(self, key, model, method, **body):
        """Call ``model.method(**body)`` with ``key``, check it succeeded and return the response."""
        response = self._call(key, model, method, **body)
        self.assertEqual(response.status_code, HTTPStatus.OK, response.text)
        return response

    def assertWriteCallSucceeds(self, key, record, vals):
        """Writing ``vals`` on ``record`` with ``key`` succeeds."""
        self.assertCallSucceeds(key, record._name, "write", ids=record.ids, vals=vals)

    def assertWriteCallRefused(
        self, key, record, vals, error, message, status=HTTPStatus.UNPROCESSABLE_ENTITY
    ):
        """Writing ``vals`` on ``record`` with ``key`` is refused with ``error`` and ``message``."""
        self.assertCallRefused(key, record._name, "write", error, message, status, ids=record.ids, vals=vals)

    def assertCallRefused(
        self, key, model, method, error, message, status=HTTPStatus.UNPROCESSABLE_ENTITY, **body
    ):
        """Calling ``model.method(**body)`` with ``key`` is refused with ``error`` and ``message``."""
        self.assertApiRefused(self._call(key, model, method, **body), error, message, status=status)
