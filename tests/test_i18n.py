"""The translation files: every exported term has a Simplified Chinese entry."""

import ast
import importlib.util
import re

from conftest import MODULE

I18N = MODULE / "i18n"


def _zh_cn_text():
    """sales_toolkit/tests/zh_cn_text.py (the allow-list of the Chinese screens), without Odoo."""
    spec = importlib.util.spec_from_file_location("zh_cn_text", MODULE / "tests" / "zh_cn_text.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# in a view or template term: the attributes the user reads, and the elements whose
# content a value replaces when the template renders (t-out="object.name">Mitchell Admin<)
DISPLAYED_ATTR = re.compile(
    r'\b(?:string|help|placeholder|title|alt|confirm|sum|avg|aria-label|data-tooltip|label)="([^"]*)"'
)
RENDERED_CONTENT = re.compile(r"<(\w+)[^>]*\bt-(?:out|esc|field|raw)=[^>]*>.*?</\1>", re.DOTALL)
TAG = re.compile(r"<[^>]*>")


def _displayed(msgstr):
    """The text a user reads of a translation (markup and template values left out)."""
    if msgstr.startswith(("'", '"')):  # a report's file name: a Python expression
        try:
            tree = ast.parse(msgstr, mode="eval")
        except SyntaxError:
            pass
        else:
            return " ".join(
                node.value
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant) and isinstance(node.value, str)
            )
    text = RENDERED_CONTENT.sub(" ", msgstr)
    return " ".join(DISPLAYED_ATTR.findall(text) + [TAG.sub(" ", text)])


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


def test_zh_cn_translations_read_in_chinese():
    """No translation keeps the English (or English words) beyond the documented allow-list:
    rendered screens are checked by sales_toolkit/tests/test_zh_cn_views.py, this also covers
    the messages of the code."""
    latin_words = _zh_cn_text().latin_words
    english = []
    for path in (I18N / "zh_CN.po", MODULE / "i18n_extra" / "zh_CN.po"):
        for msgid, msgstr in _po_entries(path).items():
            if not latin_words(_displayed(msgid)):
                continue  # nothing to translate: "KPI", "PEST", "4P"
            words = latin_words(_displayed(msgstr))
            if msgstr == msgid or words:
                english.append(f"{msgid[:60]!r}: {words}")
    assert not english, f"{len(english)} zh_CN translations still in English: {english}"


def test_english_is_caught_and_the_allow_list_is_small(tmp_path):
    zh_cn_text = _zh_cn_text()
    assert len(zh_cn_text.ALLOWED_WORDS) <= 20
    assert zh_cn_text.latin_words("Export to Excel") == ["Export", "to"]
    assert zh_cn_text.latin_words("导出到 Excel：%(name)s 的 KPI，产品线 A，2024 Q1") == []
    broken = tmp_path / "zh_CN.po"
    broken.write_text('msgid "Refresh Figures"\nmsgstr "Refresh 数据"\n', encoding="utf-8")
    ((_msgid, msgstr),) = _po_entries(broken).items()
    assert zh_cn_text.latin_words(_displayed(msgstr)) == ["Refresh"]
    assert _displayed('<i class="fa fa-clock-o" title="计划结束"/>').strip() == "计划结束"
    assert _displayed("'维护计划 - %s' % (object.partner_id.name)") == "维护计划 - %s"
    assert "Mitchell" not in _displayed('跟进人：<t t-out="object.user_id.name">Mitchell Admin</t>')


# _t("..."), _t('...') and _t(`...`) without ${}: the literal is the msgid
JS_T = re.compile(r"""\b_t\(\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`([^`$\\]*)`)""")


def _js_terms(source):
    for match in JS_T.finditer(source):
        double, single, template = match.groups()
        if template is not None:
            yield template
        else:
            quote = '"' if double is not None else "'"
            yield ast.literal_eval(quote + (double if double is not None else single) + quote)


def _untranslated_js(sources, zh):
    latin_words = _zh_cn_text().latin_words
    missing = []
    for name, source in sources:
        for term in _js_terms(source):
            msgstr = zh.get(term)
            if not msgstr or (latin_words(term) and (msgstr == term or latin_words(msgstr))):
                missing.append(f"{name}: {term!r} -> {msgstr!r}")
    return missing


def test_js_strings_have_chinese_translations():
    """Every _t("...") of the module's JavaScript reads in Chinese: the web client takes
    it from zh_CN.po (the Odoo test checks the terms as the server sends them)."""
    zh = _po_entries(I18N / "zh_CN.po")
    sources = [
        (path.relative_to(MODULE).as_posix(), path.read_text(encoding="utf-8"))
        for path in sorted((MODULE / "static" / "src").rglob("*.js"))
    ]
    missing = _untranslated_js(sources, zh)
    assert not missing, f"{len(missing)} JavaScript strings without a Chinese translation: {missing}"
    # the scan itself finds the three spellings of _t and refuses English
    sample = "const a = _t(\"Targets\"); const b = _t('Open %s', n); const c = _t(`Delayed tasks`);"
    assert list(_js_terms(sample)) == ["Targets", "Open %s", "Delayed tasks"]
    assert _untranslated_js([("sample.js", sample)], {"Targets": "销售目标", "Open %s": "Open %s"}) == [
        "sample.js: 'Open %s' -> 'Open %s'",
        "sample.js: 'Delayed tasks' -> None",
    ]
