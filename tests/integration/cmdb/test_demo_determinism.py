"""Same seed and day → the same rows; another seed → another history.

SQLite only: each case needs fresh databases and full loads (~6 s each), and
determinism is a property of the loader, not of the backend (the backend tests in
``test_demo_load`` cover PostgreSQL).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sqlalchemy as sa

from cmdb.db import Base, make_engine, make_session_factory, transaction
from cmdb.demo import load_demo
from tests.databases import migrated_sqlite_url
from tests.demo_databases import DEMO_TODAY

pytestmark = pytest.mark.long(reason="three whole loads of the demo, compared row by row")

# Columns stamped with the wall-clock time of the load: not part of the data.
LOAD_TIME_COLUMNS = {"created_at", "updated_at", "first_seen_at", "last_seen_at"}


def table_digests(url: str) -> dict[str, str]:
    """A SHA-256 per table of every row (ordered by primary key), load-time stamps left out."""
    engine = make_engine(url)
    digests: dict[str, str] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in LOAD_TIME_COLUMNS]
            rows = conn.execute(sa.select(*columns).order_by(*table.primary_key.columns))
            digest = hashlib.sha256()
            for row in rows:
                digest.update(repr(tuple(row)).encode())
            digests[table.name] = digest.hexdigest()
    engine.dispose()
    return digests


def load_into_fresh_sqlite(path: Path, seed: int) -> dict[str, str]:
    url = migrated_sqlite_url(path)
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        load_demo(session, seed=seed, today=DEMO_TODAY)
    engine.dispose()
    return table_digests(url)


@pytest.fixture(scope="module")
def default_seed_digests(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return load_into_fresh_sqlite(tmp_path_factory.mktemp("demo") / "a.db", seed=2026)


def test_same_seed_and_day_give_identical_rows(
    default_seed_digests: dict[str, str], tmp_path: Path
) -> None:
    again = load_into_fresh_sqlite(tmp_path / "b.db", seed=2026)
    differing = [t for t in again if again[t] != default_seed_digests[t]]
    assert differing == []


def test_another_seed_gives_another_history_on_the_same_province(
    default_seed_digests: dict[str, str], tmp_path: Path
) -> None:
    other = load_into_fresh_sqlite(tmp_path / "c.db", seed=7)
    assert other["sample_daily"] != default_seed_digests["sample_daily"]
    assert other["device"] != default_seed_digests["device"]  # serial numbers
    assert other["admin_unit"] == default_seed_digests["admin_unit"]
    assert other["site"] == default_seed_digests["site"]
