"""scripts/odoo.sh makes an Odoo ready from nothing: source, venv, requirements, version check.

The cheap tests run it on a tiny stand-in Odoo (an odoo-bin that prints its version) from each
kind of ODOO_SOURCE. The real one (Odoo 19.0 from ODOO_SOURCE, default /opt/odoo, into a
temporary ODOO_HOME with its own venv and Odoo's requirements: minutes) runs when
SALES_TOOLKIT_TEST_BOOTSTRAP=1, which .ci/run sets.
"""

import os
import shutil
import subprocess

import pytest
from conftest import REPO

ODOO_SH = REPO / "scripts" / "odoo.sh"
FAKE_ODOO_BIN = """#!/usr/bin/env python3
import sys
import phonenumbers  # noqa: F401 (odoo.sh installs it beside Odoo's requirements)

if sys.argv[1:] == ["--version"]:
    print("Odoo Server 19.0")
"""


def _run(home, source, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("ODOO_", "VIRTUAL_ENV"))}
    environ.update(ODOO_HOME=str(home), ODOO_SOURCE=str(source), SALES_TOOLKIT_NO_POSTGRES="1", **env)
    return subprocess.run(["bash", str(ODOO_SH)], capture_output=True, text=True, env=environ, check=False)


def _fake_tree(path):
    path.mkdir()
    (path / "odoo-bin").write_text(FAKE_ODOO_BIN)
    (path / "odoo-bin").chmod(0o755)
    # nothing to download: phonenumbers comes from the pip cache or the index like any requirement
    (path / "requirements.txt").write_text("# the stand-in needs nothing\n")
    (path / "venv").mkdir()
    (path / "venv" / "not-copied").write_text("")
    return path


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _fake_git(path, bare):
    tree = _fake_tree(path.with_name(path.name + "_tree"))
    shutil.rmtree(tree / "venv")
    _git("init", "-q", "-b", "19.0", cwd=tree)
    _git("add", ".", cwd=tree)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "odoo", cwd=tree)
    if not bare:
        return tree
    _git("clone", "-q", "--bare", str(tree), str(path), cwd=tree.parent)
    return path


@pytest.mark.parametrize("kind", ["plain tree", "git work tree", "bare git"])
def test_odoo_sh_sets_up_odoo_from_a_local_source(tmp_path, kind):
    if kind == "plain tree":
        source = _fake_tree(tmp_path / "src")
    else:
        source = _fake_git(tmp_path / "src.git", bare=kind == "bare git")
    home = tmp_path / "home"
    run = _run(home, source)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ready: Odoo Server 19.0" in run.stdout
    assert (home / "venv" / "bin" / "python").is_file()
    assert not (home / "venv" / "not-copied").exists(), "the source's venv is not copied"
    assert not (home / "venv" / ".requirements_pending").exists()
    # a second run finds everything in place and does nothing but check
    again = _run(home, tmp_path / "nowhere")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "copy" not in again.stdout and "clone" not in again.stdout and "pip install" not in again.stdout


def test_odoo_sh_refuses_a_non_empty_home_without_odoo(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "something").write_text("")
    run = _run(home, _fake_tree(tmp_path / "src"))
    assert run.returncode == 2
    assert "is not empty and has no odoo-bin" in run.stderr


def test_odoo_sh_says_what_is_wrong_with_a_bad_source(tmp_path):
    (tmp_path / "empty").mkdir()
    run = _run(tmp_path / "home", tmp_path / "empty")
    assert run.returncode == 2
    assert "neither a git directory nor an Odoo tree" in run.stderr


@pytest.mark.skipif(
    os.environ.get("SALES_TOOLKIT_TEST_BOOTSTRAP") != "1",
    reason="the real Odoo bootstrap takes minutes: SALES_TOOLKIT_TEST_BOOTSTRAP=1 (set by .ci/run) runs it",
)
def test_odoo_sh_sets_up_odoo_19_from_a_real_source(tmp_path):
    source = os.environ.get("SALES_TOOLKIT_TEST_ODOO_SOURCE", "/opt/odoo")
    home = tmp_path / "odoo"
    run = _run(home, source)
    assert run.returncode == 0, run.stdout + run.stderr
    version = subprocess.run(
        [str(home / "venv" / "bin" / "python"), "odoo-bin", "--version"],
        cwd=home,
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.startswith("Odoo Server 19.0"), version.stdout
    # Odoo's own imports work in the new venv (its requirements are in)
    check = subprocess.run(
        [str(home / "venv" / "bin" / "python"), "-c", "import odoo.modules, psycopg2, lxml, phonenumbers"],
        cwd=home,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr
