from lxml import etree

from odoo import api, models
from odoo.exceptions import AccessError, ValidationError
from odoo.models import MAGIC_COLUMNS

from ..tools.owner_right import Owner

# who may write a field: the superuser only (the toolkit's own code), or users of these groups
SYSTEM = "system"
SALESMAN = "sales_team.group_sale_salesman"
LEADERS = "sales_team.group_sale_salesman_all_leads"
MANAGERS = "sales_team.group_sale_manager"
EDITABLE_VIEW_TYPES = ("form", "list", "kanban")


class SalesToolkitFieldRights(models.AbstractModel):
    """Who may write each field of the toolkit's records, on top of access rights and rules.

    A model lists its rules in ``_toolkit_write_rights``: ``{field name: SYSTEM, groups (as in a
    field's ``groups``) or Owner(user field)}``. The module's own fields that are read-only by
    definition (computed, related, measured) are SYSTEM unless listed; the others follow
    ``_toolkit_write_default`` (None: whoever may write the record). Odoo's own fields of the
    models the module extends are left alone.

    SYSTEM fields are written by the toolkit's own code (buttons, computations, scheduled
    jobs, wizards) as the superuser once it has checked the business rule: no client can
    become the superuser, and no context sent through RPC or JSON-2 changes any of this.

    Odoo applies the rules through ``_has_field_access``: ``create`` and ``write`` refuse the
    field, ``fields_get`` and the views show it read-only to the user.
    """

    _name = "sales_toolkit.field.rights"
    _description = "Sales Toolkit Field Write Rights"

    _toolkit_write_rights = {}
    _toolkit_write_default = None
    # Python constraints (method names) that a CHECK constraint backs: the CHECK fires on the
    # INSERT, before Odoo runs the constraints; these run on the new values first, so that
    # the user reads their message, not the database's
    _toolkit_insert_checks = ()

    @api.model
    def _toolkit_write_right(self, field):
        """SYSTEM, the groups that may write ``field``, or None for no restriction."""
        right = self._toolkit_write_rights.get(field.name)
        if right is not None or field.name in MAGIC_COLUMNS or field._modules[:1] != ("sales_toolkit",):
            return right
        return SYSTEM if field.readonly else self._toolkit_write_default

    @api.model
    def _toolkit_may_write(self, field):
        """Whether the user may write ``field`` on some record (an owner's field: on theirs)."""
        if self.env.su:
            return True
        right = self._toolkit_write_right(field)
        if isinstance(right, Owner):
            right = SALESMAN
        return right is None or (right != SYSTEM and self.env.user.has_groups(right))

    def _toolkit_owns(self, field):
        """Whether the user may write the owner's field ``field`` on every record of ``self``."""
        right = self._toolkit_write_right(field)
        if self.env.su or not isinstance(right, Owner) or self.env.user.has_groups(MANAGERS):
            return True
        return all(record.sudo()[right.field] == self.env.user for record in self)

    @api.model
    def _has_field_access(self, field, operation):
        if operation == "write" and not self._toolkit_may_write(field):
            return False
        return super()._has_field_access(field, operation)

    @api.model
    def _check_field_access(self, field, operation):
        # on write, ``self`` holds the records written: an owner's field is checked on each
        if operation == "write" and not (self._toolkit_may_write(field) and self._toolkit_owns(field)):
            raise AccessError(self._toolkit_write_refusal(field))
        return super()._check_field_access(field, operation)

    @api.model
    def _toolkit_write_refusal(self, field):
        right = self._toolkit_write_right(field)
        names = {
            "field": field._description_string(self.env),
            "model": self.env["ir.model"]._get(self._name).name,
        }
        if right == SYSTEM:
            return self.env._(
                "%(field)s (%(model)s) is kept by the toolkit itself, through its buttons, computations "
                "and scheduled jobs: it cannot be written directly.",
                **names,
            )
        if right == LEADERS:
            return self.env._(
                "Only sales team leaders and managers can change %(field)s (%(model)s).", **names
            )
        if right == MANAGERS:
            return self.env._("Only sales managers can change %(field)s (%(model)s).", **names)
        if isinstance(right, Owner):
            return self.env._(
                "Only sales managers and the %(owner)s can change %(field)s (%(model)s).",
                owner=self._fields[right.field]._description_string(self.env),
                **names,
            )
        return self.env._("You cannot change %(field)s (%(model)s).", **names)

    # ------------------------------------------------------------------ CRUD

    @api.model
    def default_get(self, fields):
        return super(SalesToolkitFieldRights, self._toolkit_without_locked_defaults()).default_get(fields)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._toolkit_check_whole_numbers(vals)
        self._toolkit_run_insert_checks(vals_list)
        return super(SalesToolkitFieldRights, self._toolkit_without_locked_defaults()).create(vals_list)

    def write(self, vals):
        self._toolkit_check_whole_numbers(vals)
        return super().write(self._toolkit_without_unchanged(vals))

    def _toolkit_write_as_system(self, vals):
        """Write fields that are the system's (states, stamps) once a button or a computation
        has checked its rule: the user must be allowed to change these records, the values
        are then written as the superuser (the context, e.g. an action's flag, is kept)."""
        self.check_access("write")
        return self.sudo().write(vals)

    def copy_data(self, default=None):
        # a copy does not carry over what its author may not write: defaults and computes apply
        vals_list = super().copy_data(default=default)
        locked = {
            name
            for vals in vals_list
            for name in vals
            if name in self._fields and not self._toolkit_may_write(self._fields[name])
        }
        return [{name: value for name, value in vals.items() if name not in locked} for vals in vals_list]

    def _toolkit_without_locked_defaults(self):
        """``self`` without the context defaults (``default_<field>``) of fields the user may
        not write: an action's or a client's suggestion does not set them, their own default does."""
        context = self.env.context
        locked = [
            key
            for key in context
            if key.startswith("default_")
            and key[8:] in self._fields
            and not self._toolkit_may_write(self._fields[key[8:]])
        ]
        if not locked:
            return self
        # the keys go: a default of None would still be a default
        context = {key: value for key, value in context.items() if key not in locked}
        return self.with_context(context)  # pylint: disable=context-overridden

    def _toolkit_without_unchanged(self, vals):
        """``vals`` without the fields the user may not write but that would keep their value:
        writing a record back as it is changes nothing (Odoo's contact merge writes every
        stored field of the contact it keeps)."""
        unchanged = {
            name
            for name, value in vals.items()
            if (field := self._fields.get(name))
            and field.type not in ("one2many", "many2many")
            and not (self._toolkit_may_write(field) and self._toolkit_owns(field))
            and all(
                field.convert_to_cache(record[name], record) == field.convert_to_cache(value, record)
                for record in self
            )
        }
        return {name: value for name, value in vals.items() if name not in unchanged} if unchanged else vals

    @api.model
    def _toolkit_run_insert_checks(self, vals_list):
        """Run the ``_toolkit_insert_checks`` constraints on records made of ``vals_list``
        (with their defaults), as Odoo would after the INSERT: each when its fields are given."""
        for name in self._toolkit_insert_checks:
            fnames = set(getattr(type(self), name)._constrains)
            for vals in vals_list:
                if fnames & vals.keys():
                    getattr(self.new(self._add_missing_default_values(vals)), name)()

    @api.model
    def _toolkit_check_whole_numbers(self, vals):
        """An integer field would store 4 for 4.7 without a word: refuse what is not whole."""
        for name, value in vals.items():
            field = self._fields.get(name)
            if (
                isinstance(value, float)
                and not value.is_integer()
                and field
                and field.type == "integer"
                and field._modules[:1] == ("sales_toolkit",)
            ):
                raise ValidationError(
                    self.env._(
                        "%(field)s takes a whole number, not %(value)s.",
                        field=field._description_string(self.env),
                        value=value,
                    )
                )

    # ------------------------------------------------------------------ views

    @api.model
    def get_view(self, view_id=None, view_type="form", **options):
        result = super().get_view(view_id, view_type, **options)
        if view_type not in EDITABLE_VIEW_TYPES or self.env.su:
            return result
        arch = etree.fromstring(result["arch"])
        if self._toolkit_lock_view_fields(arch):
            result = dict(result, arch=etree.tostring(arch, encoding="unicode"))
        return result

    @api.model
    def _toolkit_lock_view_fields(self, node):
        """Show read-only, whatever the view says, the fields of ``node`` (a view of this model,
        with the embedded views of its x2many fields) the user may not write. Returns whether
        any was locked."""
        locked = False
        for child in node.iterchildren("*"):
            field = self._fields.get(child.get("name")) if child.tag == "field" else None
            if field is None:
                locked |= self._toolkit_lock_view_fields(child)
                continue
            if not self._toolkit_may_write(field):
                child.set("readonly", "True")
                child.attrib.pop("force_save", None)
                locked = True
            comodel = self.env[field.comodel_name] if field.relational else None
            if comodel is not None and hasattr(comodel, "_toolkit_lock_view_fields"):
                for view in child.iterchildren(*EDITABLE_VIEW_TYPES):
                    locked |= comodel._toolkit_lock_view_fields(view)
        return locked
