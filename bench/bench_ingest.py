"""Time ``POST /api/v1/samples/`` (issue 6): a full batch of 10,000 points, new and re-sent.

Usage::

    .venv/bin/python bench/bench_ingest.py                       # SQLite in a temp dir
    .venv/bin/python bench/bench_ingest.py --url postgresql+psycopg://postgres@127.0.0.1/bench

The database is migrated and given 10 series (links); each round posts 1,000
five-minute points per series — one batch at the limit — through the real app
(token auth, validation, ingest, rollups), then posts the same batch again
(everything unchanged). Prints seconds per batch and points per second.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cmdb import schema
from cmdb.choices import Metric, ResourceKind, Role
from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.models import Series
from cmdb.services.tokens import create_token
from cmdb.services.users import create_user
from web import create_app

SERIES = 10
POINTS_PER_SERIES = 1_000


def prepare(url: str) -> tuple[list[int], str]:
    schema.upgrade(url)
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        rows = [
            Series(object_type=ResourceKind.LINK, object_id=i, metric=Metric.IN_MBPS, unit="Mbps")
            for i in range(1, SERIES + 1)
        ]
        session.add_all(rows)
        session.flush()
        user = create_user(session, "bench-collector", Role.ENGINEER)
        ids, key = [s.id for s in rows], create_token(session, user)[1]
    engine.dispose()
    return ids, key


def batch(series_ids: list[int], start: datetime) -> list[dict[str, Any]]:
    return [
        {"series": sid, "at": (start + timedelta(minutes=5 * i)).isoformat(), "value": i % 97}
        for sid in series_ids
        for i in range(POINTS_PER_SERIES)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an empty database (default: a temporary SQLite file)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        series_ids, key = prepare(url)
        app = create_app({"CMDB_DATABASE_URL": url, "SECRET_KEY": "bench"})
        client = app.test_client()
        headers = {"Authorization": f"Token {key}"}
        new, again = [], []
        for n in range(args.rounds):
            points = batch(series_ids, datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=4 * n))
            for times, expected in ((new, "created"), (again, "unchanged")):
                began = time.perf_counter()
                response = client.post("/api/v1/samples/", json=points, headers=headers)
                times.append(time.perf_counter() - began)
                assert response.status_code == 200, response.get_data(as_text=True)
                assert response.get_json()[expected] == len(points), response.get_json()
        size = SERIES * POINTS_PER_SERIES
        for label, times in (("new points", new), ("re-sent (unchanged)", again)):
            median = statistics.median(times)
            print(
                f"{label:>20}: {median:.2f} s a batch of {size:,} — {size / median:,.0f} points/s"
            )


if __name__ == "__main__":
    main()
