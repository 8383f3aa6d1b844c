from . import sensitive_data
