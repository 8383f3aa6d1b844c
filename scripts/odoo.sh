#!/usr/bin/env bash
# Make an Odoo 19.0 ready at ODOO_HOME, from nothing if need be; scripts/serve.sh and
# scripts/test.sh run it first. Steps, each skipped when already done:
#   1. Odoo's source: when ODOO_HOME has no odoo-bin, get Odoo 19.0 from ODOO_SOURCE into it:
#        - a git URL (default: a shallow clone of https://github.com/odoo/odoo, branch 19.0),
#        - a local git directory, bare or not (shallow clone of its branch ODOO_BRANCH),
#        - a plain source tree (copied, hard-linked where the file system allows; its venv/ is not)
#   2. its Python: a venv at ODOO_HOME/venv (python3 -m venv, extra options in ODOO_VENV_ARGS)
#      with Odoo's requirements.txt and phonenumbers. python-ldap (Odoo's auth_ldap) needs
#      the LDAP and SASL headers: as root they are installed with apt-get, else python-ldap
#      is left out when they are missing (the script says so).
#   3. the system (root only, with apt-get; else a message says what to install): PostgreSQL,
#      libpq-dev and a C compiler for psycopg2, wkhtmltopdf for PDF reports, chromium for the
#      browser tours. SALES_TOOLKIT_NO_APT=1 skips installing.
#   4. PostgreSQL running (started as root) and a superuser role for the current user.
# At the end it prints the Odoo version (odoo-bin --version). Variables:
#   ODOO_HOME (default /opt/odoo), ODOO_SOURCE, ODOO_BRANCH (default 19.0), ODOO_PYTHON
#   (default ODOO_HOME/venv/bin/python), ODOO_VENV_ARGS, SALES_TOOLKIT_NO_POSTGRES=1 (skip 4).
set -euo pipefail

ODOO_HOME=${ODOO_HOME:-/opt/odoo}
ODOO_BRANCH=${ODOO_BRANCH:-19.0}
ODOO_SOURCE=${ODOO_SOURCE:-https://github.com/odoo/odoo}
PY=${ODOO_PYTHON:-$ODOO_HOME/venv/bin/python}

step() { printf -- '-- odoo.sh: %s\n' "$*"; }
fail() {
    printf 'odoo.sh: %s\n' "$*" >&2
    exit 2
}
is_root() { [ "$(id -u)" = 0 ]; }

APT_UPDATED=
apt_install() { # apt_install WHY PACKAGE...: install Debian packages as root, or say what is missing
    local why=$1
    shift
    if ! is_root || [ -n "${SALES_TOOLKIT_NO_APT:-}" ] || ! command -v apt-get >/dev/null; then
        fail "missing $* ($why): install them (e.g. sudo apt-get install $*) and run again"
    fi
    step "apt-get install $* ($why)"
    if [ -z "$APT_UPDATED" ]; then
        apt-get update -qq >/dev/null || fail "apt-get update failed"
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
        || fail "apt-get install $* failed"
}
has_deb() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }

# ---------------------------------------------------------------- 1. source
is_git_dir() { git -C "$1" rev-parse --git-dir >/dev/null 2>&1; }

get_source() {
    [ -e "$ODOO_HOME" ] && [ -n "$(ls -A "$ODOO_HOME" 2>/dev/null)" ] \
        && fail "ODOO_HOME=$ODOO_HOME is not empty and has no odoo-bin: empty it or point ODOO_HOME elsewhere"
    mkdir -p "$(dirname "$ODOO_HOME")"
    if [ -d "$ODOO_SOURCE" ] && is_git_dir "$ODOO_SOURCE"; then
        step "shallow clone of branch $ODOO_BRANCH of the git directory $ODOO_SOURCE into $ODOO_HOME"
        # file:// so that --depth applies to a local repository too
        git clone -q --depth 1 --branch "$ODOO_BRANCH" "file://$(cd "$ODOO_SOURCE" && pwd)" "$ODOO_HOME" \
            || fail "cannot clone branch $ODOO_BRANCH of $ODOO_SOURCE"
    elif [ -d "$ODOO_SOURCE" ]; then
        [ -f "$ODOO_SOURCE/odoo-bin" ] || fail "ODOO_SOURCE=$ODOO_SOURCE is neither a git directory nor an Odoo tree"
        step "copy of the source tree $ODOO_SOURCE into $ODOO_HOME (without its venv)"
        mkdir -p "$ODOO_HOME"
        local entry
        for entry in "$ODOO_SOURCE"/* "$ODOO_SOURCE"/.[!.]*; do
            [ -e "$entry" ] || continue
            case "$(basename "$entry")" in venv | .venv | .git) continue ;; esac
            # hard links are instant on the same file system; a real copy elsewhere
            cp -al "$entry" "$ODOO_HOME/" 2>/dev/null || cp -a "$entry" "$ODOO_HOME/" || fail "cannot copy $entry"
        done
    else
        step "shallow clone of branch $ODOO_BRANCH of $ODOO_SOURCE into $ODOO_HOME"
        command -v git >/dev/null || apt_install "to fetch Odoo" git
        git clone -q --depth 1 --branch "$ODOO_BRANCH" "$ODOO_SOURCE" "$ODOO_HOME" \
            || fail "cannot clone branch $ODOO_BRANCH of $ODOO_SOURCE (set ODOO_SOURCE to a local copy?)"
    fi
    [ -f "$ODOO_HOME/odoo-bin" ] || fail "no odoo-bin in what $ODOO_SOURCE gave"
}

# ---------------------------------------------------------------- 2. Python
make_venv() {
    local base
    base=$(command -v python3) || apt_install "Odoo runs on Python 3" python3 python3-venv
    base=$(command -v python3)
    if ! "$base" -m venv --help >/dev/null 2>&1 || ! "$base" -c "import ensurepip" 2>/dev/null; then
        apt_install "python3 -m venv" python3-venv
    fi
    step "venv $ODOO_HOME/venv (${ODOO_VENV_ARGS:-no options})"
    # shellcheck disable=SC2086 # ODOO_VENV_ARGS holds options
    "$base" -m venv ${ODOO_VENV_ARGS:-} "$ODOO_HOME/venv" || fail "cannot make the venv $ODOO_HOME/venv"
    PY=$ODOO_HOME/venv/bin/python
    # removed once the requirements are in: an interrupted install is taken up again next time
    touch "$ODOO_HOME/venv/.requirements_pending"
}

install_requirements() {
    local requirements=$ODOO_HOME/requirements.txt filtered
    [ -f "$requirements" ] || fail "no requirements.txt in $ODOO_HOME"
    # psycopg2 and python-ldap are built from source: compiler, Python and library headers
    local build=()
    command -v gcc >/dev/null || build+=(gcc)
    has_deb python3-dev || [ -f "$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')/Python.h" ] \
        || build+=(python3-dev)
    command -v pg_config >/dev/null || build+=(libpq-dev)
    local ldap=1
    if ! [ -f /usr/include/ldap.h ] || ! [ -f /usr/include/sasl/sasl.h ]; then
        if is_root && [ -z "${SALES_TOOLKIT_NO_APT:-}" ]; then
            build+=(libldap2-dev libsasl2-dev)
        else
            ldap=
        fi
    fi
    [ ${#build[@]} = 0 ] || apt_install "to build Odoo's requirements" "${build[@]}"
    filtered=$(mktemp)
    if [ -n "$ldap" ]; then
        cp "$requirements" "$filtered"
    else
        step "python-ldap left out: no LDAP/SASL headers (apt-get install libldap2-dev libsasl2-dev); only Odoo's auth_ldap needs it"
        grep -viE '^[[:space:]]*python-ldap' "$requirements" >"$filtered"
    fi
    local log=$ODOO_HOME/venv/pip-install.log
    step "pip install -r $requirements phonenumbers (into $ODOO_HOME/venv, log $log)"
    "$PY" -m pip install -q -r "$filtered" phonenumbers >"$log" 2>&1 || {
        rm -f "$filtered"
        grep -v "is ignored: it is neither a file nor a directory" "$log" | tail -n 20 >&2
        fail "pip could not install Odoo's requirements into $ODOO_HOME/venv (log: $log)"
    }
    rm -f "$filtered" "$ODOO_HOME/venv/.requirements_pending"
}

# ---------------------------------------------------------------- 3. system packages
system_packages() {
    local missing=()
    command -v psql >/dev/null || missing+=(postgresql postgresql-client)
    command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
    command -v chromium >/dev/null || command -v chromium-browser >/dev/null || missing+=(chromium)
    [ ${#missing[@]} = 0 ] || apt_install "PostgreSQL, PDF reports and browser tours" "${missing[@]}"
}

# ---------------------------------------------------------------- 4. PostgreSQL
postgres_ready() {
    if ! pg_isready -q 2>/dev/null; then
        is_root || fail "PostgreSQL is not running: start it (e.g. sudo service postgresql start)"
        step "starting PostgreSQL"
        service postgresql start >/dev/null 2>&1 || pg_ctlcluster --skip-systemctl-redirect "$(
            pg_lsclusters -h | awk 'NR == 1 {print $1, $2}'
        )" start || fail "cannot start PostgreSQL"
        for _ in $(seq 30); do pg_isready -q && break; sleep 1; done
        pg_isready -q || fail "PostgreSQL did not start"
    fi
    if ! psql -d postgres -Atc "select 1" >/dev/null 2>&1; then
        is_root || fail "no PostgreSQL role for $(id -un): sudo -u postgres createuser -s $(id -un)"
        step "PostgreSQL role $(id -un)"
        su postgres -c "createuser -s $(id -un)" || fail "cannot create the PostgreSQL role $(id -un)"
    fi
}

[ -f "$ODOO_HOME/odoo-bin" ] || get_source
if [ ! -x "$PY" ]; then
    [ -z "${ODOO_PYTHON:-}" ] || fail "ODOO_PYTHON=$ODOO_PYTHON is not an executable"
    make_venv
    install_requirements
elif [ -f "$ODOO_HOME/venv/.requirements_pending" ]; then
    install_requirements
fi
system_packages
[ -n "${SALES_TOOLKIT_NO_POSTGRES:-}" ] || postgres_ready
version=$(cd "$ODOO_HOME" && "$PY" odoo-bin --version 2>/dev/null) \
    || fail "$PY $ODOO_HOME/odoo-bin --version failed: is $PY Odoo's Python?"
step "ready: $version at $ODOO_HOME ($PY)"
