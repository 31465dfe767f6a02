"""Time the capacity engine on the demo province (issue 3 targets).

Usage::

    .venv/bin/python bench/bench_capacity.py            # SQLite demo in a temp dir
    .venv/bin/python bench/bench_capacity.py --repeat 50

Prints: the time to forecast every series of the demo DC from scratch (cache
emptied), the time to rebuild the inventory from the cache, and the median and
p95 time to evaluate the all-communes video-conferencing request over 5 years —
the pure evaluation alone (target: under 100 ms median once forecasts are
cached) and the whole use case (validation, lookups, inventory, evaluation).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from capacity import actions, inputs
from capacity.evaluate import evaluate_request
from cmdb import schema
from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.demo import load_demo
from cmdb.models import ForecastCache, ResourceRequest
from cmdb.schemas.request import load_request
from cmdb.services.requests import resolve_request_refs

TODAY = date(2026, 1, 15)


def _ms(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed evaluations")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        schema.upgrade(url)
        sessions = make_session_factory(make_engine(url))
        t0 = time.perf_counter()
        with transaction(sessions) as s:
            load_demo(s, today=TODAY)
        print(f"demo load                         {time.perf_counter() - t0:7.2f} s")
        with transaction(sessions) as s:
            s.execute(sa.delete(ForecastCache))
            t0 = time.perf_counter()
            inventory = inputs.load_inventory(s, today=TODAY)
            series = len(inventory.clusters) * 2 + len(inventory.storage_pools)
            series += len(inventory.links)
            print(
                f"forecast every demo series (cold) {time.perf_counter() - t0:7.2f} s"
                f"  ({series} baselines)"
            )
        with transaction(sessions) as s:
            inputs._MEMO.clear()  # as in a new process: decode the cached fits
            t0 = time.perf_counter()
            inputs.load_inventory(s, today=TODAY)
            print(f"inventory from the database cache {time.perf_counter() - t0:7.3f} s")
            t0 = time.perf_counter()
            inventory = inputs.load_inventory(s, today=TODAY)
            print(f"inventory from the process memo   {time.perf_counter() - t0:7.3f} s")
            spec = s.scalars(
                sa.select(ResourceRequest.spec).where(ResourceRequest.name.like("%họp trực tuyến%"))
            ).one()
            doc = load_request(spec, today=TODAY)
            request = inputs.build_request(doc, resolve_request_refs(s, doc))
            reservations = inputs.load_reservations(s)
            pure, whole = [], []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                evaluation = evaluate_request(request, inventory, reservations)
                pure.append(time.perf_counter() - t0)
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                actions.evaluate_document(s, spec, today=TODAY)
                whole.append(time.perf_counter() - t0)
        sites = len(request.sites[0].site_ids) if request.sites else 0
        print(
            f"all-communes request: {sites} sites, {request.horizon_years} years, "
            f"verdict {evaluation.verdict}, {len(evaluation.links)} link rows"
        )
        print(f"  evaluate_request (pure)         {_ms(pure)}")
        print(f"  evaluate_document (use case)    {_ms(whole)}")


if __name__ == "__main__":
    main()
