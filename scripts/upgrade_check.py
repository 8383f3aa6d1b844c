"""Upgrade safety check of sales_toolkit: ``-u sales_toolkit`` changes no record and no value.

Run it with Odoo's Python::

    scripts/upgrade_check.py run --db DB        # all of the steps below, on a fresh database
    scripts/upgrade_check.py install --db DB    # a fresh database with sales_toolkit and demo data
    scripts/upgrade_check.py prepare --db DB    # give every model records, change noupdate records,
                                                # snapshot to WORKDIR/upgrade_before.json
    scripts/upgrade_check.py upgrade --db DB    # odoo-bin -u sales_toolkit --stop-after-init
    scripts/upgrade_check.py snapshot --db DB   # snapshot to WORKDIR/upgrade_after.json
    scripts/upgrade_check.py compare            # every difference; exit code 1 on any
    scripts/upgrade_check.py release --db DB    # the same from the last release to this code

Options: ``--odoo-home`` (default ``$ODOO_HOME`` or /opt/odoo), ``--addons-path`` (default
Odoo's addons and this repository), ``--workdir`` (default ``.ci/out``), ``--label`` (the
name of the snapshot and log files in the workdir, default ``upgrade``), ``--from`` (the
release of ``release``, default the commit in scripts/upgrade_from).

The models checked are those of the module (ir.model records with an external id of
sales_toolkit, which is what ir.model's ``modules`` shows): the module's own models with all
their fields, stored or computed, and the models it inherits (crm.lead, res.partner,
res.company...) with the fields it adds (ir.model.fields with an external id of sales_toolkit).
Every one of them must have records after the demo data and the creators below, so a new
model without data fails the check. Wizards (transient models) hold no lasting data and are
left out; the SQL view report is compared row by row. Also compared: the module's record
rules, access rights, mail templates, crons and external ids. One mail template's body and one
cron's interval are changed before the upgrade (noupdate records: the upgrade must keep them).

Both snapshots are taken under the same frozen clock (freezegun, at the time the first one
started): values computed from "now" (a deadline passed, a late task, this year's purchases)
would otherwise flip when midnight or a deadline passes between the two.

``release`` upgrades from the previous release instead of the code onto itself, so that its
migration scripts run and changed data files are applied: it extracts the module as it was
at the commit named in scripts/upgrade_from (``git archive``) into a temporary directory,
installs it with demo data, prepares and snapshots with that old code loaded, runs
``-u sales_toolkit`` with this repository's code and snapshots again (files
``release_before.json``, ``release_after.json``, ``release_odoo.log``). The comparison
(``diff_release``) covers the models and fields of both versions: a new model, field or
record with a new external id is reported as new; a model, field or external id renamed by
a migration (RELEASE_RENAMES) is compared under its new name; a removed one is a difference
unless RELEASE_ALLOWED_REMOVALS lists it; a changed value is a difference unless a fact of
MIGRATION_FACTS expects it, and every fact of the versions in between must hold, before and
after, which proves the migration scripts ran. A version with a migration script and no fact
fails the check. It ends with ``release upgrade check (<commit> <old> -> <new>): N models,
M records, 0 differences``.

The comparisons (``diff_snapshots``, ``check_probes``, ``diff_release``...) are pure Python,
tested in tests/.
"""

import argparse
import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
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

# The last released version, the starting point of ``release``: one commit hash in this file.
UPGRADE_FROM = REPO / "scripts" / "upgrade_from"

# What each version's migration scripts (sales_toolkit/migrations/<version>/) must have done,
# checked by ``release`` for every version after the release it starts from, up to the code's.
# A fact names a record by its external id in the module ("<model>,<name>", as in the
# snapshot's ir.model.data section; or by its key in the section, "key"), the snapshot
# section holding it, a field, its value
# before the upgrade (with the old code; leave "before" out for a record the old release did
# not have) and after it. The fact's change is not a difference; a fact that does not hold
# fails the check. Add the facts with each migration script: a version with a script and no
# fact fails the check, since nothing would show that the script ran.
MIGRATION_FACTS = {
    "19.0.1.1.0": [
        {
            # the personal follow-up rule is noupdate: only the migration takes the delete
            # right off it (reps delete only the follow-ups they logged, through a new rule)
            "section": "ir.rule",
            "record": "ir.rule,sales_toolkit_followup_rule_personal",
            "field": "perm_unlink",
            "before": True,
            "after": False,
        },
    ],
    "19.0.1.2.0": [
        # the rules are noupdate: only the pre-migrate script renames them with their model
        # (the snapshot of the old release has the new external ids: RELEASE_RENAMES)
        *(
            {
                "section": "ir.rule",
                "record": f"ir.rule,sales_toolkit_analysis_action_rule_{rule}",
                "field": "name",
                "before": f"Sales Toolkit Analysis Measure: {old}",
                "after": f"Sales Toolkit Analysis Action: {new}",
            }
            for rule, old, new in (
                ("company", "multi-company", "multi-company"),
                ("personal", "measures of readable sheets", "actions of readable sheets"),
                ("all", "all measures", "all actions"),
            )
        ),
        # the access rights keep their ids and take the new names from the CSV file
        *(
            {
                "section": "ir.model.access",
                "record": f"ir.model.access,access_sales_toolkit_analysis_action_{group}",
                "field": "name",
                "before": f"sales_toolkit.analysis.measure {group}",
                "after": f"sales_toolkit.analysis.action {group}",
            }
            for group in ("salesman", "manager")
        ),
        {
            # the hand-made covering indexes on the sale tables (made since 19.0.1.1.0, so no
            # "before": the release upgraded from may not have them) give way to the sale.order
            # and sale.order.line extensions' models.Index: after the upgrade only Odoo's are left
            "section": "sale indexes",
            "key": "sale_order",
            "field": "indexes",
            "after": ["sale_order_sales_toolkit_period_idx"],
        },
        {
            "section": "sale indexes",
            "key": "sale_order_line",
            "field": "indexes",
            "after": ["sale_order_line_sales_toolkit_kpi_idx"],
        },
    ],
}

# What a version renamed, by the version that renamed it: its pre-migrate script renames them
# in the database, keeping the records and their ids. "models": {old: new}; "fields":
# {(model, old): new}, the model by its new name; "xmlids": {old: new}, the module's external
# ids named after a renamed model other than those of ir.model, ir.model.fields and
# ir.model.fields.selection (model_..., field_..., selection__...), which follow the models'
# and fields' renames. ``release`` renames them in the snapshot of the old release
# (rename_snapshot), so that a renamed record compares with its old self: a value the rename
# changes needs a fact in MIGRATION_FACTS.
RELEASE_RENAMES = {
    "19.0.1.2.0": {
        # "measure" is the KPI measurement only: improvement measures are action items
        "models": {"sales_toolkit.analysis.measure": "sales_toolkit.analysis.action"},
        "fields": {
            ("sales_toolkit.task", "measure"): "progress_source",
            ("sales_toolkit.task", "analysis_measure_id"): "analysis_action_id",
            ("sales_toolkit.analysis.line", "measure_ids"): "action_ids",
        },
        "xmlids": {
            **{
                f"access_sales_toolkit_analysis_measure_{group}": (
                    f"access_sales_toolkit_analysis_action_{group}"
                )
                for group in ("salesman", "manager")
            },
            **{
                f"sales_toolkit_analysis_measure_rule_{rule}": f"sales_toolkit_analysis_action_rule_{rule}"
                for rule in ("company", "personal", "all")
            },
            "analysis_2025q1_measure_north": "analysis_2025q1_action_north",
            "analysis_2025q1_measure_line_a": "analysis_2025q1_action_line_a",
        },
    },
}

# What a version removed on purpose, by the version that removed it: {(section, key, field):
# reason}. ``section`` is a model or a snapshot section (ir.model.data, ir.rule...); ``key``
# a record's key in it ("*": every record, or the whole model with field RECORD); ``field``
# a field name, or RECORD for the record itself. Anything removed and not listed here is a
# difference.
RELEASE_ALLOWED_REMOVALS = {
    "19.0.1.1.0": {
        # the module no longer extends ir.attachment (it only added methods): the Excel
        # workbooks stream from a read-only route and are no longer stored as attachments,
        # so Odoo drops the module's external ids of the model and its two magic fields
        ("ir.model.data", "ir.model,model_ir_attachment", RECORD): "no longer extends ir.attachment",
        ("ir.model.data", "ir.model.fields,field_ir_attachment__display_name", RECORD): "same",
        ("ir.model.data", "ir.model.fields,field_ir_attachment__id", RECORD): "same",
    },
}

# Snapshot sections ``release`` leaves out: the counts of rules and access rights per model
# change with every rule a release adds, and the rules and rights are compared one by one.
RELEASE_SKIPPED_SECTIONS = {"security counts"}


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


# ---------------------------------------------------------------------- release to release


def read_upgrade_from(text):
    """The commit of scripts/upgrade_from: its first line that is neither blank nor a comment."""
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return line
    raise ValueError("no commit in scripts/upgrade_from")


def version_key(version):
    """A module version ("19.0.1.1.0") as a tuple of numbers, to compare versions."""
    return tuple(int(part) for part in version.split("."))


def between(by_version, old, new):
    """The values of ``by_version`` ({version: value}) for the versions after ``old`` up to
    ``new``, in version order: those an upgrade from ``old`` to ``new`` goes through."""
    return [
        by_version[version]
        for version in sorted(by_version, key=version_key)
        if version_key(old) < version_key(version) <= version_key(new)
    ]


def unproven_migrations(script_versions, facts, old, new):
    """The versions an upgrade from ``old`` to ``new`` migrates through with no fact to prove it."""
    versions = {version: version for version in script_versions}
    return [version for version in between(versions, old, new) if not facts.get(version)]


def _allowed(allowed, section, key, field):
    return (section, key, field) in allowed or (section, "*", field) in allowed


def _rekey(rows, names):
    """Rows of a report keyed by the values of ``names`` (the fields both versions have)."""
    result = {}
    for row in rows.values():
        key = json.dumps([row.get(name) for name in names], ensure_ascii=False)
        count = 1
        while f"{key} #{count}" in result:
            count += 1
        result[f"{key} #{count}"] = {name: row.get(name) for name in names}
    return result


def _table(model):
    return model.replace(".", "_")


def rename_xmlid(key, renames):
    """An ir.model.data key ("<model>,<name>") after the renames of one version."""
    models, fields = renames.get("models", {}), renames.get("fields", {})
    model, name = key.split(",", 1)
    model = models.get(model, model)
    if name in renames.get("xmlids", {}):
        return f"{model},{renames['xmlids'][name]}"
    # the model of a table name: the renamed ones by their old table, the others as they are
    tables = {_table(old): new for old, new in models.items()}
    tables.update({_table(field_model): field_model for field_model, _field in fields})
    for prefix, data_model in (("model_", "ir.model"), ("field_", "ir.model.fields")):
        if model == data_model and name.startswith(prefix):
            table, _sep, rest = name[len(prefix) :].partition("__")
            if table in tables:
                owner = tables[table]
                if rest:
                    rest = "__" + fields.get((owner, rest), rest)
                return f"{model},{prefix}{_table(owner)}{rest}"
    if model == "ir.model.fields.selection" and name.startswith("selection__"):
        table, field, value = (name[len("selection__") :].split("__", 2) + ["", ""])[:3]
        if table in tables:
            owner = tables[table]
            return f"{model},selection__{_table(owner)}__{fields.get((owner, field), field)}__{value}"
    return key


def rename_snapshot(snapshot, renames):
    """The snapshot with the models, fields and external ids of ``renames`` (one version's
    entry of RELEASE_RENAMES) renamed: the old release's records under their new names."""
    models, fields = renames.get("models", {}), renames.get("fields", {})

    def field_names(model, names):
        return [fields.get((model, name), name) for name in names]

    sections = {}
    for section, rows in snapshot["sections"].items():
        section = models.get(section, section)
        if section == "ir.model.data":
            rows = {rename_xmlid(key, renames): row for key, row in rows.items()}
        elif section == "security counts":
            rows = {models.get(key, key): row for key, row in rows.items()}
        elif any(model == section for model, _field in fields):
            rows = {
                key: dict(zip(field_names(section, row), row.values(), strict=True))
                for key, row in rows.items()
            }
        sections[section] = rows
    model_fields = {}
    for model, names in snapshot.get("model_fields", {}).items():
        model = models.get(model, model)
        model_fields[model] = sorted(field_names(model, names))
    return dict(
        snapshot,
        sections=sections,
        model_fields=model_fields,
        models=sorted(models.get(model, model) for model in snapshot.get("models", ())),
        reports=sorted(models.get(model, model) for model in snapshot.get("reports", ())),
        probes=[
            dict(probe, section=models.get(probe["section"], probe["section"]))
            for probe in snapshot.get("probes", ())
        ],
    )


def check_facts(before, after, facts):
    """[(fact, problem)] for the facts that do not hold, and the cells {(section, key, field)}
    the facts expect to change. ``before``/``after`` are snapshot sections."""
    problems, cells = [], set()
    for fact in facts:
        keys = []
        for label, sections in (("before", before), ("after", after)):
            if "key" in fact:
                key = fact["key"]
            else:
                data = sections.get("ir.model.data", {}).get(fact["record"])
                key = str(data["res_id"]) if data else None
            keys.append(key)
            if label not in fact:
                continue
            if key is None:
                problems.append((fact, f"{label} the upgrade: no record {fact['record']}"))
                continue
            value = sections.get(fact["section"], {}).get(key, {}).get(fact["field"], ABSENT)
            if value != fact[label]:
                problems.append(
                    (
                        fact,
                        f"{label} the upgrade: {json.dumps(value, ensure_ascii=False)[:100]}, "
                        f"expected {json.dumps(fact[label], ensure_ascii=False)}",
                    )
                )
        cells.update((fact["section"], key, fact["field"]) for key in keys if key)
        if "before" not in fact and keys[-1]:
            # a record the old release did not have: its appearance is the fact's change
            cells.add((fact["section"], keys[-1], RECORD))
    return problems, cells


def diff_release(before, after, facts=(), allowed=None):
    """Compare the snapshot of the old release with the one after the upgrade to this code.

    Returns (differences, news, migrated, fact_problems): differences as in diff_snapshots;
    news: text lines for the models, fields and records the new version adds (records with an
    external id the old version did not have); migrated: the differences the facts expect;
    fact_problems: as check_facts. Only the fields both versions have are compared; a
    removed model, field or record is a difference unless ``allowed`` lists it
    ({(section, key, field): reason}, key "*" for all).
    """
    allowed = allowed or {}
    old_sections, new_sections = before["sections"], after["sections"]
    old_fields, new_fields = before.get("model_fields", {}), after.get("model_fields", {})
    reports = set(before.get("reports", ())) | set(after.get("reports", ()))
    differences, news = [], []
    old_compared, new_compared = {}, {}
    for section in sorted(set(old_sections) | set(new_sections)):
        if section in RELEASE_SKIPPED_SECTIONS:
            continue
        if section not in new_sections:
            if not _allowed(allowed, section, "*", RECORD):
                differences.append((section, "*", RECORD, "present", ABSENT))
            continue
        if section not in old_sections:
            news.append(f"new model {section} ({len(new_sections[section])} records)")
            continue
        old_rows, new_rows = old_sections[section], new_sections[section]
        if section in old_fields and section in new_fields:
            old_names, new_names = set(old_fields[section]), set(new_fields[section])
            news += [f"new field {section}.{name}" for name in sorted(new_names - old_names)]
            differences += [
                (section, "*", name, "present", ABSENT)
                for name in sorted(old_names - new_names)
                if not _allowed(allowed, section, "*", name)
            ]
            common = sorted(old_names & new_names)
            if section in reports and old_names != new_names:
                old_rows, new_rows = _rekey(old_rows, common), _rekey(new_rows, common)
            else:
                old_rows = {k: {f: row[f] for f in common if f in row} for k, row in old_rows.items()}
                new_rows = {k: {f: row[f] for f in common if f in row} for k, row in new_rows.items()}
        old_compared[section], new_compared[section] = old_rows, new_rows
    old_data, new_data = old_sections.get("ir.model.data", {}), new_sections.get("ir.model.data", {})
    new_xmlids = {
        (name.split(",", 1)[0], str(row["res_id"])) for name, row in new_data.items() if name not in old_data
    }
    fact_problems, fact_cells = check_facts(old_sections, new_sections, facts)
    migrated, new_records = [], {}
    for difference in diff_snapshots(old_compared, new_compared):
        section, key, field, old, new = difference
        if field == RECORD and old == ABSENT and (section == "ir.model.data" or (section, key) in new_xmlids):
            new_records.setdefault(section, []).append(key)
        elif field == RECORD and new == ABSENT and _allowed(allowed, section, key, RECORD):
            continue
        elif (section, key, field) in fact_cells:
            migrated.append(difference)
        else:
            differences.append(difference)
    for section, keys in new_records.items():
        shown = ", ".join(keys)
        news.append(
            f"new records in {section} ({len(keys)}): {shown if len(shown) < 300 else shown[:300] + '…'}"
        )
    # by section, then the whole-model ones ("*") first, then by record
    differences.sort(key=lambda d: (d[0], d[1] != "*", _sort_key(d[1]), d[2]))
    return differences, news, migrated, fact_problems


def compare_release_files(before_path, after_path, name, script_versions=()):
    """Print the news, the migrated values, every difference and problem, and the summary line
    ``release upgrade check (<name>): N models, M records, K differences``; return the exit code."""
    before = json.loads(Path(before_path).read_text())
    after = json.loads(Path(after_path).read_text())
    old, new = before["version"], after["version"]
    for renames in between(RELEASE_RENAMES, old, new):
        before = rename_snapshot(before, renames)
    facts = [fact for version_facts in between(MIGRATION_FACTS, old, new) for fact in version_facts]
    allowed = {}
    for version_allowed in between(RELEASE_ALLOWED_REMOVALS, old, new):
        allowed.update(version_allowed)
    differences, news, migrated, fact_problems = diff_release(before, after, facts, allowed)
    for line in news:
        print(line)
    for difference in migrated:
        print("migrated as expected: " + format_difference(difference))
    for difference in differences:
        print(format_difference(difference))
    problems = 0
    for fact, problem in fact_problems:
        problems += 1
        print(f"migration fact {fact.get('record') or fact['key']} {fact['field']} not verified: {problem}")
    facts_verified = len(facts) - len({id(fact) for fact, _problem in fact_problems})
    for version in unproven_migrations(script_versions, MIGRATION_FACTS, old, new):
        problems += 1
        print(f"migrations/{version} has no fact in MIGRATION_FACTS: nothing shows that it ran")
    for label, snapshot in (("before", before), ("after", after)):
        for probe, value in check_probes(snapshot["sections"], before["probes"]):
            problems += 1
            print(
                f"noupdate record {probe['section']} {probe['key']} {probe['field']} {label} the "
                f"upgrade: {json.dumps(value, ensure_ascii=False)[:200]}"
            )
        for problem in snapshot["problems"]:
            problems += 1
            print(f"{label} the upgrade: {problem}")
    models = sorted(set(before["models"]) & set(after["models"]))
    records = sum(len(before["sections"][model]) for model in models)
    print(f"migration facts verified: {facts_verified} of {len(facts)}")
    print(
        f"release upgrade check ({name} {old} -> {new}): {len(models)} models, {records} records, "
        f"{len(differences)} differences" + (f", {problems} other problems" if problems else "")
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
    # the module's indexes on Odoo's sale tables (not records: what a migration may rename)
    env.cr.execute(
        """SELECT tablename, array_agg(indexname ORDER BY indexname) FROM pg_indexes
            WHERE tablename IN ('sale_order', 'sale_order_line') AND indexname LIKE '%sales_toolkit%'
         GROUP BY tablename"""
    )
    sections["sale indexes"] = {table: {"indexes": names} for table, names in env.cr.fetchall()}
    module = env["ir.module.module"].search([("name", "=", MODULE)])
    return {
        "version": module.latest_version,  # the version installed in the database
        "models": sorted(models),
        "model_fields": {name: names for name, (_kind, names) in models.items()},
        "reports": sorted(name for name, (kind, _names) in models.items() if kind == "report"),
        "sections": sections,
        "problems": problems,
    }


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
    """Records in every model, user changes to noupdate records; the probes that check them.

    ``release`` runs it with the previous release's code loaded: it only touches the models
    that version has (module_models), and the probes whose records it has; a creator must work
    with the release in scripts/upgrade_from as well.
    """
    for name, (kind, _names) in sorted(module_models(env).items()):
        if (
            kind != "report"
            and name in CREATORS
            and not env[name].with_context(active_test=False).search_count([])
        ):
            CREATORS[name](env)
            print(f"created records of {name}")
    from markupsafe import Markup  # noqa: PLC0415 - an Odoo requirement

    probes = []
    template = env.ref(PROBE_TEMPLATE, raise_if_not_found=False)
    if template:
        template.body_html = Markup(template.body_html or "") + Markup(PROBE_TEMPLATE_MARKER)
        probes.append(
            {
                "section": "mail.template",
                "key": str(template.id),
                "field": "body_html",
                "contains": PROBE_TEMPLATE_MARKER,
            }
        )
    cron = env.ref(PROBE_CRON, raise_if_not_found=False)
    if cron:
        cron.interval_number = PROBE_CRON_INTERVAL
        probes.append(
            {
                "section": "ir.cron",
                "key": str(cron.id),
                "field": "interval_number",
                "equals": PROBE_CRON_INTERVAL,
            }
        )
    if not probes:
        raise RuntimeError(f"neither {PROBE_TEMPLATE} nor {PROBE_CRON} exists: change the probes")
    env.flush_all()
    return probes


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


def _phase(args, phase, addons_path=None):
    """Run one phase of this script in a fresh process (a fresh registry, as after a restart)."""
    command = [
        sys.executable,
        __file__,
        phase,
        "--db",
        args.db,
        f"--odoo-home={args.odoo_home}",
        f"--addons-path={addons_path or args.addons_path}",
        f"--workdir={args.workdir}",
        f"--label={args.label}",
    ]
    print("$ " + " ".join(command), flush=True)
    if subprocess.call(command):
        sys.exit(f"{phase} failed")


def _frozen(moment):
    """A context in which Odoo's clock (datetime.now, date.today...) stays at ``moment``."""
    from freezegun import freeze_time  # noqa: PLC0415 - an Odoo requirement, tests only

    return freeze_time(moment, tick=False)


def extract_module(ref, target):
    """The module as it was at commit ``ref``, extracted into ``target``; its manifest's version."""
    command = ["git", "-C", str(REPO), "archive", ref, MODULE]
    with subprocess.Popen(command, stdout=subprocess.PIPE) as archive:
        untar = subprocess.run(["tar", "-x", "-C", str(target)], stdin=archive.stdout, check=False)
    if archive.returncode or untar.returncode:
        sys.exit(f"git archive {ref} {MODULE} | tar -x failed")
    return ast.literal_eval((Path(target) / MODULE / "__manifest__.py").read_text())["version"]


def swap_addons_path(addons_path, module_dir):
    """``addons_path`` with the directory that holds the module replaced by ``module_dir``."""
    paths = addons_path.split(",")
    holders = [i for i, path in enumerate(paths) if (Path(path) / MODULE / "__manifest__.py").is_file()]
    if not holders:
        sys.exit(f"no {MODULE} in the addons path {addons_path}")
    paths[holders[0]] = str(module_dir)
    return ",".join(paths)


def run_release(args):
    """Install the release of scripts/upgrade_from, prepare, snapshot, upgrade to this code,
    snapshot, compare; the temporary copy of the old module is removed afterwards."""
    ref = args.from_ref or read_upgrade_from(UPGRADE_FROM.read_text())
    command = ["git", "-C", str(REPO), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"]
    commit = subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()
    if not commit:
        sys.exit(f"no commit {ref} in {REPO}: the release check needs a clone with its history")
    old_dir = Path(tempfile.mkdtemp(prefix=f"{MODULE}_{commit[:7]}_"))
    try:
        old_version = extract_module(commit, old_dir)
        print(f"release {commit[:7]} ({old_version}) extracted into {old_dir}", flush=True)
        old_path = swap_addons_path(args.addons_path, old_dir)
        _phase(args, "install", old_path)
        _phase(args, "prepare", old_path)
    finally:
        shutil.rmtree(old_dir, ignore_errors=True)
    _phase(args, "upgrade")
    _phase(args, "snapshot")
    migrations = REPO / MODULE / "migrations"
    versions = [path.name for path in migrations.iterdir() if path.is_dir()] if migrations.is_dir() else []
    before, after = (args.workdir / f"{args.label}_{side}.json" for side in ("before", "after"))
    return compare_release_files(before, after, commit[:7], versions)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "phase", choices=["run", "install", "prepare", "upgrade", "snapshot", "compare", "release"]
    )
    parser.add_argument("--db", required=True)
    parser.add_argument("--odoo-home", type=Path, default=Path(os.environ.get("ODOO_HOME", "/opt/odoo")))
    parser.add_argument("--addons-path")
    parser.add_argument("--workdir", type=Path, default=REPO / ".ci" / "out")
    parser.add_argument("--label", help="file names in the workdir: LABEL_before.json... (default by phase)")
    parser.add_argument("--from", dest="from_ref", help="release: the commit to upgrade from")
    args = parser.parse_args(argv)
    args.odoo_home = args.odoo_home.resolve()
    args.label = args.label or ("release" if args.phase == "release" else "upgrade")
    if not args.addons_path:
        paths = [args.odoo_home / "odoo" / "addons", args.odoo_home / "addons", REPO]
        args.addons_path = ",".join(str(path) for path in paths if path.is_dir())
    args.workdir.mkdir(parents=True, exist_ok=True)
    before, after = (args.workdir / f"{args.label}_{side}.json" for side in ("before", "after"))
    log = args.workdir / f"{args.label}_odoo.log"

    if args.phase == "run":
        for phase in ("install", "prepare", "upgrade", "snapshot"):
            _phase(args, phase)
        return compare_files(before, after)
    if args.phase == "release":
        return run_release(args)
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
                now = datetime.now().isoformat()  # naive UTC, as Odoo's clock
            else:
                now = json.loads(before.read_text())["now"]
            # both snapshots see the same "now": values computed from the clock cannot flip
            with _frozen(now):
                result = snapshot(env)
            result["now"] = now
            result["probes"] = probes
            env.cr.rollback()  # the snapshot reads only: computing a value must store nothing
        target = before if args.phase == "prepare" else after
        target.write_text(json.dumps(result, indent=1, sort_keys=True, ensure_ascii=False))
        records = sum(len(result["sections"][model]) for model in result["models"])
        print(f"{args.phase}: {len(result['models'])} models, {records} records at {now} -> {target}")
    elif args.phase == "compare":
        return compare_files(before, after)
    return 0


if __name__ == "__main__":
    sys.exit(main())
