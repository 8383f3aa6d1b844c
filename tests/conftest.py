import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MODULE = REPO / "sales_toolkit"


@pytest.fixture(scope="session")
def sensitive_data():
    """The module's detector, loaded from its file without importing Odoo."""
    path = MODULE / "tools" / "sensitive_data.py"
    spec = importlib.util.spec_from_file_location("sales_toolkit_sensitive_data", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
