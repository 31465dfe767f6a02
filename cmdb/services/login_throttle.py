"""The log-in throttle: too many wrong passwords for a username, or from an address, and
the next try is refused until the oldest of them leaves the window. Nothing here commits.

Counted in the database (``login_failure``) so that every worker process and every
server counts the same tries. A right password clears that username's failures, so a
user who mistyped a few times is not held back later; the address's count keeps the
failures of other usernames (a guesser spraying many accounts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.models import LoginFailure

USERNAME_KEPT = 200  # the column's width: a longer name typed is counted by its start
ADDRESS_KEPT = 64


@dataclass(frozen=True)
class ThrottleLimits:
    per_username: int
    per_address: int
    window: timedelta


def load_retry_at(
    session: Session, username: str, address: str, limits: ThrottleLimits, now: datetime
) -> datetime | None:
    """When this username from this address may try again; None: it may try now."""
    keys = (
        (LoginFailure.username == username[:USERNAME_KEPT], limits.per_username),
        (LoginFailure.address == address[:ADDRESS_KEPT], limits.per_address),
    )
    waits = [_freed_at(session, where, limit, limits.window, now) for where, limit in keys]
    return max((w for w in waits if w is not None), default=None)


def _freed_at(
    session: Session,
    where: sa.ColumnElement[bool],
    limit: int,
    window: timedelta,
    now: datetime,
) -> datetime | None:
    """The time the ``limit``-th latest failure leaves the window, if it is still in it."""
    stmt = (
        sa.select(LoginFailure.at)
        .where(where, LoginFailure.at > now - window)
        .order_by(LoginFailure.at.desc())
        .offset(max(limit - 1, 0))
        .limit(1)
    )
    at = session.scalar(stmt)
    if at is None:
        return None
    return (at if at.tzinfo else at.replace(tzinfo=UTC)) + window  # SQLite hands back naive UTC


def save_failure(
    session: Session, username: str, address: str, limits: ThrottleLimits, now: datetime
) -> None:
    """Count a wrong try, and forget the tries that have left the window (of everyone)."""
    session.execute(sa.delete(LoginFailure).where(LoginFailure.at <= now - limits.window))
    session.add(
        LoginFailure(username=username[:USERNAME_KEPT], address=address[:ADDRESS_KEPT], at=now)
    )
    session.flush()


def clear_failures(session: Session, username: str) -> None:
    """A right password: this username's earlier wrong tries no longer count."""
    session.execute(
        sa.delete(LoginFailure).where(LoginFailure.username == username[:USERNAME_KEPT])
    )
