"""Checking a password takes as long for a username that does not exist (or has no
password, or is deactivated) as for a real one: the answer's time does not say which
usernames exist (issue 18)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from cmdb.choices import Role
from cmdb.db import make_engine, make_session_factory
from cmdb.services.users import authenticate_password, create_user
from tests.databases import migrated_sqlite_url


@pytest.fixture
def session(tmp_path: Path, production_hash_cost: None):
    engine = make_engine(migrated_sqlite_url(tmp_path / "users.db"))
    with make_session_factory(engine)() as session:
        create_user(session, "real", Role.VIEWER, password="the real one")
        create_user(session, "tokens-only", Role.VIEWER)
        create_user(session, "gone", Role.VIEWER, password="the real one").is_active = False
        session.flush()
        yield session
    engine.dispose()


def median_seconds(session: Session, username: str, password: str) -> float:
    """The median CPU time of this process for one failed check: the work it did, which
    other processes on a loaded machine cannot stretch (its wall time, at load 11, went
    from 385 to 142 ms between two calls doing the same hash)."""
    times = []
    for _ in range(5):
        start = time.process_time()
        assert authenticate_password(session, username, password) is None
        times.append(time.process_time() - start)
    return statistics.median(times)


@pytest.mark.parametrize("username", ["nobody", "tokens-only", "gone"])
def test_a_username_that_cannot_log_in_costs_a_password_hash_too(
    session: Session, username: str
) -> None:
    authenticate_password(session, "warm-up", "x")  # the dummy hash is made once
    real = median_seconds(session, "real", "a wrong one")
    other = median_seconds(
        session, username, "a wrong one" if username != "gone" else "the real one"
    )
    # A lookup alone is ~1 % of a scrypt hash: half of one shows the hash was computed.
    assert other > real * 0.5, f"{username}: {other * 1000:.1f} ms against {real * 1000:.1f} ms"
