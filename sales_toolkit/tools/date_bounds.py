"""The dates the module accepts (pure Python, no Odoo)."""

from datetime import date, datetime

# Beyond these, date arithmetic leaves Python's calendar (a start in year 1 cannot go back
# a quarter, 9999 cannot go forward) or loops for seconds; no sales record needs them.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2200, 12, 31)


def in_date_bounds(value):
    """Whether a date or datetime falls within DATE_MIN..DATE_MAX (an empty value does)."""
    if not value:
        return True
    day = value.date() if isinstance(value, datetime) else value
    return DATE_MIN <= day <= DATE_MAX
