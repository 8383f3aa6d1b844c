import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MODULE = REPO / "sales_toolkit"


def _load_tool(name):
    """One of the module's pure-Python tools, loaded from its file without importing Odoo."""
    path = MODULE / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"sales_toolkit_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def sensitive_data():
    return _load_tool("sensitive_data")


@pytest.fixture(scope="session")
def periods():
    return _load_tool("periods")


@pytest.fixture(scope="session")
def tree():
    return _load_tool("tree")


@pytest.fixture(scope="session")
def date_bounds():
    return _load_tool("date_bounds")


@pytest.fixture(scope="session")
def upgrade_check():
    """scripts/upgrade_check.py, whose comparison needs no Odoo."""
    spec = importlib.util.spec_from_file_location("upgrade_check", REPO / "scripts" / "upgrade_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
