from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # the KPI engine reads a period's confirmed orders (and the performance report their
    # customers and teams) from this index alone, whatever the size of the table; Odoo
    # drops it when the module is uninstalled
    _sales_toolkit_period_idx = models.Index(
        "(company_id, date_order) INCLUDE (id, partner_id, team_id, user_id, currency_rate) "
        "WHERE state = 'sale'"
    )
