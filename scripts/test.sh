#!/usr/bin/env bash
# The one test command of sales_toolkit.
#   1. lint: pylint-odoo's Odoo checks (19.0) and OCA's manifest/XML/CSV/PO checks
#   2. the root tests/ (no Odoo needed)
#   3. on the Odoo found at ODOO_HOME (default /opt/odoo): a fresh database with
#      sales_toolkit and demo data, the module's whole suite (browser tour included)
#   4. Odoo's own crm suite with sales_toolkit installed
# Each database is dropped afterwards. Exit code 0 only when everything passed.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_HOME=${ODOO_HOME:-/opt/odoo}
HTTP_PORT=${SALES_TOOLKIT_TEST_PORT:-18069}
OUT=${SALES_TOOLKIT_TEST_OUT:-$REPO/.ci/out}
mkdir -p "$OUT"

say() { printf '\n== %s\n' "$*"; }
die() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

if [ ! -x "$ODOO_HOME/odoo-bin" ]; then
    cat >&2 <<MSG
No Odoo 19 found at ODOO_HOME=$ODOO_HOME (no odoo-bin there).
Point ODOO_HOME to an Odoo 19.0 Community source tree, e.g.
    ODOO_HOME=/path/to/odoo scripts/test.sh
with its Python environment at \$ODOO_HOME/venv (or set ODOO_PYTHON). See README.md.
MSG
    exit 2
fi
PY=${ODOO_PYTHON:-$ODOO_HOME/venv/bin/python}
[ -x "$PY" ] || PY=$(command -v python3)
"$PY" -c "import odoo" 2>/dev/null || (cd "$ODOO_HOME" && "$PY" -c "import odoo") \
    || die "$PY cannot import odoo: install Odoo's requirements.txt into it"

# ---------------------------------------------------------------- tools
say "Test tools"
missing=()
"$PY" -c "import pylint_odoo" 2>/dev/null || missing+=(pylint-odoo)
"$PY" -c "import oca_pre_commit_hooks" 2>/dev/null || missing+=(oca-odoo-pre-commit-hooks)
"$PY" -c "import pytest" 2>/dev/null || missing+=(pytest)
"$PY" -m ruff --version >/dev/null 2>&1 || missing+=(ruff)
"$PY" -c "import websocket" 2>/dev/null || missing+=(websocket-client)
"$PY" -c "import phonenumbers" 2>/dev/null || missing+=(phonenumbers)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    "$PY" -m pip install -q "${missing[@]}" || die "cannot install ${missing[*]}"
fi
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tour"
    if [ "$(id -u)" = 0 ]; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null \
            || die "cannot install chromium"
    else
        die "chromium is missing: apt-get install chromium"
    fi
fi
echo "python: $PY; chromium: $(command -v chromium || command -v chromium-browser)"

# ---------------------------------------------------------------- lint
say "Lint: ruff (pyproject.toml)"
(cd "$REPO" && "$PY" -m ruff check . && "$PY" -m ruff format --check .) || die "ruff"
say "Lint: pylint-odoo (Odoo checks, 19.0)"
"$PY" -m pylint --rcfile="$REPO/.pylintrc" --load-plugins=pylint_odoo --disable=all --enable=odoolint \
    --valid-odoo-versions=19.0 --score=n "$REPO/sales_toolkit" || die "pylint-odoo"
echo "pylint-odoo: clean"
say "Lint: OCA module checks (manifest, XML, CSV, PO)"
OCA_BIN=$(dirname "$PY")
"$OCA_BIN/oca-checks-odoo-module" "$REPO/sales_toolkit/__manifest__.py" || die "oca-checks-odoo-module"
"$OCA_BIN/oca-checks-po" "$REPO"/sales_toolkit/i18n/*.po* || die "oca-checks-po"
echo "OCA checks: clean"

# ---------------------------------------------------------------- root tests
say "Root tests (no Odoo)"
(cd "$REPO" && "$PY" -m pytest -q -p no:cacheprovider -p no:odoo tests) || die "root tests"

# ---------------------------------------------------------------- PostgreSQL
say "PostgreSQL"
if ! pg_isready -q 2>/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        service postgresql start >/dev/null || die "cannot start PostgreSQL"
        for _ in $(seq 30); do pg_isready -q && break; sleep 1; done
    fi
    pg_isready -q || die "PostgreSQL is not running"
fi
if ! psql -d postgres -Atc "select 1" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        su postgres -c "createuser -s $(id -un)" || die "cannot create the PostgreSQL role $(id -un)"
    else
        die "no PostgreSQL role for $(id -un)"
    fi
fi
echo "PostgreSQL ready"

# ---------------------------------------------------------------- Odoo runs
ADDONS="$ODOO_HOME/addons,$REPO"
[ -d "$ODOO_HOME/odoo/addons" ] && ADDONS="$ODOO_HOME/odoo/addons,$ADDONS"
TOTAL_RUN=0
TOTAL_FAILED=0

# run_odoo NAME DB TAGS EXTRA_ARGS...: install sales_toolkit on a fresh DB and run the tests
run_odoo() {
    local name=$1 db=$2 tags=$3
    shift 3
    local log="$OUT/$name.log"
    dropdb --if-exists "$db" >/dev/null 2>&1
    say "Odoo: $name (database $db, --test-tags $tags)"
    (cd "$ODOO_HOME" && "$PY" odoo-bin -d "$db" --addons-path="$ADDONS" -i sales_toolkit "$@" \
        --test-tags "$tags" --stop-after-init --http-port "$HTTP_PORT" --log-level=test \
        --max-cron-threads=0) >"$log" 2>&1
    local rc=$?
    dropdb --if-exists "$db" >/dev/null 2>&1
    grep -E " (ERROR|CRITICAL) |FAIL:|odoo.tests.stats|tests when loading" "$log" | tail -n 40
    local summary
    summary=$(grep -E "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$log" | tail -n 1)
    [ -n "$summary" ] || { tail -n 60 "$log"; die "$name: no test summary (log: $log)"; }
    local failed errors ran
    failed=$(sed -E 's/.* ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1/' <<<"$summary")
    errors=$(sed -E 's/.* ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\2/' <<<"$summary")
    ran=$(sed -E 's/.* ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\3/' <<<"$summary")
    TOTAL_RUN=$((TOTAL_RUN + ran))
    TOTAL_FAILED=$((TOTAL_FAILED + failed + errors))
    echo "$name: $ran tests, $failed failed, $errors errors (exit code $rc)"
    [ "$ran" -gt 0 ] || die "$name ran no test"
    [ "$rc" = 0 ] && [ "$failed" = 0 ] && [ "$errors" = 0 ] || die "$name (log: $log)"
    if grep -E " (ERROR|CRITICAL) " "$log" >/dev/null; then die "$name logged errors (log: $log)"; fi
}

DB_PREFIX=${SALES_TOOLKIT_TEST_DB:-sales_toolkit_test_$$}
run_odoo sales_toolkit "${DB_PREFIX}_module" /sales_toolkit --with-demo
if grep -E "INFO .* skipped " "$OUT/sales_toolkit.log" >/dev/null; then
    grep -E "INFO .* skipped " "$OUT/sales_toolkit.log" | head
    die "a test was skipped (a browser test without chromium or websocket-client?)"
fi
grep -q "TestNeedMatchTour.*Chrome pid" "$OUT/sales_toolkit.log" || die "the browser tour did not start Chromium"
echo "browser tour ran"

run_odoo crm_with_sales_toolkit "${DB_PREFIX}_crm" /crm

say "Summary"
echo "odoo: $((TOTAL_RUN - TOTAL_FAILED)) passed, $TOTAL_FAILED failed"
