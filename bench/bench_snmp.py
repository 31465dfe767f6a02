"""SNMP discovery and polling throughput against a simulated fleet, beside net-snmp's C tools.

A fleet of N devices (default 200): one snmpsim process serves recordings of real
devices (snmpsim-data), each device on its own loopback address (127.0.1.x), the
recording chosen by community. Measured, in the same run on the same agent:

- our discovery (the network phase: system group, ifTable, ifXTable, ENTITY, HOST-
  RESOURCES, IP, LLDP), devices/s and SNMP requests/s;
- net-snmp's ``snmpget`` + ``snmpbulkwalk`` over the same objects (one walk per
  column, same max-repetitions) and the same fleet with the same concurrency, and
  the ratio of the two times (target: ours ≤ 1.5 × theirs);
- reconciling the answers into an empty SQLite inventory;
- CPU seconds of one poll cycle (counters, rates, samples, rollups) per 100 devices.

``--vendor-mix``: the same comparison over twelve vendors' recordings (Ruijie,
Juniper, Cisco, Palo Alto, Fortinet, Huawei, H3C, Aruba, NetApp, an HP Onboard
Administrator, Windows, Linux; cut to what discovery reads, ``vendor_agents``),
``--per-recording`` devices each (default 25), net-snmp reading the same tables with
``-Cc`` (the Ruijie answers out of order: without it snmpbulkwalk stops early) and the
vendors' chassis objects in its snmpget; then the interfaces and LLDP neighbours each
side read, per recording (a table ours gave up on shows as fewer rows). ``--table-timeout``
and ``--deadline`` set our bounds (net-snmp has none), e.g. high enough that ours gives
nothing up either, for a like-for-like time.

Run: ``.venv/bin/python bench/bench_snmp.py [--devices 200] [--concurrency 32]``,
``.venv/bin/python bench/bench_snmp.py --vendor-mix [--per-recording 25]``.
snmpsim is one Python process: it is the slowest part of both measurements, so the
ratio compares the clients under the same agent, not raw client speed.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cmdb import schema  # noqa: E402
from cmdb.choices import SiteKind  # noqa: E402
from cmdb.db import make_engine, make_session_factory, transaction  # noqa: E402
from cmdb.models import AdminUnit, Site  # noqa: E402
from discovery.credentials import SnmpProfile, community_profile  # noqa: E402
from discovery.discover import PlanDefaults, collect, reconcile_outcomes  # noqa: E402
from discovery.poll import poll_targets, run_poll  # noqa: E402
from discovery.records import Target, TargetOutcome  # noqa: E402
from discovery.snmp import oids, vendors  # noqa: E402
from discovery.snmp.collector import Limits  # noqa: E402
from discovery.snmp.defaults import DEFAULT_TABLE_TIMEOUT_S  # noqa: E402
from tests.integration.discovery import agents, vendor_agents  # noqa: E402

RECORDINGS = {
    "arista": "cloud/arista-dcs-7150s-52-cl",
    "n5000": "network/switch/cisco-n5000",
    "procurve": "network/switch/hpe-procurve-516733-b21",
    "pa5000": "network/firewall/paloalto-pa-5000",
    "c3750": "network/switch/cisco-c3750",
    "linux": "os/linux/unknown-006",
    "netapp": "storage/netapp-fas3270",
    "icx6430": "network/switch/brocade-icx6430-24",
}
MAX_REPETITIONS = 25
# The tables whose rows each side read are counted, by one column of each: interfaces,
# LLDP neighbours (net-snmp's by the lines of its walk, ours by the observation's rows).
ROW_COLUMNS = {oids.IF_DESCR: "interfaces", oids.LLDP_REM_SYS_NAME: "LLDP neighbours"}
ROWS_READ: dict[tuple[str, str], int] = {}  # (address, table) → rows net-snmp printed


def fleet(n: int, port: int, names: list[str] | None = None) -> list[tuple[Target, SnmpProfile]]:
    names = names or list(RECORDINGS)
    return [(Target(_host(i), port), community_profile(names[i % len(names)])) for i in range(n)]


def _host(i: int) -> str:
    return f"127.0.{1 + i // 250}.{1 + i % 250}"


def net_snmp_device(target: Target, community: str, vendor_mix: bool = False) -> int:
    """What our discovery reads, with net-snmp's tools: one get, one bulk walk per column
    (for the vendor mix: the chassis objects in the get, and walks that do not stop at
    an OID out of order)."""
    address = f"udp:{target.host}:{target.port}"
    common = ["-v2c", "-c", community, "-On", "-t", "3", "-r", "1"]  # as ours: 3 s, 1 retry
    scalars = [*oids.DISCOVERY_SCALARS, *(vendors.chassis_oids(None) if vendor_mix else ())]
    walk_flags = [f"-Cr{MAX_REPETITIONS}", *(["-Cc"] if vendor_mix else [])]
    commands = [["snmpget", *common, address, *scalars]]
    commands += [
        ["snmpbulkwalk", *common, *walk_flags, address, column]
        for columns in oids.DISCOVERY_TABLES.values()
        for column in columns
    ]
    lines = 0
    for cmd in commands:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
        lines += out.stdout.count("\n")
        if cmd[-1] in ROW_COLUMNS:  # rows, not lines: a Hex-STRING value wraps
            rows = sum(line.startswith(f".{cmd[-1]}.") for line in out.stdout.splitlines())
            ROWS_READ[(target.address, ROW_COLUMNS[cmd[-1]])] = rows
    return lines


def bench_net_snmp(
    pairs: list[tuple[Target, SnmpProfile]], concurrency: int, vendor_mix: bool = False
) -> tuple[float, float, int]:
    """Wall time, CPU seconds of the net-snmp processes, and varbinds they printed."""
    started, children = time.perf_counter(), _children_cpu()

    def one(pair: tuple[Target, SnmpProfile]) -> int:
        return net_snmp_device(pair[0], pair[1].community or "", vendor_mix)

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        varbinds = sum(pool.map(one, pairs))
    return time.perf_counter() - started, _children_cpu() - children, varbinds


def agent_cpu_s(pid: int | None) -> float:
    """CPU seconds the agent process has used (utime + stime from /proc): how busy the
    one snmpsim process was while a client asked it, i.e. the floor under either client."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_ours(
    pairs: list[tuple[Target, SnmpProfile]], limits: Limits
) -> tuple[list[TargetOutcome], float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    outcomes = collect(pairs, limits)
    return outcomes, time.perf_counter() - started, time.process_time() - cpu


def scratch_inventory(workdir: Path) -> str:
    url = f"sqlite:///{workdir / 'bench.db'}"
    schema.upgrade(url)
    add_data_centre(url)
    return url


def add_data_centre(url: str) -> None:
    """A province and its data centre site (slug ``ttdl``) in the migrated inventory."""
    with transaction(make_session_factory(make_engine(url))) as session:
        unit = AdminUnit(code="49", name="Quảng Nam", level="province", kind="Tỉnh")
        session.add(unit)
        session.flush()
        session.add(Site(name="TTDL", slug="ttdl", kind=SiteKind.DATA_CENTRE, admin_unit=unit))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--vendor-mix", action="store_true", help="twelve vendors' recordings")
    parser.add_argument("--per-recording", type=int, default=25)
    parser.add_argument(
        "--table-timeout",
        type=float,
        default=DEFAULT_TABLE_TIMEOUT_S,
        help="ours: seconds a table may take (the product's default)",
    )
    parser.add_argument("--deadline", type=float, default=120, help="ours: seconds a device")
    args = parser.parse_args()
    workdir = agents.shared_dir("bench")
    limits = _limits(args.concurrency, args.deadline, args.table_timeout)
    try:
        if args.vendor_mix:
            _run_vendor_mix(workdir, args.per_recording, limits)
        else:
            _run(workdir, args.devices, limits)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run_vendor_mix(workdir: Path, per_recording: int, limits: Limits) -> None:
    names = list(vendor_agents.VENDOR_RECORDINGS)
    data = vendor_agents.build_vendor_data(workdir / "data")
    n, port = per_recording * len(names), agents.free_udp_port()
    sim = agents.start_snmpsim(data, [_host(i) for i in range(n)], names, port)
    print(
        f"ours: table timeout {limits.table_timeout_s:g} s, device deadline "
        f"{limits.deadline_s:g} s; net-snmp: none (each command may take 600 s)"
    )
    try:
        pairs = fleet(n, port, names)
        collect(pairs[: len(names)], limits)  # warm-up: snmpsim opens each recording lazily
        label = f"vendor mix, {len(names)} recordings x {per_recording} devices"
        outcomes = compare(label, pairs, limits, vendor_mix=True, agent_pid=sim.proc.pid)
    finally:
        agents.stop(sim.proc)
    warned = sum(bool(o.warnings) for o in outcomes)
    vendors_seen = {o.observation.vendor for o in outcomes if o.observation}
    print(f"  {len(vendors_seen)} vendors identified, {warned} devices with warnings")
    for (_, profile), o in zip(pairs, outcomes, strict=True):
        if o.status != "succeeded":
            notes = "; ".join(o.warnings)
            print(f"  not fully answered: {profile.community} at {o.target.address}: {o.error}")
            print(f"    warnings: {notes or 'none'}")
    rows_read(pairs, outcomes)


def rows_read(pairs: list[tuple[Target, SnmpProfile]], outcomes: list[TargetOutcome]) -> None:
    """Per recording, the interfaces and LLDP neighbours each side read (fewest–most over
    its devices): where ours gave a table up, its rows are missing here, not hidden."""
    print("rows read per device, ours / net-snmp (fewest–most over the recording's devices):")
    by_recording: dict[str, list[tuple[Target, TargetOutcome]]] = {}
    for (target, profile), outcome in zip(pairs, outcomes, strict=True):
        by_recording.setdefault(profile.community or "", []).append((target, outcome))
    for name, devices in by_recording.items():
        cells = []
        for table in ROW_COLUMNS.values():
            ours = [_our_rows(o, table) for _, o in devices]
            theirs = [ROWS_READ.get((t.address, table), 0) for t, _ in devices]
            cells.append(f"{table} {_span(ours)} / {_span(theirs)}")
        print(f"  {name:9} " + ", ".join(cells))


def _our_rows(outcome: TargetOutcome, table: str) -> int:
    observation = outcome.observation
    if observation is None:
        return 0
    return len(observation.interfaces if table == "interfaces" else observation.neighbours)


def _span(values: list[int]) -> str:
    return f"{min(values)}" if min(values) == max(values) else f"{min(values)}–{max(values)}"


def _run(workdir: Path, n: int, limits: Limits) -> None:
    data = workdir / "data"
    for name, recording in RECORDINGS.items():
        agents.copy_recording(recording, data / f"{name}.snmprec")
    port = agents.free_udp_port()
    started = time.perf_counter()
    sim = agents.start_snmpsim(data, [_host(i) for i in range(n)], list(RECORDINGS), port)
    print(
        f"snmpsim: {n} endpoints, {len(RECORDINGS)} recordings, up in "
        f"{time.perf_counter() - started:.1f} s"
    )
    try:
        pairs = fleet(n, port)
        collect(pairs[: min(n, 8)], limits)  # warm-up: snmpsim opens each recording lazily
        outcomes = compare(f"snmpsim fleet, {n} devices", pairs, limits, agent_pid=sim.proc.pid)
        _store_and_poll(workdir, pairs, outcomes, limits)
    finally:
        agents.stop(sim.proc)
    snmpd = agents.start_snmpd(workdir)
    try:  # a C agent: here the clients, not the agent, set the pace
        target = (Target(snmpd.host, snmpd.port), community_profile(snmpd.community))
        compare(f"net-snmp snmpd, {n} targets (same agent)", [target] * n, limits)
    finally:
        agents.stop(snmpd.proc)


def _limits(
    concurrency: int, deadline_s: float = 120, table_timeout_s: float = DEFAULT_TABLE_TIMEOUT_S
) -> Limits:
    return Limits(
        concurrency=concurrency,
        deadline_s=deadline_s,
        timeout_s=3.0,
        retries=1,
        max_repetitions=MAX_REPETITIONS,
        table_timeout_s=table_timeout_s,
    )


def compare(
    label: str,
    pairs: list[tuple[Target, SnmpProfile]],
    limits: Limits,
    vendor_mix: bool = False,
    agent_pid: int | None = None,
) -> list:
    """Our discovery's network phase, then net-snmp's tools over the same objects; with
    ``agent_pid``, the agent's own CPU seconds during each (the floor: one snmpsim process
    answers no faster than its CPU allows, whoever asks)."""
    n, concurrency = len(pairs), limits.concurrency
    agent_before = agent_cpu_s(agent_pid)
    outcomes, ours_s, ours_cpu = bench_ours(pairs, limits)
    agent_ours = agent_cpu_s(agent_pid) - agent_before
    theirs_s, theirs_cpu, theirs_varbinds = bench_net_snmp(pairs, concurrency, vendor_mix)
    agent_theirs = agent_cpu_s(agent_pid) - agent_before - agent_ours
    failed = [o for o in outcomes if o.status != "succeeded"]
    requests = sum(o.requests for o in outcomes)
    print(f"discovery, {label}, concurrency {concurrency}, max-repetitions {MAX_REPETITIONS}:")
    print(
        f"  headroom (pysnmp)     {ours_s:7.2f} s {n / ours_s:7.1f} devices/s "
        f"{requests / ours_s:6.0f} requests/s ({requests} requests, {ours_cpu:.2f} CPU s, "
        f"{len(failed)} not fully answered)"
    )
    print(
        f"  net-snmp snmpbulkwalk {theirs_s:7.2f} s {n / theirs_s:7.1f} devices/s "
        f"({theirs_varbinds} varbinds, {theirs_cpu:.2f} CPU s in its processes)"
    )
    print(
        f"  ratio headroom / net-snmp: time {ours_s / theirs_s:.2f}, "
        f"CPU {ours_cpu / theirs_cpu:.2f}"
    )
    if agent_pid is not None:
        print(
            f"  the agent (snmpsim) busy {agent_ours:.2f} CPU s during ours "
            f"(headroom / that floor: {ours_s / max(agent_ours, 1e-9):.2f}), "
            f"{agent_theirs:.2f} CPU s during net-snmp's "
            f"(net-snmp / its floor: {theirs_s / max(agent_theirs, 1e-9):.2f})"
        )
    return outcomes


def _store_and_poll(
    workdir: Path, pairs: list[tuple[Target, SnmpProfile]], outcomes: list, limits: Limits
) -> None:
    sessions = make_session_factory(make_engine(scratch_inventory(workdir)))
    started = time.perf_counter()
    with transaction(sessions) as session:
        report = reconcile_outcomes(session, outcomes, PlanDefaults())
    print(
        f"  reconcile + apply into SQLite: {time.perf_counter() - started:.2f} s "
        f"({report.counts['new']} devices)"
    )
    _poll(sessions, pairs, limits)


def _poll(
    sessions: sessionmaker[Session], pairs: list[tuple[Target, SnmpProfile]], limits: Limits
) -> None:
    profile_of = {(t.host, t.port): p for t, p in pairs}
    cpu: list[float] = []
    for _ in range(3):  # the first sets the counters' baseline, the second creates series
        with transaction(sessions) as session:
            targets = poll_targets(session)
            profiles = {t: profile_of[(t.host, t.port)] for t in targets}
            started = time.process_time()
            report = run_poll(session, targets, profiles, limits)
            cpu.append(time.process_time() - started)
        time.sleep(1)
    per_100 = cpu[-1] / len(pairs) * 100
    print(
        f"poll cycle: {len(pairs)} devices, {report.samples} samples, "
        f"{cpu[-1]:.2f} CPU s = {per_100:.2f} CPU s per 100 devices"
    )


if __name__ == "__main__":
    main()
