"""The addon builds as a wheel with whool (sales_toolkit/pyproject.toml), as OCA publishes addons."""

import ast
import os
import re
import subprocess
import sys
import zipfile
from email.parser import HeaderParser

import pytest
from conftest import MODULE
from packaging.requirements import Requirement

# pip's messages when it cannot fetch whool (the build backend) from an index
OFFLINE = re.compile(
    r"No matching distribution found for whool|Could not find a version that satisfies the requirement whool"
    r"|Failed to establish a new connection|Temporary failure in name resolution|Network is unreachable"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    # whool names the version after the manifest; keep the environment's strategy out of it
    env = {k: v for k, v in os.environ.items() if k != "WHOOL_POST_VERSION_STRATEGY_OVERRIDE"}
    run = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(MODULE), "-w", str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if run.returncode and OFFLINE.search(run.stdout + run.stderr):
        pytest.skip(f"pip cannot fetch the build backend whool from an index:\n{run.stderr[-500:]}")
    assert run.returncode == 0, run.stdout + run.stderr
    wheels = list(out.glob("*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def _manifest_version():
    return ast.literal_eval((MODULE / "__manifest__.py").read_text())["version"]


def _metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return HeaderParser().parsestr(archive.read(name).decode())


def test_wheel_name_and_version_follow_the_manifest(wheel):
    version = _manifest_version()
    # whool's default for 19.0 appends the number of commits since the version was set (".N")
    name = rf"odoo_addon_sales_toolkit-{re.escape(version)}(\.\d+)?-py3-none-any\.whl"
    assert re.fullmatch(name, wheel.name), wheel.name
    metadata = _metadata(wheel)
    assert metadata["Name"] == "odoo-addon-sales_toolkit"
    assert re.fullmatch(rf"{re.escape(version)}(\.\d+)?", metadata["Version"])
    assert metadata["License"] == "LGPL-3"
    assert "Framework :: Odoo :: 19.0" in metadata.get_all("Classifier")


def test_wheel_requires_odoo_19_0(wheel):
    requirements = [Requirement(r) for r in _metadata(wheel).get_all("Requires-Dist")]
    odoo = [r for r in requirements if r.name == "odoo"]
    assert len(odoo) == 1, requirements
    # the same range as `odoo>=19.0a,<19.1dev` (whool writes it as `odoo==19.0.*`)
    specifier = odoo[0].specifier
    admits = {v: specifier.contains(v, prereleases=True) for v in ("19.0a", "19.0", "19.0.20260101")}
    refuses = {v: specifier.contains(v, prereleases=True) for v in ("18.0", "19.1dev", "19.1", "20.0")}
    assert all(admits.values()), admits
    assert not any(refuses.values()), refuses
    # crm, sale and web_hierarchy ship with Odoo: no other requirement
    assert [r.name for r in requirements] == ["odoo"]


def test_wheel_ships_the_data_files(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    prefix = "odoo/addons/sales_toolkit/"
    manifest = ast.literal_eval((MODULE / "__manifest__.py").read_text())
    for path in manifest["data"] + manifest["demo"]:
        assert prefix + path in names, path
    expected = [
        "__manifest__.py",
        "README.rst",
        "security/ir.model.access.csv",
        "i18n/zh_CN.po",
        "i18n/sales_toolkit.pot",
        "static/description/index.html",
        "static/description/icon.png",
        "static/src/cockpit/cockpit_action.js",
        "static/tests/tours/sales_toolkit_need_match_tour.js",
    ]
    for path in expected:
        assert prefix + path in names, path
    kinds = {
        "views xml": r"views/.+\.xml",
        "reports": r"reports/.+\.(xml|py)",
        "screenshots": r"static/description/screenshots/.+\.png",
    }
    for kind, pattern in kinds.items():
        assert any(re.fullmatch(prefix + pattern, n) for n in names), kind
    # nothing of the build itself
    assert prefix + "pyproject.toml" not in names
