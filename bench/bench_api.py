"""Time ``GET /api/v1/devices/`` on PostgreSQL with 100,000 devices and 1,000,000 interfaces.

Usage::

    .venv/bin/python bench/bench_api.py              # build once (cached by name), measure
    .venv/bin/python bench/bench_api.py --rebuild    # rebuild the database first
    .venv/bin/python bench/bench_api.py --quick      # 10,000 devices, short runs
    .venv/bin/python bench/bench_api.py --search     # only q=: a short and a longer fragment

The production server (gunicorn) serves the app on 127.0.0.1; this process sends
sequential requests to the lists in turn (median and p95 latency, after a warm-up),
then ``wrk`` — a second process on loopback — loads it (requests per second) for each of the
three lists: plain, filtered by site, searched with ``q=`` — and the plain one again
with a viewer's token, as pynetbox and Ansible call it. Each server setting
(workers × threads) in ``--servers`` is measured; the best is the one to deploy.
Targets (issue 6): p95 under 50 ms, at least 400 requests/s; with ``--search``
(issue 22), ``q=`` p95 at most 10 ms, and a longer fragment (``q=0042``) no slower
than a shorter one (``q=004``). First it prints
the app's own CPU time per request (in-process), the figure that compares
across runs on a shared machine.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from api_dataset import Fleet, build, database_exists, fleet_size

from cmdb import schema
from cmdb.choices import Role
from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.models import User
from cmdb.services.tokens import create_token
from cmdb.services.users import create_user

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get(
    "CMDB_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
TARGET_P95_MS = 50.0
TARGET_RPS = 400.0
TARGET_SEARCH_P95_MS = 10.0


@dataclass(frozen=True)
class Server:
    """A gunicorn setting: processes × threads (gthread worker)."""

    workers: int
    threads: int

    @classmethod
    def parse(cls, text: str) -> Server:
        workers, _, threads = text.partition("x")
        return cls(int(workers), int(threads or 1))

    def __str__(self) -> str:
        return f"{self.workers}x{self.threads}"


@dataclass(frozen=True)
class Result:
    server: Server
    label: str
    median_ms: float
    p95_ms: float
    rps: float
    wrk_p99: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(url: str, server: Server, port: int) -> Iterator[None]:
    """The app under gunicorn on 127.0.0.1:port, stopped (and waited for) on exit."""
    env = {**os.environ, "CMDB_DATABASE_URL": url, "CMDB_ANONYMOUS_READ": "1"}
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(server.workers),
        "--threads", str(server.threads),
        "--worker-class", "gthread" if server.threads > 1 else "sync",
        "--log-level", "warning",
        "web:create_app()",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_until_serving(port, process)
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_serving(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            if get(port, "/api/v1/devices/?limit=1") == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on port {port} within {timeout:.0f} s")


def get(port: int, path: str, headers: dict[str, str] | None = None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def latencies(
    port: int, lists: dict[str, tuple[str, dict[str, str]]], count: int, warmup: int
) -> dict[str, list[float]]:
    """Seconds per request of each list, sequential, each on a new connection (as a script
    would call). The lists take turns, request by request, so that the machine's noise
    falls on all of them alike and their latencies compare within the run (measured one
    list after the other, the longer ``q=`` was slower than the shorter in one run of
    three while its app CPU was lower in all three)."""
    for path, headers in lists.values():
        for _ in range(warmup):
            get(port, path, headers)
    times: dict[str, list[float]] = {label: [] for label in lists}
    for _ in range(count):
        for label, (path, headers) in lists.items():
            started = time.perf_counter()
            status = get(port, path, headers)
            times[label].append(time.perf_counter() - started)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
    return times


def wrk(
    port: int, path: str, seconds: int, connections: int, headers: dict[str, str]
) -> tuple[float, str]:
    """Requests per second and the 99th percentile wrk reports, under concurrent load."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += [f"-H{name}: {value}" for name, value in headers.items()]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout  # fmt: skip
    if "Non-2xx" in out:
        raise SystemExit(f"wrk saw errors on {path}:\n{out}")
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)  # of the latency distribution
    assert rps is not None, out
    return float(rps.group(1)), p99.group(1) if p99 else "?"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def queries(url: str) -> dict[str, str]:
    """The three lists: plain, one mid-sized site, and a search that finds a few devices."""
    engine = make_engine(url)
    with engine.connect() as conn:
        site = conn.scalar(
            sa.text(
                "SELECT site_id FROM device GROUP BY site_id ORDER BY count(*) DESC "
                "OFFSET (SELECT count(DISTINCT site_id) / 2 FROM device) LIMIT 1"
            )
        )
        serial = conn.scalar(sa.text("SELECT serial FROM device ORDER BY id OFFSET 4321 LIMIT 1"))
    engine.dispose()
    return {
        "plain": "/api/v1/devices/?limit=50",
        f"site_id={site}": f"/api/v1/devices/?site_id={site}&limit=50",
        f"q={serial[:5]}": f"/api/v1/devices/?q={serial[:5]}&limit=50",
    }


def search_queries(url: str) -> dict[str, str]:
    """Searches of the device list: a short and a longer fragment of the host names
    (``dev-00042``…), and part of a serial."""
    listed = queries(url)
    return {
        "q=004": "/api/v1/devices/?q=004&limit=50",
        "q=0042": "/api/v1/devices/?q=0042&limit=50",
        **{label: path for label, path in listed.items() if label.startswith("q=")},
    }


def measure(
    url: str, paths: dict[str, str], server: Server, args: argparse.Namespace, token: str
) -> list[Result]:
    port = free_port()
    results = []
    lists: dict[str, tuple[str, dict[str, str]]] = {p: (path, {}) for p, path in paths.items()}
    if "plain" in lists:
        lists["plain, token"] = (lists["plain"][0], {"Authorization": f"Token {token}"})
    with gunicorn(url, server, port):
        sequential = latencies(port, lists, args.requests, args.warmup)
        for label, (path, headers) in lists.items():
            times = sequential[label]
            rps, p99 = wrk(port, path, args.duration, args.connections, headers)
            median, p95 = statistics.median(times) * 1000, percentile(times, 0.95) * 1000
            results.append(Result(server, label, median, p95, rps, p99))
            print(f"  {server}  {label:<18} median {median:6.1f} ms  p95 {p95:6.1f} ms  "
                  f"{rps:7.1f} req/s (wrk p99 {p99})", flush=True)  # fmt: skip
    return results


def app_cpu_ms(url: str, path: str, count: int, token: str | None = None) -> float:
    """CPU milliseconds the app spends per request, in this process (no server, no network).

    On a shared machine latency and throughput follow the other tenants' load;
    the app's own CPU time per request moves much less, so runs compare on it.
    With ``token``, requests authenticate as a script would (``Authorization: Token``).
    """
    from web import create_app

    client = create_app({"CMDB_DATABASE_URL": url, "CMDB_ANONYMOUS_READ": True}).test_client()
    headers = {"Authorization": f"Token {token}"} if token else {}
    for _ in range(10):
        assert client.get(path, headers=headers).status_code == 200
    started = time.process_time()
    for _ in range(count):
        client.get(path, headers=headers)
    return (time.process_time() - started) * 1000 / count


def bench_token(url: str) -> str:
    """A new token of the viewer ``bench``, created on first use."""
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        user = session.scalar(sa.select(User).where(User.username == "bench"))
        user = user or create_user(session, "bench", Role.VIEWER)
        key = create_token(session, user, description="bench_api.py")[1]
    engine.dispose()
    return key


def print_table(results: list[Result], fleet: Fleet, search: bool = False) -> None:
    print(f"\nGET /api/v1/devices/ — {fleet.devices:,} devices, {fleet.interfaces:,} interfaces")
    print(f"{'server':<7} {'list':<18} {'median':>8} {'p95':>8} {'req/s':>8}  wrk p99  target")
    for r in results:
        met = (
            r.p95_ms <= TARGET_SEARCH_P95_MS
            if search
            else r.p95_ms < TARGET_P95_MS and r.rps >= TARGET_RPS
        )
        print(f"{r.server!s:<7} {r.label:<18} {r.median_ms:6.1f}ms {r.p95_ms:6.1f}ms "
              f"{r.rps:8.1f}  {r.wrk_p99:>7}  {'met' if met else 'MISSED'}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="rebuild the database")
    parser.add_argument("--quick", action="store_true", help="10,000 devices, short runs")
    parser.add_argument("--servers", default="2x4,3x2", help="gunicorn workers x threads, ...")
    parser.add_argument("--requests", type=int, default=200, help="sequential timed requests")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--duration", type=int, default=15, help="seconds of wrk per list")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--search", action="store_true", help="only the q= lists (issue 22)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make system-deps)")
    fleet, name = Fleet(), "headroom_bench_api"
    if args.quick:
        fleet, name = Fleet(devices=10_000), "headroom_bench_api_quick"
        args.requests, args.warmup, args.duration = 50, 10, 5
        args.servers = args.servers.split(",")[0]
    url = sa.engine.make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    exists = database_exists(ADMIN_URL, name)
    if args.rebuild or not exists or fleet_size(url) != (fleet.devices, fleet.interfaces):
        url = build(ADMIN_URL, name, fleet)
    else:
        print(f"reusing {name} ({fleet.devices:,} devices; --rebuild to build it again)")
        schema.upgrade(url)  # a revision added since the build (an index) applies here
    lists = search_queries(url) if args.search else queries(url)
    for label, path in lists.items():
        print(f"  app CPU per request  {label:<18} {app_cpu_ms(url, path, args.requests):6.2f} ms")
    token = bench_token(url)
    if not args.search:
        with_token = app_cpu_ms(url, lists["plain"], args.requests, token)
        print(f"  app CPU per request  {'plain, token':<18} {with_token:6.2f} ms")
    servers = [Server.parse(text) for text in args.servers.split(",")]
    results = [r for server in servers for r in measure(url, lists, server, args, token)]
    print_table(results, fleet, args.search)
    if args.search:
        by_label = {r.label: r for r in results if r.server == servers[0]}
        longer, shorter = by_label["q=0042"].p95_ms, by_label["q=004"].p95_ms
        verdict = "met" if longer <= shorter * 1.1 else "MISSED"  # 10 %: the machine's noise
        print(f"longer q=0042 p95 {longer:.1f} ms vs shorter q=004 {shorter:.1f} ms: {verdict}")


if __name__ == "__main__":
    main()
