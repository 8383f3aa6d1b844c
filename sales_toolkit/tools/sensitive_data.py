"""Detect personal data that the PIPL forbids a sales team to collect.

Pure Python (no Odoo import) so that the root ``tests/`` can check it
without a database. Two kinds are recognised:

* a PRC resident identity number: 17 digits and a check character
  (ISO 7064 MOD 11-2, GB 11643-1999) with a plausible birth date;
* a bank card number: 13 to 19 digits passing the Luhn check, written in one
  run or in groups of four separated by spaces or dashes.
"""

import datetime
import re

RESIDENT_ID = "resident_id"
BANK_CARD = "bank_card"

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[0-9Xx])(?![0-9A-Za-z])")
# a run of digits, or 4-digit groups (the way cards are printed); a leading
# "+" marks a phone number in international form, never a card
_CARD_RE = re.compile(r"(?<![\d+])(\d{13,19}|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?)(?![\d])")


def resident_id_check_char(first17):
    """Return the check character of the 17 leading digits of an ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def is_resident_id(value):
    """True when ``value`` is a well-formed PRC resident identity number."""
    value = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[0-9X]", value):
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


def is_bank_card(value):
    """True when ``value`` (separators allowed) looks like a payment card."""
    digits = re.sub(r"[ -]", "", value or "")
    return 13 <= len(digits) <= 19 and digits[0] != "0" and luhn_valid(digits)


def find_sensitive_numbers(text):
    """Return the kinds of forbidden numbers found in ``text``, in order.

    Each kind is reported once; an 18-digit ID number is not also reported as
    a card even when its digits happen to pass the Luhn check.
    """
    if not text:
        return []
    found = []
    id_spans = []
    for match in _ID_RE.finditer(text):
        if is_resident_id(match.group(1)):
            id_spans.append(match.span(1))
            if RESIDENT_ID not in found:
                found.append(RESIDENT_ID)
    for match in _CARD_RE.finditer(text):
        start, end = match.span(1)
        if any(s <= start and end <= e for s, e in id_spans):
            continue
        if is_bank_card(match.group(1)) and BANK_CARD not in found:
            found.append(BANK_CARD)
    return found
