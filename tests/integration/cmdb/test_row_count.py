"""The whole-table count stays exact while it is cached: every committed write shows at
once, a transaction's own uncommitted rows never leak into another's count (PostgreSQL,
real concurrent sessions; SQLite simply counts)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from cmdb.choices import AgencyKind
from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.models import Agency
from cmdb.services import row_count
from cmdb.services.row_count import count_all
from tests.databases import drop_pg_database, migrated_pg_url


@pytest.fixture(scope="module")
def pg_sessions() -> Iterator[sessionmaker[Session]]:
    url = migrated_pg_url("headroom_count")
    engine = make_engine(url)
    yield make_session_factory(engine)
    engine.dispose()
    drop_pg_database(url)


def add_agencies(session: Session, *names: str) -> None:
    session.add_all(Agency(name=n, kind=AgencyKind.OTHER) for n in names)
    session.flush()


def counted(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return count_all(session, Agency)


@contextmanager
def count_statements(sessions: sessionmaker[Session]) -> Iterator[list[str]]:
    """The ``count(`` statements the sessions' engine runs inside the block."""
    seen: list[str] = []
    engine = sessions.kw["bind"]

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "count(" in statement.lower():
            seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


@pytest.mark.postgres
def test_while_nothing_commits_the_table_is_counted_once(
    pg_sessions: sessionmaker[Session],
) -> None:
    with transaction(pg_sessions) as session:
        add_agencies(session, "Sở D")
    with count_statements(pg_sessions) as seen:
        first = counted(pg_sessions)
        assert [counted(pg_sessions) for _ in range(5)] == [first] * 5
    assert len(seen) == 1
    assert [key for key in row_count._COUNTS if key[1] == "agency"]


@pytest.mark.postgres
def test_every_committed_insert_and_delete_shows_in_the_next_count(
    pg_sessions: sessionmaker[Session],
) -> None:
    start = counted(pg_sessions)
    with transaction(pg_sessions) as session:
        add_agencies(session, "Sở A", "Sở B", "Sở C")
    assert counted(pg_sessions) == start + 3
    with transaction(pg_sessions) as session:
        session.execute(sa.delete(Agency).where(Agency.name == "Sở B"))
    assert counted(pg_sessions) == start + 2
    with transaction(pg_sessions) as session:
        truth = session.scalar(sa.select(sa.func.count()).select_from(Agency))
    assert counted(pg_sessions) == truth == start + 2


@pytest.mark.postgres
def test_uncommitted_rows_count_for_their_own_transaction_only(
    pg_sessions: sessionmaker[Session],
) -> None:
    before = counted(pg_sessions)
    with pg_sessions() as writer:
        add_agencies(writer, "UBND xã thử")  # flushed, not committed
        assert count_all(writer, Agency) == before + 1
        assert counted(pg_sessions) == before  # another transaction does not see it
        writer.rollback()
    assert counted(pg_sessions) == before


@pytest.mark.postgres
def test_a_count_cached_before_a_concurrent_commit_is_not_reused_after_it(
    pg_sessions: sessionmaker[Session],
) -> None:
    """A reader's session stays open across another's commit: its next statement's
    snapshot differs, so it counts again (READ COMMITTED)."""
    with pg_sessions() as reader:
        before = count_all(reader, Agency)
        with transaction(pg_sessions) as session:
            add_agencies(session, "Ban quản lý thử")
        assert count_all(reader, Agency) == before + 1


# SQLite only (the PostgreSQL cache has its own tests above): no PostgreSQL case to skip.
@pytest.mark.parametrize("migrated_engine", ["sqlite"], indirect=True)
def test_sqlite_counts_every_time(session: Session) -> None:
    assert session.get_bind().dialect.name == "sqlite"
    before = count_all(session, Agency)
    add_agencies(session, "Sở thử")
    assert count_all(session, Agency) == before + 1
