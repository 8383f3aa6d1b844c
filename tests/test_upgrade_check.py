import json


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
