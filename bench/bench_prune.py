"""``cmdb prune`` on a year of 5-minute samples (issue 20's bounded-history criterion).

Builds a PostgreSQL database (the production backend; a year of raw samples of 500
interfaces is ~105 million rows, more than the embedded SQLite is meant to hold) with
``--interfaces`` interfaces × two series (in, out) × ``--days`` of 5-minute samples,
generated inside PostgreSQL, and their hourly and daily rollups computed in SQL with
the product's definitions (avg, max, p95 by linear interpolation, count — checked
against ``cmdb.services.rollups`` on sample days before going on). The build is one
``INSERT … SELECT`` over ``generate_series`` per batch of series that also rolls the
same generated rows up, with the tables' keys and indexes created after the load (under
their own names) and a ``VACUUM (ANALYZE)`` after that; the tables stay logged.
Then, in one run:

- ``cmdb prune --json`` in its own process (``CMDB_TODAY`` the day after the last
  sample): its wall time and the rows it reports deleted, against the expected count
  (every raw sample older than the 35-day retention);
- meanwhile a writer inserting a sample every 50 ms, as a poll would: the longest it
  waited (the prune deletes in short batches, so it never holds a long lock);
- the rollups' answers before and after (count and sums of every column of
  ``sample_daily`` and ``sample_hourly``): they must be identical.

Run: ``.venv/bin/python bench/bench_prune.py [--interfaces 500] [--days 365]``
(``--keep`` leaves the database ``headroom_bench_prune`` for a rerun with ``--reuse``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cmdb import schema  # noqa: E402
from cmdb.db import make_engine, make_session_factory  # noqa: E402
from cmdb.models import SampleDaily, SampleHourly  # noqa: E402
from cmdb.services.rollups import rollup_series  # noqa: E402

ADMIN_URL = os.environ.get(
    "CMDB_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1/postgres"
)
DATABASE = "headroom_bench_prune"
TODAY = date(2026, 12, 7)
STEP = timedelta(minutes=5)
RAW_DAYS = 35  # the default retention of raw samples

SERIES = """
INSERT INTO series (object_type, object_id, metric, unit, daily_count)
SELECT 'interface', i, m, 'Mbps', 0
FROM generate_series(1, :n) AS i CROSS JOIN (VALUES ('in_mbps'), ('out_mbps')) AS t(m)
"""
# One statement per batch of series: the samples are generated once (a daily cycle and
# noise, different per series: rollups with real spread), written to ``sample`` and rolled
# up set-wise from the same rows, never read back from the table.
LOAD = """
WITH generated AS MATERIALIZED (
    SELECT s.id AS series_id, g.ts,
           200 + 150 * sin(2 * pi() * extract(epoch FROM g.ts) / 86400 + s.id)
               + random() * 40 AS value
    FROM series s CROSS JOIN generate_series(CAST(:first AS timestamptz),
                                             CAST(:last AS timestamptz),
                                             interval '5 minutes') AS g(ts)
    WHERE s.id BETWEEN :low AND :high
), raw AS (
    INSERT INTO sample (series_id, ts, value) SELECT series_id, ts, value FROM generated
), hourly AS (
    INSERT INTO sample_hourly (series_id, hour, avg, max, p95, count)
    SELECT series_id, date_trunc('hour', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
           avg(value), max(value), percentile_cont(0.95) WITHIN GROUP (ORDER BY value),
           count(*)
    FROM generated GROUP BY 1, 2
)
INSERT INTO sample_daily (series_id, day, avg, max, p95, count)
SELECT series_id, CAST(ts AT TIME ZONE 'UTC' AS date),
       avg(value), max(value), percentile_cont(0.95) WITHIN GROUP (ORDER BY value), count(*)
FROM generated GROUP BY 1, 2
"""
LOADED = ("sample", "sample_hourly", "sample_daily")
# Their keys, foreign keys and other indexes, dropped for the load and recreated after it
# under the same names (a per-row foreign-key check and B-tree insert cost more than the
# rows; one sorted build and one validating join are far cheaper).
CONSTRAINTS = """
SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid::regclass::text IN ('sample', 'sample_hourly', 'sample_daily')
ORDER BY contype = 'f'
"""
INDEXES = """
SELECT indexname, indexdef FROM pg_indexes
WHERE tablename IN ('sample', 'sample_hourly', 'sample_daily') AND indexname NOT IN (
    SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u', 'x'))
"""
BATCH_SERIES = 50  # about 5 million raw samples a statement at 365 days
# Summed as numeric: a float sum's order (PostgreSQL's parallel workers) moves its last digits.
ANSWERS = """
SELECT count(*), sum(CAST(avg AS numeric)), sum(CAST(max AS numeric)),
       sum(CAST(p95 AS numeric)), sum(count) FROM {table}
"""


def _admin(statement: str) -> None:
    engine = make_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(statement))
    engine.dispose()


def database_url() -> str:
    return str(sa.make_url(ADMIN_URL).set(database=DATABASE).render_as_string(hide_password=False))


def build(url: str, interfaces: int, days: int) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{DATABASE}"')
    schema.upgrade(url)
    engine = make_engine(url)
    first = datetime.combine(TODAY - timedelta(days=days), datetime.min.time(), UTC)
    last = datetime.combine(TODAY, datetime.min.time(), UTC) - STEP
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(sa.text(SERIES), {"n": interfaces})
        constraints, indexes = _drop_keys(conn)
    ids = _series_ids(engine)
    for low in range(ids[0], ids[-1] + 1, BATCH_SERIES):  # a transaction each: bounded WAL
        bounds = {"low": low, "high": min(low + BATCH_SERIES - 1, ids[-1])}
        with engine.begin() as conn:
            conn.execute(sa.text("SET LOCAL work_mem = '256MB'"))
            conn.execute(sa.text(LOAD), {**bounds, "first": first, "last": last})
        print(
            f"  series {bounds['low']}–{bounds['high']} of {len(ids)} "
            f"({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
    loaded = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(sa.text("SET LOCAL maintenance_work_mem = '1GB'"))
        for table, name, definition in constraints:
            conn.execute(sa.text(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
        for definition in indexes:
            conn.execute(sa.text(definition))
        conn.execute(
            sa.text("UPDATE series SET daily_count = :d, daily_through = :t"),
            {"d": days, "t": TODAY - timedelta(days=1)},
        )
    keyed = time.perf_counter()
    # As a year-old database would be: vacuumed (hint bits, visibility map) and analysed.
    vacuum = make_engine(url, isolation_level="AUTOCOMMIT")
    with vacuum.connect() as conn:
        conn.execute(sa.text(f"VACUUM (ANALYZE) series, {', '.join(LOADED)}"))
    vacuum.dispose()
    engine.dispose()
    done = time.perf_counter()
    print(
        f"built in {done - started:.0f} s (load {loaded - started:.0f} s, keys "
        f"{keyed - loaded:.0f} s, vacuum and analyse {done - keyed:.0f} s)"
    )


def _drop_keys(conn: sa.Connection) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Drop the loaded tables' constraints and indexes; what recreates them, in order."""
    constraints = [(str(t), str(n), str(d)) for t, n, d in conn.execute(sa.text(CONSTRAINTS))]
    indexes = [(str(n), str(d)) for n, d in conn.execute(sa.text(INDEXES))]
    for name, _ in indexes:
        conn.execute(sa.text(f'DROP INDEX "{name}"'))
    for table, name, _ in reversed(constraints):  # foreign keys first
        conn.execute(sa.text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    return constraints, [d for _, d in indexes]


def _series_ids(engine: sa.Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.scalars(sa.text("SELECT id FROM series ORDER BY id")))


def check_rollups(url: str) -> None:
    """The SQL rollups equal the product's own (``rollup_series``) on a few series-days."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    ids = _series_ids(engine)
    days = [TODAY - timedelta(days=d) for d in (1, 40, 200)]
    with sessions() as session:
        wanted = _rollups(session, ids[:2], days)
        session.execute(sa.delete(SampleDaily).where(SampleDaily.series_id.in_(ids[:2])))
        session.execute(sa.delete(SampleHourly).where(SampleHourly.series_id.in_(ids[:2])))
        rollup_series(session, ids[:2], days)
        session.flush()
        got = _rollups(session, ids[:2], days)
        session.rollback()  # the product's figures were only compared
    engine.dispose()
    if not got or any(
        abs(a - b) > 1e-6
        for w, g in zip(wanted, got, strict=True)
        for a, b in zip(w, g, strict=True)
    ):
        raise SystemExit(
            f"the bench's rollups differ from the product's: {wanted[:2]} vs {got[:2]}"
        )
    print(f"rollups checked against cmdb.services.rollups: {len(got)} rows equal")


def _rollups(session: sa.orm.Session, ids: list[int], days: list[date]) -> list[tuple[float, ...]]:
    daily = session.execute(
        sa.select(SampleDaily.avg, SampleDaily.max, SampleDaily.p95, SampleDaily.count)
        .where(SampleDaily.series_id.in_(ids), SampleDaily.day.in_(days))
        .order_by(SampleDaily.series_id, SampleDaily.day)
    ).all()
    hours = [datetime.combine(d, datetime.min.time(), UTC) + timedelta(hours=7) for d in days]
    hourly = session.execute(
        sa.select(SampleHourly.avg, SampleHourly.max, SampleHourly.p95, SampleHourly.count)
        .where(SampleHourly.series_id.in_(ids), SampleHourly.hour.in_(hours))
        .order_by(SampleHourly.series_id, SampleHourly.hour)
    ).all()
    return [tuple(float(v) for v in row) for row in (*daily, *hourly)]


def answers(url: str) -> dict[str, tuple[object, ...]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = {
            t: tuple(conn.execute(sa.text(ANSWERS.format(table=t))).one())
            for t in ("sample_daily", "sample_hourly")
        }
        found["sample"] = (conn.scalar(sa.text("SELECT count(*) FROM sample")),)
    engine.dispose()
    return found


class Writer(threading.Thread):
    """A poll's writes during the prune: one sample every 50 ms; the longest wait."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.engine = make_engine(url)
        self.stop = threading.Event()
        self.longest = 0.0
        self.writes = 0

    def run(self) -> None:
        with self.engine.begin() as conn:  # a rerun's (--reuse) writer series goes first
            conn.execute(sa.text("DELETE FROM series WHERE object_id = 999999"))
            series = conn.scalar(
                sa.text(
                    "INSERT INTO series (object_type, object_id, metric, unit, daily_count) "
                    "VALUES ('interface', 999999, 'in_mbps', 'Mbps', 0) RETURNING id"
                )
            )
        ts = datetime.combine(TODAY, datetime.min.time(), UTC)
        while not self.stop.is_set():
            started = time.perf_counter()
            with self.engine.begin() as conn:
                conn.execute(
                    sa.text("INSERT INTO sample (series_id, ts, value) VALUES (:s, :t, 1)"),
                    {"s": series, "t": ts},
                )
            self.longest = max(self.longest, time.perf_counter() - started)
            self.writes += 1
            ts += timedelta(seconds=1)
            self.stop.wait(0.05)
        self.engine.dispose()


def run_prune(url: str) -> tuple[float, dict[str, object]]:
    env = {**os.environ, "CMDB_DATABASE_URL": url, "CMDB_TODAY": TODAY.isoformat()}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", "from web.cli import main; main()", "prune", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"cmdb prune failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return seconds, json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interfaces", type=int, default=500)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--reuse", action="store_true", help="the database a --keep run left")
    parser.add_argument("--keep", action="store_true", help="leave the database afterwards")
    args = parser.parse_args()
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    url = database_url()
    if not args.reuse:
        print(
            f"building {args.interfaces} interfaces × 2 series × {args.days} days "
            "of 5-minute samples"
        )
        build(url, args.interfaces, args.days)
    schema.upgrade(url)  # a reused database may predate the latest revisions
    engine = make_engine(url)
    with engine.begin() as conn:  # an earlier run's writer series
        conn.execute(sa.text("DELETE FROM series WHERE object_id = 999999"))
    engine.dispose()
    check_rollups(url)
    before = answers(url)
    series = 2 * args.interfaces
    expected = series * (args.days - RAW_DAYS) * 24 * 12
    print(f"raw samples: {before['sample'][0]:,} (expected to go: {expected:,})")
    writer = Writer(url)
    writer.start()
    seconds, report = run_prune(url)
    writer.stop.set()
    writer.join()
    after = answers(url)
    deleted = report["deleted"]
    assert isinstance(deleted, dict)
    print(f"cmdb prune: {seconds:.1f} s wall, reported {json.dumps(deleted)}")
    print(f"  {deleted['sample'] / seconds:,.0f} raw samples deleted a second")
    print(f"  concurrent writer: {writer.writes} inserts, longest {writer.longest * 1000:.0f} ms")
    same = {t: before[t] == after[t] for t in ("sample_daily", "sample_hourly")}
    print(
        f"  rollups unchanged: {same}  daily {after['sample_daily'][0]:,} rows, "
        f"hourly {after['sample_hourly'][0]:,} rows"
    )
    kept = after["sample"][0]
    print(
        f"  raw samples left: {kept:,} (expected {series * RAW_DAYS * 24 * 12 + writer.writes:,})"
    )
    ok = deleted["sample"] == expected and all(same.values())
    print(
        "RESULT: " + ("rollups unchanged, every expired raw sample deleted" if ok else "MISMATCH")
    )
    if not args.keep:
        _admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
