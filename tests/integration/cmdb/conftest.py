"""Fixtures for the demo and importer tests: one demo load per backend and module."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from cmdb.demo import DemoSummary, load_demo

DEMO_TODAY = date(2026, 1, 15)


@pytest.fixture(scope="module")
def demo(migrated_engine: Engine) -> Iterator[tuple[Session, DemoSummary]]:
    """The demo loaded once per module and backend, inside a transaction rolled back after.

    Loading costs seconds, so the read-only checks of a module share one load; the
    shared migrated database is left empty for every other test.
    """
    with migrated_engine.connect() as conn:
        outer = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint")
        try:
            summary = load_demo(session, today=DEMO_TODAY)
            session.flush()
            yield session, summary
        finally:
            session.close()
            outer.rollback()
