from lxml import etree

from odoo.tests import tagged

from .common import SalesToolkitCommon


@tagged("post_install", "-at_install")
class TestViews(SalesToolkitCommon):
    def test_lead_views_carry_toolkit_fields(self):
        Lead = self.env["crm.lead"].with_user(self.salesman)
        views = Lead.get_views([(False, "form"), (False, "kanban"), (False, "list"), (False, "search")])
        arch = {kind: views["views"][kind]["arch"] for kind in ("form", "kanban", "list", "search")}
        self.assertIn('name="sales_toolkit_qualification"', arch["form"])
        self.assertIn('name="need_ids"', arch["form"])
        self.assertIn('name="intent_tier"', arch["kanban"])
        self.assertIn('name="match_level"', arch["kanban"])
        self.assertIn('name="match_level"', arch["list"])
        for filter_name in (
            "toolkit_intent_high",
            "toolkit_match_high",
            "toolkit_consent_pending",
            "toolkit_unverified",
            "toolkit_review_due",
            "toolkit_group_intent",
            "toolkit_group_match",
        ):
            self.assertIn(f'name="{filter_name}"', arch["search"])
        self.assertNotIn("action_toolkit_verify", arch["form"], "reps cannot verify")
        leader_form = self.env["crm.lead"].with_user(self.leader).get_views([(False, "form")])
        self.assertIn("action_toolkit_verify", leader_form["views"]["form"]["arch"])

    def test_forms_show_read_only_what_the_user_may_not_write(self):
        """The field rights reach the forms: a field its user may not write is shown read-only,
        whatever the view says (sales_toolkit.field.rights.get_view)."""

        def read_only(model, user):
            arch = etree.fromstring(self.env[model].with_user(user).get_view(False, "form")["arch"])
            return {node.get("name") for node in arch.iter("field") if node.get("readonly") == "True"}

        rep_lead, leader_lead = read_only("crm.lead", self.salesman), read_only("crm.lead", self.leader)
        self.assertLessEqual({"verified_by_id", "verified_date", "match_level", "followup_state"}, rep_lead)
        self.assertLessEqual({"match_level", "followup_state"}, leader_lead)
        self.assertFalse({"verified_by_id", "verified_date"} & leader_lead, "leaders verify phones")
        self.assertIn("customer_tier", read_only("res.partner", self.manager))
        self.assertLessEqual({"reviewer_id", "team_id"}, read_only("sales_toolkit.task", self.salesman))
        self.assertFalse({"reviewer_id", "team_id"} & read_only("sales_toolkit.task", self.leader))

    def test_leads_view_and_opportunity_search_filters(self):
        for xmlid in ("crm.view_crm_case_leads_filter", "crm.view_crm_case_opportunities_filter"):
            view = self.env.ref(xmlid)
            arch = self.env["crm.lead"].get_view(view.id, "search")["arch"]
            self.assertIn('name="toolkit_review_due"', arch, xmlid)
        arch = self.env["crm.lead"].get_view(self.env.ref("crm.crm_case_tree_view_leads").id, "list")["arch"]
        self.assertIn('name="consent_state"', arch)

    def test_filters_domains_run(self):
        lead = self._create_handbook_lead()
        Lead = self.env["crm.lead"]
        for domain in (
            [("intent_tier", "=", "low")],
            [("match_level", "=", "medium")],
            [("consent_state", "=", "pending")],
            [("verified_by_id", "=", False)],
            [("match_review_due", "=", False)],
        ):
            self.assertIn(lead, Lead.search(domain), domain)
        groups = Lead._read_group([("id", "=", lead.id)], ["intent_tier", "match_level"], ["__count"])
        self.assertEqual(groups, [("low", "medium", 1)])

    def test_strength_and_need_views(self):
        for model in ("sales_toolkit.strength", "sales_toolkit.need"):
            views = (
                self.env[model]
                .with_user(self.manager)
                .get_views([(False, "list"), (False, "form"), (False, "search")])
            )
            self.assertEqual(set(views["views"]), {"list", "form", "search"})
        pivot = self.env["sales_toolkit.need"].get_views([(False, "pivot")])
        self.assertIn("strength_id", pivot["views"]["pivot"]["arch"])

    def test_settings_view(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        for field_name in (
            "toolkit_match_mode",
            "toolkit_match_high_score",
            "toolkit_match_high_ratio",
            "toolkit_power_high_ratio",
            "toolkit_intent_high_days",
            "toolkit_match_review_months",
        ):
            self.assertIn(f'name="{field_name}"', arch)

    def test_menus(self):
        strength_menu = self.env.ref("sales_toolkit.sales_toolkit_strength_menu")
        self.assertEqual(strength_menu.parent_id, self.env.ref("crm.crm_menu_config"))
        visible = self.env["ir.ui.menu"].with_user(self.salesman)._visible_menu_ids()
        self.assertNotIn(strength_menu.id, visible)
        visible = self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids()
        self.assertIn(strength_menu.id, visible)

    def test_followup_views(self):
        Followup = self.env["sales_toolkit.followup"].with_user(self.salesman)
        views = Followup.get_views([(False, "list"), (False, "form"), (False, "search"), (False, "pivot")])
        self.assertIn("next_action_deadline", views["views"]["form"]["arch"])
        self.assertIn('name="late"', views["views"]["search"]["arch"])
        form = (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="sales_toolkit_followups"', form)
        self.assertIn("action_toolkit_log_followup", form)
        self.assertNotIn("action_toolkit_review", form, "reps do not review strategies")
        kanban = self.env["crm.lead"].get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        self.assertIn('name="followup_state"', kanban)
        wizard = self.env["sales_toolkit.lead.review"].with_user(self.leader).get_views([(False, "form")])
        self.assertIn('name="lost_reason_id"', wizard["views"]["form"]["arch"])
        partner_form = self.env["res.partner"].with_user(self.salesman).get_views([(False, "form")])
        self.assertIn("action_toolkit_log_followup", partner_form["views"]["form"]["arch"])
        review_menu = self.env.ref("sales_toolkit.crm_lead_menu_review_queue")
        self.assertNotIn(review_menu.id, self.env["ir.ui.menu"].with_user(self.salesman)._visible_menu_ids())
        self.assertIn(review_menu.id, self.env["ir.ui.menu"].with_user(self.leader)._visible_menu_ids())

    def test_customer_tier_views(self):
        arch = (
            self.env["res.partner"].with_user(self.salesman).get_views([(False, "form"), (False, "search")])
        )
        self.assertIn('name="customer_tier"', arch["views"]["form"]["arch"])
        self.assertIn('name="annual_purchase_amount"', arch["views"]["form"]["arch"])
        self.assertNotIn('name="tier_override"', arch["views"]["form"]["arch"], "only managers override")
        self.assertIn('name="toolkit_tier_vip"', arch["views"]["search"]["arch"])
        manager_form = self.env["res.partner"].with_user(self.manager).get_views([(False, "form")])
        self.assertIn('name="tier_override_reason"', manager_form["views"]["form"]["arch"])
        settings = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        for field_name in ("toolkit_tier_vip_amount", "toolkit_tier_basis", "toolkit_cadence_high_days"):
            self.assertIn(f'name="{field_name}"', settings)

    def test_service_level_and_policy_views(self):
        form = self.env["sales_toolkit.followup"].get_views([(False, "form"), (False, "search")])["views"]
        self.assertIn('name="response_deadline"', form["form"]["arch"])
        self.assertIn('name="sla_breached"', form["search"]["arch"])
        policies = self.env["sales_toolkit.tier.policy"].with_user(self.manager).get_views([(False, "list")])
        self.assertIn('name="resolution_hours"', policies["views"]["list"]["arch"])
        menu = self.env.ref("sales_toolkit.sales_toolkit_tier_policy_menu")
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(self.salesman)._visible_menu_ids())


@tagged("post_install", "-at_install")
class TestEveryView(SalesToolkitCommon):
    def _module_records(self, model):
        data = self.env["ir.model.data"].search([("module", "=", "sales_toolkit"), ("model", "=", model)])
        return self.env[model].browse(data.mapped("res_id")).exists()

    def test_every_view_of_the_module_loads(self):
        views = self._module_records("ir.ui.view").filtered(lambda view: view.type != "qweb")
        self.assertGreater(len(views), 40)
        for view in views:
            # as an administrator, and as a rep wherever a rep may read the model
            envs = [self.env] + [
                self.env(user=user)
                for user in (self.manager, self.salesman)
                if self.env[view.model].with_user(user).has_access("read")
            ]
            for env in envs:
                with self.subTest(view=view.xml_id or view.name, user=env.user.login):
                    self.assertTrue(env[view.model].get_view(view.id, view.type)["arch"])

    def test_every_window_action_opens_its_views(self):
        actions = self._module_records("ir.actions.act_window")
        self.assertGreater(len(actions), 15)
        for action in actions:
            modes = [(view.id, view.view_mode) for view in action.view_ids] or [
                (False, mode) for mode in action.view_mode.split(",")
            ]
            with self.subTest(action=action.name):
                views = (
                    self.env[action.res_model].with_user(self.manager).get_views(modes + [(False, "search")])
                )
                self.assertEqual(set(views["views"]), {mode for _id, mode in modes} | {"search"})
