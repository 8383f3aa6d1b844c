from . import (
    crm_lead,
    crm_team,
    res_company,
    res_config_settings,
    res_partner,
    sales_toolkit_care_action,
    sales_toolkit_care_log,
    sales_toolkit_care_plan,
    sales_toolkit_followup,
    sales_toolkit_need,
    sales_toolkit_strength,
    sales_toolkit_tier_policy,
)
