from . import sales_toolkit_lead_review
