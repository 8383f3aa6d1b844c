import ast
import json
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _snapshot():
    return {
        "sales_toolkit.target": {
            "1": {"name": "2024 Q1", "completion_rate": 95.0, "child_ids": [2, 3]},
            "2": {"name": "East China", "completion_rate": 95.0, "child_ids": []},
            "10": {"name": "South China", "completion_rate": 80.0, "child_ids": []},
        },
        "ir.cron": {"29": {"interval_number": 7, "interval_type": "hours"}},
    }


def test_same_snapshots_have_no_difference(upgrade_check):
    assert upgrade_check.diff_snapshots(_snapshot(), _snapshot()) == []


def test_changed_value_is_reported_with_model_id_field_and_both_values(upgrade_check):
    after = _snapshot()
    after["sales_toolkit.target"]["2"]["completion_rate"] = 96.5
    after["sales_toolkit.target"]["1"]["child_ids"] = [2]
    assert upgrade_check.diff_snapshots(_snapshot(), after) == [
        ("sales_toolkit.target", "1", "child_ids", [2, 3], [2]),
        ("sales_toolkit.target", "2", "completion_rate", 95.0, 96.5),
    ]


def test_deleted_and_duplicated_records_are_reported(upgrade_check):
    after = _snapshot()
    del after["sales_toolkit.target"]["2"]
    after["sales_toolkit.target"]["11"] = dict(after["sales_toolkit.target"]["10"])
    diff = upgrade_check.diff_snapshots(_snapshot(), after)
    assert diff == [
        ("sales_toolkit.target", "2", "<record>", "present", "<absent>"),
        ("sales_toolkit.target", "11", "<record>", "<absent>", "present"),
    ]


def test_records_are_ordered_by_numeric_id(upgrade_check):
    before, after = _snapshot(), _snapshot()
    for key in ("10", "2"):
        after["sales_toolkit.target"][key]["name"] = "changed"
    keys = [key for _section, key, *_rest in upgrade_check.diff_snapshots(before, after)]
    assert keys == ["2", "10"]


def test_missing_field_and_section_are_differences(upgrade_check):
    after = _snapshot()
    del after["ir.cron"]
    del after["sales_toolkit.target"]["10"]["completion_rate"]
    after["sales_toolkit.need"] = {}
    assert upgrade_check.diff_snapshots(_snapshot(), after) == [
        ("ir.cron", "*", "<record>", "present", "<absent>"),
        ("sales_toolkit.need", "*", "<record>", "<absent>", "present"),
        ("sales_toolkit.target", "10", "completion_rate", 80.0, "<absent>"),
    ]


def test_type_change_is_a_difference(upgrade_check):
    after = _snapshot()
    after["ir.cron"]["29"]["interval_number"] = "7"
    assert upgrade_check.diff_snapshots(_snapshot(), after) == [("ir.cron", "29", "interval_number", 7, "7")]


def test_probes_of_noupdate_records(upgrade_check):
    snapshot = {
        "mail.template": {"26": {"body_html": "<div>Hello</div><p>kept</p>"}},
        "ir.cron": {"29": {"interval_number": 7}},
    }
    probes = [
        {"section": "mail.template", "key": "26", "field": "body_html", "contains": "<p>kept</p>"},
        {"section": "ir.cron", "key": "29", "field": "interval_number", "equals": 7},
    ]
    assert upgrade_check.check_probes(snapshot, probes) == []
    snapshot["mail.template"]["26"]["body_html"] = "<div>Hello</div>"
    snapshot["ir.cron"]["29"]["interval_number"] = 1
    failed = upgrade_check.check_probes(snapshot, probes)
    assert [(probe["section"], value) for probe, value in failed] == [
        ("mail.template", "<div>Hello</div>"),
        ("ir.cron", 1),
    ]
    del snapshot["ir.cron"]
    assert upgrade_check.check_probes(snapshot, probes[1:]) == [(probes[1], "<absent>")]


def test_long_values_are_cut_where_they_differ(upgrade_check):
    old, new = "<p>" + "a" * 500 + "old</p>", "<p>" + "a" * 500 + "new</p>"
    line = upgrade_check.format_difference(("mail.template", "26", "body_html", old, new), width=100)
    assert "old" in line and "new" in line and len(line) < 200


def test_compare_files_prints_the_summary_and_fails_on_a_difference(upgrade_check, tmp_path, capsys):
    sections = _snapshot()
    base = {"models": ["sales_toolkit.target"], "problems": [], "probes": []}
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    before.write_text(json.dumps(dict(base, sections=sections)))
    after.write_text(json.dumps(dict(base, sections=sections)))
    assert upgrade_check.compare_files(before, after) == 0
    assert capsys.readouterr().out.strip() == "upgrade check: 1 models, 3 records, 0 differences"
    sections["sales_toolkit.target"]["1"]["name"] = "2024 Q2"
    after.write_text(json.dumps(dict(base, sections=sections)))
    assert upgrade_check.compare_files(before, after) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        'sales_toolkit.target 1 name: "2024 Q1" -> "2024 Q2"',
        "upgrade check: 1 models, 3 records, 1 differences",
    ]


def test_a_problem_fails_the_comparison(upgrade_check, tmp_path, capsys):
    base = {"models": ["sales_toolkit.need"], "sections": {"sales_toolkit.need": {}}, "probes": []}
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    before.write_text(json.dumps(dict(base, problems=["sales_toolkit.need has no record"])))
    after.write_text(json.dumps(dict(base, problems=[])))
    assert upgrade_check.compare_files(before, after) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "before the upgrade: sales_toolkit.need has no record"
    assert out[-1] == "upgrade check: 1 models, 0 records, 0 differences, 1 other problems"


# ---------------------------------------------------------------------- release to release


def _release_snapshots():
    """The old release's snapshot and the one after the upgrade, which changes nothing."""
    sections = {
        "sales_toolkit.target": {
            "1": {"name": "2024 Q1", "completion_rate": 95.0},
            "2": {"name": "East China", "completion_rate": 80.0},
        },
        "sales_toolkit.performance.report": {
            '["East China"] #1': {"team": "East China", "amount": 10.0},
        },
        "ir.rule": {"174": {"name": "Personal follow-ups", "perm_unlink": True}},
        "security counts": {"sales_toolkit.target": {"rules": 3}},
        "ir.model.data": {
            "ir.rule,followup_rule_personal": {"res_id": 174, "noupdate": True},
            "sales_toolkit.target,target_2024_q1": {"res_id": 1, "noupdate": False},
        },
    }
    before = {
        "version": "19.0.1.0.0",
        "models": ["sales_toolkit.performance.report", "sales_toolkit.target"],
        "model_fields": {
            "sales_toolkit.target": ["completion_rate", "name"],
            "sales_toolkit.performance.report": ["amount", "team"],
        },
        "reports": ["sales_toolkit.performance.report"],
        "sections": sections,
        "problems": [],
        "probes": [],
    }
    return before, json.loads(json.dumps(dict(before, version="19.0.1.1.0")))


FACT = {
    "section": "ir.rule",
    "record": "ir.rule,followup_rule_personal",
    "field": "perm_unlink",
    "before": True,
    "after": False,
}


def test_upgrade_from_is_the_first_line_that_is_not_a_comment(upgrade_check):
    text = "# the last release\n\n  # bump it\n  dff712600bd8186a02da4dce36e103d137d37177 \nlater\n"
    assert upgrade_check.read_upgrade_from(text) == "dff712600bd8186a02da4dce36e103d137d37177"
    with pytest.raises(ValueError):
        upgrade_check.read_upgrade_from("# nothing\n\n")


def test_versions_between_two_releases(upgrade_check):
    assert upgrade_check.version_key("19.0.1.10.0") > upgrade_check.version_key("19.0.1.9.0")
    by_version = {"19.0.1.10.0": "c", "19.0.1.1.0": "a", "19.0.1.2.0": "b", "19.0.1.0.0": "old"}
    assert upgrade_check.between(by_version, "19.0.1.0.0", "19.0.1.10.0") == ["a", "b", "c"]
    assert upgrade_check.between(by_version, "19.0.1.1.0", "19.0.1.2.0") == ["b"]
    assert upgrade_check.between(by_version, "19.0.1.2.0", "19.0.1.2.0") == []


def test_a_migration_without_a_fact_is_unproven(upgrade_check):
    facts = {"19.0.1.1.0": [FACT], "19.0.1.2.0": []}
    scripts = ["19.0.1.1.0", "19.0.1.2.0", "19.0.1.3.0", "19.0.0.9.0"]
    assert upgrade_check.unproven_migrations(scripts, facts, "19.0.1.0.0", "19.0.1.2.0") == ["19.0.1.2.0"]
    assert upgrade_check.unproven_migrations(scripts, facts, "19.0.1.0.0", "19.0.1.1.0") == []


def test_the_same_release_has_no_difference(upgrade_check):
    before, after = _release_snapshots()
    assert upgrade_check.diff_release(before, after) == ([], [], [], [])


def test_migration_fact_is_verified_and_its_change_is_no_difference(upgrade_check):
    before, after = _release_snapshots()
    after["sections"]["ir.rule"]["174"]["perm_unlink"] = False
    differences, news, migrated, fact_problems = upgrade_check.diff_release(before, after, [FACT])
    assert (differences, news, fact_problems) == ([], [], [])
    assert migrated == [("ir.rule", "174", "perm_unlink", True, False)]
    # without the fact, the same change is a difference
    assert upgrade_check.diff_release(before, after)[0] == migrated


def test_migration_that_did_not_run_fails_its_fact(upgrade_check):
    before, after = _release_snapshots()
    _differences, _news, migrated, fact_problems = upgrade_check.diff_release(before, after, [FACT])
    assert migrated == []
    assert fact_problems == [(FACT, "after the upgrade: true, expected false")]
    # a fact that already held before the upgrade proves nothing either
    before["sections"]["ir.rule"]["174"]["perm_unlink"] = False
    after["sections"]["ir.rule"]["174"]["perm_unlink"] = False
    fact_problems = upgrade_check.diff_release(before, after, [FACT])[3]
    assert fact_problems == [(FACT, "before the upgrade: false, expected true")]
    del after["sections"]["ir.model.data"]["ir.rule,followup_rule_personal"]
    fact_problems = upgrade_check.diff_release(before, after, [FACT])[3]
    assert fact_problems[-1] == (FACT, "after the upgrade: no record ir.rule,followup_rule_personal")


def test_fact_on_a_section_key_without_external_id(upgrade_check):
    """A fact may name its row by key (the sale indexes are no records)."""
    before, after = _release_snapshots()
    fact = {
        "section": "sale indexes",
        "key": "sale_order",
        "field": "indexes",
        "before": ["old_idx"],
        "after": ["new_idx"],
    }
    before["sections"]["sale indexes"] = {"sale_order": {"indexes": ["old_idx"]}}
    after["sections"]["sale indexes"] = {"sale_order": {"indexes": ["new_idx"]}}
    differences, _news, migrated, fact_problems = upgrade_check.diff_release(before, after, [fact])
    assert (differences, fact_problems) == ([], [])
    assert migrated == [("sale indexes", "sale_order", "indexes", ["old_idx"], ["new_idx"])]
    # the migration did not run: the old index is still there
    after["sections"]["sale indexes"] = {"sale_order": {"indexes": ["old_idx"]}}
    fact_problems = upgrade_check.diff_release(before, after, [fact])[3]
    assert fact_problems == [(fact, 'after the upgrade: ["old_idx"], expected ["new_idx"]')]


def test_fact_without_before_covers_a_row_the_old_release_lacked(upgrade_check):
    """Upgrading from a release older than the hand-made index: the row appears, as the fact
    says; any other new row of the section stays a difference."""
    before, after = _release_snapshots()
    fact = {"section": "sale indexes", "key": "sale_order", "field": "indexes", "after": ["new_idx"]}
    before["sections"]["sale indexes"] = {}
    after["sections"]["sale indexes"] = {"sale_order": {"indexes": ["new_idx"]}}
    differences, _news, _migrated, fact_problems = upgrade_check.diff_release(before, after, [fact])
    assert (differences, fact_problems) == ([], [])
    after["sections"]["sale indexes"]["sale_order_line"] = {"indexes": ["other_idx"]}
    differences = upgrade_check.diff_release(before, after, [fact])[0]
    assert differences == [("sale indexes", "sale_order_line", "<record>", "<absent>", "present")]


def test_new_models_fields_and_records_with_new_external_ids_are_news(upgrade_check):
    before, after = _release_snapshots()
    after["models"].append("crm.team")
    after["model_fields"]["crm.team"] = ["toolkit_digest_date"]
    after["sections"]["crm.team"] = {"1": {"toolkit_digest_date": None}}
    after["model_fields"]["sales_toolkit.target"].append("progress_date")
    for row in after["sections"]["sales_toolkit.target"].values():
        row["progress_date"] = "2026-11-27"
    after["sections"]["ir.rule"]["263"] = {"name": "Own follow-ups", "perm_unlink": True}
    after["sections"]["ir.model.data"]["ir.rule,followup_rule_delete"] = {"res_id": 263, "noupdate": True}
    after["sections"]["security counts"]["sales_toolkit.target"]["rules"] = 4
    differences, news, _migrated, _facts = upgrade_check.diff_release(before, after)
    assert differences == []
    assert news == [
        "new model crm.team (1 records)",
        "new field sales_toolkit.target.progress_date",
        "new records in ir.model.data (1): ir.rule,followup_rule_delete",
        "new records in ir.rule (1): 263",
    ]


def test_a_new_record_without_a_new_external_id_is_a_difference(upgrade_check):
    before, after = _release_snapshots()
    after["sections"]["sales_toolkit.target"]["3"] = dict(after["sections"]["sales_toolkit.target"]["2"])
    differences, news, _migrated, _facts = upgrade_check.diff_release(before, after)
    assert differences == [("sales_toolkit.target", "3", "<record>", "<absent>", "present")]
    assert news == []


def test_removals_are_differences_unless_allowed(upgrade_check):
    before, after = _release_snapshots()
    del after["sections"]["sales_toolkit.target"]["2"]
    del after["sections"]["ir.model.data"]["sales_toolkit.target,target_2024_q1"]
    after["model_fields"]["sales_toolkit.target"].remove("completion_rate")
    for row in after["sections"]["sales_toolkit.target"].values():
        del row["completion_rate"]
    del after["sections"]["sales_toolkit.performance.report"]
    after["models"].remove("sales_toolkit.performance.report")
    removals = [
        ("ir.model.data", "sales_toolkit.target,target_2024_q1", "<record>", "present", "<absent>"),
        ("sales_toolkit.performance.report", "*", "<record>", "present", "<absent>"),
        ("sales_toolkit.target", "*", "completion_rate", "present", "<absent>"),
        ("sales_toolkit.target", "2", "<record>", "present", "<absent>"),
    ]
    assert upgrade_check.diff_release(before, after)[0] == removals
    allowed = {
        ("ir.model.data", "sales_toolkit.target,target_2024_q1", "<record>"): "renamed",
        ("sales_toolkit.performance.report", "*", "<record>"): "replaced by the cockpit",
        ("sales_toolkit.target", "*", "completion_rate"): "moved to the report",
    }
    assert upgrade_check.diff_release(before, after, allowed=allowed)[0] == removals[3:]
    allowed[("sales_toolkit.target", "2", "<record>")] = "a duplicate merged by the migration"
    assert upgrade_check.diff_release(before, after, allowed=allowed)[0] == []


def test_changed_value_of_a_field_of_both_versions_is_a_difference(upgrade_check):
    before, after = _release_snapshots()
    after["sections"]["sales_toolkit.target"]["2"]["completion_rate"] = 81.0
    after["sections"]["ir.model.data"]["sales_toolkit.target,target_2024_q1"]["noupdate"] = True
    assert upgrade_check.diff_release(before, after)[0] == [
        ("ir.model.data", "sales_toolkit.target,target_2024_q1", "noupdate", False, True),
        ("sales_toolkit.target", "2", "completion_rate", 80.0, 81.0),
    ]


def test_report_rows_are_matched_on_the_fields_of_both_versions(upgrade_check):
    before, after = _release_snapshots()
    after["model_fields"]["sales_toolkit.performance.report"].append("user")
    after["sections"]["sales_toolkit.performance.report"] = {
        '["East China", "Mitchell"] #1': {"team": "East China", "amount": 10.0, "user": "Mitchell"},
    }
    differences, news, _migrated, _facts = upgrade_check.diff_release(before, after)
    assert (differences, news) == ([], ["new field sales_toolkit.performance.report.user"])
    after["sections"]["sales_toolkit.performance.report"]['["East China", "Mitchell"] #1']["amount"] = 11.0
    # a changed measure: the row of the old values is gone, one with the new values appeared
    assert [d[1:] for d in upgrade_check.diff_release(before, after)[0]] == [
        ('[10.0, "East China"] #1', "<record>", "present", "<absent>"),
        ('[11.0, "East China"] #1', "<record>", "<absent>", "present"),
    ]


def test_compare_release_files_summary_and_exit_code(upgrade_check, tmp_path, capsys, monkeypatch):
    before, after = _release_snapshots()
    monkeypatch.setattr(upgrade_check, "MIGRATION_FACTS", {"19.0.1.1.0": [FACT]})
    monkeypatch.setattr(upgrade_check, "RELEASE_ALLOWED_REMOVALS", {})
    before_path, after_path = tmp_path / "before.json", tmp_path / "after.json"
    before_path.write_text(json.dumps(before))
    after["sections"]["ir.rule"]["174"]["perm_unlink"] = False
    after_path.write_text(json.dumps(after))
    assert upgrade_check.compare_release_files(before_path, after_path, "dff7126", ["19.0.1.1.0"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "migrated as expected: ir.rule 174 perm_unlink: true -> false",
        "migration facts verified: 1 of 1",
        "release upgrade check (dff7126 19.0.1.0.0 -> 19.0.1.1.0): 2 models, 3 records, 0 differences",
    ]
    after["sections"]["ir.rule"]["174"]["perm_unlink"] = True
    after_path.write_text(json.dumps(after))
    assert upgrade_check.compare_release_files(before_path, after_path, "dff7126", ["19.0.1.1.0"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("migration fact ir.rule,followup_rule_personal perm_unlink not verified: after")
    assert out[-2:] == [
        "migration facts verified: 0 of 1",
        "release upgrade check (dff7126 19.0.1.0.0 -> 19.0.1.1.0): 2 models, 3 records, 0 differences, "
        "1 other problems",
    ]
    monkeypatch.setattr(upgrade_check, "MIGRATION_FACTS", {})
    after["sections"]["ir.rule"]["174"]["perm_unlink"] = False
    after_path.write_text(json.dumps(after))
    assert upgrade_check.compare_release_files(before_path, after_path, "dff7126", ["19.0.1.1.0"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert "migrations/19.0.1.1.0 has no fact in MIGRATION_FACTS: nothing shows that it ran" in out
    assert out[-1].endswith(": 2 models, 3 records, 1 differences, 1 other problems")


def test_the_module_is_swapped_for_the_old_one_in_the_addons_path(upgrade_check, tmp_path):
    (tmp_path / "repo" / "sales_toolkit").mkdir(parents=True)
    (tmp_path / "repo" / "sales_toolkit" / "__manifest__.py").write_text("{}")
    (tmp_path / "odoo").mkdir()
    path = f"{tmp_path / 'odoo'},{tmp_path / 'repo'},{tmp_path / 'other'}"
    assert upgrade_check.swap_addons_path(path, tmp_path / "old") == (
        f"{tmp_path / 'odoo'},{tmp_path / 'old'},{tmp_path / 'other'}"
    )
    with pytest.raises(SystemExit):
        upgrade_check.swap_addons_path(str(tmp_path / "odoo"), tmp_path / "old")


def test_every_migration_script_has_facts_up_to_the_manifest_version(upgrade_check):
    manifest = ast.literal_eval((REPO / "sales_toolkit" / "__manifest__.py").read_text())
    migrations = REPO / "sales_toolkit" / "migrations"
    scripts = [path.name for path in migrations.iterdir() if path.is_dir()]
    assert upgrade_check.unproven_migrations(scripts, upgrade_check.MIGRATION_FACTS, "0.0", "999.0") == []
    for version in [*scripts, *upgrade_check.MIGRATION_FACTS, *upgrade_check.RELEASE_ALLOWED_REMOVALS]:
        assert upgrade_check.version_key(version) <= upgrade_check.version_key(manifest["version"]), version


def test_upgrade_from_names_an_older_release_of_the_module(upgrade_check):
    """The release named in scripts/upgrade_from is a commit of this repository (a clone with
    its history) whose manifest has a version older than the current one."""
    commit = upgrade_check.read_upgrade_from(upgrade_check.UPGRADE_FROM.read_text())
    assert len(commit) == 40, "the full commit hash"
    shown = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{commit}:sales_toolkit/__manifest__.py"],
        capture_output=True,
        text=True,
        check=False,
    )
    if shown.returncode and _without_history():
        pytest.skip(f"{commit} is not in this copy's history (shallow clone or archive)")
    assert shown.returncode == 0, f"{commit} is not in this clone's history: {shown.stderr}"
    old = ast.literal_eval(shown.stdout)["version"]
    new = ast.literal_eval((REPO / "sales_toolkit" / "__manifest__.py").read_text())["version"]
    assert upgrade_check.version_key(old) < upgrade_check.version_key(new)


def _without_history():
    """A shallow clone, or no git repository at all."""
    shallow = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--is-shallow-repository"],
        capture_output=True,
        text=True,
        check=False,
    )
    return shallow.returncode != 0 or shallow.stdout.strip() == "true"


RENAMES = {
    "models": {"sales_toolkit.analysis.measure": "sales_toolkit.analysis.action"},
    "fields": {
        ("sales_toolkit.task", "measure"): "progress_source",
        ("sales_toolkit.analysis.line", "measure_ids"): "action_ids",
    },
    "xmlids": {"analysis_2025q1_measure_north": "analysis_2025q1_action_north"},
}


def _renamed_release_snapshots():
    """The old release's snapshot with a model and fields the upgrade renames, and the one after."""
    before, _after = _release_snapshots()
    old_data = {
        "ir.model,model_sales_toolkit_analysis_measure": {"res_id": 500, "noupdate": False},
        "ir.model.fields,field_sales_toolkit_analysis_measure__name": {"res_id": 9001, "noupdate": False},
        "ir.model.fields,field_sales_toolkit_task__measure": {"res_id": 9002, "noupdate": False},
        "ir.model.fields,field_sales_toolkit_task__measure_note": {"res_id": 9004, "noupdate": False},
        "ir.model.fields,field_sales_toolkit_analysis_line__measure_ids": {"res_id": 9003, "noupdate": False},
        "ir.model.fields.selection,selection__sales_toolkit_task__measure__leads": {
            "res_id": 70,
            "noupdate": False,
        },
        "sales_toolkit.analysis.measure,analysis_2025q1_measure_north": {"res_id": 1, "noupdate": True},
    }
    before["sections"]["ir.model.data"].update(old_data)
    before["sections"]["sales_toolkit.analysis.measure"] = {"1": {"name": "Add a rep", "line_id": 4}}
    before["sections"]["sales_toolkit.task"] = {
        "3": {"measure": "leads", "measure_note": "x", "name": "Visit"}
    }
    before["sections"]["sales_toolkit.analysis.line"] = {"4": {"measure_ids": [1], "kpi": "revenue"}}
    before["model_fields"].update(
        {
            "sales_toolkit.analysis.measure": ["line_id", "name"],
            "sales_toolkit.task": ["measure", "measure_note", "name"],
            "sales_toolkit.analysis.line": ["kpi", "measure_ids"],
        }
    )
    before["models"] += [
        "sales_toolkit.analysis.line",
        "sales_toolkit.analysis.measure",
        "sales_toolkit.task",
    ]
    after = json.loads(json.dumps(dict(before, version="19.0.1.2.0")))
    sections = after["sections"]
    sections["ir.model.data"] = {
        key: row for key, row in sections["ir.model.data"].items() if key not in old_data
    } | {
        "ir.model,model_sales_toolkit_analysis_action": {"res_id": 500, "noupdate": False},
        "ir.model.fields,field_sales_toolkit_analysis_action__name": {"res_id": 9001, "noupdate": False},
        "ir.model.fields,field_sales_toolkit_task__progress_source": {"res_id": 9002, "noupdate": False},
        "ir.model.fields,field_sales_toolkit_task__measure_note": {"res_id": 9004, "noupdate": False},
        "ir.model.fields,field_sales_toolkit_analysis_line__action_ids": {"res_id": 9003, "noupdate": False},
        "ir.model.fields.selection,selection__sales_toolkit_task__progress_source__leads": {
            "res_id": 70,
            "noupdate": False,
        },
        "sales_toolkit.analysis.action,analysis_2025q1_action_north": {"res_id": 1, "noupdate": True},
    }
    sections["sales_toolkit.analysis.action"] = sections.pop("sales_toolkit.analysis.measure")
    sections["sales_toolkit.task"] = {"3": {"progress_source": "leads", "measure_note": "x", "name": "Visit"}}
    sections["sales_toolkit.analysis.line"] = {"4": {"action_ids": [1], "kpi": "revenue"}}
    after["model_fields"] = dict(
        before["model_fields"],
        **{
            "sales_toolkit.analysis.action": ["line_id", "name"],
            "sales_toolkit.task": ["measure_note", "name", "progress_source"],
            "sales_toolkit.analysis.line": ["action_ids", "kpi"],
        },
    )
    del after["model_fields"]["sales_toolkit.analysis.measure"]
    after["models"] = sorted(
        {*after["models"], "sales_toolkit.analysis.action"} - {"sales_toolkit.analysis.measure"}
    )
    return before, after


def test_renamed_models_fields_and_external_ids_compare_with_their_old_selves(upgrade_check):
    before, after = _renamed_release_snapshots()
    # without the renames: the old model, fields and external ids are gone, new ones appear
    differences, news, _migrated, _facts = upgrade_check.diff_release(before, after)
    assert ("sales_toolkit.analysis.measure", "*", "<record>", "present", "<absent>") in differences
    assert ("sales_toolkit.task", "*", "measure", "present", "<absent>") in differences
    assert "new field sales_toolkit.task.progress_source" in news
    renamed = upgrade_check.rename_snapshot(before, RENAMES)
    assert upgrade_check.diff_release(renamed, after) == ([], [], [], [])
    assert renamed["sections"]["sales_toolkit.task"]["3"] == {
        "progress_source": "leads",
        "measure_note": "x",
        "name": "Visit",
    }
    assert renamed["model_fields"]["sales_toolkit.analysis.line"] == ["action_ids", "kpi"]
    assert "sales_toolkit.analysis.action" in renamed["models"]
    assert before["sections"]["sales_toolkit.task"]["3"]["measure"] == "leads", "the input is left as it was"
    # a value the rename does not explain stays a difference
    after["sections"]["sales_toolkit.task"]["3"]["progress_source"] = "won"
    assert upgrade_check.diff_release(renamed, after)[0] == [
        ("sales_toolkit.task", "3", "progress_source", "leads", "won")
    ]


def test_external_ids_follow_the_renames(upgrade_check):
    rename = upgrade_check.rename_xmlid
    assert rename("ir.model,model_sales_toolkit_analysis_measure", RENAMES) == (
        "ir.model,model_sales_toolkit_analysis_action"
    )
    assert rename("ir.model.fields,field_sales_toolkit_analysis_measure__task_ids", RENAMES) == (
        "ir.model.fields,field_sales_toolkit_analysis_action__task_ids"
    )
    assert rename("ir.model.fields,field_sales_toolkit_task__measure", RENAMES) == (
        "ir.model.fields,field_sales_toolkit_task__progress_source"
    )
    assert rename("ir.model.fields.selection,selection__sales_toolkit_task__measure__won", RENAMES) == (
        "ir.model.fields.selection,selection__sales_toolkit_task__progress_source__won"
    )
    assert rename("sales_toolkit.analysis.measure,analysis_2025q1_measure_north", RENAMES) == (
        "sales_toolkit.analysis.action,analysis_2025q1_action_north"
    )
    # other models' and fields' external ids are left alone
    for key in (
        "ir.model.fields,field_sales_toolkit_task__measured_qty",
        "ir.model.fields,field_sales_toolkit_target__measure",
        "ir.model,model_sales_toolkit_analysis_measure_line",
        "ir.rule,sales_toolkit_task_rule_company",
    ):
        assert rename(key, RENAMES) == key


def test_compare_release_files_applies_the_renames_of_the_versions_between(
    upgrade_check, tmp_path, capsys, monkeypatch
):
    before, after = _renamed_release_snapshots()
    monkeypatch.setattr(upgrade_check, "MIGRATION_FACTS", {})
    monkeypatch.setattr(upgrade_check, "RELEASE_ALLOWED_REMOVALS", {})
    before_path, after_path = tmp_path / "before.json", tmp_path / "after.json"
    before_path.write_text(json.dumps(before))
    after_path.write_text(json.dumps(after))
    monkeypatch.setattr(upgrade_check, "RELEASE_RENAMES", {"19.0.1.2.0": RENAMES})
    assert upgrade_check.compare_release_files(before_path, after_path, "dff7126") == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(": 5 models, 6 records, 0 differences")
    # the renames of a later version are not applied
    monkeypatch.setattr(upgrade_check, "RELEASE_RENAMES", {"19.0.1.3.0": RENAMES})
    assert upgrade_check.compare_release_files(before_path, after_path, "dff7126") == 1
