"""OCA's readme habits: README.rst generated from the fragments, LICENSE, manifest keys."""

import ast
import importlib.util
import re

from conftest import MODULE, REPO
from docutils.core import publish_string


def _generator():
    spec = importlib.util.spec_from_file_location(
        "gen_addon_readme", REPO / "scripts" / "gen_addon_readme.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _manifest():
    return ast.literal_eval((MODULE / "__manifest__.py").read_text())


def test_readme_rst_is_generated_from_the_fragments():
    generator = _generator()
    text = (MODULE / "README.rst").read_text(encoding="utf-8")
    digest = generator.DIGEST_RE.search(text)
    assert digest and digest["digest"] == generator.source_digest(MODULE), (
        "README.rst is older than readme/ or the manifest: run scripts/gen_addon_readme.py --addons-dir=."
    )
    expected = generator.render(MODULE, "sales-toolkit", "sales_toolkit", "main")
    assert text == expected, (
        "README.rst was edited by hand: edit readme/*.md and run scripts/gen_addon_readme.py"
    )


def test_readme_rst_is_valid_restructuredtext():
    # as OCA's tool checks it (and PyPI renders it): warnings are errors
    settings = {"halt_level": 2, "report_level": 2, "file_insertion_enabled": False, "raw_enabled": False}
    publish_string(
        (MODULE / "README.rst").read_text(encoding="utf-8"),
        writer_name="html4css1",
        settings_overrides=settings,
    )


def test_readme_rst_has_the_oca_sections():
    text = (MODULE / "README.rst").read_text(encoding="utf-8")
    titles = re.findall(r"^(\S[^\n]*)\n([=-])\2+$", text, re.MULTILINE)
    order = [title for title, _ in titles]
    for title in (
        "Configuration",
        "Usage",
        "Changelog",
        "Bug Tracker",
        "Credits",
        "Authors",
        "Contributors",
        "Maintainers",
    ):
        assert title in order, title
    assert (
        order.index("Usage") < order.index("Changelog") < order.index("Bug Tracker") < order.index("Credits")
    )
    assert ".. contents::" in text
    for login in _manifest()["maintainers"]:
        assert f"|maintainer-{login}|" in text


def test_manifest_development_status_and_maintainers():
    manifest = _manifest()
    assert manifest["development_status"] in ("Alpha", "Beta", "Production/Stable", "Mature")
    assert manifest["maintainers"] and all(re.fullmatch(r"[A-Za-z0-9-]+", m) for m in manifest["maintainers"])


def test_history_covers_the_manifest_version():
    history = (MODULE / "readme" / "HISTORY.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## (19\.0\.\d+\.\d+\.\d+)", history, re.MULTILINE)
    assert _manifest()["version"] in versions, "add the version's changes to readme/HISTORY.md"
    assert versions == sorted(versions, key=lambda v: [int(p) for p in v.split(".")], reverse=True)
    assert (MODULE / "readme" / "CONTRIBUTORS.md").read_text(encoding="utf-8").strip()


def test_license_is_the_lgpl_3():
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text and "Version 3, 29 June 2007" in text
    assert _manifest()["license"] == "LGPL-3"
