from odoo.tools import SQL

# the covering indexes the target model used to make by hand (19.0.1.1.0); the sale.order and
# sale.order.line extensions declare them now as models.Index, under Odoo's names
OLD_SALE_INDEXES = ("sales_toolkit_sale_order_period_idx", "sales_toolkit_sale_order_line_measure_idx")


def migrate(cr, version):
    """Drop the hand-made sale indexes: the module's own (same definitions) replace them."""
    for index in OLD_SALE_INDEXES:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
