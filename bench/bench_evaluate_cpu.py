"""CPU per evaluation of the demo requests, this tree against a baseline revision.

Usage::

    .venv/bin/python bench/bench_evaluate_cpu.py --baseline main --reps 5

The baseline's ``capacity/`` and ``cmdb/`` are taken with ``git archive`` into a
temporary directory (never into the worktree). Each side runs in a process of its
own on one copy of the demo database (forecasts cached), alternately, so both see
the same load; each evaluates every stored demo request ``--reps`` times (the
whole use case: inventory read, evaluation, ``to_dict``) and reports the CPU time
(``time.process_time``) per evaluation and of ``to_dict`` alone. The documents of
the two sides are compared byte for byte (JSON, keys in their order): any difference
is printed and the exit status is 1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # tests.demo_databases


def child(code_root: str, url: str, reps: int, dump: str) -> None:
    """Run in a subprocess whose ``sys.path`` starts at ``code_root``."""
    import time

    import capacity
    from capacity.actions import _evaluate_request_row
    from cmdb.db import make_engine, make_session_factory, transaction
    from cmdb.models import ResourceRequest
    from tests.demo_databases import DEMO_TODAY

    assert str(Path(capacity.__file__).resolve()).startswith(code_root), capacity.__file__
    sessions = make_session_factory(make_engine(url))
    figures: dict[str, dict[str, float]] = {}
    documents: dict[str, object] = {}
    with transaction(sessions) as session:
        requests = session.query(ResourceRequest).order_by(ResourceRequest.id).all()
        for req in requests:
            _evaluate_request_row(session, req, DEMO_TODAY).to_dict()  # warm caches
        for req in requests:
            total = to_dict = 0.0
            for _ in range(reps):
                t0 = time.process_time()
                evaluation = _evaluate_request_row(session, req, DEMO_TODAY)
                t1 = time.process_time()
                document = evaluation.to_dict()
                t2 = time.process_time()
                total += t2 - t0
                to_dict += t2 - t1
            figures[req.name] = {"total": total / reps, "to_dict": to_dict / reps}
            documents[req.name] = document
        session.rollback()
    Path(dump).write_text(json.dumps({"figures": figures, "documents": documents}))


def run_side(code_root: Path, url: str, reps: int, dump: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": f"{code_root}{os.pathsep}{ROOT}"}
    command = [sys.executable, __file__, "--child", str(code_root), url]
    subprocess.run(
        [*command, "--reps", str(reps), "--dump", str(dump)],
        check=True,
        env=env,
        cwd=code_root,
    )
    result: dict[str, object] = json.loads(dump.read_text())
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="main", help="git revision to compare with")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2, help="old/new alternations")
    parser.add_argument("--child", nargs=2, metavar=("CODE_ROOT", "URL"))
    parser.add_argument("--dump")
    args = parser.parse_args()
    if args.child:
        child(str(Path(args.child[0]).resolve()), args.child[1], args.reps, args.dump)
        return 0
    from tests.demo_databases import demo_sqlite_url

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        old = tmp / "old"
        old.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.baseline, "capacity", "cmdb"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        url = demo_sqlite_url(tmp / "demo.db", forecasts=True)
        sides = {"old": old, "new": ROOT}
        runs: dict[str, list[dict[str, object]]] = {"old": [], "new": []}
        for round_ in range(args.rounds):
            for name, root in sides.items():
                runs[name].append(run_side(root, url, args.reps, tmp / f"{name}{round_}.json"))
    same = True
    docs = {name: runs[name][0]["documents"] for name in sides}
    assert isinstance(docs["old"], dict) and isinstance(docs["new"], dict)
    for request in docs["old"]:
        a = json.dumps(docs["old"][request])
        b = json.dumps(docs["new"].get(request))
        if a != b:
            same = False
            print(f"DIFFERENT: {request}")
    print(f"documents identical: {same} ({len(docs['old'])} requests)")
    print(f"{'request':<40} {'old ms':>8} {'new ms':>8} {'ratio':>6}  to_dict old/new ms")

    def mean(name: str, request: str, key: str) -> float:
        values = [run["figures"][request][key] for run in runs[name]]  # type: ignore[index]
        return 1000 * sum(values) / len(values)

    for request in docs["old"]:
        o, n = mean("old", request, "total"), mean("new", request, "total")
        to, tn = mean("old", request, "to_dict"), mean("new", request, "to_dict")
        print(f"{request[:40]:<40} {o:8.1f} {n:8.1f} {n / o:6.2f}  {to:6.1f} / {tn:6.1f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
