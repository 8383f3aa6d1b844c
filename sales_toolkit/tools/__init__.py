from . import actions, date_bounds, owner_right, people_fields, periods, sensitive_data, tree
