"""One incremental NetBox sync of an existing inventory, timed, in a process of its own.

``bench_netbox_sync.py --baseline DIR`` runs this once with the code of ``DIR`` (a
checkout of the code before a change, e.g. ``git archive main | tar -x -C DIR``) and
once with this checkout's, alternately, against the same NetBox, so that before and
after are measured in one run at the same load. ``--profile FILE`` keeps a cProfile
of the sync (``python -m pstats FILE``).

Prints one JSON line: total seconds, seconds reading NetBox (until the sync's
"writing the inventory" step), and what the sync counted.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--code", type=Path, required=True, help="the checkout to import")
    parser.add_argument("--db", type=Path, required=True, help="the SQLite inventory")
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))  # before the installed checkout

    from cmdb.db import make_engine, make_session_factory
    from discovery.netbox.sync import run_sync

    code = Path(sys.modules["discovery.netbox.sync"].__file__ or "").resolve()
    assert code.is_relative_to(args.code.resolve()), code  # the code asked for, not another
    engine = make_engine(f"sqlite:///{args.db}")
    sessions = make_session_factory(engine)
    read_s: list[float] = []
    started = time.perf_counter()

    def progress(done: int, total: int | None, message: str) -> None:
        if message == "writing the inventory":
            read_s.append(time.perf_counter() - started)

    profile = cProfile.Profile() if args.profile else None
    if profile is not None:
        profile.enable()
    run = run_sync(sessions, args.url, args.token, page_size=args.page_size, progress=progress)
    elapsed = time.perf_counter() - started
    if profile is not None:
        profile.disable()
        profile.dump_stats(args.profile)
    engine.dispose()
    assert run.status == "succeeded", run.error
    kinds = run.stats["kinds"]
    totals = {w: sum(k[w] for k in kinds.values()) for w in ("created", "updated", "unchanged")}
    reading = read_s[0] if read_s else elapsed
    print(
        json.dumps(
            {
                "elapsed": elapsed,
                "read_s": reading,
                "ours_s": elapsed - reading,
                "totals": totals,
                "mode": run.stats.get("mode"),
            }
        )
    )


if __name__ == "__main__":
    main()
