"""The benchmark's scale arithmetic and command line (bench/scale.py, no Odoo)."""

import importlib.util

import pytest
from conftest import REPO


@pytest.fixture(scope="module")
def scale():
    spec = importlib.util.spec_from_file_location("bench_scale", REPO / "bench" / "scale.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_default_scale_is_the_issue_s(scale):
    sizes = scale.counts(1.0)
    assert sizes["customers"] == 5000
    assert sizes["leads"] == 50000
    assert sizes["orders"] == 200000
    assert sizes["lines"] == 1000000
    assert sizes["targets"] == 1000
    assert (sizes["teams"], sizes["salespeople"]) == (10, 100)
    # orders get 1 to 9 lines: 5 on average, a million in all
    assert scale.max_lines_per_order(sizes) == 9


def test_small_scale_keeps_a_usable_floor(scale):
    sizes = scale.counts(0.001)
    assert sizes["customers"] == scale.FLOOR["customers"]
    assert sizes["targets"] == scale.FLOOR["targets"]
    assert sizes["teams"] >= 2 and sizes["salespeople"] >= 2 * sizes["teams"]
    assert sizes["lines"] >= sizes["orders"]
    assert scale.max_lines_per_order(sizes) >= 1
    assert scale.counts(0.02)["orders"] == 4000
    with pytest.raises(ValueError):
        scale.counts(0)


def test_command_line(scale):
    args = scale.parse_args(["all", "--db", "bench_x", "--scale", "0.02", "--only", "targets, tiers"])
    assert (args.command, args.db, args.scale, args.runs) == ("all", "bench_x", 0.02, 3)
    assert args.only == ["targets", "tiers"]
    assert scale.parse_args(["time", "-d", "bench_x"]).only == list(scale.OPERATIONS)
    for bad in (["time", "-d", "x", "--only", "nonsense"], ["time", "-d", "x", "--runs", "0"]):
        with pytest.raises(SystemExit):
            scale.parse_args(bad)
