from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import SalesToolkitCommon


@tagged("post_install", "-at_install")
class TestSecurity(SalesToolkitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead_own = cls._create_handbook_lead(user_id=cls.salesman.id)
        cls.lead_other = cls._create_handbook_lead(user_id=cls.salesman_2.id)
        cls.lead_b = cls.env["crm.lead"].create(
            {"name": "Company B lead", "user_id": cls.salesman_b.id, "company_id": cls.company_b.id}
        )
        cls.strength_b = cls.env["sales_toolkit.strength"].create(
            {"name": "Company B strength", "company_id": cls.company_b.id}
        )
        cls.need_b = cls.env["sales_toolkit.need"].create(
            {"lead_id": cls.lead_b.id, "name": "Company B need", "strength_id": cls.strength_b.id}
        )

    def test_salesman_sees_only_needs_of_own_leads(self):
        Need = self.env["sales_toolkit.need"].with_user(self.salesman)
        visible = Need.search([])
        self.assertEqual(visible.lead_id, self.lead_own)
        other_need = self.lead_other.need_ids[0].with_user(self.salesman)
        with self.assertRaises(AccessError):
            other_need.read(["name", "score"])
        with self.assertRaises(AccessError):
            other_need.write({"score": 1})
        with self.assertRaises(AccessError):
            Need.create({"lead_id": self.lead_other.id, "name": "Sneaky need"})

    def test_salesman_manages_needs_of_own_leads(self):
        Need = self.env["sales_toolkit.need"].with_user(self.salesman)
        need = Need.create({"lead_id": self.lead_own.id, "name": "Quality certificate", "score": 5})
        self.assertEqual(self.lead_own.match_score, 17)
        need.write({"score": 4})
        need.unlink()
        self.assertEqual(self.lead_own.match_score, 12)

    def test_salesman_reads_but_cannot_change_strengths(self):
        strength = self.strength_cost.with_user(self.salesman)
        self.assertEqual(strength.name, "Cuts cost by 15-25%")
        with self.assertRaises(AccessError):
            strength.write({"name": "Changed"})
        with self.assertRaises(AccessError):
            self.env["sales_toolkit.strength"].with_user(self.salesman).create({"name": "New"})
        with self.assertRaises(AccessError):
            strength.unlink()

    def test_manager_manages_strengths_and_all_needs(self):
        strength = (
            self.env["sales_toolkit.strength"].with_user(self.manager).create({"name": "Exclusive patent"})
        )
        strength.write({"description": "Patent 2024"})
        Need = self.env["sales_toolkit.need"].with_user(self.manager)
        leads = self.lead_own | self.lead_other
        self.assertEqual(Need.search([("lead_id", "in", leads.ids)]).lead_id, leads)
        self.lead_other.need_ids[0].with_user(self.manager).score = 1
        strength.unlink()

    def test_team_leader_sees_all_needs_but_cannot_change_strengths(self):
        Need = self.env["sales_toolkit.need"].with_user(self.leader)
        self.assertEqual(len(Need.search([("lead_id", "in", (self.lead_own | self.lead_other).ids)])), 6)
        with self.assertRaises(AccessError):
            self.strength_cost.with_user(self.leader).write({"name": "Changed"})

    def test_company_b_never_sees_company_a(self):
        user_b = self.salesman_b
        self.assertEqual(self.env["sales_toolkit.need"].with_user(user_b).search([]), self.need_b)
        self.assertEqual(self.env["sales_toolkit.strength"].with_user(user_b).search([]), self.strength_b)
        self.assertNotIn(self.lead_own, self.env["crm.lead"].with_user(user_b).search([]))
        with self.assertRaises(AccessError):
            self.lead_own.need_ids[0].with_user(user_b).read(["name"])
        with self.assertRaises(AccessError):
            self.strength_cost.with_user(user_b).read(["name"])

    def test_company_a_manager_does_not_see_company_b(self):
        Need = self.env["sales_toolkit.need"].with_user(self.manager)
        self.assertNotIn(self.need_b, Need.search([]))
        self.assertNotIn(
            self.strength_b, self.env["sales_toolkit.strength"].with_user(self.manager).search([])
        )

    def test_strength_of_another_company_refused(self):
        with self.assertRefused(ValidationError, "belongs to Toolkit Company B"):
            self.env["sales_toolkit.need"].create(
                {"lead_id": self.lead_own.id, "name": "Cross", "strength_id": self.strength_b.id}
            )
