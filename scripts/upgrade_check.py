"""Upgrade safety check of sales_toolkit: ``-u sales_toolkit`` changes no record and no value.

Run it with Odoo's Python::

    scripts/upgrade_check.py run --db DB        # all of the steps below, on a fresh database
    scripts/upgrade_check.py install --db DB    # a fresh database with sales_toolkit and demo data
    scripts/upgrade_check.py prepare --db DB    # give every model records, change noupdate records,
                                                # snapshot to WORKDIR/upgrade_before.json
    scripts/upgrade_check.py upgrade --db DB    # odoo-bin -u sales_toolkit --stop-after-init
    scripts/upgrade_check.py snapshot --db DB   # snapshot to WORKDIR/upgrade_after.json
    scripts/upgrade_check.py compare            # every difference; exit code 1 on any

Options: ``--odoo-home`` (default ``$ODOO_HOME`` or /opt/odoo), ``--addons-path`` (default
Odoo's addons and this repository), ``--workdir`` (default ``.ci/out``).

The models checked are those of the module (ir.model records with an external id of
sales_toolkit, which is what ir.model's ``modules`` shows): the module's own models with all
their fields, stored or computed, and the models it inherits (crm.lead, res.partner,
res.company...) with the fields it adds (ir.model.fields with an external id of sales_toolkit).
Every one of them must have records after the demo data and the creators below, so a new
model without data fails the check. Wizards (transient models) hold no lasting data and are
left out; the SQL view report is compared row by row. Also compared: the module's record
rules, access rights, mail templates, crons and external ids. One mail template's body and one
cron's interval are changed before the upgrade (noupdate records: the upgrade must keep them).

The comparison (``diff_snapshots``, ``check_probes``) is pure Python, tested in tests/.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODULE = "sales_toolkit"

# Fields left out of the comparison, because an upgrade changes them legitimately:
EXCLUDED_FIELDS = {
    # Odoo's audit columns of the last write: the upgrade re-applies the module's XML data and
    # re-runs its <function> tags, which writes records (to the same values) as the superuser.
    "write_date",
    "write_uid",
    # (``__last_update`` is gone since Odoo 17; nothing else is excluded.)
}
# Fields Odoo reflects on every model for each module that touches it: on a model the module
# only inherits they are not the module's (ids are the records' keys anyway).
MAGIC_FIELDS = {"id", "display_name"}

# The noupdate records changed before the upgrade, as a user would, and what they are set to.
PROBE_TEMPLATE = "sales_toolkit.mail_template_review_meeting_agenda"
PROBE_TEMPLATE_MARKER = "<p>Edited by the upgrade check: kept on upgrade.</p>"
PROBE_CRON = "sales_toolkit.ir_cron_refresh_target_figures"
PROBE_CRON_INTERVAL = 7

RECORD = "<record>"
ABSENT = "<absent>"


# ---------------------------------------------------------------------- pure comparison


def diff_snapshots(before, after):
    """Every difference between two snapshots, as sorted (section, key, field, before, after).

    A snapshot is ``{section: {key: {field: value}}}`` (JSON-compatible). A record missing on
    one side gives (section, key, "<record>", "present"/"<absent>", ...); a field missing on
    one side gives "<absent>" for its value; a whole section missing gives key "*".
    """
    differences = []
    for section in sorted(set(before) | set(after)):
        if section not in after or section not in before:
            present = "present" if section in before else ABSENT
            absent = ABSENT if section in before else "present"
            differences.append((section, "*", RECORD, present, absent))
            continue
        old_rows, new_rows = before[section], after[section]
        for key in sorted(set(old_rows) | set(new_rows), key=_sort_key):
            if key not in new_rows:
                differences.append((section, key, RECORD, "present", ABSENT))
            elif key not in old_rows:
                differences.append((section, key, RECORD, ABSENT, "present"))
            else:
                old, new = old_rows[key], new_rows[key]
                for field in sorted(set(old) | set(new)):
                    old_value, new_value = old.get(field, ABSENT), new.get(field, ABSENT)
                    if old_value != new_value:
                        differences.append((section, key, field, old_value, new_value))
    return differences


def _sort_key(key):
    """Record ids in numeric order, other keys after them in text order."""
    return (0, int(key), "") if key.isdigit() else (1, 0, key)


def check_probes(snapshot, probes):
    """The probes a snapshot fails: each probe is {section, key, field} and either `contains`
    (a text the value must contain) or `equals` (the exact value)."""
    failed = []
    for probe in probes:
        value = snapshot.get(probe["section"], {}).get(probe["key"], {}).get(probe["field"], ABSENT)
        if "contains" in probe:
            ok = isinstance(value, str) and probe["contains"] in value
        else:
            ok = value == probe["equals"]
        if not ok:
            failed.append((probe, value))
    return failed


def format_difference(difference, width=200):
    section, key, field, old, new = difference
    old_text, new_text = json.dumps(old, ensure_ascii=False), json.dumps(new, ensure_ascii=False)
    if len(old_text) + len(new_text) > width:
        old_text, new_text = _shorten(old_text, new_text, width // 2)
    return f"{section} {key} {field}: {old_text} -> {new_text}"


def _shorten(old, new, width):
    """Both texts cut around the first place where they differ."""
    start = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), 0)
    start = max(0, start - 20)
    return tuple(("…" if start else "") + text[start : start + width] for text in (old, new))


def compare_files(before_path, after_path):
    """Print every difference and the summary line; return the exit code."""
    before = json.loads(Path(before_path).read_text())
    after = json.loads(Path(after_path).read_text())
    differences = diff_snapshots(before["sections"], after["sections"])
    for difference in differences:
        print(format_difference(difference))
    problems = 0
    for label, snapshot in (("before", before), ("after", after)):
        for probe, value in check_probes(snapshot["sections"], before["probes"]):
            problems += 1
            expected = probe.get("contains", probe.get("equals"))
            print(
                f"noupdate record {probe['section']} {probe['key']} {probe['field']} {label} the "
                f"upgrade: {json.dumps(value, ensure_ascii=False)[:200]} (expected {expected!r})"
            )
    for label, snapshot in (("before", before), ("after", after)):
        for problem in snapshot["problems"]:
            problems += 1
            print(f"{label} the upgrade: {problem}")
    models = before["models"]
    records = sum(len(before["sections"][model]) for model in models)
    print(
        f"upgrade check: {len(models)} models, {records} records, {len(differences)} differences"
        + (f", {problems} other problems" if problems else "")
    )
    return 1 if differences or problems or not models else 0


# ---------------------------------------------------------------------- inside Odoo


def _env(args):
    """A superuser environment on the database (Odoo's own command-line configuration)."""
    sys.path.insert(0, str(args.odoo_home))
    from odoo import api  # noqa: PLC0415 - Odoo is only there when a phase runs
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(
        ["-d", args.db, f"--addons-path={args.addons_path}", "--log-level=warn", "--no-http"],
        setup_logging=True,
    )
    registry = Registry(args.db)
    cr = registry.cursor()
    return api.Environment(cr, api.SUPERUSER_ID, {"lang": "en_US"})


def module_models(env):
    """{model: (kind, fields to compare)} for the models with an external id of the module,
    wizards excepted; kind is "own", "inherited" (defined by another module) or "report"."""
    data = env["ir.model.data"].search(
        [("module", "=", MODULE), ("model", "in", ["ir.model", "ir.model.fields"])]
    )
    model_ids = data.filtered(lambda d: d.model == "ir.model").mapped("res_id")
    field_ids = data.filtered(lambda d: d.model == "ir.model.fields").mapped("res_id")
    module_fields = {}
    for field in env["ir.model.fields"].browse(field_ids):
        module_fields.setdefault(field.model, set()).add(field.name)
    # models that another module defines or extends as well: the module inherits them
    shared = set(
        env["ir.model.data"]
        .search([("model", "=", "ir.model"), ("res_id", "in", model_ids), ("module", "!=", MODULE)])
        .mapped("res_id")
    )
    result = {}
    for ir_model in env["ir.model"].browse(model_ids):
        name = ir_model.model
        model = env[name]
        if model._abstract or model._transient:
            # wizards keep no data an upgrade could lose (res.config.settings included: its
            # fields are related to the company's, which are compared on res.company)
            continue
        if not model._auto:
            kind = "report"
            names = [f for f, field in model._fields.items() if field.store and f != "id"]
        elif ir_model.id not in shared:
            kind = "own"
            names = [f for f in model._fields if f not in EXCLUDED_FIELDS | {"id"}]
        else:
            kind = "inherited"
            names = [
                f
                for f in module_fields.get(name, ())
                if f in model._fields and f not in EXCLUDED_FIELDS | MAGIC_FIELDS
            ]
            if not names:
                continue  # the module only adds methods to it (ir.attachment, mail.activity...)
        result[name] = (kind, sorted(names))
    return result


def _value(field, value):
    """A field's value as JSON: ids for relations, ISO dates, a hash for binary content."""
    if field.type in ("many2one", "many2one_reference") and hasattr(value, "ids"):
        return value.id or None
    if field.type in ("one2many", "many2many"):
        return sorted(value.ids)
    if field.type == "reference":
        return f"{value._name},{value.id}" if value else None
    if field.type == "binary":
        if not value:
            return None
        raw = value if isinstance(value, bytes) else str(value).encode()
        return "sha256:" + hashlib.sha256(raw).hexdigest()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list | tuple):
        return json.loads(json.dumps(value, default=str, sort_keys=True))
    if isinstance(value, str):
        return str(value)  # Markup -> str
    return value


def _read(records, names):
    """{id: {field: value}}: stored values and computed ones, each field over the whole batch."""
    rows = {str(record_id): {} for record_id in records.ids}
    for name in names:
        field = records._fields[name]
        for record in records:
            try:
                value = _value(field, record[name])
            except Exception as error:  # noqa: BLE001 - reported as a problem by snapshot()
                records.env.cr.rollback()
                value = f"<error {type(error).__name__}: {error}>"
            rows[str(record.id)][name] = value
    return rows


def _report_rows(records, names):
    """Rows of a SQL view keyed by their dimensions: the view numbers its rows afresh on every
    query, so its ids say nothing."""
    dimensions = [n for n in names if records._fields[n].type not in ("integer", "float", "monetary")]
    rows = {}
    for row in _read(records, names).values():
        key = json.dumps([row[n] for n in dimensions], ensure_ascii=False)
        count = 1
        while f"{key} #{count}" in rows:
            count += 1
        rows[f"{key} #{count}"] = row
    return rows


def stale_computed_values(env, models, sections):
    """Stored computed values that differ from a fresh computation by the code now loaded.

    An upgrade recomputes no stored field whose column exists: a compute changed without a
    migration leaves the old values in place, the same before and after. Each snapshot
    therefore recomputes every stored computed field it compares, then rolls back. Computed
    fields the user may edit (``readonly=False``) are left out: their value may be the user's.
    """
    problems = []
    for name, (kind, names) in sorted(models.items()):
        if kind == "report":
            continue
        model = env[name]
        computed = [
            model._fields[n]
            for n in names
            if model._fields[n].store and model._fields[n].compute and model._fields[n].readonly
        ]
        if not computed:
            continue
        records = model.browse(int(key) for key in sections[name])
        for field in computed:
            env.add_to_compute(field, records)
        env.flush_all()
        env.invalidate_all()
        fresh = _read(records, [field.name for field in computed])
        for key, row in fresh.items():
            for field_name, value in row.items():
                if value != sections[name][key][field_name]:
                    stored = json.dumps(sections[name][key][field_name], ensure_ascii=False)[:100]
                    problems.append(
                        f"{name} {key} {field_name}: stored {stored}, computed afresh "
                        f"{json.dumps(value, ensure_ascii=False)[:100]}"
                    )
    env.cr.rollback()
    env.invalidate_all()
    return problems


def snapshot(env):
    """The whole snapshot: records of every model of the module, its security and data."""
    models = module_models(env)
    sections, problems = {}, []
    for name, (kind, names) in sorted(models.items()):
        records = (
            env[name].with_context(active_test=False).search([], order="id").with_context(active_test=True)
        )
        if not records:
            problems.append(f"{name} has no record: give it demo data or a creator in upgrade_check.py")
        sections[name] = _report_rows(records, names) if kind == "report" else _read(records, names)
    problems += [
        f"{name} {key} {field}: {value}"
        for name, rows in sections.items()
        for key, row in rows.items()
        for field, value in row.items()
        if isinstance(value, str) and value.startswith("<error ")
    ]
    problems += stale_computed_values(env, models, sections)
    own_models = [name for name, (kind, _names) in models.items() if kind != "inherited"]
    # security: every rule and access right on the module's models, and how many there are
    rules = (
        env["ir.rule"]
        .with_context(active_test=False)
        .search([("model_id.model", "in", own_models)], order="id")
    )
    sections["ir.rule"] = _read(
        rules,
        [
            "name",
            "model_id",
            "domain_force",
            "groups",
            "perm_read",
            "perm_write",
            "perm_create",
            "perm_unlink",
            "active",
        ],
    )
    accesses = (
        env["ir.model.access"]
        .with_context(active_test=False)
        .search([("model_id.model", "in", own_models)], order="id")
    )
    sections["ir.model.access"] = _read(
        accesses,
        ["name", "model_id", "group_id", "perm_read", "perm_write", "perm_create", "perm_unlink", "active"],
    )
    sections["security counts"] = {
        model: {
            "rules": len(rules.filtered(lambda r, m=model: r.model_id.model == m)),
            "access rights": len(accesses.filtered(lambda a, m=model: a.model_id.model == m)),
        }
        for model in sorted(own_models)
    }
    # the module's data: noupdate mail templates and crons, and every external id
    data = env["ir.model.data"].search([("module", "=", MODULE)], order="id")
    templates = env["mail.template"].browse(
        data.filtered(lambda d: d.model == "mail.template").mapped("res_id")
    )
    sections["mail.template"] = _read(
        templates.sorted("id"),
        [
            "name",
            "model_id",
            "subject",
            "body_html",
            "email_to",
            "partner_to",
            "report_template_ids",
            "lang",
            "active",
        ],
    )
    crons = (
        env["ir.cron"]
        .with_context(active_test=False)
        .browse(data.filtered(lambda d: d.model == "ir.cron").mapped("res_id"))
    )
    sections["ir.cron"] = _read(
        crons.sorted("id"),
        ["name", "model_id", "code", "interval_number", "interval_type", "active", "priority"],
    )
    sections["ir.model.data"] = {
        f"{d.model},{d.name}": {"res_id": d.res_id, "noupdate": d.noupdate} for d in data
    }
    return {"models": sorted(models), "sections": sections, "problems": problems}


# ---------------------------------------------------------------------- data


def _create_target_revision(env):
    """A revision, as a manager makes it: the revise wizard on a confirmed target."""
    target = env["sales_toolkit.target"].search([("state", "=", "confirmed")], order="id", limit=1)
    if not target:
        raise RuntimeError("no confirmed target in the demo data to revise")
    wizard = env["sales_toolkit.target.revise"].create(
        {
            "target_id": target.id,
            "new_value": target.target_value * 1.1,
            "reason": "Raw material prices rose (upgrade check).",
        }
    )
    wizard.action_apply()


# Models the demo data leaves empty, and how to give them a record through the ORM.
CREATORS = {
    "sales_toolkit.target.revision": _create_target_revision,
}


def prepare(env):
    """Records in every model, user changes to noupdate records; the probes that check them."""
    for name, (kind, _names) in sorted(module_models(env).items()):
        if (
            kind != "report"
            and name in CREATORS
            and not env[name].with_context(active_test=False).search_count([])
        ):
            CREATORS[name](env)
            print(f"created records of {name}")
    from markupsafe import Markup  # noqa: PLC0415 - an Odoo requirement

    template = env.ref(PROBE_TEMPLATE)
    template.body_html = Markup(template.body_html or "") + Markup(PROBE_TEMPLATE_MARKER)
    cron = env.ref(PROBE_CRON)
    cron.interval_number = PROBE_CRON_INTERVAL
    env.flush_all()
    return [
        {
            "section": "mail.template",
            "key": str(template.id),
            "field": "body_html",
            "contains": PROBE_TEMPLATE_MARKER,
        },
        {
            "section": "ir.cron",
            "key": str(cron.id),
            "field": "interval_number",
            "equals": PROBE_CRON_INTERVAL,
        },
    ]


# ---------------------------------------------------------------------- driver


def _odoo(args, *odoo_args, log):
    """Run odoo-bin, its output appended to ``log``; fail on a non-zero exit or a logged error."""
    command = [
        sys.executable,
        "odoo-bin",
        "-d",
        args.db,
        f"--addons-path={args.addons_path}",
        *odoo_args,
        "--stop-after-init",
        "--no-http",
        "--max-cron-threads=0",
    ]
    print("$ " + " ".join(command), flush=True)
    with open(log, "a") as out:
        returncode = subprocess.call(command, cwd=args.odoo_home, stdout=out, stderr=subprocess.STDOUT)
    errors = [
        line for line in Path(log).read_text().splitlines() if " ERROR " in line or " CRITICAL " in line
    ]
    if returncode or errors:
        print("\n".join(errors[-20:]))
        sys.exit(f"odoo-bin {' '.join(odoo_args)} failed (exit code {returncode}, log {log})")


def _phase(args, phase):
    """Run one phase of this script in a fresh process (a fresh registry, as after a restart)."""
    command = [
        sys.executable,
        __file__,
        phase,
        "--db",
        args.db,
        f"--odoo-home={args.odoo_home}",
        f"--addons-path={args.addons_path}",
        f"--workdir={args.workdir}",
    ]
    print("$ " + " ".join(command), flush=True)
    if subprocess.call(command):
        sys.exit(f"{phase} failed")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("phase", choices=["run", "install", "prepare", "upgrade", "snapshot", "compare"])
    parser.add_argument("--db", required=True)
    parser.add_argument("--odoo-home", type=Path, default=Path(os.environ.get("ODOO_HOME", "/opt/odoo")))
    parser.add_argument("--addons-path")
    parser.add_argument("--workdir", type=Path, default=REPO / ".ci" / "out")
    args = parser.parse_args(argv)
    args.odoo_home = args.odoo_home.resolve()
    if not args.addons_path:
        paths = [args.odoo_home / "odoo" / "addons", args.odoo_home / "addons", REPO]
        args.addons_path = ",".join(str(path) for path in paths if path.is_dir())
    args.workdir.mkdir(parents=True, exist_ok=True)
    before, after = args.workdir / "upgrade_before.json", args.workdir / "upgrade_after.json"
    log = args.workdir / "upgrade_odoo.log"

    if args.phase == "run":
        for phase in ("install", "prepare", "upgrade", "snapshot"):
            _phase(args, phase)
        return compare_files(before, after)
    if args.phase == "install":
        subprocess.call(["dropdb", "--if-exists", args.db], stderr=subprocess.DEVNULL)
        log.write_text("")
        _odoo(args, "-i", MODULE, "--with-demo", log=log)
    elif args.phase == "upgrade":
        _odoo(args, "-u", MODULE, log=log)
    elif args.phase in ("prepare", "snapshot"):
        env = _env(args)
        with env.cr:
            probes = []
            if args.phase == "prepare":
                probes = prepare(env)
                env.cr.commit()
                env.invalidate_all()
            result = snapshot(env)
            result["probes"] = probes
            env.cr.rollback()  # the snapshot reads only: computing a value must store nothing
        target = before if args.phase == "prepare" else after
        target.write_text(json.dumps(result, indent=1, sort_keys=True, ensure_ascii=False))
        records = sum(len(result["sections"][model]) for model in result["models"])
        print(f"{args.phase}: {len(result['models'])} models, {records} records -> {target}")
    elif args.phase == "compare":
        return compare_files(before, after)
    return 0


if __name__ == "__main__":
    sys.exit(main())
