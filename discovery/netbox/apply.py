"""The one writer of a NetBox sync: a plan becomes rows, change log, provenance, observations.

It never commits (the caller owns the one transaction) and never deletes: a row
NetBox no longer has keeps its ``RecordSource.last_seen_at`` ("not seen by NetBox
since …") and is listed in the run's stats.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from cmdb.choices import ChangeAction, Source
from cmdb.db import Base
from cmdb.models import DiscoveryRun, Observation
from cmdb.services.provenance import log_change, mark_seen
from discovery.netbox.inventory import MODELS
from discovery.netbox.plan import CREATE, FAILED, UPDATE, Action, Pending, SyncPlan
from discovery.netbox.records import KINDS, OBSERVED_AS

ACTOR = "netbox-sync"


def apply_sync(session: Session, plan: SyncPlan, run: DiscoveryRun, at: datetime) -> None:
    """Write every create and update, log them, and mark what NetBox saw."""
    rows: dict[tuple[str, str], Base] = {}
    for kind in KINDS:
        model = MODELS[kind]
        done: list[tuple[Action, Base]] = []
        for action in plan.actions[kind]:
            if action.action == FAILED:
                continue
            obj = _write(session, model, action, rows)
            rows[(kind, action.record.external_id)] = obj
            done.append((action, obj))
        session.flush()
        for action, obj in done:
            _log(session, action, obj)
            _observe(session, run, action, obj, at)
        _mark_seen(session, done, at)
    session.flush()


def _mark_seen(session: Session, done: list[tuple[Action, Base]], at: datetime) -> None:
    external = {id(obj): action.record.external_id for action, obj in done}
    objects = [obj for _, obj in done]
    mark_seen(session, objects, Source.NETBOX, lambda o: external[id(o)], at)  # type: ignore[arg-type]


def _write(
    session: Session, model: type[Base], action: Action, rows: Mapping[tuple[str, str], Base]
) -> Base:
    values = {k: _resolve(v, rows) for k, v in action.values.items()}
    if action.action == CREATE:
        obj = model(**values)
        session.add(obj)
        if action.kind == "admin_units":
            session.flush()  # a child unit of this same sync needs its parent's id
        return obj
    obj = session.get_one(model, action.row_id)
    for column, value in values.items():
        setattr(obj, column, value)
    return obj


def _resolve(value: Any, rows: Mapping[tuple[str, str], Base]) -> Any:
    if isinstance(value, Pending):
        return rows[(value.kind, value.external_id)].id
    return value


def _log(session: Session, action: Action, obj: Base) -> None:
    if action.action not in (CREATE, UPDATE):
        return
    after = {k: getattr(obj, k) for k in action.values}
    log_change(
        session,
        actor=ACTOR,
        action=ChangeAction.CREATE if action.action == CREATE else ChangeAction.UPDATE,
        obj=obj,  # type: ignore[arg-type]
        object_repr=action.record.label,
        before=None if action.action == CREATE else dict(action.before),
        after=after,
    )


def _observe(session: Session, run: DiscoveryRun, action: Action, obj: Base, at: datetime) -> None:
    """What NetBox said of the record, in the canonical shape the audit compares."""
    object_type = OBSERVED_AS.get(action.kind)
    if object_type is None:
        return
    fields = dict(action.record.observed)
    if action.kind == "interfaces":
        fields["device_id"] = obj.device_id  # type: ignore[attr-defined] - Headroom's id
    session.add(
        Observation(
            run=run,
            object_type=object_type,
            object_id=obj.id,  # type: ignore[attr-defined]
            external_id=action.record.external_id,
            data={"fields": fields},
            observed_at=at,
        )
    )
