"""NetBox sync at scale against a real NetBox 4.7.3 (issue 5's speed criteria).

Starts the test peer with the large picture (``bench/netbox_fixture.py``: 2,000
devices × 10 interfaces by default, plus communes, circuits, cables, clusters and
VMs, seeded once through NetBox's ORM and then restored from a dump), and in one run
times:

- listing the same endpoints with plain pynetbox (``list(nb.dcim.devices.all())``…)
  at the same page size — the yardstick the sync must not be slower than;
- a full sync into a fresh SQLite inventory (reading, then planning and writing);
- a full sync again with nothing changed, and an incremental one (the default, since
  the last successful sync) with nothing changed;
- an incremental sync after one device changed;
- the no-change incremental sync both ways it can learn deletions: from NetBox's
  change log (the default) and from id lists of every large endpoint (``fields=id``,
  the way before; still the fallback), one after the other in the same run;
- an incremental sync after one interface was deleted (marked not seen, not deleted).

Run: ``.venv/bin/python bench/bench_netbox_sync.py [--devices 2000] [--ports 10]``.

``--baseline DIR`` (a checkout of the code before a change: ``git archive main | tar
-x -C DIR``) also times the no-change incremental re-sync ``--repeat`` times with
``DIR``'s code and with this checkout's, alternately, each in its own process on its
own copy of the inventory (``netbox_resync.py``), and prints the ratio of the medians:
before and after in one run, at the same load. ``--profile FILE`` keeps a cProfile of
one re-sync with this checkout's code; ``--resync-only`` skips the plain listing and
the other syncs (the full sync that fills the inventory is still made).

``--stock`` times the stock picture instead (issue 19: ``tests/integration/netbox/
seed_stock.py`` — no custom fields, regions without codes, unnamed devices, patch panels,
single-ended circuits, VMs without size — seeded through the API into a fresh peer, or
into the running one ``--peer-state`` describes): a plain pynetbox listing of the same
endpoints (the floor), a full sync into an inventory holding Đà Nẵng's 2025 units, the
same full sync with nothing changed, and the default (incremental) re-sync with nothing
changed, in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pynetbox
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.netbox_fixture import Scale, scaled_peer  # noqa: E402
from cmdb import schema  # noqa: E402
from cmdb.db import make_engine, make_session_factory  # noqa: E402
from cmdb.models import ChangeLog  # noqa: E402
from cmdb.services.import_admin_units import import_admin_units  # noqa: E402
from cmdb.services.importer import Format, parse_table  # noqa: E402
from discovery.netbox.client import SINCE_OVERLAP, endpoint_paths  # noqa: E402
from discovery.netbox.sync import run_sync  # noqa: E402
from tests.integration.netbox.seed_stock import seed_stock, unseed_stock  # noqa: E402
from tests.peers.netbox_peer import NetboxPeer, start_peer  # noqa: E402


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _plain_listing(url: str, token: str, page_size: int) -> tuple[float, dict[str, int]]:
    """Every endpoint the sync reads, listed whole with plain pynetbox (Record objects)."""
    nb = pynetbox.api(url, token=token)
    counts: dict[str, int] = {}
    started = time.perf_counter()
    for key, (app, name) in endpoint_paths().items():
        counts[key] = len(list(getattr(getattr(nb, app), name).all(limit=page_size)))
    return time.perf_counter() - started, counts


def _first_port(nb: pynetbox.api, device: str) -> str:
    return str(next(iter(nb.dcim.interfaces.filter(device=device, limit=1))).name)


class _Phases:
    """The sync's progress callback: when reading ended and writing began."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.read_s: float | None = None

    def __call__(self, done: int, total: int | None, message: str) -> None:
        if message == "writing the inventory":
            self.read_s = time.perf_counter() - self.started


def _timed_sync(url: str, token: str, db: Path, **kw: Any) -> tuple[str, dict[str, Any]]:
    engine = make_engine(f"sqlite:///{db}")
    sessions = make_session_factory(engine)
    with sessions() as s:
        before = s.scalar(sa.select(sa.func.count()).select_from(ChangeLog)) or 0
    phases = _Phases()
    run = run_sync(sessions, url, token, progress=phases, **kw)
    elapsed = time.perf_counter() - phases.started
    with sessions() as s:
        after = s.scalar(sa.select(sa.func.count()).select_from(ChangeLog)) or 0
    engine.dispose()
    assert run.status == "succeeded", run.error
    kinds = run.stats["kinds"]
    totals = {w: sum(k[w] for k in kinds.values()) for w in ("created", "updated", "unchanged")}
    read = f"{phases.read_s:.1f} s reading" if phases.read_s is not None else "?"
    line = (
        f"{elapsed:.1f} s ({read}, {elapsed - (phases.read_s or 0):.1f} s planning and "
        f"writing); {totals}, change-log rows +{after - before}, "
        f"deletions: {run.stats['deletions']}, not seen {run.stats['not_seen_count']}"
    )
    return line, {"elapsed": elapsed, "kinds": kinds, "not_seen": run.stats["not_seen_count"]}


def _resync(code: Path, db: Path, url: str, token: str, size: int, **kw: Any) -> dict[str, Any]:
    """One no-change incremental re-sync with ``code``'s modules, in a process of its own."""
    command = [sys.executable, str(ROOT / "bench" / "netbox_resync.py"), "--code", str(code)]
    command += ["--db", str(db), "--url", url, "--token", token, "--page-size", str(size)]
    if kw.get("profile") is not None:
        command += ["--profile", str(kw["profile"])]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _before_and_after(
    baseline: Path, db: Path, url: str, token: str, size: int, repeat: int
) -> None:
    """The no-change re-sync with the baseline's code and this checkout's, alternately."""
    copies = {"before": db.with_name("before.db"), "after": db.with_name("after.db")}
    for copy in copies.values():
        shutil.copyfile(db, copy)
    trees = {"before": baseline, "after": ROOT}
    runs: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
    for _ in range(repeat):
        for name, tree in trees.items():
            result = _resync(tree, copies[name], url, token, size)
            runs[name].append(result)
            print(
                f"  {name}: {result['elapsed']:.1f} s ({result['read_s']:.1f} s reading, "
                f"{result['ours_s']:.1f} s ours) {result['totals']}"
            )
    for key, what in (("elapsed", "whole re-sync"), ("ours_s", "planning and writing")):
        before = statistics.median(r[key] for r in runs["before"])
        after = statistics.median(r[key] for r in runs["after"])
        print(f"  {what}: median {before:.2f} s before, {after:.2f} s after: {after / before:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devices", type=int, default=2000)
    parser.add_argument("--ports", type=int, default=10)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--baseline", type=Path, help="a checkout of the code before")
    parser.add_argument("--profile", type=Path, help="keep a cProfile of one re-sync here")
    parser.add_argument("--resync-only", action="store_true")
    parser.add_argument("--stock", action="store_true", help="the stock picture (issue 19)")
    parser.add_argument("--peer-state", type=Path, help="--stock into this kept peer")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds of each timing (--stock, --baseline)"
    )
    args = parser.parse_args()
    print(f"{_uptime()}  (cores: {os.cpu_count()})")
    if args.stock:
        _stock(args)
    else:
        _scale(args)


def _scale(args: argparse.Namespace) -> None:
    peer, how = scaled_peer(Scale(devices=args.devices, ports=args.ports))
    fresh_until = time.time() if how.startswith("seeded") else 0.0  # restored: long ago
    work = Path(tempfile.mkdtemp(prefix="bench-netbox-"))
    try:
        print(f"peer: {how}")
        print("peer start-up: " + ", ".join(f"{k} {v:.1f} s" for k, v in peer.timings.items()))
        url, token, size = peer.url, peer.token, args.page_size

        db = work / "headroom.db"
        schema.upgrade(f"sqlite:///{db}")
        if args.resync_only:
            line, full = _timed_sync(url, token, db, full=True, page_size=size)
            print(f"full sync into an empty inventory: {line}")
            time.sleep(max(0.0, fresh_until + SINCE_OVERLAP.total_seconds() + 2 - time.time()))
            _resyncs(args, db, url, token)
            return
        plain_s, counts = _plain_listing(url, token, size)
        print(f"plain pynetbox listing, page size {size}: {plain_s:.1f} s {counts}")
        line, full = _timed_sync(url, token, db, full=True, page_size=size)
        print(f"full sync into an empty inventory: {line}")
        print(f"  ratio full sync / plain listing: {full['elapsed'] / plain_s:.2f}")
        line, _ = _timed_sync(url, token, db, full=True, page_size=size)
        print(f"full sync again, nothing changed: {line}")

        # An incremental sync looks back SINCE_OVERLAP before the last one: past freshly
        # seeded objects, or all of them count as recent.
        time.sleep(max(0.0, fresh_until + SINCE_OVERLAP.total_seconds() + 2 - time.time()))
        _resyncs(args, db, url, token)
        line, _ = _timed_sync(url, token, db, page_size=size)
        print(f"incremental sync, nothing changed (the default re-sync): {line}")
        line, _ = _timed_sync(url, token, db, page_size=size)
        print(f"incremental sync again, nothing changed: {line}")
        line, by_ids = _timed_sync(url, token, db, page_size=size, use_changelog=False)
        print(f"incremental sync, nothing changed, deletions from id lists: {line}")
        line, by_log = _timed_sync(url, token, db, page_size=size)
        print(f"incremental sync, nothing changed, deletions from the change log: {line}")
        print(f"  ratio id lists / change log: {by_ids['elapsed'] / by_log['elapsed']:.2f}")

        nb = pynetbox.api(url, token=token)
        nb.dcim.devices.get(name="sc-0001").update({"serial": "SC-RMA-0001"})
        line, inc = _timed_sync(url, token, db, page_size=size)
        print(f"incremental sync after one device changed: {line}")
        assert inc["kinds"]["devices"]["updated"] == 1, inc["kinds"]["devices"]
        nb.dcim.devices.get(name="sc-0001").update({"serial": "SC00000001"})
        nb.dcim.interfaces.get(device="sc-0002", name=_first_port(nb, "sc-0002")).delete()
        line, gone = _timed_sync(url, token, db, page_size=size)
        print(f"incremental sync after one interface was deleted: {line}")
        assert gone["not_seen"] == 1, gone
        print(_uptime())
    finally:
        peer.drop()
        shutil.rmtree(peer.root, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


def _resyncs(args: argparse.Namespace, db: Path, url: str, token: str) -> None:
    """Before/after (``--baseline``) and the profile (``--profile``) of the no-change re-sync."""
    if args.baseline is not None:
        print(f"no-change re-sync, {args.baseline} (before) and {ROOT} (after), alternately:")
        _before_and_after(args.baseline, db, url, token, args.page_size, args.repeat)
    if args.profile is not None:
        copy = db.with_name("profiled.db")
        shutil.copyfile(db, copy)
        result = _resync(ROOT, copy, url, token, args.page_size, profile=args.profile)
        print(f"profiled re-sync: {result['elapsed']:.1f} s, kept in {args.profile}")
    print(_uptime())


def _stock(args: argparse.Namespace) -> None:
    """The stock picture: the floor, a full sync, and the two no-change re-syncs, each
    ``--repeat`` times (the machine is shared: the median is printed beside the rounds)."""
    peer, owned = _stock_peer(args.peer_state)
    work = Path(tempfile.mkdtemp(prefix="bench-netbox-stock-"))
    api = pynetbox.api(peer.url, token=peer.token)
    t0 = time.perf_counter()
    stock = seed_stock(api)
    try:
        print(f"seeded the stock picture in {time.perf_counter() - t0:.1f} s "
              f"({len(stock.created)} objects through the API)")  # fmt: skip
        # Past the freshly seeded objects, or the incremental re-sync counts them all as new.
        time.sleep(SINCE_OVERLAP.total_seconds() + 2)
        url, token, size = peer.url, peer.token, args.page_size
        rounds: dict[str, list[float]] = {"plain": [], "full": [], "again": [], "incremental": []}
        for n in range(args.repeat):
            plain_s, counts = _plain_listing(url, token, size)
            rounds["plain"].append(plain_s)
            db = work / f"headroom-{n}.db"
            _stock_inventory(db)
            line, full = _timed_sync(url, token, db, full=True, page_size=size)
            rounds["full"].append(full["elapsed"])
            print(f"round {n + 1}: plain listing {plain_s:.2f} s {json.dumps(counts)}")
            print(f"  full sync into Đà Nẵng's inventory: {line}")
            line, again = _timed_sync(url, token, db, full=True, page_size=size)
            rounds["again"].append(again["elapsed"])
            print(f"  full sync again, nothing changed: {line}")
            line, inc = _timed_sync(url, token, db, page_size=size)
            rounds["incremental"].append(inc["elapsed"])
            print(f"  incremental re-sync, nothing changed (the default): {line}")
        med = {k: sorted(v)[len(v) // 2] for k, v in rounds.items()}
        print(
            f"median of {args.repeat}: plain listing {med['plain']:.2f} s, full sync "
            f"{med['full']:.2f} s ({med['full'] / med['plain']:.2f}× the listing), no-change "
            f"full {med['again']:.2f} s ({med['again'] / med['plain']:.2f}×), no-change "
            f"incremental {med['incremental']:.2f} s ({med['incremental'] / med['plain']:.2f}×)"
        )
        print(_uptime())
    finally:
        if owned:  # a fresh peer's database is dropped whole: no object-by-object unseeding
            peer.drop()
            shutil.rmtree(peer.root, ignore_errors=True)
        else:
            unseed_stock(stock)
        shutil.rmtree(work, ignore_errors=True)


def _stock_peer(state_file: Path | None) -> tuple[NetboxPeer, bool]:
    """A fresh peer (dropped at the end), or the kept one ``state_file`` describes."""
    if state_file is None:
        peer = start_peer("headroom_netbox_bench_stock")
        print("peer start-up: " + ", ".join(f"{k} {v:.1f} s" for k, v in peer.timings.items()))
        return peer, True
    state = json.loads(state_file.read_text())
    print(f"peer: kept, {state['url']} (holds seed.py's objects too)")
    return NetboxPeer(state["url"], state["token"], state["database"], Path(state["root"])), False


def _stock_inventory(db: Path) -> None:
    """An empty inventory holding Đà Nẵng's 2025 admin units, as the stock tests use."""
    schema.upgrade(f"sqlite:///{db}")
    text = (ROOT / "cmdb" / "data" / "da-nang-2025-admin-units.csv").read_text("utf-8")
    engine = make_engine(f"sqlite:///{db}")
    with make_session_factory(engine)() as s, s.begin():
        import_admin_units(s, parse_table(text, Format.CSV), actor="bench")
    engine.dispose()


if __name__ == "__main__":
    main()
