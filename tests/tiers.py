"""Where a run's time went: a line per tier at the end of ``make test``.

Tiers: ``unit`` (no database), ``sqlite`` and ``postgres`` (integration on each
backend), ``peers`` (a slow real peer: NetBox, snmpsim/snmpd, Chromium, an RQ
worker) and ``e2e``. Times are summed over the workers (set-up, call and
tear-down of each test), so they add up to more than the wall time of a
parallel run. ``make test`` hands its own steps' wall times in
``CMDB_TEST_STEP_TIMES`` ("lint 21 s; setup 3 s"), printed first.

A test whose own run (the call) is over ``LONG_S`` must say why with
``@pytest.mark.long(reason=...)``; one that does not is listed, so the suite does not
slow down unnoticed. A set-up over ``LONG_S`` is listed too, as information: it is
mostly a fixture shared by many tests (a demo template, a peer) whose cost falls on
whichever test comes first; a module fixture that is long marks its module.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest

LONG_S = 10.0
TIERS = ("unit", "sqlite", "postgres", "peers", "e2e")


def tier_of(nodeid: str, keywords: dict[str, object]) -> str:
    if nodeid.startswith("tests/unit/"):
        return "unit"
    if nodeid.startswith("tests/e2e/"):
        return "e2e"
    if "slow" in keywords:
        return "peers"
    return "postgres" if "postgres" in keywords else "sqlite"


class TierClock:
    """Collects every test's reports (on the controller, when the run is parallel)."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.tests: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()
        self.setups: Counter[str] = Counter()
        self.explained: set[str] = set()
        self.long_s = float(os.environ.get("CMDB_TEST_LONG_S", LONG_S))  # lowered by its test

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        tier = tier_of(report.nodeid, report.keywords)
        self.seconds[tier] += report.duration
        if report.when == "setup":
            self.tests[tier] += 1
            self.setups[report.nodeid] += report.duration
        elif report.when == "call":
            self.calls[report.nodeid] += report.duration
        if "long" in report.keywords:
            self.explained.add(report.nodeid)

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        write = terminalreporter.write_line
        terminalreporter.section("time by tier")
        steps = os.environ.get("CMDB_TEST_STEP_TIMES")
        if steps:
            write(f"steps: {steps}")
        for tier in TIERS:
            if self.tests[tier]:
                write(f"{tier}: {self.tests[tier]} tests, {self.seconds[tier]:.1f} s")
        unexplained = sorted(
            (seconds, nodeid)
            for nodeid, seconds in self.calls.items()
            if seconds > self.long_s and nodeid not in self.explained
        )
        limit = f"{self.long_s:g} s"
        for seconds, nodeid in reversed(unexplained):
            write(f"over {limit} with no long mark saying why: {nodeid} ({seconds:.1f} s)")
        for nodeid, seconds in self.setups.most_common():
            if seconds <= self.long_s:
                break
            write(f"set-up over {limit} (shared fixtures): {nodeid} ({seconds:.1f} s)")


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(TierClock(), "headroom-tier-clock")
