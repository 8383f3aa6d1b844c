from odoo import api, models
from odoo.exceptions import ValidationError

from ..tools.sensitive_data import BANK_CARD, RESIDENT_ID, find_sensitive_numbers


class SalesToolkitPiplMixin(models.AbstractModel):
    """Free text where the sales staff write about a person.

    The Personal Information Protection Law forbids a sales team to collect resident ID
    and bank card numbers: the fields that ``_toolkit_pipl_fields`` names refuse them,
    however they are written (see tools/sensitive_data.py). The check runs when one of
    these fields is written, so that an edit of other fields is never blocked by older
    text; it then reads all of them, and the message names the field to clean up.
    """

    _name = "sales_toolkit.pipl.mixin"
    _description = "Personal Data Guard"

    def _toolkit_pipl_fields(self):
        """Names of the guarded free-text fields (Char, Text or Html) of the model."""
        return []

    @api.constrains(lambda self: self._toolkit_pipl_fields())
    def _check_pipl_sensitive_data(self):
        field_names = self._toolkit_pipl_fields()
        for record in self:
            for field_name in field_names:
                self._toolkit_raise_if_sensitive(
                    record[field_name], self._fields[field_name]._description_string(self.env)
                )

    @api.model
    def _toolkit_raise_if_sensitive(self, text, where):
        """Refuse data that the PIPL forbids collecting (ID and bank card numbers)."""
        kinds = find_sensitive_numbers(text)
        if RESIDENT_ID in kinds:
            raise ValidationError(
                self.env._(
                    "%(where)s contains what looks like a Chinese resident ID number. The "
                    "Personal Information Protection Law forbids collecting it: remove it.",
                    where=where,
                )
            )
        if BANK_CARD in kinds:
            raise ValidationError(
                self.env._(
                    "%(where)s contains what looks like a bank card number. The Personal "
                    "Information Protection Law forbids collecting it: remove it.",
                    where=where,
                )
            )
