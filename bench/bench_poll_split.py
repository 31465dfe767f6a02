"""A poll of a simulated fleet by one RQ worker in one job, then split across two workers.

One snmpsim process serves N devices (default 1,000), each on its own loopback
address (127.0.x.y) with its own recording (community = file name): a few small
snmpsim-data recordings, cut to what discovery and polls read, copied once per
device with the device's own sysName and serials — the discovery core's identity
rule would merge devices that share either, so copies of one recording would be
one device. The profiles file names every community; discovery (in this process:
``collect`` and ``reconcile_outcomes``) remembers each device's profile, which the
polls use.

Then, through the API (``POST /api/v1/discovery-runs/`` kind ``poll``), with real
``cmdb worker`` processes (RQ, Redis on 127.0.0.1:6379, a queue of the bench's own):

- a baseline poll (the counters' first values; no rates yet), one worker, not timed;
- (a) one worker, ``chunk_size`` ≥ N: the whole poll in one job;
- (b) two workers, ``chunk_size`` 250: a parent run and N / 250 chunk runs.

Reported for (a) and (b): wall time from the API's 202 to the parent run's end, its
status and stats, and the CPU seconds of the worker processes and their work horses
(``/proc/<pid>/stat`` utime + stime + cutime + cstime, from the POST until the workers
are idle again), also per 100 devices; snmpsim's CPU seconds beside them.

Run: ``.venv/bin/python bench/bench_poll_split.py [--devices 1000] [--chunk-size 250]
[--database postgresql]``. Every wait is bounded (``--timeout`` per poll).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from redis import Redis
from rq import Queue, Worker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_snmp import add_data_centre  # noqa: E402
from cmdb import schema  # noqa: E402
from cmdb.choices import Role  # noqa: E402
from cmdb.db import make_engine, make_session_factory, transaction  # noqa: E402
from cmdb.services.tokens import create_token  # noqa: E402
from cmdb.services.users import create_user  # noqa: E402
from discovery.credentials import SnmpProfile, parse_profile  # noqa: E402
from discovery.discover import PlanDefaults, collect, reconcile_outcomes  # noqa: E402
from discovery.records import Target  # noqa: E402
from discovery.snmp import oids, vendors  # noqa: E402
from discovery.snmp.collector import Limits  # noqa: E402
from tests.databases import drop_pg_database, migrated_pg_url  # noqa: E402
from tests.integration.discovery import agents, vendor_agents  # noqa: E402
from tests.integration.discovery.jobs_support import REDIS_URL, own_queue  # noqa: E402
from web import create_app  # noqa: E402
from web.db import get_db  # noqa: E402

# Small recordings with 64-bit counters (cut: 200–470 lines each): snmpsim indexes
# every device's file on first use, so the fleet's start-up grows with their size.
RECORDINGS = (
    "network/switch/metel-poe-box",
    "network/firewall/venus-vsos-v0600r0705b20180507",
    "os/linux/ibm-x3550-m3",
    "os/linux/unknown-004",
)
# What polls read beyond discovery's objects: counters, packet and status columns, UCD memory.
POLLED = re.compile(r"(1\.3\.6\.1\.2\.1\.(2\.2|31\.1\.1)\.1\.|1\.3\.6\.1\.4\.1\.2021\.4\.)")
SERIAL_OIDS = {oids.ENT_SERIAL} | {
    m.fields["serial"] for m in vendors.chassis_mibs(None) if "serial" in m.fields
}
MAX_REPETITIONS = 25
UNFINISHED = {"queued", "running"}
TICKS = os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--chunk-size", type=int, default=250)
    parser.add_argument("--concurrency", type=int, default=32, help="discovery's")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--split-only", action="store_true", help="leave out (a)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed per poll")
    args = parser.parse_args()
    print(f"start: {_uptime()}")
    workdir = agents.shared_dir("bench-split")
    url = _inventory(workdir, args.database)
    try:
        _run(workdir, url, args)
    finally:
        if args.database == "postgresql":
            drop_pg_database(url)
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"end: {_uptime()}")


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def _inventory(workdir: Path, database: str) -> str:
    """An empty inventory with a data centre site: SQLite in ``workdir`` or a new PG database."""
    if database == "postgresql":
        url = migrated_pg_url("headroom_bench")
    else:
        url = f"sqlite:///{workdir / 'bench.db'}"
        schema.upgrade(url)
    add_data_centre(url)
    return url


def _run(workdir: Path, url: str, args: argparse.Namespace) -> None:
    n = args.devices
    names = build_fleet_data(workdir / "data", n)
    hosts = [_host(i) for i in range(n)]
    started = time.perf_counter()
    sim = agents.start_snmpsim(workdir / "data", hosts, names[:1])
    print(f"snmpsim: {n} endpoints, {n} recordings, up in {time.perf_counter() - started:.1f} s")
    try:
        pairs = [(Target(h, sim.port), _profile(c)) for h, c in zip(hosts, names, strict=True)]
        _discover(url, pairs, args.concurrency)
        profiles = _write_profiles(workdir / "profiles.yaml", names)
        with own_queue() as queue:
            bench = PollBench(url, profiles, queue, workdir, args.timeout, sim.proc.pid)
            bench.poll("baseline (counters' first values), 1 worker, 1 job", 1, n)
            if not args.split_only:
                bench.poll("(a) 1 worker, 1 job", 1, n)
            chunks = -(-n // args.chunk_size)
            label = f"(b) 2 workers, chunk_size {args.chunk_size} ({chunks} chunks)"
            bench.poll(label, 2, args.chunk_size)
            bench.close()
    finally:
        agents.stop(sim.proc)


def _host(i: int) -> str:
    return f"127.0.{1 + i // 250}.{1 + i % 250}"


def _profile(community: str) -> SnmpProfile:
    return parse_profile(community, {"version": "2c", "community": community})


def build_fleet_data(data: Path, n: int) -> list[str]:
    """One recording per device (``d0001.snmprec``…): the cut recordings in turn, each
    copy with its own sysName and serials. Returns the communities, in device order."""
    data.mkdir(parents=True, exist_ok=True)
    keep = vendor_agents.read_pattern().match
    cut: list[list[str]] = []
    for recording in RECORDINGS:
        full = agents.copy_recording(recording, data / "source.full")
        with full.open(encoding="latin-1") as source:
            cut.append([ln for ln in source if keep(ln) or POLLED.match(ln)])
        full.unlink()
    names = [f"d{i + 1:04d}" for i in range(n)]
    for i, name in enumerate(names):
        lines = [_own(line, name) for line in cut[i % len(cut)]]
        (data / f"{name}.snmprec").write_text("".join(lines), encoding="latin-1")
    return names


def _own(line: str, name: str) -> str:
    """The line with the device's own name or serial where it states one."""
    oid, _, rest = line.partition("|")
    if oid == oids.SYS_NAME:
        return f"{oid}|4|bench-{name}\n"
    column = oid.rpartition(".")[0]
    if (oid in SERIAL_OIDS or column == oids.ENT_SERIAL) and rest.partition("|")[2].strip():
        return f"{oid}|4|SN{name}{oid.rpartition('.')[2]}\n"
    return line


def _discover(url: str, pairs: list[tuple[Target, SnmpProfile]], concurrency: int) -> None:
    limits = Limits(
        concurrency=concurrency,
        deadline_s=120,
        timeout_s=3.0,
        retries=1,
        max_repetitions=MAX_REPETITIONS,
    )
    started = time.perf_counter()
    outcomes = collect(pairs, limits)
    collected = time.perf_counter() - started
    failed = sum(o.status != "succeeded" for o in outcomes)
    with transaction(make_session_factory(make_engine(url))) as session:
        report = reconcile_outcomes(session, outcomes, PlanDefaults())
    print(
        f"discovery: {len(pairs)} devices collected in {collected:.1f} s ({failed} not fully "
        f"answered), stored in {time.perf_counter() - started - collected:.1f} s: "
        f"{report.counts['new']} new devices"
    )


def _write_profiles(path: Path, names: list[str]) -> Path:
    lines = ["profiles:"] + [f"  {n}: {{version: 2c, community: {n}}}" for n in names]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class PollBench:
    """The API in this process (Flask's test client) and ``cmdb worker`` processes."""

    def __init__(
        self, url: str, profiles: Path, queue: str, workdir: Path, timeout: float, sim_pid: int
    ) -> None:
        self.queue, self.workdir, self.timeout, self.sim_pid = queue, workdir, timeout, sim_pid
        self.env = {
            **os.environ,
            "CMDB_DATABASE_URL": url,
            "CMDB_REDIS_URL": REDIS_URL,
            "CMDB_JOB_QUEUE": queue,
            "CMDB_SNMP_PROFILES": str(profiles),
        }
        self.app = create_app(
            {
                "CMDB_DATABASE_URL": url,
                "SECRET_KEY": "bench",
                "CMDB_SNMP_PROFILES": str(profiles),
                "CMDB_REDIS_URL": REDIS_URL,
                "CMDB_JOB_QUEUE": queue,
            }
        )
        with self.app.app_context(), transaction(get_db().sessions) as session:
            token = create_token(session, create_user(session, "bench", Role.ENGINEER))[1]
        self.client = self.app.test_client()
        self.client.environ_base["HTTP_AUTHORIZATION"] = f"Token {token}"
        self.devices = 0

    def poll(self, label: str, workers: int, chunk_size: int) -> None:
        names = [f"{self.queue}-{label[:3].strip('( )')}-{w}" for w in range(workers)]
        with serving_workers(self.env, names, self.workdir) as pids:
            wait_until_listening(self.queue, set(names))
            before, sim_before = _cpu(pids), _cpu([self.sim_pid])
            parameters = {"timeout": 3, "retries": 1, "chunk_size": chunk_size}
            started = time.perf_counter()
            answer = self.client.post(
                "/api/v1/discovery-runs/", json={"kind": "poll", "parameters": parameters}
            )
            assert answer.status_code == 202, answer.get_json()
            run = self.follow(answer.get_json()["id"])
            wall = time.perf_counter() - started
            jobs = wait_until_listening(self.queue, set(names))  # the last horse has ended
            cpu, sim_cpu = _cpu(pids) - before, _cpu([self.sim_pid]) - sim_before
        self.report(label, run, wall, cpu, sim_cpu)
        print(f"  jobs each worker ran: {jobs}; targets not succeeded: {self.failures(run)}")

    def follow(self, run_id: int) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            run: dict[str, Any] = self.client.get(f"/api/v1/discovery-runs/{run_id}").get_json()
            if run["status"] not in UNFINISHED:
                return run
            time.sleep(0.5)
        raise SystemExit(f"run {run_id} did not end within {self.timeout:g} s")

    def report(
        self, label: str, run: dict[str, Any], wall: float, cpu: float, sim_cpu: float
    ) -> None:
        stats = run.get("stats") or {}
        devices = run.get("progress_total") or stats.get("attempted") or 1
        shown = {k: stats.get(k) for k in ("samples", "attempted", "failed", "chunks")}
        print(f"poll {label}:")
        print(f"  run {run['id']}: {run['status']}, {shown}")
        print(
            f"  wall {wall:.1f} s (202 → parent ended); workers' CPU {cpu:.1f} s = "
            f"{cpu / devices * 100:.2f} CPU s per 100 devices; snmpsim {sim_cpu:.1f} CPU s"
        )

    def failures(self, run: dict[str, Any]) -> dict[str, int]:
        """The run's (or its chunks') results that did not succeed, by error, commonest first."""
        listed = self.client.get(f"/api/v1/discovery-runs/?parent_id={run['id']}").get_json()
        ids = [r["id"] for r in listed["results"]] or [run["id"]]
        errors = Counter(
            f"{r['status']}: {r['error'] or ''}"[:120]
            for i in ids
            for r in self.client.get(f"/api/v1/discovery-runs/{i}").get_json()["results"]
            if r["status"] != "succeeded"
        )
        return dict(errors.most_common(5))

    def close(self) -> None:
        with self.app.app_context():
            get_db().engine.dispose()


@contextmanager
def serving_workers(env: dict[str, str], names: list[str], workdir: Path) -> Iterator[list[int]]:
    """``cmdb worker`` processes (not burst), each logging to a file of ``workdir``;
    stopped warm (SIGTERM), then killed if they outlive 30 s."""
    procs = []
    command = [sys.executable, "-c", "from web.cli import main; main()", "worker", "--name"]
    for name in names:
        with (workdir / f"{name}.log").open("ab") as log:
            procs.append(
                subprocess.Popen(
                    [*command, name],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
    try:
        yield [p.pid for p in procs]
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def wait_until_listening(queue: str, names: set[str], limit_s: float = 120.0) -> dict[str, int]:
    """Once every named worker is idle: the jobs each has run since it started."""
    connection = Redis.from_url(REDIS_URL)
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        workers = Worker.all(queue=Queue(queue, connection=connection))
        if {w.name for w in workers if w.get_state() == "idle"} >= names:
            return {w.name.rpartition("-")[2]: w.successful_job_count for w in workers}
        time.sleep(0.2)
    raise SystemExit(f"workers {sorted(names)} were not idle within {limit_s:g} s")


def _cpu(pids: list[int]) -> float:
    """CPU seconds of the processes and of their children they have waited for."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / TICKS


if __name__ == "__main__":
    main()
