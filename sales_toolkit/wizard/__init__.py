from . import (
    sales_toolkit_lead_review,
    sales_toolkit_strategy_activate,
    sales_toolkit_target_revise,
    sales_toolkit_target_suggest,
    sales_toolkit_task_send_back,
)
