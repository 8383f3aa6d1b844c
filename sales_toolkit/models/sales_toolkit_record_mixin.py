from odoo import models
from odoo.exceptions import UserError


class SalesToolkitRecordMixin(models.AbstractModel):
    """What every record of the module shares: its company within the user's companies,
    parents the user may modify (``_toolkit_parent_fields``, none by default), dates within
    the module's years and the field write rights. Inherit it instead of listing the four."""

    _name = "sales_toolkit.record.mixin"
    _description = "Sales Toolkit Record"
    _inherit = [
        "sales_toolkit.company.mixin",
        "sales_toolkit.parent.mixin",
        "sales_toolkit.date.bounds",
        "sales_toolkit.field.rights",
    ]
    _check_company_auto = True

    def _check_state(self, states, message):
        """The guard of a state button: raise ``message`` unless every record is in ``states``."""
        if self.filtered(lambda record: record.state not in states):
            raise UserError(message)

    def _toolkit_children_action(self, xml_id, **defaults):
        """The window action ``xml_id`` on the children (``parent_id``) of this record; new
        children come under it with the ``defaults`` (field name: value)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xml_id)
        context = {"default_parent_id": self.id} | {
            f"default_{name}": value for name, value in defaults.items()
        }
        action.update(name=self.name, domain=[("parent_id", "=", self.id)], context=context)
        return action

    def _toolkit_readable(self, fname, inverse=None):
        """The records of the x2many ``fname`` of ``self`` the user may read, as a form shows them.

        Searched, never read from the field: an x2many's cache is shared by every user, and the
        superuser fills it with all the lines whenever a record rule reads it. ``inverse`` is
        the comodel's field back to ``self`` (a one2many's own inverse by default).
        """
        field = self._fields[fname]
        return self.env[field.comodel_name].search([(inverse or field.inverse_name, "in", self.ids)])
