from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SalesToolkitCommon

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
    "sales_toolkit.analysis.measure":      ("r",    "r",     "crwu",  "",     ""),
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
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Matrix Team",
                "user_id": cls.leader.id,
                "member_ids": [Command.link(cls.salesman.id)],
            }
        )
        cls.other_team = cls.env["crm.team"].create(
            {"name": "Other Matrix Team", "member_ids": [Command.link(cls.salesman_2.id)]}
        )
        cls.lead_own = cls._create_lead(name="Rep's lead", partner_id=cls.customer.id)
        cls.lead_other = cls._create_lead(name="Other rep's lead", user_id=cls.salesman_2.id)
        Need = cls.env["sales_toolkit.need"]
        Followup = cls.env["sales_toolkit.followup"]
        need_own = Need.create({"lead_id": cls.lead_own.id, "name": "Faster delivery"})
        need_other = Need.create({"lead_id": cls.lead_other.id, "name": "Lower price"})
        followup_own = Followup.with_user(cls.salesman).create(
            {"lead_id": cls.lead_own.id, "summary": "Called the buyer"}
        )
        followup_manager = Followup.with_user(cls.manager).create(
            {"lead_id": cls.lead_own.id, "summary": "Met the general manager"}
        )
        followup_other = Followup.create({"lead_id": cls.lead_other.id, "summary": "Sent the quote"})
        CarePlan = cls.env["sales_toolkit.care.plan"]
        plan_own = CarePlan.create({"partner_id": cls.customer.id, "user_id": cls.salesman.id})
        plan_other = CarePlan.create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "Other Co."}).id,
                "user_id": cls.salesman_2.id,
            }
        )
        action_other = cls.env["sales_toolkit.care.action"].create(
            {"plan_id": plan_other.id, "name": "Mid-Autumn gift box"}
        )
        Target = cls.env["sales_toolkit.target"]
        target_own = Target.create(
            {
                "name": "Rep Q1",
                "date_from": date(2024, 1, 1),
                "owner_id": cls.salesman.id,
                "target_value": 100,
            }
        )
        target_other = Target.create(
            {
                "name": "Other Q1",
                "date_from": date(2024, 1, 1),
                "owner_id": cls.salesman_2.id,
                "target_value": 100,
            }
        )
        Task = cls.env["sales_toolkit.task"]
        task_own = Task.create(
            {
                "name": "Visit 5 customers",
                "user_id": cls.salesman.id,
                "date_start": date(2024, 3, 1),
                "date_deadline": date(2024, 3, 31),
            }
        )
        task_other = Task.create(
            {
                "name": "Call 20 customers",
                "user_id": cls.salesman_2.id,
                "date_start": date(2024, 3, 1),
                "date_deadline": date(2024, 3, 31),
            }
        )
        training = cls.env["sales_toolkit.training"].create(
            {
                "name": "Negotiation training",
                "date_start": date(2024, 4, 1),
                "date_end": date(2024, 4, 2),
                "user_id": cls.manager.id,
            }
        )
        Participant = cls.env["sales_toolkit.training.participant"]
        line_own = Participant.create({"training_id": training.id, "user_id": cls.salesman.id})
        line_other = Participant.create({"training_id": training.id, "user_id": cls.salesman_2.id})
        Meeting = cls.env["sales_toolkit.review.meeting"]
        meeting_values = {
            "name": "Q1 review",
            "date_start": datetime(2024, 4, 5, 6, 0),
            "date_end": datetime(2024, 4, 5, 8, 0),
        }
        meeting = Meeting.create(
            dict(
                meeting_values,
                team_id=cls.team.id,
                user_id=cls.leader.id,
                attendee_ids=[Command.set((cls.leader | cls.salesman).ids)],
            )
        )
        other_meeting = Meeting.create(
            dict(
                meeting_values,
                team_id=cls.other_team.id,
                user_id=cls.manager.id,
                attendee_ids=[Command.set((cls.manager | cls.salesman_2).ids)],
            )
        )
        Problem = cls.env["sales_toolkit.review.problem"]
        problem_own = Problem.create(
            {"meeting_id": meeting.id, "user_id": cls.salesman.id, "description": "Lost 3 customers"}
        )
        problem_other = Problem.create(
            {"meeting_id": other_meeting.id, "user_id": cls.salesman_2.id, "description": "Late deliveries"}
        )
        cls.records = {
            "need of the rep's lead": need_own,
            "need of another rep's lead": need_other,
            "follow-up the rep logged on their lead": followup_own,
            "follow-up a manager logged on the rep's lead": followup_manager,
            "follow-up of another rep's lead": followup_other,
            "care plan of the rep": plan_own,
            "care action of another rep's plan": action_other,
            "target the rep answers for": target_own,
            "target of another rep": target_other,
            "task of the rep": task_own,
            "task of another rep": task_other,
            "training line of the rep": line_own,
            "training line of another rep": line_other,
            "training the rep takes part in": training,
            "problem the rep brings to their meeting": problem_own,
            "problem of another team's meeting": problem_other,
        }

    def _toolkit_models(self):
        """Every model the module defines (not those it extends), as the registry lists them."""
        models = self.env["ir.model"].search([])
        return {
            model.model
            for model in models
            if model.modules == "sales_toolkit" and not self.env[model.model]._abstract
        }

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
