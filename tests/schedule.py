"""The order in which parallel workers take the test groups: the longest first.

``--dist loadgroup`` hands out whole groups (a module, or a slow peer's tests) in the
order of the collection, and a worker that finishes early waits for the other at the
end. Handing out the longest groups first (the classic longest-processing-time rule)
keeps that wait to the length of a short group. xdist's own reordering sorts by the
number of tests, which puts a few-test module that loads the demo and evaluates
requests for seconds behind hundreds of millisecond contract checks; the suite runs
with ``--no-loadscope-reorder`` and this plugin orders instead.

What a group costs is what it cost the last time it ran: the controller sums each
group's set-up, call and tear-down seconds and keeps them in ``var/test-cache/``
(beside the cached demo databases; never committed). A group not measured yet goes
first (it may be long). With no record at all (a clean clone), the slow peers go first
(NetBox, the SNMP agents, the browser: the longest groups), then the groups with the
most tests, as xdist's own order would. Two clean-clone runs of 2026-12-07 compared the
two fallbacks: peers first 972 s, xdist's order 1,115 s (one run each, same tests).
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("CMDB_TEST_CACHE", ROOT / "var" / "test-cache"))
RECORD = CACHE / "group-seconds.json"
GROUP_PROPERTY = "xdist_group"  # each report names its group (user_properties)
# Without a record: the peers' groups are the longest of the suite.
FIRST_GROUPS = ("netbox", "snmp-agents", "browser")


def group_of_nodeid(nodeid: str) -> str:
    """The group a report belongs to: the ``@group`` suffix xdist schedules by."""
    if nodeid.rfind("@") > nodeid.rfind("]"):  # xdist's own rule (a parameter may hold @)
        return nodeid.rsplit("@", 1)[1]
    return nodeid.split("::", 1)[0]


def read_record(path: Path = RECORD) -> dict[str, float]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): float(v) for k, v in data.items() if isinstance(v, int | float)}


def order_key(groups: list[str], record: dict[str, float]) -> dict[str, tuple[float, ...]]:
    """Each group's sort key: longest first by the record, unmeasured ones before all."""
    if record:
        return {g: (-record.get(g, math.inf),) for g in groups}
    counts = Counter(groups)
    rank = {g: i for i, g in enumerate(FIRST_GROUPS)}
    return {g: (rank.get(g, len(rank)), -counts[g]) for g in groups}


class GroupClock:
    """Sums the seconds of each group on the controller and keeps them for next time."""

    def __init__(self, path: Path = RECORD) -> None:
        self.path = path
        self.seconds: Counter[str] = Counter()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        group = dict(report.user_properties).get(GROUP_PROPERTY)
        self.seconds[str(group) if group else group_of_nodeid(report.nodeid)] += report.duration

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if not self.seconds or exitstatus == pytest.ExitCode.INTERRUPTED:
            return
        record = read_record(self.path)
        record.update({g: round(s, 3) for g, s in self.seconds.items()})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(record, indent=0, sort_keys=True))
        temporary.replace(self.path)  # the other checkout's run never reads half a file


def group_name(item: pytest.Item) -> str:
    mark = item.get_closest_marker("xdist_group")  # set by tests/conftest.py
    return str(mark.args[0]) if mark else item.nodeid.split("::", 1)[0]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Groups in the order they should go out; ``--no-loadscope-reorder`` keeps it."""
    keys = order_key([group_name(item) for item in items], read_record())
    items.sort(key=lambda item: keys[group_name(item)])  # stable: a group's own order kept
    for item in items:  # the controller learns each report's group by name, not by id
        item.user_properties.append((GROUP_PROPERTY, group_name(item)))


def pytest_configure(config: pytest.Config) -> None:
    parallel = config.getoption("numprocesses", default=None)
    if parallel and not hasattr(config, "workerinput"):  # the controller of a parallel run
        config.pluginmanager.register(GroupClock(), "group-clock")
