from datetime import date, datetime
from types import SimpleNamespace


def test_period_start(periods):
    day = date(2024, 5, 17)
    assert periods.period_start(day, "month") == date(2024, 5, 1)
    assert periods.period_start(day, "quarter") == date(2024, 4, 1)
    assert periods.period_start(date(2024, 12, 31), "quarter") == date(2024, 10, 1)
    assert periods.period_start(day, "year") == date(2024, 1, 1)
    assert periods.period_start(day, "custom") == day


def _node(node_id, parent=None, sequence=10):
    return SimpleNamespace(id=node_id, sequence=sequence, parent_id=parent or SimpleNamespace(id=False))


def test_depth_first_rows_follow_sequence(tree):
    root = _node(1)
    east, south = _node(2, root, sequence=20), _node(3, root, sequence=5)
    east_a = _node(4, east)
    rows = tree.depth_first_rows(root, [east_a, east, south])
    assert [(depth, node.id) for depth, node in rows] == [(0, 1), (1, 3), (1, 2), (2, 4)]
    assert tree.depth_first_rows(root, []) == [(0, root)]


def test_date_bounds(date_bounds):
    inside = (date(1900, 1, 1), date(2200, 12, 31), datetime(2200, 12, 31, 23, 59), None, False)
    assert all(date_bounds.in_date_bounds(value) for value in inside)
    outside = (date(1899, 12, 31), date(2201, 1, 1), date(1, 1, 1), datetime(9999, 9, 30, 8, 0))
    assert not any(date_bounds.in_date_bounds(value) for value in outside)
