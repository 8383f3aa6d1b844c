from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged, users

from .common import SalesToolkitCommon, create_team


class ReviewMeetingCommon(SalesToolkitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = create_team(cls.env, "Review Team", cls.leader, cls.salesman, company_id=cls.company.id)
        cls.other_team = create_team(
            cls.env, "Other Review Team", None, cls.salesman_2, company_id=cls.company.id
        )
        for user in (cls.salesman, cls.salesman_2, cls.leader, cls.manager):
            user.email = f"{user.login}@example.com"
        cls.meeting = cls._meeting()

    @classmethod
    def _meeting(cls, **vals):
        values = {
            "name": "2024 Q1 review",
            "place": "Meeting room 3",
            "attendee_ids": [Command.set((cls.leader | cls.salesman | cls.manager).ids)],
        }
        return cls._create_meeting(cls.team, datetime(2024, 4, 5, 6, 0), **dict(values, **vals))

    @classmethod
    def _item(cls, meeting, **vals):
        values = {
            "name": "Cost analysis of line B",
            "user_id": cls.salesman.id,
            "date_start": date(2024, 4, 6),
            "date_deadline": date(2024, 4, 10),
            **vals,
        }
        meeting.action_item_ids = [Command.create(values)]
        return meeting.action_item_ids[-1]


@tagged("post_install", "-at_install")
class TestReviewMeeting(ReviewMeetingCommon):
    def test_state_flow(self):
        meeting = self.meeting
        self.assertEqual(meeting.state, "planned")
        with self.assertRefused(UserError, "Send the minutes before closing"):
            meeting.action_close()
        with self.assertRefused(UserError, "once the meeting is held"):
            meeting.action_send_minutes()
        meeting.action_hold()
        self.assertEqual(meeting.state, "held")
        with self.assertRefused(UserError, "Only a planned meeting"):
            meeting.action_hold()
        with self.assertRefused(UserError, "before the meeting"):
            meeting.action_send_agenda()
        meeting.action_send_minutes()
        self.assertEqual(meeting.state, "minutes_sent")
        meeting.action_close()
        self.assertEqual(meeting.state, "closed")
        with self.assertRefused(UserError, "planned or held"):
            meeting.action_cancel()
        other = self._meeting(name="Cancelled review")
        other.action_cancel()
        other.action_reset()
        self.assertEqual(other.state, "planned")

    def test_bad_dates(self):
        with self.assertRefused(ValidationError, "cannot end before it starts"):
            self._meeting(date_end=datetime(2024, 4, 5, 5, 0))

    def test_send_agenda_to_attendees(self):
        self.env["sales_toolkit.review.agenda"].create(
            [
                {"meeting_id": self.meeting.id, "name": "Results review", "presenter_id": self.leader.id},
                {"meeting_id": self.meeting.id, "name": "Highlights", "presenter_id": self.salesman.id},
            ]
        )
        self.meeting.action_send_agenda()
        message = self.meeting.message_ids[0]
        self.assertEqual(message.subject, "Agenda: 2024 Q1 review")
        self.assertEqual(message.partner_ids, self.meeting.attendee_ids.partner_id)
        self.assertIn("Results review", str(message.body))
        self.assertIn("Meeting room 3", str(message.body))
        mails = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertTrue(mails, "the agenda is queued by email")
        # the organizer sends it: every other attendee gets the email
        self.assertEqual(mails.recipient_ids, (self.salesman | self.manager).partner_id)
        self.assertFalse(message.attachment_ids)
        # an attendee who only reads the meeting does not send in the organiser's name
        with self.assertRefused(AccessError, "."):
            self.meeting.with_user(self.salesman).action_send_agenda()
        self.meeting.attendee_ids = False
        with self.assertRefused(UserError, "Add the attendees"):
            self.meeting.action_send_agenda()

    def test_send_minutes_with_the_pdf(self):
        self.env["sales_toolkit.review.resolution"].create(
            {"meeting_id": self.meeting.id, "name": "Referral bonus: 500 per referred customer"}
        )
        self._item(self.meeting)
        self.meeting.action_hold()
        self.meeting.action_send_minutes()
        message = self.meeting.message_ids.filtered(lambda msg: msg.subject == "Minutes: 2024 Q1 review")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, self.meeting.attendee_ids.partner_id)
        self.assertIn("Referral bonus", str(message.body))
        self.assertIn("Cost analysis of line B", str(message.body))
        # a PDF outside tests, HTML when tests render it
        self.assertEqual(len(message.attachment_ids), 1)
        self.assertRegex(message.attachment_ids.name, r"^Minutes - 2024 Q1 review\.(pdf|html)$")
        mails = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertTrue(mails)
        self.assertEqual(mails.attachment_ids, message.attachment_ids)
        self.assertEqual(self.meeting.state, "minutes_sent")

    def test_action_items_are_tasks(self):
        with Form(self.meeting) as form:
            with form.action_item_ids.new() as line:
                line.name = "North China promotion for line B"
                line.user_id = self.salesman
                line.date_deadline = date(2099, 4, 15)
        item = self.meeting.action_item_ids
        self.assertEqual(item.meeting_id, self.meeting)
        self.assertEqual(item.reviewer_id, self.leader)
        self.assertEqual(item.state, "todo")
        # created with the ORM: reviewed by the follow-up owner too
        self.meeting.followup_user_id = self.manager
        other = self._item(self.meeting, name="Referral-process training")
        self.assertEqual(other.reviewer_id, self.manager)
        self.assertEqual(self.meeting.action_item_count, 2)
        self.assertEqual(self.meeting.open_item_count, 2)
        other.action_mark_done()
        self.assertEqual(self.meeting.open_item_count, 1)
        action = self.meeting.action_open_action_items()
        self.assertEqual(self.env["sales_toolkit.task"].search(action["domain"]), item | other)

    def test_carry_over_until_done(self):
        item = self._item(self.meeting)
        done = self._item(self.meeting, name="Done already")
        done.action_mark_done()
        other_team_meeting = self._meeting(name="Other team Q1", team_id=self.other_team.id)
        self._item(other_team_meeting, name="Other team item", user_id=self.salesman_2.id)
        april = self._meeting(
            name="April review", date_start=datetime(2024, 5, 6, 6, 0), date_end=datetime(2024, 5, 6, 8, 0)
        )
        self.assertEqual(april.carried_item_ids, item)
        self.assertFalse(self.meeting.carried_item_ids, "only earlier meetings carry items over")
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "sales_toolkit.action_report_review_meeting", april.ids
            )[0]
        )
        self.assertIn("Carried-over Items", html)
        self.assertIn("Cost analysis of line B", html)
        # ... and the agenda sent before the meeting
        april.action_send_agenda()
        self.assertIn("Cost analysis of line B", str(april.message_ids[0].body))
        item.action_mark_done()
        april.invalidate_recordset(["carried_item_ids"])
        self.assertFalse(april.carried_item_ids)

    def test_weekly_reminder_for_the_follow_up_owner(self):
        Meeting = self.env["sales_toolkit.review.meeting"]
        self.meeting.action_hold()
        quiet = self._meeting(name="No action items")
        quiet.action_hold()
        item = self._item(self.meeting)
        self._item(self.meeting, name="Second item")
        with self.no_commit():
            Meeting._cron_remind_followup_owners()
        activity = self.meeting.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.leader)
        self.assertIn("2 open action items", activity.summary)
        self.assertIn("Cost analysis of line B", str(activity.note))
        self.assertFalse(quiet.activity_ids, "no reminder without open items")
        # next week: the open reminder is reused, not duplicated
        item.action_mark_done()
        with self.no_commit():
            Meeting._cron_remind_followup_owners()
        self.assertEqual(self.meeting.activity_ids, activity)
        self.assertIn("1 open action items", activity.summary)
        # all done: the reminder is closed
        self.meeting.action_item_ids.filtered(lambda task: task.state != "done").action_mark_done()
        with self.no_commit():
            Meeting._cron_remind_followup_owners()
        self.assertFalse(self.meeting.activity_ids)
        self.assertFalse(self.meeting.reminder_activity_id)
        with self.no_commit():
            Meeting._cron_remind_followup_owners()
        self.assertFalse(self.meeting.activity_ids)

    def test_reminder_done_by_the_owner_is_replaced(self):
        self.meeting.action_hold()
        self._item(self.meeting)
        with self.no_commit():
            self.env["sales_toolkit.review.meeting"]._cron_remind_followup_owners()
        self.meeting.activity_ids.action_feedback(feedback="checked")
        with self.no_commit():
            self.env["sales_toolkit.review.meeting"]._cron_remind_followup_owners()
        self.assertEqual(len(self.meeting.activity_ids), 1)
        # a cancelled meeting has nothing to follow up
        self.meeting.action_cancel()
        with self.no_commit():
            self.env["sales_toolkit.review.meeting"]._cron_remind_followup_owners()
        self.assertFalse(self.meeting.activity_ids)

    def test_decisions_log(self):
        Resolution = self.env["sales_toolkit.review.resolution"]
        other = self._meeting(
            name="Other team Q1",
            team_id=self.other_team.id,
            date_start=datetime(2024, 7, 5, 6, 0),
            date_end=datetime(2024, 7, 5, 8, 0),
        )
        focus = Resolution.create(
            {"meeting_id": self.meeting.id, "name": "Focus April on line B", "user_id": self.salesman.id}
        )
        bonus = Resolution.create({"meeting_id": other.id, "name": "Referral bonus 500"})
        self.assertEqual(focus.team_id, self.team)
        self.assertEqual(focus.date, date(2024, 4, 5))
        ids = (focus | bonus).ids
        self.assertEqual(Resolution.search([("id", "in", ids), ("team_id", "=", self.team.id)]), focus)
        self.assertEqual(Resolution.search([("id", "in", ids), ("meeting_id", "=", other.id)]), bonus)
        self.assertEqual(Resolution.search([("id", "in", ids), ("date", ">=", "2024-07-01")]), bonus)
        self.assertEqual(Resolution.search([("id", "in", ids), ("user_id", "=", self.salesman.id)]), focus)
        self.assertEqual(Resolution.search([("id", "in", ids)]), bonus | focus)  # newest first
        search = Resolution.get_views([(False, "list"), (False, "search")])["views"]["search"]["arch"]
        for name in ("by_team", "by_meeting", "by_user", "date"):
            self.assertIn(f'name="{name}"', search)
        menu = self.env.ref("sales_toolkit.sales_toolkit_review_resolution_menu")
        self.assertEqual(menu.parent_id, self.env.ref("sales_toolkit.sales_toolkit_review_menu"))

    def test_views(self):
        views = self.env["sales_toolkit.review.meeting"].get_views(
            [(False, "list"), (False, "form"), (False, "calendar"), (False, "kanban"), (False, "search")]
        )["views"]
        self.assertIn("carried_item_ids", views["form"]["arch"])
        self.assertIn('name="results_review"', views["form"]["arch"])
        self.assertIn("date_stop", views["calendar"]["arch"])
        groups = (
            self.env["sales_toolkit.review.meeting"]
            .with_context(read_group_expand=True)
            .web_read_group([], ["state"], ["__count"])
        )
        self.assertEqual(
            [group["state"] for group in groups["groups"]],
            ["planned", "held", "minutes_sent", "closed", "cancelled"],
        )

    def test_minutes_pdf(self):
        meeting = self.meeting
        meeting.results_review = "<p>Revenue 950 of 1000 (95%)</p>"
        self.env["sales_toolkit.review.agenda"].create(
            {
                "meeting_id": meeting.id,
                "name": "Results review",
                "presenter_id": self.leader.id,
                "duration": 0.5,
            }
        )
        self.env["sales_toolkit.review.highlight"].create(
            {
                "meeting_id": meeting.id,
                "user_id": self.salesman.id,
                "description": "Landing page per industry",
            }
        )
        self.env["sales_toolkit.review.problem"].create(
            {
                "meeting_id": meeting.id,
                "user_id": self.salesman.id,
                "description": "North China at 80%",
                "root_cause": "Competitor cut price, 3 customers lost",
            }
        )
        self.env["sales_toolkit.review.lesson"].create(
            [
                {"meeting_id": meeting.id, "kind": "repeat", "description": "Care call after 30 days"},
                {"meeting_id": meeting.id, "kind": "avoid", "description": "Discounts alone in a price war"},
            ]
        )
        self.env["sales_toolkit.review.resolution"].create(
            {"meeting_id": meeting.id, "name": "Focus April on line B", "user_id": self.leader.id}
        )
        self._item(meeting)
        other = self._meeting(name="Second review")
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "sales_toolkit.action_report_review_meeting", (meeting | other).ids
            )[0]
        )
        self.assertEqual(html.count("Review Meeting Minutes:"), 2)
        for text in (
            "2024 Q1 review",
            "Meeting room 3",
            "Rep Zhang",
            "Agenda",
            "00:30",
            "Revenue 950 of 1000",
            "Landing page per industry",
            "Competitor cut price, 3 customers lost",
            "Care call after 30 days",
            "Discounts alone in a price war",
            "Focus April on line B",
            "Cost analysis of line B",
            "04/10/2024",
            "Follow-up Owner",
            "Leader Wang",
        ):
            self.assertIn(text, html)


@tagged("post_install", "-at_install")
class TestReviewMeetingAccess(ReviewMeetingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_meeting = cls._meeting(
            name="Other team review",
            team_id=cls.other_team.id,
            user_id=cls.manager.id,
            followup_user_id=cls.manager.id,
            attendee_ids=[Command.set(cls.salesman_2.ids)],
        )
        cls.item = cls._item(cls.meeting)
        cls.colleague_item = cls._item(cls.meeting, name="Colleague item", user_id=cls.salesman_2.id)
        cls.resolution = cls.env["sales_toolkit.review.resolution"].create(
            {"meeting_id": cls.meeting.id, "name": "Focus April on line B"}
        )
        cls.meeting_b = cls.env["sales_toolkit.review.meeting"].create(
            {
                "name": "Company B review",
                "team_id": cls.env["crm.team"].create({"name": "B team", "company_id": cls.company_b.id}).id,
                "date_start": datetime(2024, 4, 5, 6, 0),
                "date_end": datetime(2024, 4, 5, 8, 0),
                "company_id": cls.company_b.id,
            }
        )

    @users("st_salesman")
    def test_rep_reads_team_meetings_and_adds_problems(self):
        Meeting = self.env["sales_toolkit.review.meeting"]
        all_ids = (self.meeting | self.other_meeting | self.meeting_b).ids
        self.assertEqual(Meeting.search([("id", "in", all_ids)]), self.meeting)
        meeting = self.meeting.with_user(self.env.user)
        self.assertEqual(meeting.action_item_ids, self.item, "reps see their own action items")
        self.assertEqual(meeting.resolution_ids.name, "Focus April on line B")
        with self.assertRefused(AccessError, "."):
            meeting.name = "Renamed"
        with self.assertRefused(AccessError, "."):
            meeting.action_hold()
        with self.assertRefused(AccessError, "."):
            self.other_meeting.with_user(self.env.user).read(["name"])
        # before the meeting, an attendee brings their problem
        action = meeting.action_add_problem()
        problem_form = Form(self.env["sales_toolkit.review.problem"].with_context(**action["context"]))
        problem_form.description = "Lost 3 customers to a price cut"
        problem = problem_form.save()
        self.assertEqual(problem.user_id, self.env.user)
        self.assertEqual(meeting.problem_ids, problem)
        with self.assertRefused(AccessError, "."):
            self.env["sales_toolkit.review.problem"].create(
                {"meeting_id": self.other_meeting.id, "description": "Not my meeting"}
            )
        self.meeting.with_user(self.leader).action_hold()
        with self.assertRefused(AccessError, "."):
            self.env["sales_toolkit.review.problem"].create(
                {"meeting_id": self.meeting.id, "description": "Too late"}
            )
        with self.assertRefused(UserError, "before it is held"):
            problem.description = "Changed after the meeting"

    @users("st_salesman_2")
    def test_attendee_of_another_team_reads_the_meeting(self):
        self.meeting.attendee_ids |= self.salesman_2
        self.env.invalidate_all()
        meeting = self.meeting.with_user(self.env.user)
        self.assertEqual(meeting.name, "2024 Q1 review")
        self.assertEqual(meeting.action_item_ids, self.colleague_item)

    @users("st_leader")
    def test_leader_reads_all_and_manages_team_meetings(self):
        Meeting = self.env["sales_toolkit.review.meeting"]
        all_ids = (self.meeting | self.other_meeting | self.meeting_b).ids
        self.assertEqual(Meeting.search([("id", "in", all_ids)]), self.meeting | self.other_meeting)
        meeting = self.meeting.with_user(self.env.user)
        meeting.action_hold()
        meeting.resolution_ids = [Command.create({"name": "Referral bonus 500", "user_id": self.salesman.id})]
        meeting.problem_ids.create(
            {"meeting_id": meeting.id, "user_id": self.salesman.id, "description": "Line A behind"}
        )
        new = Meeting.create(
            {
                "name": "May review",
                "team_id": self.team.id,
                "date_start": datetime(2024, 6, 5, 6, 0),
                "date_end": datetime(2024, 6, 5, 8, 0),
            }
        )
        self.assertEqual(new.user_id, self.env.user)
        with self.assertRefused(AccessError, "."):
            self.other_meeting.with_user(self.env.user).name = "Not mine"
        with self.assertRefused(AccessError, "."):
            Meeting.create(
                {
                    "name": "Other team",
                    "team_id": self.other_team.id,
                    "date_start": datetime(2024, 6, 5, 6, 0),
                    "date_end": datetime(2024, 6, 5, 8, 0),
                }
            )
        with self.assertRefused(AccessError, "."):
            self.env["sales_toolkit.review.resolution"].create(
                {"meeting_id": self.other_meeting.id, "name": "Not my team"}
            )

    @users("st_manager")
    def test_manager_does_everything(self):
        other = self.other_meeting.with_user(self.env.user)
        other.action_hold()
        other.write({"lesson_ids": [Command.create({"kind": "avoid", "description": "Discount wars"})]})
        other.action_send_minutes()
        other.action_close()
        self.assertNotIn(self.meeting_b, self.env["sales_toolkit.review.meeting"].search([]))
        other.unlink()

    @users("st_salesman_b")
    def test_other_company(self):
        Meeting = self.env["sales_toolkit.review.meeting"]
        self.assertEqual(Meeting.search([]), self.meeting_b)
        self.assertFalse(
            self.env["sales_toolkit.review.resolution"].search([("id", "=", self.resolution.id)])
        )
        with self.assertRefused(AccessError, "."):
            self.meeting.with_user(self.env.user).read(["name"])
