"""What counts as "still English" on a Chinese screen (pure Python, no Odoo import).

Shared by tests/test_zh_cn_views.py (rendered screens) and the repository's root
tests (the .po file and the JavaScript ``_t`` strings).

A text fails when it keeps a Latin word that a Chinese user would not see as it is.
The allow-list is deliberately small; each entry is shown unchanged in a Chinese UI:
"""

import re

ALLOWED_WORDS = frozenset(
    {
        # abbreviations the Chinese handbook keeps in Latin letters (YoY, MoM, AOV and
        # SLA are not among them: 同比, 环比, 客单价, 服务时限)
        "KPI",
        "ROI",
        "PEST",
        "VIP",
        "CRM",
        # file formats and products
        "PDF",
        "XLSX",
        "xlsx",
        "Excel",
        "Odoo",
        # the date format the user types
        "YYYY-MM-DD",
    }
)
# a single capital (product line A, 4P), a quarter (Q1..Q4), a Font Awesome icon class
ALLOWED_PATTERN = re.compile(r"[A-Z]|Q[1-4]|fa-[a-z0-9-]+")
# placeholders and template expressions are replaced before the user sees the text
NOT_TEXT = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\{.*?\}\}|#\{.*?\}|\$\{.*?\}", re.DOTALL)
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-.'’][A-Za-z0-9]+)*")


def latin_words(text):
    """The words of ``text`` a Chinese user would read as English."""
    return [
        word
        for word in WORD.findall(NOT_TEXT.sub(" ", text or ""))
        if word not in ALLOWED_WORDS and not ALLOWED_PATTERN.fullmatch(word)
    ]
