from odoo.tools import SQL

from . import controllers, models, reports, wizard

# the covering indexes the target model adds to sale tables (see SalesToolkitTarget.init)
SALE_INDEXES = ("sales_toolkit_sale_order_period_idx", "sales_toolkit_sale_order_line_measure_idx")


def uninstall_hook(env):
    """Drop the indexes the module added to Odoo's sale tables: they cost every write there."""
    for index in SALE_INDEXES:
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
