"""The one writer of a NetBox sync: a plan becomes rows, change log, provenance, observations.

It never commits (the caller owns the one transaction) and never deletes: a row
NetBox no longer has keeps its ``RecordSource.last_seen_at`` ("not seen by NetBox
since …") and is listed in the run's stats.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import ChangeAction, Source
from cmdb.db import Base
from cmdb.models import DiscoveryRun, Observation, RecordSource
from cmdb.services.provenance import log_change, mark_seen
from discovery.netbox.inventory import MODELS
from discovery.netbox.plan import CREATE, FAILED, UPDATE, Action, Pending, SyncPlan
from discovery.netbox.records import KINDS, OBSERVED_AS

ACTOR = "netbox-sync"


def apply_sync(session: Session, plan: SyncPlan, run: DiscoveryRun, at: datetime) -> None:
    """Write every create and update, log them, and mark what NetBox saw.

    Unchanged rows are never loaded: their observations and "last seen" are written
    in bulk by id, so a re-sync of 20,000 unchanged records costs a few statements.
    """
    rows: dict[tuple[str, str], Base] = {}
    for kind in KINDS:
        model = MODELS[kind]
        actions = [a for a in plan.actions[kind] if a.action != FAILED]
        loaded = _load(session, model, [a.row_id for a in actions if a.action == UPDATE])
        written: list[tuple[Action, Base]] = []
        for action in actions:
            if action.action in (CREATE, UPDATE):
                obj = _write(session, model, action, rows, loaded)
                rows[(kind, action.record.external_id)] = obj
                written.append((action, obj))
        session.flush()
        for action, obj in written:
            _log(session, action, obj)
        ids = {id(a): a.row_id for a in actions}
        ids.update({id(a): obj.id for a, obj in written})  # type: ignore[attr-defined]
        _observe(session, run, actions, ids, rows, at)
        _mark_seen(session, model, actions, ids, written, at)
    session.flush()


def _load(session: Session, model: type[Base], ids: list[int | None]) -> dict[int, Base]:
    """The rows an update changes, in a few queries instead of one each."""
    found: dict[int, Base] = {}
    wanted = sorted(i for i in ids if i is not None)
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for obj in session.scalars(sa.select(model).where(model.id.in_(chunk))):  # type: ignore[attr-defined]
            found[obj.id] = obj  # type: ignore[attr-defined]
    return found


_CHUNK = 500  # ids per IN (...): well under SQLite's and PostgreSQL's parameter limits


def _mark_seen(
    session: Session,
    model: type[Base],
    actions: list[Action],
    ids: dict[int, int | None],
    written: list[tuple[Action, Base]],
    at: datetime,
) -> None:
    """Rows matched by their NetBox id have a NetBox source row: one UPDATE per chunk moves
    its "last seen"; the others (created, matched otherwise) go through ``mark_seen``."""
    by_netbox = sorted(i for a in actions if a.matched_by == "netbox id" if (i := ids[id(a)]))
    table = str(model.__tablename__)
    for start in range(0, len(by_netbox), _CHUNK):
        session.execute(
            sa.update(RecordSource)
            .where(
                RecordSource.object_type == table,
                RecordSource.source == Source.NETBOX,
                RecordSource.object_id.in_(by_netbox[start : start + _CHUNK]),
            )
            .values(last_seen_at=at)
            .execution_options(synchronize_session=False)
        )
    others = [(a, obj) for a, obj in written if a.matched_by != "netbox id"]
    external = {id(obj): a.record.external_id for a, obj in others}
    objects = [obj for _, obj in others]
    mark_seen(session, objects, Source.NETBOX, lambda o: external[id(o)], at)  # type: ignore[arg-type]


def _write(
    session: Session,
    model: type[Base],
    action: Action,
    rows: Mapping[tuple[str, str], Base],
    loaded: Mapping[int, Base],
) -> Base:
    values = {k: _resolve(v, rows) for k, v in action.values.items()}
    if action.action == CREATE:
        obj = model(**values)
        session.add(obj)
        if action.kind == "admin_units":
            session.flush()  # a child unit of this same sync needs its parent's id
        return obj
    obj = loaded[action.row_id]  # type: ignore[index]
    for column, value in values.items():
        setattr(obj, column, value)
    return obj


def _resolve(value: Any, rows: Mapping[tuple[str, str], Base]) -> Any:
    if isinstance(value, Pending):
        return rows[(value.kind, value.external_id)].id  # type: ignore[attr-defined]
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


def _observe(
    session: Session,
    run: DiscoveryRun,
    actions: list[Action],
    ids: Mapping[int, int | None],
    rows: Mapping[tuple[str, str], Base],
    at: datetime,
) -> None:
    """What NetBox said of each record, in the canonical shape the audit compares."""
    if not actions or (object_type := OBSERVED_AS.get(actions[0].kind)) is None:
        return
    observations = []
    for action in actions:
        fields = dict(action.record.observed)
        if action.kind == "interfaces":
            fields["device_id"] = _resolve(action.resolved.get("device_id"), rows)  # Headroom's
        observations.append(
            {
                "run_id": run.id,
                "object_type": object_type,
                "object_id": ids[id(action)],
                "external_id": action.record.external_id,
                "data": {"fields": fields},
                "observed_at": at,
            }
        )
    session.execute(sa.insert(Observation), observations)
