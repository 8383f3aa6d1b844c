"""Calendar periods of the handbook (pure Python, no Odoo)."""


def period_start(day, period_type):
    """The first day of the month, quarter or year that holds ``day`` (custom: ``day``)."""
    if period_type == "month":
        return day.replace(day=1)
    if period_type == "quarter":
        return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
    if period_type == "year":
        return day.replace(month=1, day=1)
    return day
