"""Field-level write rights (issue 12): what the reviewer or the system writes, nobody types in.

Each rule is tried as a rep, a team leader, a manager and a user of another company, through
the ORM as the web client and RPC call it (the JSON-2 API in test_json2_api.py).
"""

from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import SalesToolkitCommon, create_team

SYSTEM_REFUSAL = "is kept by the toolkit itself"
LEADER_REFUSAL = "Only sales team leaders and managers can change"


class FieldRightsCommon(SalesToolkitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = create_team(cls.env, "Rights Team", cls.leader, cls.salesman)
        cls.other_team = create_team(cls.env, "Other Rights Team", cls.manager, cls.salesman_2)
        cls.team_b = cls.env["crm.team"].create(
            {"name": "Rights Team B", "company_id": cls.company_b.id, "user_id": cls.salesman_b.id}
        )

    def assertWritesRefused(self, records, values, regex):
        """Each value, written alone, is refused with ``regex`` and leaves the record as it was."""
        before = records.sudo().read(list(values))
        for fname, value in values.items():
            with (
                self.subTest(user=records.env.user.login, field=fname),
                self.assertRefused(AccessError, regex),
            ):
                records.write({fname: value})
        records.invalidate_recordset()
        self.assertEqual(records.sudo().read(list(values)), before)

    def assertReadonlyFor(self, model, user, fnames, readonly=True):
        description = self.env[model].with_user(user).fields_get(list(fnames), ["readonly"])
        self.assertEqual(
            {fname: description[fname]["readonly"] for fname in fnames},
            dict.fromkeys(fnames, readonly),
            f"read-only for {user.login}",
        )


@tagged("post_install", "-at_install")
class TestLeadFieldRights(FieldRightsCommon):
    """Defect 4: the reviewer's and the system's fields of a lead, on the rep's own lead."""

    SYSTEM_VALUES = {
        "match_score": 25,
        "match_max_score": 25,
        "match_ratio": 100.0,
        "match_level": "low",
        "need_count": 5,
        "needs_review": True,
        "followup_state": "overdue",
        "match_evaluated_date": date(2000, 1, 1),
    }
    REVIEW_VALUES = {"verified_date": date(2024, 1, 1), "toolkit_reviewed_date": datetime(2024, 1, 1, 8, 0)}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls._create_handbook_lead(team_id=cls.team.id)
        cls.lead_b = cls._create_lead(
            name="Company B lead",
            user_id=cls.salesman_b.id,
            company_id=cls.company_b.id,
            team_id=cls.team_b.id,
        )

    def test_salesman(self):
        lead = self.lead.with_user(self.salesman)
        self.assertWritesRefused(lead, self.SYSTEM_VALUES, SYSTEM_REFUSAL)
        self.assertWritesRefused(
            lead, dict(self.REVIEW_VALUES, verified_by_id=self.salesman.id), LEADER_REFUSAL
        )
        self.assertReadonlyFor("crm.lead", self.salesman, [*self.SYSTEM_VALUES, *self.REVIEW_VALUES])
        with self.assertRefused(AccessError, SYSTEM_REFUSAL):
            self.env["crm.lead"].with_user(self.salesman).create(
                {"name": "Scored by hand", "match_score": 25}
            )
        with self.assertRefused(AccessError, LEADER_REFUSAL):
            self.env["crm.lead"].with_user(self.salesman).create(
                {"name": "Verified by myself", "verified_by_id": self.salesman.id}
            )
        # what the rep does keeps them right: needs grade the lead, the button dates the evaluation
        self.env["sales_toolkit.need"].with_user(self.salesman).create(
            {"lead_id": lead.id, "name": "Training on site", "score": 2}
        )
        self.assertRecordValues(lead, [{"need_count": 4, "match_score": 14}])
        lead.sudo().match_evaluated_date = date(2020, 1, 1)
        lead.action_toolkit_confirm_match()
        self.assertEqual(lead.match_evaluated_date, self.company._toolkit_today())
        # the rep still sets the intent by hand
        lead.intent_tier = "high"
        self.assertTrue(lead.intent_tier_manual)

    def test_leader(self):
        lead = self.lead.with_user(self.leader)
        self.assertWritesRefused(lead, self.SYSTEM_VALUES, SYSTEM_REFUSAL)
        self.assertReadonlyFor("crm.lead", self.leader, list(self.SYSTEM_VALUES))
        # the reviewer's fields are the leader's: the phone verification and the strategy review
        lead.action_toolkit_verify()
        self.assertEqual(lead.verified_by_id, self.leader)
        lead.write({"verified_date": date(2024, 1, 2)})
        self.assertEqual(lead.verified_date, date(2024, 1, 2))
        review = Form(
            self.env["sales_toolkit.lead.review"].with_user(self.leader).with_context(default_lead_id=lead.id)
        )
        review.analysis = "The buyer changed; the new one wants a demo"
        review.new_strategy = "Demo for the new buyer"
        review.save().action_apply()
        self.assertTrue(lead.toolkit_reviewed_date)

    def test_manager(self):
        lead = self.lead.with_user(self.manager)
        self.assertWritesRefused(lead, self.SYSTEM_VALUES, SYSTEM_REFUSAL)
        self.assertReadonlyFor("crm.lead", self.manager, list(self.SYSTEM_VALUES))
        lead.write({"verified_by_id": self.manager.id, "verified_date": date(2024, 1, 3)})
        lead.action_toolkit_reset_verification()
        self.assertFalse(lead.verified_by_id)

    def test_other_company(self):
        with self.assertRefused(AccessError, "."):
            self.lead.with_user(self.salesman_b).write({"verified_by_id": self.salesman_b.id})
        lead_b = self.lead_b.with_user(self.salesman_b)
        self.assertWritesRefused(lead_b, self.SYSTEM_VALUES, SYSTEM_REFUSAL)
        lead_b.action_toolkit_verify()
        self.assertEqual(lead_b.verified_by_id, self.salesman_b)

    def test_client_context_opens_nothing(self):
        """The flags the module's own code uses, sent by a client, unlock no field."""
        lead = self.lead.with_user(self.manager).with_context(
            toolkit_task_system=True, toolkit_target_action=True, toolkit_analysis_generate=True
        )
        self.assertWritesRefused(lead, {"match_score": 25, "needs_review": True}, SYSTEM_REFUSAL)


@tagged("post_install", "-at_install")
class TestTaskReviewerRights(FieldRightsCommon):
    """Defect 5: the reviewer is the owner's team leader unless a leader or manager sets it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.task = cls._task()

    @classmethod
    def _task(cls, **vals):
        values = {
            "name": "Visit 5 customers",
            "user_id": cls.salesman.id,
            "date_start": date(2024, 3, 1),
            "date_deadline": date(2024, 3, 31),
            "target_qty": 5,
        }
        return cls.env["sales_toolkit.task"].create(dict(values, **vals))

    def _rep_task(self, user, **vals):
        values = {
            "name": "My plan",
            "date_start": date(2024, 3, 1),
            "date_deadline": date(2024, 3, 31),
        }
        return self.env["sales_toolkit.task"].with_user(user).create(dict(values, **vals))

    def test_salesman(self):
        Task = self.env["sales_toolkit.task"].with_user(self.salesman)
        mine = self._rep_task(self.salesman)
        self.assertEqual(mine.reviewer_id, self.leader, "the owner's team leader reviews")
        for reviewer in (self.salesman, self.salesman_2):
            with self.subTest(reviewer=reviewer.login), self.assertRefused(AccessError, LEADER_REFUSAL):
                self._rep_task(self.salesman, reviewer_id=reviewer.id)
        # nor through another team, whose leader would then review
        with self.assertRefused(AccessError, LEADER_REFUSAL):
            self._rep_task(self.salesman, team_id=self.other_team.id)
        for vals in ({"reviewer_id": self.salesman_2.id}, {"team_id": self.other_team.id}):
            with self.subTest(vals=vals), self.assertRefused(AccessError, "reviewer or a team leader"):
                mine.write(vals)
        self.assertRecordValues(mine, [{"reviewer_id": self.leader.id, "team_id": self.team.id}])
        self.assertReadonlyFor("sales_toolkit.task", self.salesman, ["reviewer_id", "team_id"])
        # the form shows the reviewer read-only, and a sub-task's suggested reviewer is ignored
        with self.assertRaises(AssertionError):
            Form(Task).reviewer_id = self.salesman_2
        goal = self._task(user_id=self.salesman.id, reviewer_id=self.manager.id)
        child_form = Form(
            Task.with_context(**goal.with_user(self.salesman).action_open_children()["context"])
        )
        child_form.name = "My part"
        child = child_form.save()
        self.assertEqual((child.parent_id, child.reviewer_id), (goal, self.leader))
        # a copy is reviewed by the team leader too
        self.assertEqual(goal.with_user(self.salesman).copy().reviewer_id, self.leader)
        # so a colleague never gets to accept the rep's task
        mine.action_mark_done()
        with self.assertRefused(AccessError, "."):
            mine.with_user(self.salesman_2).action_accept()
        mine.with_user(self.leader).action_accept()
        self.assertTrue(mine.is_accepted)

    def test_leader(self):
        task = self.task.with_user(self.leader)
        task.reviewer_id = self.salesman_2
        self.assertReadonlyFor("sales_toolkit.task", self.leader, ["reviewer_id", "team_id"], readonly=False)
        task.action_mark_done()
        task.with_user(self.salesman_2).action_accept()
        self.assertEqual(task.accepted_by_id, self.salesman_2)
        # a task that changes hands goes to the new owner's team leader...
        moved = self._task().with_user(self.leader)
        moved.user_id = self.salesman_2
        self.assertRecordValues(
            moved.sudo(), [{"team_id": self.other_team.id, "reviewer_id": self.manager.id}]
        )
        # ... unless the leader names the reviewer with it
        named = self._task().with_user(self.leader)
        named.write({"user_id": self.salesman_2.id, "reviewer_id": self.leader.id})
        self.assertEqual(named.sudo().reviewer_id, self.leader)

    def test_manager(self):
        task = self.task.with_user(self.manager)
        task.write({"reviewer_id": self.salesman_2.id, "team_id": self.other_team.id})
        self.assertRecordValues(task, [{"reviewer_id": self.salesman_2.id, "team_id": self.other_team.id}])
        self.assertReadonlyFor("sales_toolkit.task", self.manager, ["reviewer_id", "team_id"], readonly=False)
        assigned = (
            self.env["sales_toolkit.task"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Assigned",
                    "user_id": self.salesman.id,
                    "date_start": date(2024, 3, 1),
                    "date_deadline": date(2024, 3, 31),
                }
            )
        )
        self.assertEqual(assigned.reviewer_id, self.leader)
        # given to its reviewer, the task is not theirs to review any more: the assigner reviews
        assigned.user_id = self.leader
        self.assertEqual(assigned.reviewer_id, self.manager)

    def test_other_company(self):
        with self.assertRefused(AccessError, "."):
            self.task.with_user(self.salesman_b).reviewer_id = self.salesman_b
        self.assertEqual(self.task.reviewer_id, self.leader)
        # in their own company the leader of company B names the reviewer
        rep_b = new_test_user(
            self.env,
            "st_rights_rep_b",
            groups="sales_team.group_sale_salesman",
            company_id=self.company_b.id,
            company_ids=self.company_b.ids,
        )
        self.team_b.member_ids = rep_b
        task_b = (
            self.env["sales_toolkit.task"]
            .with_user(self.salesman_b)
            .create(
                {
                    "name": "B task",
                    "user_id": rep_b.id,
                    "date_start": date(2024, 3, 1),
                    "date_deadline": date(2024, 3, 31),
                    "company_id": self.company_b.id,
                }
            )
        )
        self.assertEqual(task_b.reviewer_id, self.salesman_b)
        with self.assertRefused(AccessError, LEADER_REFUSAL):
            self._rep_task(rep_b, company_id=self.company_b.id, reviewer_id=rep_b.id)


@tagged("post_install", "-at_install")
class TestCustomerTierRights(FieldRightsCommon):
    """Defect 6: a tier changes only by the nightly measurement or a manager's reasoned override."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Tiered Co.", "is_company": True})

    def assertTierRefused(self, user):
        customer = self.customer.with_user(user)
        self.assertWritesRefused(customer, {"customer_tier": "vip"}, SYSTEM_REFUSAL)
        self.assertReadonlyFor("res.partner", user, ["customer_tier"])
        with self.assertRefused(AccessError, SYSTEM_REFUSAL):
            self.env["res.partner"].with_user(user).create({"name": "VIP at birth", "customer_tier": "vip"})
        with self.no_commit():
            self.env["res.partner"]._cron_update_customer_tiers()
        self.assertEqual(self.customer.customer_tier, "regular")

    def test_salesman(self):
        self.assertTierRefused(self.salesman)
        with self.assertRefused(AccessError, "."):
            self.customer.with_user(self.salesman).write(
                {"tier_override": "vip", "tier_override_reason": "x"}
            )

    def test_leader(self):
        self.assertTierRefused(self.leader)
        with self.assertRefused(AccessError, "."):
            self.customer.with_user(self.leader).write({"tier_override": "key", "tier_override_reason": "x"})

    def test_manager(self):
        self.assertTierRefused(self.manager)
        customer = self.customer.with_user(self.manager)
        with self.assertRefused(ValidationError, "give the reason"):
            customer.write({"tier_override": "vip"})
        customer.write({"tier_override": "vip", "tier_override_reason": "Group buyer of three plants"})
        self.assertEqual(customer.customer_tier, "vip")
        self.assertIn("Group buyer of three plants", customer.message_ids[0].body)
        with self.no_commit():
            self.env["res.partner"]._cron_update_customer_tiers()
        self.assertEqual(self.customer.customer_tier, "vip", "the nightly job keeps the override")

    def test_other_company(self):
        self.assertTierRefused(self.salesman_b)

    def test_contact_merge_keeps_the_measured_tier(self):
        """Odoo's merge writes every stored field of the contact it keeps back to it: that is no
        change of the tier, and the merge goes through (the nightly job measures the merged one)."""
        duplicate = self.env["res.partner"].create({"name": "Tiered Co. (duplicate)", "is_company": True})
        self.env["res.partner"]._toolkit_store_tiers(self.company, {duplicate.id: "vip"})
        merge = self.env["base.partner.merge.automatic.wizard"].with_user(self.manager)
        merge._merge((self.customer | duplicate).ids, self.customer.with_user(self.manager))
        self.assertFalse(duplicate.exists())
        self.assertEqual(self.customer.customer_tier, "regular")


@tagged("post_install", "-at_install")
class TestMeetingStateRights(FieldRightsCommon):
    """Defect 7: a meeting's state moves through Hold, Send Minutes, Close... only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.meeting = cls._meeting(cls.team, cls.leader)
        cls.meeting_b = cls._meeting(cls.team_b, cls.salesman_b, company_id=cls.company_b.id)

    @classmethod
    def _meeting(cls, team, organizer, **vals):
        values = {
            "name": "Q1 review",
            "team_id": team.id,
            "user_id": organizer.id,
            "date_start": datetime(2024, 4, 5, 6, 0),
            "date_end": datetime(2024, 4, 5, 8, 0),
            "attendee_ids": [Command.set(organizer.ids)],
        }
        return cls.env["sales_toolkit.review.meeting"].create(dict(values, **vals))

    def assertStateByButtonsOnly(self, meeting):
        for state in ("held", "minutes_sent", "closed", "cancelled"):
            self.assertWritesRefused(meeting, {"state": state}, SYSTEM_REFUSAL)
        self.assertReadonlyFor("sales_toolkit.review.meeting", meeting.env.user, ["state"])
        with self.assertRefused(AccessError, SYSTEM_REFUSAL):
            meeting.create(
                {
                    "name": "Closed at birth",
                    "team_id": meeting.team_id.id,
                    "company_id": meeting.company_id.id,
                    "date_start": datetime(2024, 5, 5, 6, 0),
                    "date_end": datetime(2024, 5, 5, 8, 0),
                    "state": "closed",
                }
            )
        meeting.action_hold()
        meeting.action_send_minutes()
        meeting.action_close()
        self.assertEqual(meeting.state, "closed")

    def test_salesman(self):
        with self.assertRefused(AccessError, "."):
            self.meeting.with_user(self.salesman).write({"state": "held"})
        with self.assertRefused(AccessError, "."):
            self.meeting.with_user(self.salesman).action_hold()
        self.assertEqual(self.meeting.state, "planned")

    def test_leader(self):
        self.assertStateByButtonsOnly(self.meeting.with_user(self.leader))

    def test_manager(self):
        self.assertStateByButtonsOnly(self.meeting.with_user(self.manager))

    def test_other_company(self):
        with self.assertRefused(AccessError, "."):
            self.meeting.with_user(self.salesman_b).action_hold()
        self.assertStateByButtonsOnly(self.meeting_b.with_user(self.salesman_b))


@tagged("post_install", "-at_install")
class TestParticipantRights(FieldRightsCommon):
    """Defect 7: nobody marks a participant passed (without a score); a rating is a whole number."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        values = {"date_start": date(2024, 4, 1), "date_end": date(2024, 4, 2), "user_id": cls.manager.id}
        cls.training = cls.env["sales_toolkit.training"].create(dict(values, name="Negotiation"))
        cls.line = cls.env["sales_toolkit.training.participant"].create(
            {"training_id": cls.training.id, "user_id": cls.salesman.id}
        )
        cls.training_b = cls.env["sales_toolkit.training"].create(
            dict(values, name="Negotiation B", user_id=cls.salesman_b.id, company_id=cls.company_b.id)
        )
        cls.line_b = cls.env["sales_toolkit.training.participant"].create(
            {"training_id": cls.training_b.id, "user_id": cls.salesman_b.id}
        )

    def test_salesman(self):
        line = self.line.with_user(self.salesman)
        # refused by the participant's own check first (scores are the manager's)
        self.assertWritesRefused(line, {"passed": True}, ".")
        with self.assertRefused(ValidationError, r"Satisfaction \(1-5\) takes a whole number, not 4\.7\."):
            line.write({"satisfaction": 4.7})
        line.write({"satisfaction": 4.0})
        self.assertEqual(line.satisfaction, 4)
        lead = self._create_lead()
        with self.assertRefused(ValidationError, "takes a whole number, not 4.5"):
            self.env["sales_toolkit.need"].with_user(self.salesman).create(
                {"lead_id": lead.id, "name": "Half a match", "score": 4.5}
            )

    def test_leader(self):
        # the participant's manager rates the behaviour, in whole points
        self.assertEqual(self.line.manager_id, self.leader)
        line = self.line.with_user(self.leader)
        self.assertWritesRefused(line, {"passed": True}, ".")
        with self.assertRefused(ValidationError, "takes a whole number, not 3.5"):
            line.write({"behaviour_rating": 3.5})
        line.behaviour_rating = 3
        self.assertEqual(line.behaviour_rating, 3)
        # the reaction is the participant's own: the leader may not type it for them
        self.assertWritesRefused(
            line, {"satisfaction": 4, "reaction_comment": "Great"}, "Only sales managers and the Salesperson"
        )
        self.assertReadonlyFor("sales_toolkit.training.participant", self.leader, ["satisfaction"], False)
        # writing back what is there changes nothing, so it is not refused
        line.write({"satisfaction": 0, "behaviour_rating": 3})

    def test_manager(self):
        line = self.line.with_user(self.manager)
        self.assertWritesRefused(line, {"passed": True, "learning_gain": 50.0}, SYSTEM_REFUSAL)
        self.assertReadonlyFor(
            "sales_toolkit.training.participant", self.manager, ["passed", "learning_gain"]
        )
        with self.assertRefused(ValidationError, "takes a whole number, not 4.7"):
            line.create({"training_id": self.training.id, "user_id": self.salesman_2.id, "satisfaction": 4.7})
        # passing follows from the score
        line.post_score = 85
        self.assertTrue(line.passed)
        line.post_score = 0
        self.assertFalse(line.passed)
        # and even the system does not record a pass without a score
        with self.assertRefused(ValidationError, "without a post-training test score"):
            self.line.write({"passed": True})

    def test_other_company(self):
        with self.assertRefused(AccessError, "."):
            self.line.with_user(self.salesman_b).write({"passed": True})
        line_b = self.line_b.with_user(self.salesman_b)
        self.assertWritesRefused(line_b, {"passed": True}, ".")
        with self.assertRefused(ValidationError, "takes a whole number, not 4.7"):
            line_b.write({"satisfaction": 4.7})


@tagged("post_install", "-at_install")
class TestFollowupSystemFields(FieldRightsCommon):
    """Defect 7: a follow-up's service-level clock and the progress recorded with it are the system's."""

    SYSTEM_VALUES = {
        "reported_date": datetime(2024, 1, 1, 8, 0),
        "responded_date": datetime(2024, 1, 1, 9, 0),
        "resolved_date": datetime(2024, 1, 1, 10, 0),
        "probability": 99.0,
        "response_deadline": datetime(2030, 1, 1, 8, 0),
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Stage = cls.env["crm.stage"]
        cls.stage_new = Stage.search([], order="sequence, id", limit=1)
        cls.stage_won = Stage.search([("is_won", "=", True)], limit=1)
        cls.lead = cls._create_lead(stage_id=cls.stage_new.id, probability=20)
        cls.lead_b = cls._create_lead(
            name="Company B lead", user_id=cls.salesman_b.id, company_id=cls.company_b.id, probability=30
        )

    def _issue(self, user, lead=None, **vals):
        values = {"lead_id": (lead or self.lead).id, "summary": "Machine stopped", "kind": "issue"}
        return self.env["sales_toolkit.followup"].with_user(user).create(dict(values, **vals))

    def assertClockIsTheSystems(self, user, lead=None):
        issue = self._issue(user, lead)
        lead = lead or self.lead
        self.assertRecordValues(issue, [{"stage_id": lead.stage_id.id, "probability": lead.probability}])
        self.assertTrue(issue.reported_date)
        self.assertWritesRefused(issue, dict(self.SYSTEM_VALUES, stage_id=self.stage_won.id), SYSTEM_REFUSAL)
        self.assertReadonlyFor("sales_toolkit.followup", user, [*self.SYSTEM_VALUES, "stage_id"])
        for fname in ("responded_date", "stage_id", "probability"):
            value = self.stage_won.id if fname == "stage_id" else self.SYSTEM_VALUES[fname]
            with self.subTest(create=fname), self.assertRefused(AccessError, SYSTEM_REFUSAL):
                self._issue(user, lead, **{fname: value})
        issue.action_mark_responded()
        self.assertTrue(issue.responded_date)
        issue.action_mark_resolved()
        self.assertTrue(issue.resolved_date)
        self.assertLessEqual(issue.responded_date, issue.resolved_date)

    def test_salesman(self):
        self.assertClockIsTheSystems(self.salesman)

    def test_leader(self):
        self.assertClockIsTheSystems(self.leader)

    def test_manager(self):
        self.assertClockIsTheSystems(self.manager)

    def test_other_company(self):
        issue = self._issue(self.salesman)
        with self.assertRefused(AccessError, "."):
            issue.with_user(self.salesman_b).action_mark_responded()
        self.assertFalse(issue.responded_date)
        self.assertClockIsTheSystems(self.salesman_b, self.lead_b)
