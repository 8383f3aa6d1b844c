#!/usr/bin/env bash
# The one test command of sales_toolkit.
#   0. scripts/odoo.sh: Odoo 19.0 at ODOO_HOME (default /opt/odoo), set up from nothing when
#      missing (source, venv, requirements, PostgreSQL, wkhtmltopdf, chromium)
#   1. lint: pre-commit run --all-files (.pre-commit-config.yaml, OCA's template: ruff,
#      pylint-odoo's 19.0 checks, OCA's module and PO checks, prettier, the README.rst generator)
#   2. the root tests/ (no Odoo needed)
#   3. a fresh database with sales_toolkit and demo data, the module's whole suite (browser
#      tour included)
#   4. upgrade safety: a fresh database with demo data and a record in every model of the
#      module, `-u sales_toolkit`, and no record or value changed (scripts/upgrade_check.py);
#      then the same from the last release (scripts/upgrade_from) to this code: its
#      migration scripts ran, nothing was lost, only new models, fields and records added
#   5. Odoo's own crm suite with sales_toolkit installed
# Each database is dropped afterwards. Exit code 0 only when everything passed.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ODOO_HOME=${ODOO_HOME:-/opt/odoo}
HTTP_PORT=${SALES_TOOLKIT_TEST_PORT:-18069}
OUT=${SALES_TOOLKIT_TEST_OUT:-$REPO/.ci/out}
mkdir -p "$OUT"

say() { printf '\n== %s\n' "$*"; }
die() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

say "Odoo (scripts/odoo.sh)"
bash "$REPO/scripts/odoo.sh" || die "scripts/odoo.sh could not make Odoo ready at ODOO_HOME=$ODOO_HOME"
PY=${ODOO_PYTHON:-$ODOO_HOME/venv/bin/python}

# ---------------------------------------------------------------- tools
say "Test tools (requirements.txt)"
# the ones missing from Odoo's Python are installed into it
"$PY" - "$REPO/requirements.txt" <<'PYCODE' || "$PY" -m pip install -q -r "$REPO/requirements.txt" \
    || die "cannot install requirements.txt into $PY"
import sys
from importlib.metadata import PackageNotFoundError, version

names = [line.split("#")[0].strip() for line in open(sys.argv[1])]
missing = []
for name in filter(None, names):
    try:
        version(name)
    except PackageNotFoundError:
        missing.append(name)
if missing:
    print("installing", " ".join(missing))
    sys.exit(1)
PYCODE
echo "python: $PY"

# ---------------------------------------------------------------- lint
say "Lint: pre-commit run --all-files"
(cd "$REPO" && "$PY" -m pre_commit run --all-files --show-diff-on-failure --color=never) \
    || die "pre-commit (the hooks above changed files or found problems)"

# ---------------------------------------------------------------- root tests
say "Root tests (no Odoo)"
(cd "$REPO" && "$PY" -m pytest -q -p no:cacheprovider -p no:odoo tests) || die "root tests"

# ---------------------------------------------------------------- Odoo runs
ADDONS="$ODOO_HOME/addons,$REPO"
[ -d "$ODOO_HOME/odoo/addons" ] && ADDONS="$ODOO_HOME/odoo/addons,$ADDONS"
TOTAL_RUN=0
TOTAL_FAILED=0

# summary_of LOG: "failed errors ran" from Odoo's closing line
summary_of() {
    grep -E "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$1" | tail -n 1 \
        | sed -E 's/.* ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/'
}

# logged_errors LOG [TEST...]: the ERROR and CRITICAL lines of LOG, except those logged while
# one of TEST ran ("odoo.addons.<module>.tests.<file>:<Class>.<method>"; a test runs from
# Odoo's "Starting Class.method ..." line to the next one) and, when TESTs are given, Odoo's
# closing "N failed" line, which counts them
logged_errors() {
    local log=$1
    shift
    awk -v skip="$*" '
        BEGIN { n = split(skip, list, " "); for (i = 1; i <= n; i++) ignored[list[i]] = 1 }
        $7 == "Starting" && $8 != "Subtest" { current = $6 $8 }
        / (ERROR|CRITICAL) / {
            if (current in ignored) next
            if (n && / odoo\.tests\.result: [0-9]+ failed, /) next
            print
        }' "$log"
}

# run_odoo NAME DB TAGS [RETRY_TOURS_OF_MODULE] -- EXTRA_ARGS...: install sales_toolkit on a
# fresh database and run the tests. With RETRY_TOURS_OF_MODULE, failed browser tours of that
# module's test_*_ui files are run once more on the same database: Odoo's own crm tours race
# the web client now and then (crm_forecast clicks "New" before the kanban model is ready),
# and a pass on the retry is reported as such. Any other failure fails at once.
run_odoo() {
    local name=$1 db=$2 tags=$3 retry_module=$4
    shift 5
    local log="$OUT/$name.log"
    dropdb --if-exists "$db" >/dev/null 2>&1
    say "Odoo: $name (database $db, --test-tags $tags)"
    (cd "$ODOO_HOME" && "$PY" odoo-bin -d "$db" --addons-path="$ADDONS" -i sales_toolkit "$@" \
        --test-tags "$tags" --stop-after-init --http-port "$HTTP_PORT" --log-level=test \
        --max-cron-threads=0) >"$log" 2>&1
    local rc=$?
    grep -E " (ERROR|CRITICAL) |FAIL:|odoo.tests.stats|tests when loading" "$log" | tail -n 40
    local failed errors ran
    read -r failed errors ran <<<"$(summary_of "$log")"
    if [ -z "$ran" ]; then
        dropdb --if-exists "$db" >/dev/null 2>&1
        tail -n 60 "$log"
        die "$name: no test summary (log: $log)"
    fi
    echo "$name: $ran tests, $failed failed, $errors errors (exit code $rc)"
    local failing
    failing=$(grep -oE "odoo\.addons\.[a-z_]+\.tests\.[a-z_0-9]+: (FAIL|ERROR): [A-Za-z_0-9]+\.[a-z_0-9]+" "$log" \
        | sort -u)
    local passed_on_retry=()
    if [ -n "$retry_module" ] && [ "$errors" = 0 ] && [ "$failed" -gt 0 ] \
        && ! grep -vqE "^odoo\.addons\.$retry_module\.tests\.test_[a-z_]*ui: FAIL: " <<<"$failing"; then
        local retry_tags retry_log="$OUT/$name.retry.log"
        retry_tags=$(sed -E "s/.*: FAIL: /\/$retry_module:/" <<<"$failing" | paste -sd, -)
        say "Retrying the failed browser tours once: $retry_tags"
        (cd "$ODOO_HOME" && "$PY" odoo-bin -d "$db" --addons-path="$ADDONS" --test-tags "$retry_tags" \
            --stop-after-init --http-port "$HTTP_PORT" --log-level=test --max-cron-threads=0) >"$retry_log" 2>&1
        local r_failed r_errors r_ran
        read -r r_failed r_errors r_ran <<<"$(summary_of "$retry_log")"
        echo "retry: ${r_ran:-0} tests, ${r_failed:-?} failed, ${r_errors:-?} errors"
        if [ "${r_ran:-0}" = "$failed" ] && [ "$r_failed" = 0 ] && [ "$r_errors" = 0 ]; then
            echo "$name: the $failed failed tour(s) passed on the retry (log: $retry_log)"
            failed=0
            rc=0
            # the first run's log stays whole; its check below passes over these tours' errors
            mapfile -t passed_on_retry < <(sed -E 's/: FAIL: /:/' <<<"$failing")
        fi
    fi
    dropdb --if-exists "$db" >/dev/null 2>&1
    TOTAL_RUN=$((TOTAL_RUN + ran))
    TOTAL_FAILED=$((TOTAL_FAILED + failed + errors))
    [ "$ran" -gt 0 ] || die "$name ran no test"
    [ "$rc" = 0 ] && [ "$failed" = 0 ] && [ "$errors" = 0 ] || die "$name (log: $log)"
    if [ ${#passed_on_retry[@]} -gt 0 ]; then
        echo "$name: the log keeps the $(logged_errors "$log" | wc -l | tr -d ' ') ERROR lines of the first run;" \
            "the check of logged errors passes over those of the tour(s) that passed on the retry:" \
            "${passed_on_retry[*]}"
    fi
    if [ -n "$(logged_errors "$log" "${passed_on_retry[@]}")" ]; then
        logged_errors "$log" "${passed_on_retry[@]}" | tail -n 20
        die "$name logged errors (log: $log)"
    fi
}

DB_PREFIX=${SALES_TOOLKIT_TEST_DB:-sales_toolkit_test_$$}
run_odoo sales_toolkit "${DB_PREFIX}_module" /sales_toolkit "" -- --with-demo
if grep -E "INFO .* skipped " "$OUT/sales_toolkit.log" >/dev/null; then
    grep -E "INFO .* skipped " "$OUT/sales_toolkit.log" | head
    die "a test was skipped (a browser test without chromium or websocket-client?)"
fi
grep -q "TestNeedMatchTour.*Chrome pid" "$OUT/sales_toolkit.log" || die "the browser tour did not start Chromium"
echo "browser tour ran"

say "Upgrade check (database ${DB_PREFIX}_upgrade, log $OUT/upgrade.log)"
"$PY" "$REPO/scripts/upgrade_check.py" run --db "${DB_PREFIX}_upgrade" --odoo-home "$ODOO_HOME" \
    --addons-path "$ADDONS" --workdir "$OUT" >"$OUT/upgrade.log" 2>&1
rc=$?
dropdb --if-exists "${DB_PREFIX}_upgrade" >/dev/null 2>&1
grep -vE "^\\$ " "$OUT/upgrade.log" | tail -n 40
grep -qE "^upgrade check: [0-9]+ models, [0-9]+ records, 0 differences$" "$OUT/upgrade.log" && [ "$rc" = 0 ] \
    || die "upgrade check (log: $OUT/upgrade.log, Odoo's: $OUT/upgrade_odoo.log)"

say "Release upgrade check (database ${DB_PREFIX}_release, log $OUT/release.log)"
# it needs the last release's commit: a shallow clone fetches it from its origin first
RELEASE=$(grep -vE '^[[:space:]]*(#|$)' "$REPO/scripts/upgrade_from" | head -n 1)
if ! git -C "$REPO" cat-file -e "$RELEASE^{commit}" 2>/dev/null; then
    echo "fetching the last release $RELEASE into this clone"
    git -C "$REPO" fetch -q --depth=1 origin "$RELEASE" >/dev/null 2>&1 \
        || git -C "$REPO" fetch -q --unshallow >/dev/null 2>&1 || true
fi
if git -C "$REPO" cat-file -e "$RELEASE^{commit}" 2>/dev/null; then
    "$PY" "$REPO/scripts/upgrade_check.py" release --db "${DB_PREFIX}_release" --odoo-home "$ODOO_HOME" \
        --addons-path "$ADDONS" --workdir "$OUT" >"$OUT/release.log" 2>&1
    rc=$?
    dropdb --if-exists "${DB_PREFIX}_release" >/dev/null 2>&1
    grep -vE "^\\$ " "$OUT/release.log" | tail -n 40
    grep -qE "^release upgrade check \([0-9a-f]{7} [0-9.]+ -> [0-9.]+\): [0-9]+ models, [0-9]+ records, 0 differences$" \
        "$OUT/release.log" && [ "$rc" = 0 ] \
        || die "release upgrade check (log: $OUT/release.log, Odoo's: $OUT/release_odoo.log)"
else
    # a copy without history (an archive, a shallow clone cut off from its origin)
    echo "WARNING: release upgrade check skipped: the last release $RELEASE is not in this copy's history"
fi

run_odoo crm_with_sales_toolkit "${DB_PREFIX}_crm" /crm crm --

say "Summary"
echo "odoo: $((TOTAL_RUN - TOTAL_FAILED)) passed, $TOTAL_FAILED failed"
