"""What the identity check's serial read costs a poll of agents whose sysUpTime is frozen.

A poll reads the chassis serial when the device on record has one and the agent's
sysUpTime did not run on since the last poll (``agent_identity.wants_serial``): the
agent may have been swapped. An agent whose clock never moves (recordings, some
embedded agents) is then asked for its serial on every poll. Measured, on the twelve
vendors' recordings of ``vendor_agents`` (snmpsim: a recording's sysUpTime is frozen),
``--per-recording`` devices each, discovered into a scratch SQLite inventory, then,
in the same run, poll cycles with the identity check's serial walked whenever it is
wanted (as before ``poll_state.serial_oid``), as the product runs it now (the OID where
each agent answered its serial asked in the first GET), and with no serial check at
all — requests and CPU seconds per poll, the devices whose serial was walked, and the
poll's wall time (copies of one recording share a serial: they are one device on
record). Each mode is polled ``--cycles`` times, in turn, after the two polls that set
up counters, series and serial OIDs.

Run: ``.venv/bin/python bench/bench_poll_identity.py [--per-recording 5] [--cycles 3]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_snmp import _host, _limits, fleet, scratch_inventory  # noqa: E402
from cmdb.db import make_engine, make_session_factory, transaction  # noqa: E402
from discovery import poll  # noqa: E402
from discovery.discover import PlanDefaults, collect, reconcile_outcomes  # noqa: E402
from discovery.snmp.collector import Limits  # noqa: E402
from tests.integration.discovery import agents, vendor_agents  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-recording", type=int, default=5)
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    workdir = agents.shared_dir("bench-identity")
    names = list(vendor_agents.VENDOR_RECORDINGS)
    data = vendor_agents.build_vendor_data(workdir / "data")
    n, port = args.per_recording * len(names), agents.free_udp_port()
    sim = agents.start_snmpsim(data, [_host(i) for i in range(n)], names, port)
    try:
        measure(workdir, fleet(n, port, names), _limits(args.concurrency), args.cycles)
    finally:
        agents.stop(sim.proc)
        shutil.rmtree(workdir, ignore_errors=True)


MODES = {
    "serial walked whenever wanted (before)": (True, False),
    "serial OID remembered (now)": (True, True),
    "no serial check": (False, False),
}


def measure(workdir: Path, pairs: list, limits: Limits, cycles: int) -> None:
    sessions = make_session_factory(make_engine(scratch_inventory(workdir)))
    outcomes = collect(pairs, limits)
    with transaction(sessions) as session:
        reconcile_outcomes(session, outcomes, PlanDefaults())
    profile_of = {(t.host, t.port): p for t, p in pairs}
    walks, polled = {"count": 0}, {"devices": 0}
    wants, plan_of = poll._wants_serial, poll.load_poll_plan

    def counting(plan, target, ticks, answered):  # noqa: ANN001, ANN202 — the product's
        wanted = wants(plan, target, ticks, answered)
        walks["count"] += wanted
        return wanted

    def one_poll(check: bool, remember: bool) -> tuple[int, float, float, int]:
        walks["count"] = 0
        with (
            mock.patch.object(poll, "_wants_serial", counting if check else _never),
            mock.patch.object(
                poll, "load_poll_plan", plan_of if remember else lambda s, t: _forget(plan_of(s, t))
            ),
            transaction(sessions) as session,
        ):
            targets = poll.poll_targets(session)
            profiles = {t: profile_of[(t.host, t.port)] for t in targets}
            started, cpu = time.perf_counter(), time.process_time()
            report = poll.run_poll(session, targets, profiles, limits)
            spent = time.process_time() - cpu, time.perf_counter() - started
        polled["devices"] = len(report.outcomes)
        return sum(o.requests for o in report.outcomes), *spent, walks["count"]

    one_poll(True, True), one_poll(True, True)  # counters' baseline, series, serial OIDs
    results: dict[str, list[tuple[int, float, float, int]]] = {m: [] for m in MODES}
    for _ in range(cycles):  # in turn, so the machine's load falls on each alike
        for mode, (check, remember) in MODES.items():
            results[mode].append(one_poll(check, remember))
    devices = polled["devices"]  # one record per serial: a recording's copies are one device
    print(
        f"{len(pairs)} agents ({len(pairs) // 12} per recording), {devices} devices on record "
        f"and polled, {cycles} polls each way (medians)"
    )
    for mode, runs in results.items():
        requests, cpu, wall, walked = (statistics.median(r[i] for r in runs) for i in range(4))
        print(
            f"  {mode}: serial walked on {walked:.0f} devices, {requests:.0f} requests a poll "
            f"({requests / devices:.2f} a device), {cpu:.2f} CPU s "
            f"({cpu / devices * 100:.2f} per 100 devices), {wall:.2f} s wall"
        )


def _never(*_args: object) -> bool:
    return False


def _forget(plan: poll.PollPlan) -> poll.PollPlan:
    return replace(plan, serial_oids={})


if __name__ == "__main__":
    main()
