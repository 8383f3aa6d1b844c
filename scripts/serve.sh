#!/usr/bin/env bash
# Start Odoo on http://localhost:8069 with sales_toolkit and demo data (login admin / admin).
# The database (default sales_toolkit_demo) is created on first start and kept afterwards.
# scripts/odoo.sh first makes Odoo 19.0 ready at ODOO_HOME (from nothing on a fresh machine).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ODOO_HOME=${ODOO_HOME:-/opt/odoo}
bash "$REPO/scripts/odoo.sh"
PY=${ODOO_PYTHON:-$ODOO_HOME/venv/bin/python}
DB=${SALES_TOOLKIT_DB:-sales_toolkit_demo}
PORT=${SALES_TOOLKIT_PORT:-8069}
ADDONS="$ODOO_HOME/odoo/addons,$ODOO_HOME/addons,$REPO"
init=()
if ! psql -d postgres -Atc "select 1 from pg_database where datname = '$DB'" | grep -q 1; then
    init=(-i sales_toolkit --with-demo)
fi
cd "$ODOO_HOME"
exec "$PY" odoo-bin -d "$DB" --db-filter "^$DB\$" --addons-path="$ADDONS" "${init[@]}" \
    --http-interface 127.0.0.1 --http-port "$PORT" "$@"
