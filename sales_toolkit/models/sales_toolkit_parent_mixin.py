from odoo import api, models
from odoo.exceptions import AccessError


class SalesToolkitParentMixin(models.AbstractModel):
    """Child records attach only to a parent the user may modify.

    A follow-up moves its lead's follow-up dates, a care log its plan's satisfaction
    score, a sub-task its parent's progress. Odoo checks the child's record rules, but
    neither the parent a child is created on nor the one it is moved to: a rep could
    log on a colleague's lead. Creating a child on a parent, or moving it from one
    parent to another, needs write access on the parents concerned. Models list their
    parent fields in ``_toolkit_parent_fields``; the superuser is exempt.
    """

    _name = "sales_toolkit.parent.mixin"
    _description = "Sales Toolkit: children of parents the user may modify"

    # names of the Many2one fields to the records a child belongs to
    _toolkit_parent_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        for fname in self._toolkit_parent_fields:
            records._toolkit_check_parent_access(fname, records.sudo()[fname])
        return records

    def write(self, vals):
        for fname in set(self._toolkit_parent_fields) & vals.keys():
            new_parent = self.env[self._fields[fname].comodel_name].browse(vals[fname])
            old_parents = self.sudo()[fname]
            if old_parents != new_parent:
                # moving a child changes the parent it leaves as well as the one it joins
                self._toolkit_check_parent_access(fname, old_parents | new_parent)
        return super().write(vals)

    def _toolkit_check_parent_access(self, fname, parents):
        """Raise unless the user may modify ``parents``, the values of field ``fname``."""
        if self.env.su or not parents:
            return
        parents = parents.with_env(self.env)
        if not parents.has_access("write"):
            raise AccessError(
                self.env._(
                    "You may not modify this %(parent)s, so you cannot add a %(document)s to it or move "
                    "one to or from it: ask its owner or a sales manager.",
                    document=self.env["ir.model"]._get(self._name).name,
                    parent=self.env["ir.model"]._get(parents._name).name,
                )
            )
