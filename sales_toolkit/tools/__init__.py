from . import date_bounds, owner_right, periods, sensitive_data, tree
