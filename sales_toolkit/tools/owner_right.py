from dataclasses import dataclass


@dataclass(frozen=True)
class Owner:
    """A write right of ``_toolkit_write_rights``: sales managers on every record, any other
    salesperson on the records whose user field ``field`` (a Many2one to res.users) is them:
    ``Owner("user_id")``."""

    field: str
