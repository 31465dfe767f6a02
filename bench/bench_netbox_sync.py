"""NetBox sync against a real NetBox 4.7.3: peer start-up, full, no-change and incremental syncs.

Starts the test peer (``tests/peers/netbox_peer.py``: cached venv, shared migrated
dump, gunicorn on loopback) and prints its start-up phases; seeds the Quảng Nam
picture plus ``--devices`` extra switches with ``--ports`` interfaces each (bulk
creates), then times, into fresh SQLite inventories:

- a full sync at each ``--page-sizes`` (network and database phases together);
- a second full sync with nothing changed (idempotent: no change-log row);
- an incremental sync after one device changed (``last_updated__gte``).

Run: ``.venv/bin/python bench/bench_netbox_sync.py [--devices 100] [--ports 24]``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pynetbox
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cmdb import schema  # noqa: E402
from cmdb.db import make_engine, make_session_factory  # noqa: E402
from cmdb.models import ChangeLog  # noqa: E402
from discovery.netbox.client import SINCE_OVERLAP  # noqa: E402
from discovery.netbox.sync import run_sync  # noqa: E402
from tests.integration.netbox.seed import seed  # noqa: E402
from tests.peers.netbox_peer import start_peer  # noqa: E402


def _scale(api: pynetbox.api, site: int, devices: int, ports: int) -> None:
    maker = api.dcim.manufacturers.create(name="Juniper", slug="juniper")
    dtype = api.dcim.device_types.create(manufacturer=maker.id, model="EX4400", slug="ex4400")
    role = api.dcim.device_roles.create(name="Access switch", slug="access-switch")
    batch = [
        {
            "name": f"acc-{n:04d}",
            "device_type": dtype.id,
            "role": role.id,
            "site": site,
            "status": "active",
            "serial": f"JN{n:08d}",
        }
        for n in range(devices)
    ]
    created = api.dcim.devices.create(batch)
    for start in range(0, len(created), 20):
        interfaces = [
            {"device": d.id, "name": f"ge-0/0/{p}", "type": "1000base-t", "speed": 1_000_000}
            for d in created[start : start + 20]
            for p in range(ports)
        ]
        api.dcim.interfaces.create(interfaces)


def _timed_sync(url: str, token: str, db: Path, **kw: object) -> tuple[float, dict, int]:
    engine = make_engine(f"sqlite:///{db}")
    sessions = make_session_factory(engine)
    started = time.perf_counter()
    run = run_sync(sessions, url, token, **kw)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    with sessions() as s:
        log_rows = s.scalar(sa.select(sa.func.count()).select_from(ChangeLog)) or 0
    engine.dispose()
    assert run.status in ("succeeded", "partial"), run.error
    return elapsed, run.stats["kinds"], log_rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--ports", type=int, default=24)
    parser.add_argument("--page-sizes", default="50,200,1000")
    args = parser.parse_args()
    peer = start_peer("headroom_netbox_bench")
    work = Path(tempfile.mkdtemp(prefix="bench-netbox-"))
    try:
        print("peer start-up: " + ", ".join(f"{k} {v:.1f} s" for k, v in peer.timings.items()))
        api = pynetbox.api(peer.url, token=peer.token)
        t0 = time.perf_counter()
        seeded = seed(api)
        _scale(api, seeded.ids["site_dc"], args.devices, args.ports)
        total_ifs = 4 + args.devices * args.ports
        print(
            f"seeded {4 + args.devices} devices, {total_ifs} interfaces "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        template = work / "template.db"
        schema.upgrade(f"sqlite:///{template}")
        for size in (int(s) for s in args.page_sizes.split(",")):
            db = work / f"page-{size}.db"
            shutil.copyfile(template, db)
            elapsed, kinds, _ = _timed_sync(peer.url, peer.token, db, full=True, page_size=size)
            print(
                f"full sync, page size {size}: {elapsed:.1f} s "
                f"({kinds['interfaces']['created']} interfaces created)"
            )
        db = work / "page-200.db" if (work / "page-200.db").exists() else db
        _, _, before = _timed_sync(peer.url, peer.token, db, full=True)
        elapsed, kinds, after = _timed_sync(peer.url, peer.token, db, full=True)
        unchanged = sum(k["unchanged"] for k in kinds.values())
        print(
            f"full sync, nothing changed: {elapsed:.1f} s, {unchanged} unchanged, "
            f"change-log rows added: {after - before}"
        )
        time.sleep(SINCE_OVERLAP.total_seconds() + 5)  # past the look-back, or all is "recent"
        api.dcim.devices.get(name="acc-0000").update({"serial": "JN-RMA-0000"})
        elapsed, kinds, _ = _timed_sync(peer.url, peer.token, db)
        fetched = sum(sum(c.values()) for c in kinds.values())
        print(
            f"incremental sync after one change: {elapsed:.1f} s "
            f"({fetched} records planned, {kinds['devices']['updated']} device updated)"
        )
    finally:
        peer.drop()
        shutil.rmtree(peer.root, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
