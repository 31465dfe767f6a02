"""Where the CPU of one API list request goes under load: gunicorn, PostgreSQL, wrk.

Serves the app with gunicorn on the database ``bench_api.py`` builds, loads each of
its lists with ``wrk`` for ``--duration`` seconds, and divides the CPU time each kind
of process used meanwhile (``/proc/<pid>/stat``: gunicorn's master and workers, every
``postgres`` process, wrk as this process's child) by the requests served. On two
cores, 400 requests/s leaves 5 ms of CPU per request for all of them together.

Run: ``.venv/bin/python bench/bench_api_cpu.py [--servers 2x4] [--duration 10]``
(after ``bench_api.py`` has built its database).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
from pathlib import Path

import sqlalchemy as sa
from bench_api import ADMIN_URL, Server, free_port, gunicorn, queries

TICK = os.sysconf("SC_CLK_TCK")
KINDS = ("gunicorn", "postgres")


def cpu_seconds_by_kind() -> dict[str, float]:
    """User + system CPU seconds so far of every gunicorn and postgres process."""
    used = dict.fromkeys(KINDS, 0.0)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:  # ended meanwhile
            continue
        name, after = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :]
        fields = after.split()
        kind = "gunicorn" if "gunicorn" in command else "postgres" if name == "postgres" else None
        if kind is not None:
            used[kind] += (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
    return used


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load(port: int, path: str, seconds: int) -> int:
    """Requests wrk completed in ``seconds`` against ``path``."""
    url = f"http://127.0.0.1:{port}{path}"
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", url], capture_output=True, text=True, check=True
    ).stdout
    found = re.search(r"(\d+) requests in", out)
    assert found is not None, out
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", default="2x4", help="gunicorn workers x threads, ...")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per list")
    args = parser.parse_args()
    url = sa.engine.make_url(ADMIN_URL).set(database="headroom_bench_api")
    url_text = url.render_as_string(hide_password=False)
    for text in args.servers.split(","):
        server, port = Server.parse(text), free_port()
        with gunicorn(url_text, server, port):
            for label, path in queries(url_text).items():
                load(port, path, 3)  # warm: prepared statements, caches
                before, wrk_before = cpu_seconds_by_kind(), children_cpu()
                served = load(port, path, args.duration)
                after, wrk_after = cpu_seconds_by_kind(), children_cpu()
                parts = {k: (after[k] - before[k]) * 1000 / served for k in KINDS}
                parts["wrk"] = (wrk_after - wrk_before) * 1000 / served
                shown = "  ".join(f"{k} {v:.2f}" for k, v in parts.items())
                print(f"{server} {label:<14} {served / args.duration:7.1f} req/s  ms CPU per "
                      f"request: {shown}  all {sum(parts.values()):.2f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
