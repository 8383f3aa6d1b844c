"""Detect personal data that the PIPL forbids a sales team to collect.

Pure Python (no Odoo import) so that the root ``tests/`` can check it
without a database. Two kinds are recognised:

* a PRC resident identity number: 17 digits and a check character
  (ISO 7064 MOD 11-2, GB 11643-1999) with a province code and a plausible
  birth date;
* a bank card number: 13 to 19 digits with a payment-card issuer prefix,
  passing the Luhn check, in one run or grouped the way cards are printed.

The text is normalised first, so that the way a number is written does not
hide it: HTML tags are dropped and entities decoded, full-width characters
(０-９, Ｘ) become ASCII (NFKC), invisible characters are removed, and digit
groups separated by spaces, dashes, dots, slashes or line breaks are read
together, also next to Latin letters. Separators are only ever dropped between
digits (a card with mixed separators only in printed groups of four), and every
candidate must still pass the check character or the Luhn test, so that phone
numbers, amounts, dates and order numbers stay accepted.
"""

import datetime
import html
import re
import unicodedata

RESIDENT_ID = "resident_id"
BANK_CARD = "bank_card"

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
# the province part of the address code (GB/T 2260), the first two digits of an ID
# number; 71, 81, 82 and 83 are Taiwan, Hong Kong, Macao and the residence permits
_ID_PROVINCES = frozenset(
    str(code)
    for first, last in ((11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65), (71, 71), (81, 83))
    for code in range(first, last + 1)
)

# HTML: a line break or a block ends a line, an inline tag (<b>, <span>) is invisible
_BLOCK_TAG_RE = re.compile(
    r"</?(?:address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header"
    r"|hr|li|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul)\b[^<>]*>",
    re.IGNORECASE,
)
_TAG_RE = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9]*\b[^<>]*>", re.DOTALL)
# zero-width spaces and joiners, soft hyphens, direction marks: invisible inside a number
_INVISIBLE_RE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# what people put between the digits of a number they write down: blanks and line
# breaks, hyphens and dashes, dots and middle dots, slashes
_SEPARATOR = r"[\s\-\u2010-\u2015\u2212./\u00b7\u30fb]"
# digit groups joined by separators, possibly ending with the check character X
_RUN_RE = re.compile(rf"\d+(?:{_SEPARATOR}+\d+)*(?:{_SEPARATOR}*[Xx])?")


def resident_id_check_char(first17):
    """Return the check character of the 17 leading digits of an ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def is_resident_id(value):
    """True when ``value`` is a well-formed PRC resident identity number."""
    value = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[0-9X]", value) or value[:2] not in _ID_PROVINCES:
        return False
    try:
        birth = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if not datetime.date(1900, 1, 1) <= birth <= datetime.date.today():
        return False
    return resident_id_check_char(value[:17]) == value[17]


def luhn_valid(digits):
    """True when the digit string passes the Luhn (mod 10) check."""
    if not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def _has_card_prefix(digits):
    """A payment-card issuer prefix (ISO/IEC 7812): 3 (Amex, JCB, Diners), 4 (Visa),
    5 (Mastercard), 6 (UnionPay, Discover) or Mastercard's 2221-2720. This leaves out
    numbers that are no card: years (2023 2024 ...), quantities (1000 2000 ...), unified
    social credit codes (91...), and EAN-13 product codes (only Visa has 13 digits)."""
    if len(digits) == 13:
        return digits[0] == "4"
    return digits[0] in "3456" or 2221 <= int(digits[:4]) <= 2720


def is_bank_card(value):
    """True when ``value`` (separators allowed) looks like a payment card."""
    digits = re.sub(_SEPARATOR, "", value or "")
    return 13 <= len(digits) <= 19 and digits.isdigit() and _has_card_prefix(digits) and luhn_valid(digits)


def _is_card_grouping(lengths):
    """Digit groups the way a card number is written: one run, groups of four (the last
    one shorter), Amex's 4-6-5, Diners' 4-6-4, or one digit at a time. Lists of shorter
    numbers (a phone number in parts, a date range, amounts in a table) are not cards."""
    if len(lengths) == 1:
        return True
    return (
        (all(length == 4 for length in lengths[:-1]) and lengths[-1] <= 4)
        or tuple(lengths) in ((4, 6, 5), (4, 6, 4))
        or all(length == 1 for length in lengths)
    )


def _is_printed_in_fours(lengths):
    """Groups of four digits, the last one shorter: a card however it is separated."""
    return len(lengths) >= 3 and all(length == 4 for length in lengths[:-1]) and lengths[-1] <= 4


def normalize_text(text):
    """The text as a reader sees it: tags dropped, entities decoded, NFKC."""
    text = _TAG_RE.sub("", _BLOCK_TAG_RE.sub("\n", str(text)))
    text = unicodedata.normalize("NFKC", html.unescape(text))
    return _INVISIBLE_RE.sub("", text)


def _separator_kind(separator):
    """Separators compared for sameness: a line break (\\r\\n or <br/>), or blanks as one."""
    if "\n" in separator or "\r" in separator:
        return re.sub(r"\s+", "\n", separator)
    return re.sub(r"\s+", " ", separator)


def _find_in_run(run, phone_prefix):
    """The kinds found in one run of digit groups.

    Each window of consecutive whole groups is a candidate: a number next to another one
    (a phone number, a date) is still found, and a group is never cut. An ID number may mix
    separators (its province, birth date and check character leave no room for chance); a
    card may only in printed groups of four, so that a list of numbers (dates and phone
    numbers one after the other) is not read as one.
    """
    tokens = re.split(r"(\d+)", run)
    groups, separators = tokens[1::2], [_separator_kind(sep) for sep in tokens[2:-1:2]]
    ends_with_x = run[-1] in "Xx"
    id_windows, card_windows = [], []
    for start in range(len(groups)):
        length = 0
        for end in range(start, len(groups)):
            length += len(groups[end])
            if length > 19:
                break
            lengths = [len(group) for group in groups[start : end + 1]]
            mixed = len(set(separators[start:end])) > 1
            digits = "".join(groups[start : end + 1])
            if is_resident_id(digits) or (
                end == len(groups) - 1 and ends_with_x and is_resident_id(digits + "X")
            ):
                id_windows.append((start, end))
            elif (
                not (phone_prefix and start == 0)
                and (_is_printed_in_fours(lengths) if mixed else _is_card_grouping(lengths))
                and is_bank_card(digits)
            ):
                card_windows.append((start, end))
    kinds = [RESIDENT_ID] if id_windows else []
    # an ID number is reported once, as an ID, even when some of its digits pass the Luhn check
    if any(all(end < s or start > e for s, e in id_windows) for start, end in card_windows):
        kinds.append(BANK_CARD)
    return kinds


def find_sensitive_numbers(text):
    """Return the kinds of forbidden numbers found in ``text``, in order.

    Each kind is reported once; an 18-digit ID number is not also reported as
    a card even when its digits happen to pass the Luhn check.
    """
    if not text:
        return []
    text = normalize_text(text)
    found = set()
    for match in _RUN_RE.finditer(text):
        # "+86 138 ...": a phone number in international form, never a card
        phone_prefix = text[match.start() - 1 : match.start()] == "+"
        found.update(_find_in_run(match.group(), phone_prefix))
    return [kind for kind in (RESIDENT_ID, BANK_CARD) if kind in found]
