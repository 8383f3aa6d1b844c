from datetime import timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged, users
from odoo.tools import SQL

from ..models.crm_lead import MATCH_GRADE_FIELDS
from .common import SalesToolkitCommon


@tagged("post_install", "-at_install")
class TestNeedMatch(SalesToolkitCommon):
    def test_handbook_example_tech_co(self):
        """4 + 5 + 3 = 12: medium match, strong purchasing power, resolve the cost objection."""
        lead = self._create_handbook_lead()
        self.assertEqual(lead.need_count, 3)
        self.assertEqual(lead.match_score, 12)
        self.assertEqual(lead.match_max_score, 15)
        self.assertAlmostEqual(lead.match_ratio, 80.0)
        self.assertEqual(lead.match_level, "medium")
        self.assertEqual(lead.purchasing_power, "high")
        self.assertEqual(lead.followup_strategy, "resolve_objection")
        self.assertEqual(lead.match_threshold_note, "3 needs can reach 15 at most; high match needs 20.")

    def test_levels_with_absolute_thresholds(self):
        lead = self._create_lead()
        self.assertFalse(lead.match_level, "a lead without needs is not scored")
        self.assertFalse(lead.followup_strategy)
        Need = self.env["sales_toolkit.need"]
        Need.create([{"lead_id": lead.id, "name": f"Need {i}", "score": 5} for i in range(4)])
        self.assertEqual((lead.match_score, lead.match_level), (20, "high"))
        self.assertFalse(lead.match_threshold_note, "20 is reachable with 4 needs")
        lead.need_ids[:2].write({"score": 1})
        self.assertEqual((lead.match_score, lead.match_level), (12, "medium"))
        lead.need_ids.write({"score": 2})
        self.assertEqual((lead.match_score, lead.match_level), (8, "low"))
        self.assertEqual(lead.followup_strategy, "nurture")

    def test_normalised_thresholds_regrade_existing_leads(self):
        lead = self._create_handbook_lead()
        self.assertEqual(lead.match_level, "medium")
        self.company.toolkit_match_mode = "normalised"
        self.assertEqual(lead.match_level, "high", "12 / 15 = 80% reaches the high share")
        self.assertFalse(lead.match_threshold_note)
        self.assertEqual(lead.followup_strategy, "senior_visit")
        self.company.toolkit_match_high_ratio = 90
        self.assertEqual(lead.match_level, "medium")

    def test_settings_change_regrades(self):
        lead = self._create_handbook_lead()
        settings = self.env["res.config.settings"].create({})
        settings.toolkit_match_high_score = 12
        settings.toolkit_match_medium_score = 6
        settings.execute()
        self.assertEqual(self.company.toolkit_match_high_score, 12)
        self.assertEqual(lead.match_level, "high")

    def test_settings_refuse_inconsistent_thresholds(self):
        with self.assertRefused(ValidationError, "medium match score"):
            self.company.write({"toolkit_match_medium_score": 25})
        with self.assertRefused(ValidationError, "match percentages"):
            self.company.write({"toolkit_match_high_ratio": 120})
        with self.assertRefused(ValidationError, "intent window"):
            self.company.write({"toolkit_intent_high_days": 100})
        with self.assertRefused(ValidationError, "purchasing power"):
            self.company.write({"toolkit_power_medium_ratio": 150})
        with self.assertRefused(ValidationError, "one month"):
            self.company.write({"toolkit_match_review_months": 0})

    def test_purchasing_power_bands(self):
        lead = self._create_handbook_lead()
        cases = [(200000, "high"), (130000, "medium"), (100000, "low")]
        for budget_max, power in cases:
            lead.budget_min = 0
            lead.budget_max = budget_max
            self.assertEqual(lead.purchasing_power, power, budget_max)
        lead.expected_revenue = 0
        self.assertFalse(lead.purchasing_power, "no expected revenue, nothing to compare")
        self.company.toolkit_match_mode = "normalised"
        lead.expected_revenue = 180000
        self.assertEqual((lead.match_level, lead.purchasing_power), ("high", "low"))
        self.assertEqual(lead.followup_strategy, "confirm_budget")
        self.company.toolkit_power_medium_ratio = 50
        self.assertEqual(lead.purchasing_power, "medium")

    def test_score_outside_range_refused(self):
        lead = self._create_lead()
        Need = self.env["sales_toolkit.need"]
        for score in (0, 6, -1):
            with self.subTest(score=score), self.assertRefused(ValidationError, "from 1"):
                Need.create({"lead_id": lead.id, "name": "Bad score", "score": score})
        self.assertFalse(lead.need_ids)
        need = Need.create({"lead_id": lead.id, "name": "Good score", "score": 5})
        with self.assertRefused(ValidationError, "from 1"):
            need.score = 7
        self.env.invalidate_all()
        self.assertEqual(need.score, 5)

    @users("st_salesman")
    def test_rep_scores_needs_in_lead_form(self):
        lead = self._create_handbook_lead().with_user(self.env.user)
        with Form(lead) as form:
            self.assertEqual(form.match_level, "medium")
            for name in ("Quality certificate", "After-sales in 24 h"):
                with form.need_ids.new() as need:
                    need.name = name
                    need.score = 5
            self.assertEqual(form.match_score, 22)
            self.assertEqual(form.match_level, "high")
        self.assertEqual(lead.match_level, "high")
        self.assertEqual(lead.followup_strategy, "senior_visit")

    def test_score_refused_before_the_insert(self):
        """The score's constraint runs on the new values: its message, not the CHECK's."""
        lead = self._create_handbook_lead()
        with self.assertRefused(ValidationError, "“No match” is 0: score each need from 1"):
            self.env["sales_toolkit.need"].create({"lead_id": lead.id, "name": "No match", "score": 0})
        self.assertFalse(lead.need_ids.filtered(lambda need: need.name == "No match"))

    @users("st_salesman")
    def test_form_grades_follow_the_budget(self):
        lead = self._create_handbook_lead().with_user(self.env.user)
        with Form(lead) as form:
            for name in ("Quality certificate", "After-sales in 24 h"):
                with form.need_ids.new() as need:
                    need.name = name
                    need.score = 5
            self.assertEqual((form.purchasing_power, form.followup_strategy), ("high", "senior_visit"))
            # no budget: no purchasing power, so the budget is to be confirmed first
            form.budget_min = 0
            form.budget_max = 0
            self.assertEqual((form.purchasing_power, form.followup_strategy), (False, "confirm_budget"))
        self.assertEqual((lead.match_level, lead.followup_strategy), ("high", "confirm_budget"))

    def test_reevaluation_due_after_a_quarter(self):
        lead = self._create_handbook_lead()
        today = self.company._toolkit_today()
        self.assertEqual(lead.match_evaluated_date, today)
        self.assertEqual(lead.match_review_date, today + relativedelta(months=3))
        self.assertFalse(lead.match_review_due)
        Lead = self.env["crm.lead"]
        with freeze_time(today + relativedelta(months=3, days=1)):
            lead.invalidate_recordset(["match_review_due"])
            self.assertTrue(lead.match_review_due)
            self.assertIn(lead, Lead.search([("match_review_due", "=", True)]))
            self.assertNotIn(lead, Lead.search([("match_review_due", "=", False)]))
            lead.action_toolkit_confirm_match()
            self.assertEqual(lead.match_evaluated_date, today + relativedelta(months=3, days=1))
            lead.invalidate_recordset(["match_review_due"])
            self.assertFalse(lead.match_review_due)
            self.assertIn("re-evaluated", lead.message_ids[0].body)
        self.company.toolkit_match_review_months = 1
        self.assertEqual(lead.match_review_date, lead.match_evaluated_date + relativedelta(months=1))

    def test_changing_a_score_marks_the_evaluation(self):
        lead = self._create_handbook_lead()
        lead.match_evaluated_date = lead.match_evaluated_date - timedelta(days=100)
        lead.need_ids[0].score = 2
        self.assertEqual(lead.match_evaluated_date, self.company._toolkit_today())

    def test_strength_statistics(self):
        self._create_handbook_lead()
        self._create_handbook_lead()
        self.assertEqual(self.strength_cost.need_count, 2)
        self.assertAlmostEqual(self.strength_cost.average_score, 4.0)
        action = self.strength_cost.action_open_needs()
        self.assertEqual(self.env["sales_toolkit.need"].search_count(action["domain"]), 2)

    def test_match_recompute_query_count_is_flat(self):
        """Grading many leads costs the same queries as grading one."""
        Need = self.env["sales_toolkit.need"]
        leads = self.env["crm.lead"]
        for i in range(20):
            leads |= self._create_lead(name=f"Bulk {i}")
        Need.create([{"lead_id": lead.id, "name": "Need", "score": 3} for lead in leads])
        self.env.flush_all()

        def regrade_queries(records):
            self.env.invalidate_all()
            self.env.add_to_compute(records._fields["match_level"], records)
            before = self.env.cr.sql_log_count
            records.flush_recordset()
            return self.env.cr.sql_log_count - before

        regrade_queries(leads[:1])  # warm the caches
        one = regrade_queries(leads[:1])
        self.assertGreater(one, 0)
        self.assertEqual(regrade_queries(leads), one)

    def test_merge_keeps_needs_and_capture(self):
        head = self._create_lead(name="Head", pain_point="Late deliveries")
        tail = self._create_handbook_lead(
            name="Tail", industry_id=self.env.ref("base.res_partner_industry_C").id, employee_count=200
        )
        merged = (head | tail)._merge_opportunity(auto_unlink=True)
        self.assertEqual(len(merged.need_ids), 3)
        self.assertEqual(merged.match_score, 12)
        self.assertEqual((merged.budget_min, merged.budget_max), (150000, 200000))
        self.assertEqual(merged.employee_count, 200)
        self.assertEqual(merged.pain_point, "Late deliveries")
        self.assertEqual(len((head | tail).exists()), 1)

    def test_settings_change_regrades_leads_without_company(self):
        lead = self._create_handbook_lead(company_id=False)
        self.assertFalse(lead.company_id)
        self.assertEqual(lead.match_level, "medium")
        self.env.company.toolkit_match_mode = "normalised"
        self.assertEqual(lead.match_level, "high")

    def _varied_leads(self):
        """Leads of every kind the grading meets, as the re-grade test wants them."""
        Lead = self.env["crm.lead"]
        Need = self.env["sales_toolkit.need"]
        # needs (counts and scores with awkward ratios), budgets (none, only a floor, a ceiling
        # of 0, no expected revenue), three companies (A, B and none)
        needs_of = [[], [5], [1], [3, 4], [2, 2, 3], [5, 5, 5, 5], [1, 2, 3, 4, 5, 4], [4, 4, 3], [3] * 7]
        budgets = [
            {},
            {"budget_min": 1000, "expected_revenue": 1000},
            {"budget_min": 500, "budget_max": 0, "expected_revenue": 900},
            {"budget_min": 100, "budget_max": 700, "expected_revenue": 1000},
            {"budget_max": 50000, "expected_revenue": 0},
            {"budget_max": 333.33, "expected_revenue": 476.19},
        ]
        leads = Lead
        for i, scores in enumerate(needs_of):
            for j, budget in enumerate(budgets):
                company = (self.company, self.company_b, self.env["res.company"])[(i + j) % 3]
                user = self.salesman_b if company == self.company_b else self.salesman
                vals = dict(budget, name=f"Varied {i}-{j}", company_id=company.id, user_id=user.id)
                lead = Lead.create(vals)
                Need.create([{"lead_id": lead.id, "name": "Need", "score": score} for score in scores])
                leads |= lead
        return leads

    def _stored_grades(self, leads):
        """The grade columns of ``leads`` as the table holds them, by lead id."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM crm_lead WHERE id IN %s",
                SQL(", ").join(SQL.identifier(fname) for fname in MATCH_GRADE_FIELDS),
                tuple(leads.ids),
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    def test_one_query_regrade_agrees_with_the_compute(self):
        """The settings' one-UPDATE re-grade (every lead of the companies, from the tables) writes
        what the compute gives (the leads it computes, from the records), lead by lead: one
        grading rule, two ways in."""
        Lead = self.env["crm.lead"]
        leads = self._varied_leads()
        self.assertEqual(leads.company_id, self.company | self.company_b)
        self.assertTrue(leads.filtered(lambda lead: not lead.company_id))
        self.env.flush_all()
        fields = MATCH_GRADE_FIELDS

        def stored():
            return self._stored_grades(leads)

        def computed_grades():
            for fname in fields:
                self.env.add_to_compute(Lead._fields[fname], leads)
            return stored()

        settings = [
            ({}, {}),
            (
                {
                    "toolkit_match_mode": "normalised",
                    "toolkit_power_high_ratio": 90,
                    "toolkit_power_medium_ratio": 40,
                },
                {"toolkit_match_high_score": 12, "toolkit_match_medium_score": 5},
            ),
            (
                {"toolkit_match_high_ratio": 70, "toolkit_match_medium_ratio": 40},
                {"toolkit_match_mode": "normalised", "toolkit_power_medium_ratio": 66.6666},
            ),
            ({"toolkit_match_mode": "absolute"}, {"toolkit_match_high_ratio": 100}),
        ]
        levels = set()
        for vals_a, vals_b in settings:
            with self.subTest(company_a=vals_a, company_b=vals_b):
                # the settings change re-grades in one query...
                self.company.write(vals_a)
                self.company_b.write(vals_b)
                by_sql = stored()
                # ...and the computes agree, lead by lead
                self.assertEqual(computed_grades(), by_sql)
                # and from nothing: every lead written, the same grades
                self.env.cr.execute(
                    SQL(
                        "UPDATE crm_lead SET %s WHERE id IN %s",
                        SQL(", ").join(SQL("%s = NULL", SQL.identifier(fname)) for fname in fields),
                        tuple(leads.ids),
                    )
                )
                self.env.invalidate_all()
                self.assertEqual(Lead._toolkit_regrade_match(self.company | self.company_b), leads)
                self.assertEqual(stored(), by_sql)
                levels.update((grades[4], grades[5]) for grades in by_sql.values())
        # the cases cover every band of match and purchasing power, and the ungraded ones
        self.assertEqual({match for match, _power in levels}, {"high", "medium", "low", None})
        self.assertEqual({power for _match, power in levels}, {"high", "medium", "low", None})

    def test_settings_change_writes_only_the_leads_it_regrades(self):
        lead = self._create_handbook_lead()
        other = self._create_handbook_lead(budget_max=0, budget_min=0)
        self.env.flush_all()
        Lead = self.env["crm.lead"]
        self.assertFalse(Lead._toolkit_regrade_match(self.company), "nothing changed, nothing written")
        self.assertEqual(lead.match_threshold_note, "3 needs can reach 15 at most; high match needs 20.")
        self.company.toolkit_match_high_score = 12
        self.assertFalse(lead.match_threshold_note, "what depends on the grades follows")
        self.assertEqual((lead.match_level, lead.followup_strategy), ("high", "senior_visit"))
        self.assertEqual((other.match_level, other.followup_strategy), ("high", "confirm_budget"))
        self.company.toolkit_power_high_ratio = 150
        self.assertEqual((lead.purchasing_power, lead.followup_strategy), ("medium", "confirm_budget"))
