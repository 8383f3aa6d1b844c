from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # then the product lines of those orders, also from the index alone
    _sales_toolkit_kpi_idx = models.Index(
        "(order_id) INCLUDE (price_subtotal, product_id) "
        "WHERE display_type IS NULL AND is_downpayment IS NOT TRUE"
    )
