"""How much data a scale factor means (pure Python, no Odoo: tested at the root)."""

import argparse
import math

# the default scale
BASE = {
    "customers": 5000,
    "leads": 50000,
    "orders": 200000,
    "lines": 1000000,
    "targets": 1000,
    "salespeople": 100,
    "teams": 10,
}
# a floor keeps a tiny run meaningful (every team has people, every person customers)
FLOOR = {
    "customers": 50,
    "leads": 100,
    "orders": 200,
    "lines": 1000,
    "targets": 30,
    "salespeople": 4,
    "teams": 2,
}
YEARS = 3
PRODUCT_LINES = 5
SUBCATEGORIES = 4
PRODUCTS = 200
OPERATIONS = (
    "targets",
    "need_match",
    "tiers",
    "followup_cron",
    "analysis",
    "target_xlsx",
    "cockpit",
)


def counts(scale):
    """{what: how many} for ``scale`` (1.0 = the issue's default), never below the floor."""
    if not scale > 0:
        raise ValueError("the scale must be positive")
    sizes = {key: max(FLOOR[key], int(round(value * scale))) for key, value in BASE.items()}
    # people and teams grow slower than the data: a sales force does not grow linearly
    sizes["salespeople"] = max(FLOOR["salespeople"], int(round(BASE["salespeople"] * math.sqrt(scale))))
    sizes["teams"] = max(
        FLOOR["teams"], min(sizes["salespeople"] // 2, int(round(BASE["teams"] * math.sqrt(scale))))
    )
    sizes["lines"] = max(sizes["lines"], sizes["orders"])
    return sizes


def max_lines_per_order(sizes):
    """Orders get 1 to this many lines, uniformly: on average ``lines / orders``."""
    return max(1, int(round(2 * sizes["lines"] / sizes["orders"] - 1)))


def parser():
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Fill a database with synthetic sales data and time the toolkit's heavy operations.",
    )
    parser.add_argument("command", choices=("generate", "time", "all"))
    parser.add_argument("--db", "-d", required=True, help="database (created with sales_toolkit if missing)")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 5,000 customers, 1,000,000 lines")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each operation")
    parser.add_argument(
        "--only", default="", help=f"comma-separated operations to time, among {', '.join(OPERATIONS)}"
    )
    parser.add_argument("--addons-path", help="Odoo addons path (default: Odoo's and this repository's)")
    parser.add_argument("--seed", type=float, default=0.42, help="PostgreSQL random seed (-1..1)")
    parser.add_argument("--output", help="also write the Markdown table to this file")
    return parser


def parse_args(argv):
    args = parser().parse_args(argv)
    if args.scale <= 0:
        raise SystemExit("--scale must be positive")
    if args.runs < 1:
        raise SystemExit("--runs must be at least 1")
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(only) - set(OPERATIONS)
    if unknown:
        raise SystemExit(f"unknown operations: {', '.join(sorted(unknown))}")
    args.only = only or list(OPERATIONS)
    return args
