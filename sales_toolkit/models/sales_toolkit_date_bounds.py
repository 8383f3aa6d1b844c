from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.date_bounds import DATE_MAX, DATE_MIN, in_date_bounds


class SalesToolkitDateBounds(models.AbstractModel):
    """Records whose dates stay within the years the module works with (1900 to 2200).

    The module's own date and datetime fields of the models that inherit this are checked
    where a value comes in: when written (the UI, imports, the external API) and when
    changed in a form, before the form computes from them. A date that is no date at all
    (2024-02-30) gets the same clear message instead of a server error.

    A model lists in ``_toolkit_date_order`` its (start, end) fields whose end may not come
    before the start: checked here once, before the row is written, so that the message names
    the record; the model's CHECK constraint keeps the database right.
    """

    _name = "sales_toolkit.date.bounds"
    _description = "Sales Toolkit Date Bounds"

    _toolkit_date_order = ()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._toolkit_check_dates(vals)
            self.browse()._toolkit_check_date_order(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._toolkit_check_dates(vals)
        if any({start, end} & vals.keys() for start, end in self._toolkit_date_order):
            for record in self:
                record._toolkit_check_date_order(vals)
        return super().write(vals)

    def _toolkit_check_date_order(self, vals):
        """Refuse an end before the start, in ``vals`` written on ``self`` (one record, or
        none when created)."""
        for start_name, end_name in self._toolkit_date_order:
            if start_name not in vals and end_name not in vals:
                continue
            start, end = (
                self._toolkit_to_date(fname, vals[fname]) if fname in vals else self[fname]
                for fname in (start_name, end_name)
            )
            if start and end and end < start:
                raise ValidationError(
                    self.env._(
                        "%(record)s cannot end before it starts.",
                        record=vals.get(self._rec_name)
                        or self.display_name
                        or self.env["ir.model"]._get(self._name).name,
                    )
                )

    def onchange(self, values, field_names, fields_spec):
        self._toolkit_check_dates({fname: values[fname] for fname in field_names if fname in values})
        return super().onchange(values, field_names, fields_spec)

    @api.model
    def _toolkit_check_dates(self, vals):
        for fname, value in vals.items():
            field = self._fields.get(fname)
            # the module's own dates: not those of the models it extends, nor create/write dates
            if (
                field
                and field.type in ("date", "datetime")
                and field._module == "sales_toolkit"
                and fname not in models.LOG_ACCESS_COLUMNS
            ):
                self._toolkit_check_date_bounds(fname, self._toolkit_to_date(fname, value))

    @api.model
    def _toolkit_to_date(self, fname, value):
        """The value of the date field ``fname`` as a date (or datetime), with a clear message
        when it is no date at all (a server error otherwise)."""
        field = self._fields[fname]
        convert = fields.Datetime.to_datetime if field.type == "datetime" else fields.Date.to_date
        try:
            return convert(value)
        except (TypeError, ValueError):
            raise ValidationError(
                self.env._(
                    "%(field)s: “%(value)s” is not a date. Enter it as YYYY-MM-DD.",
                    field=field._description_string(self.env),
                    value=value,
                )
            ) from None

    @api.model
    def _toolkit_check_date_bounds(self, fname, day):
        if not in_date_bounds(day):
            raise ValidationError(
                self.env._(
                    "%(field)s: %(value)s is outside the dates the module works with "
                    "(%(min)s to %(max)s). Check the year.",
                    field=self._fields[fname]._description_string(self.env),
                    # isoformat: strftime writes year 1 as "1"
                    value=day.isoformat()[:10],
                    min=DATE_MIN.isoformat(),
                    max=DATE_MAX.isoformat(),
                )
            )
