"""Builders of what the sources leave behind, for the audit's tests.

The audit reads record sources, observations (NetBox's and Ansible's contract
shape, SNMP's nested shape), runs and the change log; these write such rows
directly, so the tests need none of the sources' own code.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from cmdb.choices import ChangeAction, Role, RunKind, RunStatus, Source
from cmdb.models import ChangeLog, DiscoveryRun, Observation, RecordSource
from cmdb.services.users import create_user

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)


def ago(days: float = 0, hours: float = 0) -> datetime:
    return NOW - timedelta(days=days, hours=hours)


def run(
    session: Session,
    source: Source,
    at: datetime,
    status: RunStatus = RunStatus.SUCCEEDED,
    kind: RunKind | None = None,
) -> DiscoveryRun:
    default = {Source.NETBOX: RunKind.SYNC, Source.ANSIBLE: RunKind.FACTS}
    row = DiscoveryRun(
        source=source,
        kind=kind or default.get(source, RunKind.DISCOVERY),
        status=status,
        started_at=at,
        finished_at=at + timedelta(minutes=2),
    )
    session.add(row)
    session.flush()
    return row


def seen(
    session: Session, obj: Any, source: Source, last: datetime, first: datetime | None = None
) -> RecordSource:
    row = RecordSource(
        object_type=obj.__tablename__,
        object_id=obj.id,
        source=source,
        external_id=f"{source.value}-{obj.id}",
        first_seen_at=first or last - timedelta(days=60),
        last_seen_at=last,
    )
    session.add(row)
    session.flush()
    return row


def observe(session: Session, on: DiscoveryRun, obj: Any, **fields: Any) -> Observation:
    """An observation in the contract's shape (NetBox, Ansible)."""
    return _observation(session, on, obj, {"fields": fields})


def observe_snmp(
    session: Session, on: DiscoveryRun, obj: Any, *, name: str, serial: str, model: str
) -> Observation:
    """An observation in SNMP discovery's nested shape (discovery/apply.py ``_observe``)."""
    data = {
        "system": {"name": name, "descr": None, "object_id": None, "location": None},
        "chassis": {"model": model, "serial": serial, "manufacturer": None},
        "host": None,
    }
    return _observation(session, on, obj, data)


def _observation(session: Session, on: DiscoveryRun, obj: Any, data: dict[str, Any]) -> Observation:
    row = Observation(
        run=on,
        object_type=obj.__tablename__,
        object_id=obj.id,
        external_id=str(obj.id),
        data=data,
        observed_at=on.started_at,
    )
    session.add(row)
    session.flush()
    return row


def person_edit(session: Session, obj: Any, username: str, **after: Any) -> ChangeLog:
    """A change a person (a user) made by hand."""
    from cmdb.models import User

    if session.query(User).filter_by(username=username).first() is None:
        create_user(session, username, Role.ENGINEER)
    row = ChangeLog(
        actor=username,
        action=ChangeAction.UPDATE,
        object_type=obj.__tablename__,
        object_id=obj.id,
        object_repr=str(obj.id),
        before={},
        after=after,
        at=NOW - timedelta(days=1),
    )
    session.add(row)
    session.flush()
    return row
