from . import periods, sensitive_data, tree
