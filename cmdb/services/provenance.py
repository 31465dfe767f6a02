"""Where records came from and who changed them: record sources and the change log.

Every write path (API, UI, CLI, imports, discovery) goes through these two helpers
so that "which source last saw this unit?" and "who changed it, from what?" have
one answer each. Neither commits.

Who is acting is attached to the session (``attribute_changes``) by whoever owns
it — an HTTP request, a CLI command, a job — so the services in between need not
pass a user id and a correlation id through every call.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import ChangeAction, Source
from cmdb.db import utcnow
from cmdb.models import ChangeLog, RecordSource


class Sourced(Protocol):
    """A record with an id and a table (every ``SourcedMixin`` model)."""

    id: int
    __tablename__: str


CONTEXT_KEY = "change_context"


@dataclass(frozen=True)
class ChangeContext:
    """Who acts in a session: a user (with their id) or a source/job, and one id per action.

    ``correlation_id`` groups the entries one HTTP request, one command or one run
    wrote, so "what else did this change touch?" is one filter.
    """

    actor: str
    user_id: int | None = None
    correlation_id: str | None = None


def attribute_changes(session: Session, context: ChangeContext) -> None:
    """Every ``log_change`` in ``session`` from now on is by ``context``."""
    session.info[CONTEXT_KEY] = context


def change_context(session: Session) -> ChangeContext | None:
    return session.info.get(CONTEXT_KEY)


def jsonable(value: Any) -> Any:
    """A value as the change log stores it (enums by value, dates as ISO text)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def log_change(
    session: Session,
    *,
    actor: str,
    action: ChangeAction,
    obj: Sourced,
    object_repr: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> None:
    """Append one change-log entry; the object must have been flushed (it needs its id).

    The user id and correlation id come from the session's ``ChangeContext``, when
    its owner attached one.
    """
    context = change_context(session)
    session.add(
        ChangeLog(
            user_id=context.user_id if context is not None else None,
            correlation_id=context.correlation_id if context is not None else None,
            actor=actor,
            action=action,
            object_type=obj.__tablename__,
            object_id=obj.id,
            object_repr=object_repr[:200],
            before={k: jsonable(v) for k, v in before.items()} if before is not None else None,
            after={k: jsonable(v) for k, v in after.items()} if after is not None else None,
        )
    )


def mark_seen(
    session: Session,
    objects: Sequence[Sourced],
    source: Source,
    external_id: Callable[[Any], str | None],
    at: datetime | None = None,
) -> None:
    """Record that ``source`` saw each object now: one ``RecordSource`` row per object.

    Existing rows are updated (last seen, external id); missing ones are created. One
    query finds them whatever the number of objects.
    """
    if not objects:
        return
    at = at or utcnow()
    table = objects[0].__tablename__
    existing = {
        rs.object_id: rs
        for rs in session.scalars(
            sa.select(RecordSource).where(
                RecordSource.object_type == table, RecordSource.source == source
            )
        )
    }
    for obj in objects:
        record = existing.get(obj.id)
        if record is None:
            session.add(
                RecordSource(
                    object_type=table,
                    object_id=obj.id,
                    source=source,
                    external_id=external_id(obj),
                    first_seen_at=at,
                    last_seen_at=at,
                )
            )
        else:
            record.external_id = external_id(obj)
            record.last_seen_at = at
            record.deleted_at = None  # seen again: the source has it after all
