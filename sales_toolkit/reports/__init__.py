from . import sales_toolkit_performance_report
