"""The translation files: every exported term has a Simplified Chinese entry."""

import ast
import re

from conftest import MODULE

I18N = MODULE / "i18n"


def _po_entries(path):
    """Map msgid -> msgstr of a .po/.pot file (plain parser, no dependency)."""
    entries = {}
    msgid = msgstr = None
    target = None
    fuzzy = False

    def flush():
        if msgid is not None and not fuzzy:
            entries[msgid] = msgstr or ""

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            flush()
            msgid, msgstr, target = ast.literal_eval(line[6:]), None, "id"
        elif line.startswith("msgstr "):
            msgstr, target = ast.literal_eval(line[7:]), "str"
        elif line.startswith('"') and target:
            if target == "id":
                msgid += ast.literal_eval(line)
            else:
                msgstr += ast.literal_eval(line)
        elif not line.strip():
            flush()
            msgid = msgstr = target = None
            fuzzy = False
    entries.pop("", None)
    return entries


def test_pot_terms_all_translated_in_zh_cn():
    pot = _po_entries(I18N / "sales_toolkit.pot")
    zh = _po_entries(I18N / "zh_CN.po")
    assert len(pot) > 100
    missing = sorted(term for term in pot if not zh.get(term))
    assert not missing, f"{len(missing)} terms without zh_CN translation: {missing[:10]}"


def test_zh_cn_uses_the_handbook_terms():
    zh = _po_entries(I18N / "zh_CN.po")
    expected = {
        "High Intent": "高意向",
        "Medium Intent": "中意向",
        "Low Intent": "低意向",
        "High Match": "高匹配度",
        "Medium Match": "中匹配度",
        "Low Match": "低匹配度",
        "Specific Pain Point": "具体痛点",
        "Prospect Capture Sheet": "潜在客户信息采集表",
        "Need-Match Evaluation": "客户需求匹配度评估表",
        "Purchasing Power": "购买力",
        "Core Strengths": "核心优势",
        "Expected Purchase Date": "预计采购时间",
        "Budget Range": "预算范围",
    }
    for english, chinese in expected.items():
        assert zh.get(english) == chinese, english


def test_python_strings_are_in_the_pot():
    """Every literal passed to env._() in the module's Python is exported."""
    pot = _po_entries(I18N / "sales_toolkit.pot")
    for path in MODULE.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                assert node.args[0].value in pot, f"{path.name}: {node.args[0].value!r}"


def test_placeholders_kept_in_translations():
    zh = _po_entries(I18N / "zh_CN.po")
    for msgid, msgstr in zh.items():
        if not msgstr:
            continue
        wanted = sorted(re.findall(r"%\(\w+\)s|%s", msgid))
        assert sorted(re.findall(r"%\(\w+\)s|%s", msgstr)) == wanted, msgid
