from odoo import api, models
from odoo.exceptions import AccessError


class SalesToolkitCompanyMixin(models.AbstractModel):
    """Company changes within Odoo's multi-company rules, for every model of the module.

    Odoo checks the company record rule of a new record, but a write only against the
    record as it was: without this check a user could move a record to a company they
    do not belong to, where its users read it and its own company no longer does. A
    model's own company may only be one of the user's companies. A company related to
    the parent (an action's plan, a follow-up's lead) follows the parent: it is read-only,
    so the field rights (sales_toolkit.field.rights) refuse writing it on its own. The
    superuser (scheduled jobs, generated records) is exempt.
    """

    _name = "sales_toolkit.company.mixin"
    _description = "Sales Toolkit: companies within the user's companies"

    @api.model_create_multi
    def create(self, vals_list):
        self._toolkit_check_company_values(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._toolkit_check_company_values([vals])
        return super().write(vals)

    def _toolkit_check_company_values(self, vals_list):
        if self.env.su or self._fields["company_id"].related:
            return
        companies = self.env["res.company"].browse(
            {vals["company_id"] for vals in vals_list if vals.get("company_id")}
        )
        foreign = companies - self.env.user.company_ids
        if foreign:
            raise AccessError(
                self.env._(
                    "You do not work for %(company)s: put the %(document)s in one of your companies.",
                    document=self.env["ir.model"]._get(self._name).name,
                    company=foreign[0].sudo().name,
                )
            )
