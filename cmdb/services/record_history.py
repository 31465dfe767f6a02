"""Where a record was seen and how it changed: the "sources" and "history" of its page.

A source that ran successfully after it last saw a record no longer sees it:
the record is "not seen by X since …" (absence is never deletion, DESIGN §5) — or,
when the source's own change log said so, "deleted in X on …".
Both reads are one query each, whatever the number of sources or changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import RunStatus
from cmdb.models import ChangeLog, DiscoveryRun, RecordSource

#: Runs that looked at everything they were asked to: after one of these, a record
#: the source did not report is missing from it. A failed run proves nothing.
COMPLETE_RUNS = (RunStatus.SUCCEEDED,)


@dataclass(frozen=True, slots=True)
class Sighting:
    """One source's view of a record; ``missing`` when a later complete run did not see it."""

    source: str
    external_id: str | None
    first_seen_at: datetime
    last_seen_at: datetime
    missing: bool
    deleted_at: datetime | None = None  # the source says it deleted it then (its change log)


@dataclass(frozen=True, slots=True)
class Change:
    at: datetime
    actor: str
    action: str
    fields: tuple[tuple[str, object, object], ...]  # (field, before, after) of what changed


def load_sightings(session: Session, object_type: str, object_id: int) -> list[Sighting]:
    """Every source that has reported the record, by source name."""
    last_run = (
        sa.select(sa.func.max(DiscoveryRun.started_at))
        .where(DiscoveryRun.source == RecordSource.source, DiscoveryRun.status.in_(COMPLETE_RUNS))
        .scalar_subquery()
    )
    stmt = (
        sa.select(RecordSource, last_run)
        .where(RecordSource.object_type == object_type, RecordSource.object_id == object_id)
        .order_by(RecordSource.source)
    )
    return [
        Sighting(
            source=str(row.source),
            external_id=row.external_id,
            first_seen_at=row.first_seen_at,
            last_seen_at=row.last_seen_at,
            missing=run is not None and _utc(run) > _utc(row.last_seen_at),
            deleted_at=row.deleted_at,
        )
        for row, run in session.execute(stmt)
    ]


def load_changes(
    session: Session, object_type: str, object_id: int, limit: int = 20
) -> list[Change]:
    """The record's latest changes, newest first, each with the fields it changed."""
    stmt = (
        sa.select(ChangeLog)
        .where(ChangeLog.object_type == object_type, ChangeLog.object_id == object_id)
        .order_by(ChangeLog.at.desc(), ChangeLog.id.desc())
        .limit(limit)
    )
    return [
        Change(
            at=entry.at,
            actor=entry.actor,
            action=str(entry.action),
            fields=diff_fields(entry.before or {}, entry.after or {}),
        )
        for entry in session.scalars(stmt)
    ]


def diff_fields(
    before: dict[str, object], after: dict[str, object]
) -> tuple[tuple[str, object, object], ...]:
    """The fields whose value differs, in name order (a creation lists every field)."""
    names: Sequence[str] = sorted(set(before) | set(after))
    return tuple(
        (name, before.get(name), after.get(name))
        for name in names
        if before.get(name) != after.get(name)
    )


def _utc(at: datetime) -> datetime:
    """SQLite gives back naive UTC, PostgreSQL aware: compare them as aware UTC."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)
