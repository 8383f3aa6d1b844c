#!/usr/bin/env python3
"""Regenerate the screenshots of README.md and of the Apps store page.

Run it with Odoo's Python (it needs ``requests``, ``websocket-client`` and ``Pillow``, all in
Odoo's requirements) and Debian's ``chromium``::

    $ODOO_HOME/venv/bin/python scripts/screenshots.py            # start Odoo on the demo database
    $ODOO_HOME/venv/bin/python scripts/screenshots.py --url http://localhost:8069 --db sales_toolkit_demo

Without ``--url`` it starts Odoo from ``ODOO_HOME`` (default ``/opt/odoo``) on ``--db`` (default
``sales_toolkit_demo``, like ``scripts/serve.sh``), creating the database with
``-i sales_toolkit --with-demo`` when it is missing, and stops it at the end. Each screen of
``SCREENS`` is opened in headless Chromium through the DevTools protocol as its user and in
its language, waited for until the web client has settled (no pending request, no loading
indicator, no blocked UI), checked for error dialogs and saved to
``sales_toolkit/static/description/screenshots/<name>.png`` as an optimised palette PNG.
The users' languages are put back as they were.
"""

import argparse
import base64
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "sales_toolkit" / "static" / "description" / "screenshots"
WIDTH, HEIGHT = 1400, 900

# A screen: name (file name), url (``{xmlid}`` placeholders are replaced by record ids),
# user (login), lang, app (the menu of the app shown in the menu bar, by default Sales
# Toolkit), optional height, css (added to the page), steps (JavaScript run once
# the page has settled, each followed by a new wait), wait_for (a CSS selector that must be
# present before the capture), clip ({x, y, width, height}) and caption (what the screen
# shows, printed by --list; README.md and index.html have their own captions).
PIPELINE = "/odoo/action-crm.crm_lead_action_pipeline"
ST = "/odoo/action-sales_toolkit."
# forms without the chatter: the sheet gets the whole width of the screenshot
NO_CHATTER = ".o-mail-Form-chatter { display: none !important; }"


def tab(name, scroll=True):
    """Steps that open a form's notebook page and, optionally, scroll the notebook to the top."""
    steps = [f"document.querySelector('.o_notebook a[name={name}]').click();"]
    if scroll:  # once the page is drawn
        steps.append("document.querySelector('.o_notebook').scrollIntoView({block: 'start'});")
    return steps


# demo salespeople of the module (demo/sales_toolkit_target_demo.xml), created without a password
DEMO_REPS = {"zhang.wei", "li.na", "wang.fang", "zhao.lei"}

SCREENS = [
    {
        "name": "cockpit",
        "url": ST + "sales_toolkit_cockpit_action",
        "user": "admin",
        "lang": "en_US",
        "height": 640,
        "wait_for": ".o_sales_toolkit_cockpit_tile",
        "caption": "Cockpit, the home of the Sales Toolkit app: targets of the current period with "
        "completion and pace, follow-ups due, the review queue, care actions, delayed tasks, "
        "open meeting items and behaviour ratings; every number opens its records",
    },
    {
        "name": "cockpit_rep_zh",
        "url": ST + "sales_toolkit_cockpit_action",
        "user": "zhang.wei",
        "lang": "zh_CN",
        "height": 640,
        "wait_for": ".o_sales_toolkit_cockpit_tile",
        "caption": "The cockpit of a salesperson in Simplified Chinese (驾驶舱): the same figures, "
        "scoped to the rep's own work",
    },
    {
        "name": "target_hierarchy",
        "url": ST + "sales_toolkit_target_action?view_type=hierarchy",
        "user": "admin",
        "lang": "en_US",
        "height": 760,
        "steps": [
            # search for the 2024 Q1 company target, then unfold it
            "const input = document.querySelector('.o_searchview_input');"
            " input.value = '2024 Q1 company'; input.dispatchEvent(new Event('input', {bubbles: true}));",
            "document.querySelector('.o_searchview_input').dispatchEvent("
            "new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));",
            "document.querySelector('.o_hierarchy_node .o_hierarchy_node_button.btn-primary')?.click();",
        ],
        "wait_for": ".o_hierarchy_row + .o_hierarchy_separator + .o_hierarchy_row .o_hierarchy_node",
        "caption": "Target hierarchy: the 2024 Q1 company target unfolded into its regions, product "
        "lines and customer types, each with achieved / target and completion",
    },
    {
        "name": "target_form",
        "url": ST + "sales_toolkit_target_action/{sales_toolkit.target_2024q1_company}",
        "user": "admin",
        "lang": "en_US",
        "height": 1000,
        "css": NO_CHATTER,
        "wait_for": ".o_form_view .o_field_widget[name=child_ids] .o_data_row",
        "caption": "Target form: KPI, period, value, achievement measured from the orders, expected "
        "progress, forecast, status, decomposition check and sub-targets",
    },
    {
        "name": "target_list_zh",
        "url": ST + "sales_toolkit_target_action",
        "user": "admin",
        "lang": "zh_CN",
        "height": 760,
        "wait_for": ".o_list_view .o_data_row",
        "caption": "Targets in Simplified Chinese (销售目标分解与跟踪表): dimension, KPI, period, "
        "target, achieved, completion, responsible and status",
    },
    {
        "name": "strategy_form",
        "url": ST + "sales_toolkit_strategy_action/{sales_toolkit.strategy_east_china_launch}",
        "user": "admin",
        "lang": "en_US",
        "height": 1000,
        "css": NO_CHATTER,
        "steps": tab("milestones", scroll=False),
        "wait_for": ".o_notebook .o_field_widget[name=milestone_ids] .o_data_row",
        "caption": "Sales strategy plan (销售策略规划表): scenario, objective, linked targets with "
        "their completion, and the milestones with owner, date and done criterion",
    },
    {
        "name": "lead_need_match",
        "url": PIPELINE + "/{sales_toolkit.lead_tech_co}",
        "app": "crm.crm_menu_root",
        "user": "admin",
        "lang": "en_US",
        "height": 1000,
        "css": NO_CHATTER,
        "steps": tab("sales_toolkit_qualification"),
        "wait_for": ".o_notebook .o_field_widget[name=need_ids] .o_data_row",
        "caption": "Lead, Qualification page (潜在客户信息采集表, 客户需求匹配度评估表): prospect "
        "profile, core needs scored 1-5 against the core strengths, match level, purchasing power "
        "and the recommended follow-up strategy",
    },
    {
        "name": "lead_followups",
        "url": PIPELINE + "/{sales_toolkit.lead_tech_co}",
        "app": "crm.crm_menu_root",
        "user": "admin",
        "lang": "en_US",
        "height": 900,
        "css": NO_CHATTER,
        "steps": tab("sales_toolkit_followups", scroll=False),
        "wait_for": ".o_notebook .o_field_widget[name=followup_ids] .o_data_row",
        "caption": "Lead, Follow-ups page (客户跟进记录表): cadence state, next follow-up, the log of "
        "contacts, and the review alert after follow-ups without progress",
    },
    {
        "name": "care_plan",
        "url": ST + "sales_toolkit_care_plan_action/{sales_toolkit.care_plan_tech_co}",
        "app": "crm.crm_menu_root",
        "user": "admin",
        "lang": "en_US",
        "height": 820,
        "css": NO_CHATTER,
        "wait_for": ".o_form_view .o_field_widget[name=action_ids] .o_data_row",
        "caption": "Relationship care plan (客户关系维护计划表): goals from the customer's tier and "
        "the scheduled care actions with owner, executor and next date",
    },
    {
        "name": "performance_pivot",
        "url": ST + "sales_toolkit_performance_report_action",
        "user": "admin",
        "lang": "en_US",
        "height": 560,
        "wait_for": ".o_pivot table",
        "caption": "Performance analysis (销售业绩分析表): revenue, orders and new customers by sales "
        "team and quarter",
    },
    {
        "name": "performance_graph",
        "url": ST + "sales_toolkit_performance_report_action_region",
        "user": "admin",
        "lang": "en_US",
        "height": 620,
        "wait_for": ".o_graph_renderer canvas",
        "settle": 1.5,  # the chart animates once drawn
        "caption": "Performance by region: revenue per sales team",
    },
    {
        "name": "analysis_form",
        "url": ST + "sales_toolkit_analysis_action/{sales_toolkit.analysis_2025q1}",
        "user": "admin",
        "lang": "en_US",
        "height": 1000,
        "css": NO_CHATTER,
        "wait_for": ".o_form_view .o_field_widget[name=line_ids] .o_data_row",
        "caption": "Analysis sheet: target, actual, completion, YoY and MoM per region, product "
        "line, customer type and salesperson; lines out of bounds need a root cause",
    },
    {
        "name": "review_meeting_form",
        "url": ST + "sales_toolkit_review_meeting_action/{sales_toolkit.review_meeting_2024q1}",
        "user": "admin",
        "lang": "en_US",
        "height": 1000,
        "css": NO_CHATTER,
        "steps": tab("minutes", scroll=False),
        "wait_for": ".o_notebook .tab-pane.active .o_field_widget",
        "caption": "Review meeting minutes (销售复盘会议记录表): attendees, results review, "
        "highlights, root causes, lessons and resolutions",
    },
    {
        "name": "team_today",
        "url": ST + "sales_toolkit_task_action_team_today",
        "user": "admin",
        "lang": "en_US",
        "height": 520,
        "wait_for": ".o_kanban_view .o_kanban_record",
        "caption": "My Team Today (销售任务分配与跟踪表): the open tasks of the leader's teams, one "
        "column per person, the most overdue first",
    },
    {
        "name": "training_form_zh",
        "url": ST + "sales_toolkit_training_action/{sales_toolkit.training_product_a}",
        "user": "admin",
        "lang": "zh_CN",
        "height": 1000,
        "css": NO_CHATTER,
        "steps": tab("behaviour_results", scroll=False),
        "wait_for": ".o_form_view .o_data_row",
        "caption": "Training evaluation in Simplified Chinese (销售培训效果评估表): participants' "
        "baseline scores, behaviour ratings and results before and after the training",
    },
]

READY_JS = """(() => {
    if (document.readyState !== 'complete') return 'loading document';
    if (document.querySelector('.o_error_dialog')) return 'error: ' +
        document.querySelector('.o_error_dialog').innerText.slice(0, 500);
    const manager = document.querySelector('.o_action_manager');
    if (!manager || !manager.querySelector('.o_content, .o_action')) return 'no action';
    if (document.querySelector('.o_loading_indicator, .o_blockUI:not(.o_blockUI_invisible)'))
        return 'loading';
    const wanted = %s;
    if (wanted && !document.querySelector(wanted)) return 'waiting for ' + wanted;
    return 'ready';
})()"""


class Odoo:
    """JSON-RPC client with its own session, as one user."""

    def __init__(self, url, db, login, password):
        self.url, self.db = url, db
        self.session = requests.Session()
        self.login(login, password)

    def login(self, login, password):
        self.session.cookies.clear()
        result = self._post(
            "/web/session/authenticate", {"db": self.db, "login": login, "password": password}
        )
        self.uid = result["uid"]
        self.session_id = self.session.cookies.get("session_id")

    def _post(self, path, params):
        response = self.session.post(
            self.url + path, json={"jsonrpc": "2.0", "method": "call", "params": params}, timeout=120
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            raise RuntimeError(json.dumps(body["error"].get("data", body["error"]))[:2000])
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self._post(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def ref(self, xmlid):
        module, name = xmlid.split(".", 1)
        rows = self.call(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        if not rows:
            raise LookupError(f"no record with the XML id {xmlid}")
        return rows[0]["res_id"]


class Browser:
    """Headless Chromium driven through the DevTools protocol."""

    WATCHED = {"Document", "XHR", "Fetch", "Script", "Stylesheet", "Image", "Font"}

    def __init__(self, port):
        self.profile = tempfile.mkdtemp(prefix="sales_toolkit_shots_")
        self.process = subprocess.Popen(
            [
                shutil.which("chromium") or shutil.which("chromium-browser") or "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-extensions",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                targets = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=2).json()
                page = next(t for t in targets if t["type"] == "page")
                break
            except (requests.RequestException, StopIteration, ValueError):
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("Chromium did not start") from None
                time.sleep(0.2)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.inflight = {}
        self.errors = []
        self.call("Network.enable")
        self.call("Runtime.enable")
        self.call("Page.enable")

    def _handle(self, message):
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.requestWillBeSent":
            # the bus's shared worker and the web manifest may stay pending: they draw nothing
            if params.get("type") in self.WATCHED and "websocket_worker" not in params["request"]["url"]:
                self.inflight[params["requestId"]] = params["request"]["url"]
        elif method in ("Network.loadingFinished", "Network.loadingFailed"):
            self.inflight.pop(params["requestId"], None)
        elif method == "Runtime.exceptionThrown":
            self.errors.append(params["exceptionDetails"].get("text", "exception"))

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._handle(message)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def navigate(self, url, timeout=30):
        """Open url and wait until its document has been loaded."""
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        check = f"location.href === {json.dumps(url)} && document.readyState === 'complete'"
        while not self.evaluate(check):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not load")
            self.pump(0.1)

    def pump(self, seconds):
        """Process the browser's events for a while."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.ws.settimeout(left)
            try:
                self._handle(json.loads(self.ws.recv()))
            except websocket.WebSocketTimeoutException:
                break
            finally:
                self.ws.settimeout(60)

    def settle(self, wait_for=None, timeout=60, quiet=0.6):
        """Wait until the web client is ready and no request has been pending for ``quiet`` s."""
        deadline = time.monotonic() + timeout
        quiet_since = None
        state = "?"
        while time.monotonic() < deadline:
            self.pump(0.15)
            state = self.evaluate(READY_JS % json.dumps(wait_for or ""))
            if os.environ.get("SHOTS_DEBUG"):
                print(state, len(self.inflight), file=sys.stderr)
            if state.startswith("error"):
                raise RuntimeError(state)
            if state == "ready" and not self.inflight:
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since >= quiet:
                    self.evaluate("document.fonts.ready.then(() => true)")
                    return
            else:
                quiet_since = None
        raise TimeoutError(f"page did not settle: {state}, pending: {list(self.inflight.values())}")

    def close(self):
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            shutil.rmtree(self.profile, ignore_errors=True)


def optimise(png):
    """A 256-colour palette PNG: a third of the size for a UI screenshot, no visible loss."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def capture(browser, url, odoo, admin, screen, out_dir):
    """Capture one screen as the user of session odoo; admin resolves the XML ids."""
    path = screen["url"]
    while "{" in path:
        start = path.index("{")
        end = path.index("}", start)
        path = path[:start] + str(admin.ref(path[start + 1 : end])) + path[end + 1 :]
    height = screen.get("height", HEIGHT)
    browser.call(
        "Emulation.setDeviceMetricsOverride", width=WIDTH, height=height, deviceScaleFactor=1, mobile=False
    )
    browser.call("Network.deleteCookies", name="session_id", url=url)
    browser.call("Network.setCookie", name="session_id", value=odoo.session_id, url=url)
    browser.errors.clear()
    # the web client takes the app of the menu bar from the session storage when the action
    # has no menu of its own (a lead opened from the pipeline)
    app_id = admin.ref(screen.get("app", "sales_toolkit.sales_toolkit_root_menu"))
    browser.navigate(url + "/web/health")
    browser.evaluate(f"sessionStorage.clear(); sessionStorage.setItem('menu_id', '{app_id}');")
    browser.navigate(url + path)
    steps = screen.get("steps", [])
    browser.settle(None if steps else screen.get("wait_for"))
    if screen.get("css"):
        browser.evaluate(
            "document.head.appendChild(Object.assign(document.createElement('style'), "
            f"{{textContent: {json.dumps(screen['css'])}}}))"
        )
    for index, step in enumerate(steps, 1):
        browser.evaluate(step)
        browser.settle(screen.get("wait_for") if index == len(steps) else None)
    if screen.get("settle"):
        browser.pump(screen["settle"])
    if browser.errors:
        raise RuntimeError(f"JavaScript errors: {browser.errors}")
    params = {"format": "png"}
    if screen.get("clip"):
        params["clip"] = dict(screen["clip"], scale=1)
    png = base64.b64decode(browser.call("Page.captureScreenshot", **params)["data"])
    target = out_dir / f"{screen['name']}.png"
    target.write_bytes(optimise(png))
    print(f"{target}: {target.stat().st_size // 1024} KB ({path})")


def database_exists(db):
    import psycopg2  # Odoo's requirement; imported here so that --help works without it

    with psycopg2.connect(dbname="postgres") as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        return bool(cursor.fetchone())


def start_odoo(args):
    odoo_home = Path(os.environ.get("ODOO_HOME", "/opt/odoo"))
    python = os.environ.get("ODOO_PYTHON", str(odoo_home / "venv" / "bin" / "python"))
    if not (odoo_home / "odoo-bin").is_file():
        sys.exit(f"No Odoo at ODOO_HOME={odoo_home} (see README.md), or give --url")
    addons = f"{odoo_home}/odoo/addons,{odoo_home}/addons,{REPO}"
    base = [python, "odoo-bin", "-d", args.db, "--db-filter", f"^{args.db}$", f"--addons-path={addons}"]
    init = []
    if not database_exists(args.db):
        init = ["-i", "sales_toolkit", "--with-demo"]
    elif args.update:
        init = ["-u", "sales_toolkit"]
    if init:
        print(f"{' '.join(init)} on {args.db} ...")
        subprocess.run(
            [*base, *init, "--stop-after-init", "--no-http", "--log-level=warn"],
            cwd=odoo_home,
            check=True,
        )
    server = subprocess.Popen(
        [*base, "--http-interface=127.0.0.1", f"--http-port={args.port}", "--max-cron-threads=0"]
        + ["--log-level=warn"],
        cwd=odoo_home,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{args.port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if requests.get(f"{url}/web/health", timeout=2).ok:
                return server, url
        except requests.RequestException:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            stop_odoo(server)
            sys.exit("Odoo did not start")
        time.sleep(0.5)


def stop_odoo(server):
    if server and server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="use this running Odoo instead of starting one")
    parser.add_argument("--db", default=os.environ.get("SALES_TOOLKIT_DB", "sales_toolkit_demo"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SALES_TOOLKIT_PORT", 8069)))
    parser.add_argument("--cdp-port", type=int, default=9222, help="Chromium's remote-debugging port")
    parser.add_argument("--update", action="store_true", help="run -u sales_toolkit before starting")
    parser.add_argument(
        "--password",
        action="append",
        default=[],
        metavar="LOGIN=PASSWORD",
        help="a user's password (default: the login, as in Odoo's demo data; the module's "
        "demo reps, who have none, are given their login on the demo database)",
    )
    parser.add_argument("--only", help="comma-separated screen names")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--list", action="store_true", help="print the screens and their captions")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))  # clean up in finally
    if args.list:
        for screen in SCREENS:
            print(f"{screen['name']}.png\t{screen['user']}\t{screen['lang']}\t{screen['caption']}")
        return
    screens = SCREENS
    if args.only:
        names = set(args.only.split(","))
        screens = [s for s in SCREENS if s["name"] in names]
        if unknown := names - {s["name"] for s in screens}:
            sys.exit(f"unknown screens: {', '.join(sorted(unknown))}")
    passwords = dict(item.split("=", 1) for item in args.password)
    args.out.mkdir(parents=True, exist_ok=True)

    server = browser = admin = None
    saved_langs = {}
    failed = []
    try:
        if args.url:
            url = args.url.rstrip("/")
        else:
            server, url = start_odoo(args)
        admin = Odoo(url, args.db, "admin", passwords.get("admin", "admin"))
        langs = {s["lang"] for s in screens}
        installed = {lang["code"] for lang in admin.call("res.lang", "search_read", [], fields=["code"])}
        if missing := langs - installed:
            lang_ids = admin.call(
                "res.lang", "search", [("code", "in", list(missing))], context={"active_test": False}
            )
            wizard = admin.call("base.language.install", "create", [{"lang_ids": [(6, 0, lang_ids)]}])
            admin.call("base.language.install", "lang_install", wizard)
        # one session per user; the web client takes the language from the user's preferences
        # each time it loads, so the user's language is set before each screen
        sessions, user_ids = {}, {}
        for user in sorted({s["user"] for s in screens}):
            [record] = admin.call("res.users", "search_read", [("login", "=", user)], fields=["lang"])
            saved_langs[record["id"]] = record["lang"]
            user_ids[user] = record["id"]
            if user in DEMO_REPS and user not in passwords:
                # the module's demo reps have no password: on the demo database they get their login
                admin.call("res.users", "write", [record["id"]], {"password": user})
            sessions[user] = Odoo(url, args.db, user, passwords.get(user, user))
        current = dict(saved_langs)
        browser = Browser(args.cdp_port)
        for screen in screens:
            user_id = user_ids[screen["user"]]
            if current[user_id] != screen["lang"]:
                admin.call("res.users", "write", [user_id], {"lang": screen["lang"]})
                current[user_id] = screen["lang"]
            try:
                capture(browser, url, sessions[screen["user"]], admin, screen, args.out)
            except (RuntimeError, TimeoutError, LookupError) as error:
                failed.append(screen["name"])
                print(f"{screen['name']}: FAILED: {error}", file=sys.stderr)
    finally:
        if admin:
            for user_id, lang in saved_langs.items():
                admin.call("res.users", "write", [user_id], {"lang": lang})
        if browser:
            browser.close()
        stop_odoo(server)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
