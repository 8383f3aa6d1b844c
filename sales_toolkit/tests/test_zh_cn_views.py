import ast
from collections import defaultdict
from datetime import timedelta

import psycopg2
from lxml import etree, html

from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.translate import TRANSLATED_ATTRS, TranslationModuleReader, code_translations

from .common import SalesToolkitCommon
from .zh_cn_text import latin_words

# the content of these nodes is replaced by a value when the template renders
EXPRESSION_CONTENT = ("t-out", "t-esc", "t-field", "t-raw")


def _displayed_texts(root):
    """The texts a user reads in an arch, a QWeb template or an HTML field.

    Only the attributes Odoo shows and translates (string, help, placeholder, title,
    confirm, sum, ...), and text nodes; not expressions (t-out, t-esc, t-att-*), not
    the locators of an inheriting view (xpath, position=...), not scripts or styles.
    """
    texts = []

    def walk(node, hidden):
        if not isinstance(node.tag, str):  # comment, processing instruction
            return
        if node.tag == "attribute":  # <xpath position="attributes"><attribute name="string">
            if node.get("name") in TRANSLATED_ATTRS:
                texts.append(node.text)
            return
        locator = node.tag == "xpath" or "position" in node.attrib
        if not (hidden or locator or "t-call" in node.attrib):
            texts.extend(value for key, value in node.attrib.items() if key in TRANSLATED_ATTRS)
        hidden = (
            hidden or node.tag in ("script", "style") or any(key in node.attrib for key in EXPRESSION_CONTENT)
        )
        if not hidden:
            texts.append(node.text)
        for child in node:
            walk(child, hidden)
            if not hidden:
                texts.append(child.tail)

    walk(root, False)
    return [" ".join(text.split()) for text in texts if text and text.strip()]


def _python_literals(expression):
    """The string literals of a Python expression (a report's print name)."""
    return [
        node.value
        for node in ast.walk(ast.parse(expression, mode="eval"))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


@tagged("post_install", "-at_install")
class TestZhCnViews(SalesToolkitCommon):
    """A user who switches the interface to Chinese sees no English string of the module."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # only this module's terms: what the module shows must come from its own zh_CN.po
        cls.env["ir.module.module"]._load_module_terms(["sales_toolkit"], ["zh_CN"], overwrite=True)
        (cls.manager | cls.salesman).lang = "zh_CN"
        cls.imd = cls.env["ir.model.data"].search([("module", "=", "sales_toolkit")])

    def _user_env(self, user):
        """The environment of a request by ``user``: their own language in the context."""
        env = self.env(user=user)
        return env(context=dict(env.context, **env.user.context_get()))

    def _module_records(self, model):
        ids = self.imd.filtered(lambda data: data.model == model).mapped("res_id")
        return self.env[model].browse(ids).exists()

    def _english(self, where, texts):
        """``where: text`` for each text that still reads in English."""
        return [f"{where}: {text!r}" for text in texts if latin_words(text)]

    def assertChinese(self, offenders):
        offenders = sorted(set(offenders))
        self.assertFalse(
            offenders,
            "{} texts of the module still read in English in zh_CN:\n{}".format(
                len(offenders), "\n".join(offenders)
            ),
        )

    def test_zh_cn_users(self):
        for user in (self.manager, self.salesman):
            self.assertEqual(self._user_env(user).lang, "zh_CN")
        menu = self.env.ref("sales_toolkit.sales_toolkit_target_menu").with_context(lang="zh_CN")
        self.assertEqual(menu.name, "销售目标")
        # the check itself: English is caught, the allow-list and placeholders are not
        self.assertEqual(latin_words("Revise the target"), ["Revise", "the", "target"])
        self.assertEqual(latin_words("%(name)s 的 KPI：产品线 A，Q1 {{ object.name }}"), [])

    def test_every_view_renders_in_chinese(self):
        """The arch of every view of the module (inheriting ones too) after translation,
        and every primary view as a Chinese manager and a Chinese rep render it."""
        views = self._module_records("ir.ui.view")
        self.assertGreater(len(views), 60)
        offenders = []
        for view in views.with_context(lang="zh_CN"):
            # the module's own arch: for an inheriting view of crm.lead, res.partner or the
            # settings, exactly the nodes and attributes the module adds to the screen
            offenders += self._english(view.xml_id, _displayed_texts(etree.fromstring(view.arch_db)))
            if view.type == "qweb" or view.inherit_id:
                continue
            for user in (self.manager, self.salesman):
                env = self._user_env(user)
                if not env[view.model].has_access("read"):
                    continue
                arch = env[view.model].get_view(view.id, view.type)["arch"]
                where = f"{view.xml_id} ({user.login})"
                offenders += self._english(where, _displayed_texts(etree.fromstring(arch)))
        self.assertChinese(offenders)

    def test_every_translated_value_of_the_module_is_chinese(self):
        """Menus, window and client actions, reports and their file names, crons, mail
        templates, models, field labels and help, selection labels, constraint messages
        and the module's data records: every translatable value of every record the
        module defines, read in zh_CN."""
        by_model = defaultdict(list)
        for data in self.imd:
            by_model[data.model].append(data.res_id)
        offenders = []
        checked = defaultdict(int)
        for model, ids in by_model.items():
            if model == "ir.ui.view" or model not in self.env:  # views: see above
                continue
            Model = self.env[model]
            translated = [
                name
                for name, field in Model._fields.items()
                if field.translate and field.store and field.type in ("char", "text", "html")
            ]
            if not translated:
                continue
            for record in Model.browse(ids).exists().with_context(lang="zh_CN", active_test=False):
                for name in translated:
                    value = record[name]
                    if not value:
                        continue
                    checked[model] += 1
                    field = Model._fields[name]
                    if model == "ir.actions.report" and name == "print_report_name":
                        texts = _python_literals(value)
                    elif field.type == "html":
                        texts = _displayed_texts(html.fromstring(f"<div>{value}</div>"))
                    else:
                        texts = [value]
                    offenders += self._english(f"{model} {record.id} {name}", texts)
        for model in (
            "ir.ui.menu",
            "ir.actions.act_window",
            "ir.actions.client",
            "ir.actions.report",
            "ir.model",
            "ir.model.fields",
            "ir.model.fields.selection",
            "ir.model.constraint",
            "mail.template",
        ):
            self.assertTrue(checked[model], model)
        self.assertChinese(offenders)

    def test_every_field_of_the_module_reads_in_chinese(self):
        """Labels, help and selection labels as the web client gets them (fields_get), on
        the module's models and on the fields it adds to crm.lead, res.partner, settings.

        The selection labels a model gets from mail.activity.mixin (activity state) belong to
        mail, and Odoo exports them with mail: they are in sales_toolkit/i18n_extra/zh_CN.po."""
        fields_by_model = defaultdict(list)
        for field in self._module_records("ir.model.fields"):
            fields_by_model[field.model].append(field.name)
        self.assertLessEqual({"crm.lead", "res.partner", "res.config.settings"}, set(fields_by_model))
        offenders = []
        for user in (self.manager, self.salesman):
            env = self._user_env(user)
            for model, names in fields_by_model.items():
                if not env[model].has_access("read"):
                    continue
                described = env[model].fields_get(names, ["string", "help", "selection"])
                for name, description in described.items():
                    where = f"{model}.{name} ({user.login})"
                    texts = [description["string"], description.get("help")]
                    texts += [label for _value, label in description.get("selection") or []]
                    offenders += self._english(where, [text for text in texts if text])
        self.assertChinese(offenders)

    def test_every_message_of_the_code_is_chinese(self):
        """Errors, warnings and chatter messages of the Python code, and the strings the
        web client receives for the module's JavaScript, as Odoo serves them in zh_CN."""
        reader = TranslationModuleReader(self.env.cr, modules=["sales_toolkit"])
        python = code_translations.get_python_translations("sales_toolkit", "zh_CN")
        web = {
            message["id"]: message["string"]
            for message in code_translations.get_web_translations("sales_toolkit", "zh_CN")["messages"]
        }
        offenders = []
        count = 0
        for _module, _kind, name, _res_id, source, _value, comments in reader:
            if "odoo-python" in comments:
                served = python.get(source)
            elif "odoo-javascript" in comments:
                served = web.get(source)
            else:
                continue
            count += 1
            if not served or served == source:
                offenders.append(f"{name}: {source!r} has no zh_CN translation")
            else:
                offenders += self._english(name, [served])
        self.assertGreater(count, 100)
        self.assertChinese(offenders)

    def test_sql_constraint_message_in_chinese(self):
        need = self._create_handbook_lead().need_ids[0]
        need.flush_recordset()
        # straight to the database: the Python check would refuse first
        with self.assertRaises(psycopg2.IntegrityError) as catcher, mute_logger("odoo.sql_db"):
            self.env.cr.execute("UPDATE sales_toolkit_need SET score = 9 WHERE id = %s", [need.id])
        message = self._user_env(self.salesman)["sales_toolkit.need"]._sql_error_to_message(catcher.exception)
        self.assertFalse(latin_words(message), message)
        self.assertRegex(message, "[\u4e00-\u9fff]")

    def test_cockpit_reads_in_chinese(self):
        """The cockpit's sections, tiles, their help and the records they open, the scope
        badge and the targets' KPI and status, as the server sends them to a Chinese manager
        and rep (the client's own strings are checked with the code's messages above)."""
        today = self.company._toolkit_today()
        period = {"period_type": "custom", "date_from": today - timedelta(days=10)}
        period["date_to"] = today + timedelta(days=20)
        company_target = self.env["sales_toolkit.target"].create(
            dict(period, name="Revenue", kpi="revenue", target_value=10**6, owner_id=self.manager.id)
        )
        rep_target = self.env["sales_toolkit.target"].create(
            dict(
                period,
                name="Wins",
                kpi="won_leads",
                target_value=5,
                owner_id=self.manager.id,
                user_id=self.salesman.id,
                parent_id=company_target.id,
            )
        )
        (company_target | rep_target).action_confirm()
        for user in (self.manager, self.salesman):
            data = self._user_env(user)["sales_toolkit.cockpit"].get_cockpit_data()
            texts = [data["scope_label"]]
            rows = []
            for section in data["sections"]:
                texts.append(section["title"])
                for tile in section["tiles"]:
                    texts += [tile["label"], tile["help"], tile["action"]["name"]]
                rows += section.get("targets", [])
            self.assertIn(
                rep_target.id if user == self.salesman else company_target.id, [r["id"] for r in rows]
            )
            texts += [row[key] for row in rows for key in ("kpi", "status_label", "achieved", "target")]
            self.assertGreater(len(texts), 30)
            self.assertChinese(self._english(f"cockpit ({user.login})", texts))
