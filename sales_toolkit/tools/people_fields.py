from odoo import fields

# portal and public users never own, organise or answer for the module's records
INTERNAL_USERS = "[('share', '=', False)]"


def _current_user(record):
    return record.env.user


def internal_user_field(string, default=_current_user, **kwargs):
    """The Many2one of the internal user of the record's company who owns, organises or
    answers for the record, by default the current user (``default=None``: no default, e.g.
    for a computed one); ``kwargs`` add or override."""
    attrs = {"check_company": True, "domain": INTERNAL_USERS}
    if default is not None:
        attrs["default"] = default
    return fields.Many2one("res.users", string=string, **(attrs | kwargs))


def _current_team(record):
    return record.env.user.sale_team_id


def sales_team_field(default=_current_team, **kwargs):
    """The Many2one of the sales team the record is for, by default the current user's team
    (``default=None``: no default)."""
    attrs = {"string": "Sales Team", "check_company": True}
    if default is not None:
        attrs["default"] = default
    return fields.Many2one("crm.team", **(attrs | kwargs))
