"""Server time of every UI page on the demo data (issue 7 target: p95 < 300 ms a page).

Usage::

    .venv/bin/python bench/bench_ui.py                 # 20 renders a page, English
    .venv/bin/python bench/bench_ui.py --runs 50 --lang vi
    .venv/bin/python bench/bench_ui.py --database-url sqlite:///var/demo.db   # an existing demo

Loads the demo into a fresh SQLite file (unless given a database), logs in as the
demo engineer (who may also open the edit forms), then renders each page through
Flask's test client: the time is the
server's (routing, queries, templates), without network or browser. The first
render of each page is timed apart — the dashboard's first one fits every
forecast when the cache is empty — and left out of the median and p95.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from datetime import date

import sqlalchemy as sa

from cmdb import schema
from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.demo import load_demo
from cmdb.models import Cluster, Device, InformationSystem, Link, Rack, StoragePool, Workload
from cmdb.services.demo_users import save_demo_users
from web import create_app

TODAY = date(2026, 1, 15)


def prepare(url: str | None) -> str:
    if url:
        return url
    path = os.path.join(tempfile.mkdtemp(prefix="bench-ui-"), "demo.db")
    url = f"sqlite:///{path}"
    schema.upgrade(url)
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        load_demo(session, today=TODAY)
        save_demo_users(session)
    engine.dispose()
    return url


def pages(url: str) -> list[str]:
    """One URL of every page, the detail pages on the demo's first record of each kind."""
    engine = make_engine(url)
    with engine.connect() as conn:

        def first(model: type) -> int:
            return conn.execute(sa.select(sa.func.min(model.id))).scalar_one()

        busiest_site = conn.execute(
            sa.select(Link.b_site_id).group_by(Link.b_site_id)
            .order_by(sa.func.count().desc()).limit(1)
        ).scalar_one()  # fmt: skip
        out = [
            "/", "/admin-units/", "/admin-units/503", "/sites/", f"/sites/{busiest_site}",
            "/devices/", f"/devices/{first(Device)}", "/clusters/", f"/clusters/{first(Cluster)}",
            "/storage-pools/", f"/storage-pools/{first(StoragePool)}", "/links/",
            "/links/?ordering=-commit_rate_mbps&network=tslcd", f"/links/{first(Link)}",
            "/information-systems/", f"/information-systems/{first(InformationSystem)}",
            "/workloads/", f"/workloads/{first(Workload)}", f"/racks/{first(Rack)}", "/login",
            # The edit forms: the link form has the longest selects (sites, interfaces).
            "/sites/new", f"/sites/{busiest_site}/edit", f"/sites/{busiest_site}/delete",
            "/links/new", f"/links/{first(Link)}/edit", f"/devices/{first(Device)}/edit",
            f"/workloads/{first(Workload)}/edit", "/interfaces/new",
        ]  # fmt: skip
    engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--lang", default="en", choices=("en", "vi"))
    parser.add_argument("--database-url")
    parser.add_argument("--only", help="only the pages whose URL contains this text")
    args = parser.parse_args()

    started = time.perf_counter()
    url = prepare(args.database_url)
    print(f"demo ready in {time.perf_counter() - started:.1f} s ({url})")
    app = create_app({"CMDB_DATABASE_URL": url, "CMDB_TODAY": TODAY.isoformat(),
                      "SECRET_KEY": "bench"})  # fmt: skip
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = args.lang
    with app.app_context():
        from cmdb.services.users import get_user
        from web.db import get_session

        engineer = get_user(get_session(), "demo-engineer").id
    with client.session_transaction() as session:
        session["user_id"] = engineer

    print(f"{'page':55} {'first':>8} {'median':>8} {'p95':>8}  (ms, {args.runs} runs, {args.lang})")
    worst = 0.0
    for path in [p for p in pages(url) if args.only is None or args.only in p]:
        times = []
        for _ in range(args.runs + 1):
            t0 = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        first, rest = times[0], sorted(times[1:])
        p95 = rest[min(len(rest) - 1, round(0.95 * (len(rest) - 1)))]
        worst = max(worst, p95)
        print(f"{path:55} {first:8.0f} {statistics.median(rest):8.0f} {p95:8.0f}")
    print(f"slowest p95: {worst:.0f} ms (target < 300 ms)")
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    main()
