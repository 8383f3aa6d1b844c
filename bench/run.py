"""Scale benchmark of sales_toolkit: fill a database, then time the heavy operations.

    cd $ODOO_HOME && venv/bin/python /path/to/repo/bench/run.py all --db bench_full [--scale 1.0]

See bench/README.md.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
ODOO_HOME = os.environ.get("ODOO_HOME", "/opt/odoo")
sys.path[:0] = [HERE, ODOO_HOME]

import scale  # noqa: E402


def bootstrap(args):
    """Odoo's configuration, and the database (created with sales_toolkit, no demo, if missing)."""
    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.service import db as db_service  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    addons = args.addons_path or ",".join(
        [os.path.join(ODOO_HOME, "odoo", "addons"), os.path.join(ODOO_HOME, "addons"), REPO]
    )
    config.parse_config(
        ["-d", args.db, f"--addons-path={addons}", "--log-level=warn", "--max-cron-threads=0"],
        setup_logging=True,
    )
    if not db_service.exp_db_exist(args.db):
        print(f"Creating {args.db} with sales_toolkit (no demo data)...", flush=True)
        db_service._create_empty_database(args.db)
        config["init"] = {"base": True}
        Registry.new(args.db, update_module=True, install_modules=["sales_toolkit"], new_db_demo=False)
    registry = Registry(args.db)
    with registry.cursor() as cr:
        cr.execute("SELECT state FROM ir_module_module WHERE name = 'sales_toolkit'")
        row = cr.fetchone()
    if not row or row[0] != "installed":
        raise SystemExit(f"sales_toolkit is not installed in {args.db}")
    return odoo, registry


def vacuum(odoo, db):
    """VACUUM ANALYZE after the bulk load: statistics for the planner, visibility map for
    index-only scans (what autovacuum does in production)."""
    cr = odoo.sql_db.db_connect(db).cursor()
    try:
        cr._cnx.autocommit = True
        cr.execute("VACUUM ANALYZE")
    finally:
        cr.close()


def main(argv):
    args = scale.parse_args(argv)
    odoo, registry = bootstrap(args)
    from odoo import api  # noqa: PLC0415

    if args.command in ("generate", "all"):
        import generate  # noqa: PLC0415

        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            generate.generate(env, args.scale, args.seed)
        vacuum(odoo, args.db)
    if args.command in ("time", "all"):
        import timing  # noqa: PLC0415

        timing.run(registry, args)


if __name__ == "__main__":
    main(sys.argv[1:])
