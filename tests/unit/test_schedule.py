"""The parallel run's order of groups (``tests.schedule``): longest first, by the record."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.schedule import GroupClock, group_of_nodeid, order_key, read_record


def test_a_node_id_names_its_group_by_its_suffix_or_its_module() -> None:
    assert group_of_nodeid("tests/a/test_x.py::test_y[1]@netbox") == "netbox"
    assert group_of_nodeid("tests/a/test_x.py::test_y[a@b]") == "tests/a/test_x.py"
    assert group_of_nodeid("tests/a/test_x.py::test_y[a@b]@tests/a/test_x.py") == (
        "tests/a/test_x.py"
    )


def test_recorded_groups_go_longest_first_and_unmeasured_ones_before_them() -> None:
    record = {"short": 1.0, "long": 30.0, "middle": 5.0}
    keys = order_key(["short", "new", "middle", "long"], record)
    assert sorted(keys, key=keys.__getitem__) == ["new", "long", "middle", "short"]


def test_without_a_record_the_peers_go_first_then_the_most_tests() -> None:
    groups = ["few", "many", "many", "many", "browser", "netbox", "some", "some"]
    keys = order_key(groups, {})
    assert sorted(set(groups), key=keys.__getitem__) == ["netbox", "browser", "many", "some", "few"]


def report(nodeid: str, seconds: float, group: str | None = None) -> pytest.TestReport:
    properties = [("xdist_group", group)] if group else []
    return SimpleNamespace(  # type: ignore[return-value]
        nodeid=nodeid, duration=seconds, user_properties=properties
    )


def test_the_clock_sums_each_group_and_keeps_groups_it_did_not_see(tmp_path: Path) -> None:
    path = tmp_path / "group-seconds.json"
    path.write_text(json.dumps({"old": 7.0, "netbox": 99.0}))
    clock = GroupClock(path)
    for phase_seconds in (0.5, 2.0, 0.25):
        clock.pytest_runtest_logreport(report("tests/x.py::t@netbox", phase_seconds))
    clock.pytest_runtest_logreport(report("tests/y.py::t", 1.0))
    clock.pytest_sessionfinish(None, 0)  # type: ignore[arg-type]
    assert read_record(path) == {"old": 7.0, "netbox": 2.75, "tests/y.py": 1.0}


def test_an_interrupted_run_leaves_the_record_alone(tmp_path: Path) -> None:
    path = tmp_path / "group-seconds.json"
    clock = GroupClock(path)
    clock.pytest_runtest_logreport(report("tests/x.py::t", 1.0))
    clock.pytest_sessionfinish(None, pytest.ExitCode.INTERRUPTED)  # type: ignore[arg-type]
    assert not path.exists()


def test_an_unreadable_record_is_no_record(tmp_path: Path) -> None:
    path = tmp_path / "group-seconds.json"
    path.write_text("{not json")
    assert read_record(path) == {}
    path.write_text("[1, 2]")
    assert read_record(path) == {}


def test_a_group_named_by_the_report_wins_over_its_id(tmp_path: Path) -> None:
    """Schemathesis's items are groups of their own, ids ending in ``]``: named by report."""
    path = tmp_path / "group-seconds.json"
    clock = GroupClock(path)
    op = "tests/a/test_s.py::test_postgres[GET /x]"
    clock.pytest_runtest_logreport(report(f"{op}@{op}", 2.0, group=op))
    clock.pytest_sessionfinish(None, 0)  # type: ignore[arg-type]
    assert read_record(path) == {op: 2.0}
