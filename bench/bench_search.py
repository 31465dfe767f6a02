"""Time the global search (``/search/?q=``) on PostgreSQL: 100,000 devices, 1,000,000 interfaces.

Usage::

    .venv/bin/python bench/bench_search.py            # bench_api's database (built if missing)
    .venv/bin/python bench/bench_search.py --quick    # its 10,000-device variant

Reuses the database of ``bench/bench_api.py`` (the demo's units, agencies and sites, then
the fleet), and times ``cmdb.services.search.search_all`` in-process for a few words:
a province name typed without its marks, a host name, a short and a longer fragment, a
serial, an interface name and a word found nowhere. Target (issue 22): p95 ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import sqlalchemy as sa
from api_dataset import Fleet, build, database_exists, fleet_size
from sqlalchemy.orm import Session

from cmdb import schema
from cmdb.db import make_engine
from cmdb.services.search import search_all

ADMIN_URL = os.environ.get(
    "CMDB_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
WORDS = ("quang nam", "dev-0042", "004", "0042", "sn4242", "eth7", "khong-co-gi")


def measure(url: str, runs: int) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        for word in WORDS:
            search_all(session, word)  # warm-up: plans and caches
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                found = search_all(session, word)
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            p95 = times[max(0, round(0.95 * len(times)) - 1)]
            groups = ", ".join(f"{g.kind.key} {len(g.records)}" for g in found) or "nothing"
            median = statistics.median(times)
            print(f"  q={word!r:<14} median {median:6.1f} ms  p95 {p95:6.1f} ms  ({groups})")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 devices")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    fleet, name = Fleet(), "headroom_bench_api"
    if args.quick:
        fleet, name = Fleet(devices=10_000), "headroom_bench_api_quick"
    url = sa.engine.make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    if not database_exists(ADMIN_URL, name) or fleet_size(url) != (
        fleet.devices,
        fleet.interfaces,
    ):
        url = build(ADMIN_URL, name, fleet)
    else:
        schema.upgrade(url)
    print(f"global search, {fleet.devices:,} devices, {fleet.interfaces:,} interfaces")
    measure(url, args.runs)


if __name__ == "__main__":
    main()
