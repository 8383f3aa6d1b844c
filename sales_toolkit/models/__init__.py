from . import res_company
from . import res_config_settings
from . import sales_toolkit_strength
from . import sales_toolkit_need
from . import crm_lead
