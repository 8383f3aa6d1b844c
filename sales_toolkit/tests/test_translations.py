import polib

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_every_term_has_a_zh_cn_translation(self):
        """Every string Odoo would export for the module is translated in zh_CN.po."""
        reader = TranslationModuleReader(self.env.cr, modules=["sales_toolkit"])
        sources = {row[4] for row in reader if row[0] == "sales_toolkit"}
        self.assertGreater(len(sources), 100)
        po = polib.pofile(file_path("sales_toolkit/i18n/zh_CN.po"))
        translated = {
            entry.msgid for entry in po if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
        }
        missing = sorted(sources - translated)
        self.assertFalse(missing, f"{len(missing)} terms without a zh_CN translation: {missing[:20]}")

    def test_chinese_screens_and_messages(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([("name", "=", "sales_toolkit")])._update_translations(["zh_CN"])
        Lead = self.env["crm.lead"].with_context(lang="zh_CN")
        fields = Lead.fields_get(["intent_tier", "match_level", "pain_point"], ["string", "selection"])
        self.assertEqual(fields["intent_tier"]["string"], "初步分级")
        self.assertIn(("high", "高意向"), fields["intent_tier"]["selection"])
        self.assertIn(("medium", "中匹配度"), fields["match_level"]["selection"])
        self.assertEqual(fields["pain_point"]["string"], "具体痛点")
        with self.assertRaises(ValidationError) as catcher:
            Lead.create({"name": "PIPL", "pain_point": "11010519491231002X"})
        self.assertIn("个人信息保护法", str(catcher.exception))
