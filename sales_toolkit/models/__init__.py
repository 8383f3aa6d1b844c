from . import crm_lead, res_company, res_config_settings, sales_toolkit_need, sales_toolkit_strength
