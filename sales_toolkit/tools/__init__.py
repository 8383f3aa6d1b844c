from . import date_bounds, periods, sensitive_data, tree
