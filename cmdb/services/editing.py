"""Create, change and delete inventory records as a person does: checked, then logged.

One use case per verb, shared by the API, the UI and the CLI. Each takes values
already validated for type and range (the caller's schema did that), checks what
only the database knows — references exist, names are free, nothing still points
at a deleted record — writes, and records the change with the fields it changed.
None commits; on any error the caller's rollback leaves nothing written.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import ChangeAction
from cmdb.errors import ValidationError
from cmdb.models import AdminUnit, Site
from cmdb.services.integrity import (
    check_deletable,
    check_references,
    check_unique,
    explain_integrity_error,
    forget_sources,
    owned_records,
)
from cmdb.services.place_rules import check_admin_unit, check_one_dc
from cmdb.services.provenance import log_change

M = TypeVar("M")

# The record as it will be → messages per field (rules across fields, e.g. a link's two ends).
RecordCheck = Callable[[Mapping[str, Any]], dict[str, list[str]]]
_UNLOGGED = frozenset({"created_at", "updated_at"})
# Rules of one kind of record that only the database can check (beyond references and
# unique groups): the record as it will be, and its own id on an update.
StoredCheck = Callable[[Session, Mapping[str, Any], int | None], None]
_STORED_CHECKS: dict[type[Any], StoredCheck] = {AdminUnit: check_admin_unit, Site: check_one_dc}


def column_values(obj: Any) -> dict[str, Any]:
    """The record's column values by attribute name."""
    return {column.key: getattr(obj, column.key) for column in sa.inspect(type(obj)).columns}


def describe(obj: Any) -> str:
    """How the change log names a record: its name, else its table and id."""
    for attribute in ("name", "slug", "code"):
        value = getattr(obj, attribute, None)
        if value:
            return str(value)
    return f"{obj.__tablename__} {obj.id}"


def _same(a: Any, b: Any) -> bool:
    """Equal as stored: an enum equals its value, 4 equals 4.0."""
    if isinstance(a, enum.Enum):
        a = a.value
    if isinstance(b, enum.Enum):
        b = b.value
    return bool(a == b)


def _validate(
    session: Session,
    model: type[Any],
    record: Mapping[str, Any],
    changes: Mapping[str, Any],
    check: RecordCheck | None,
    own_id: int | None = None,
) -> None:
    if check is not None:
        errors = check(record)
        if errors:
            raise ValidationError(errors)
    check_references(session, model, changes)
    stored_check = _STORED_CHECKS.get(model)
    if stored_check is not None:
        stored_check(session, record, own_id)
    check_unique(session, model, record, own_id)


def lock_for_change(session: Session, obj: Any) -> None:
    """Read ``obj``'s columns again under a row lock, held until the transaction ends.

    Two changes of one record at once must log what each replaced: the second waits
    here for the first to commit and then reads its values (PostgreSQL: ``SELECT …
    FOR UPDATE``). SQLite has no row locks; a writing transaction there holds the
    database's write lock from its start (``cmdb.db.make_engine``), so the read is
    current already.
    """
    names = [attr.key for attr in sa.inspect(type(obj)).column_attrs]
    session.refresh(obj, attribute_names=names, with_for_update=True)


def _flush(session: Session) -> None:
    try:
        session.flush()
    except sa.exc.IntegrityError as error:
        raise explain_integrity_error(error) from error


def create_record(
    session: Session,
    model: type[M],
    values: Mapping[str, Any],
    *,
    actor: str,
    check: RecordCheck | None = None,
) -> M:
    """Add a record of ``model`` with ``values``; the log keeps every field it was given."""
    record = {column.key: None for column in sa.inspect(model).columns} | dict(values)
    _validate(session, model, record, values, check)
    obj = model(**values)
    session.add(obj)
    _flush(session)
    after = {k: v for k, v in column_values(obj).items() if v is not None and k not in _UNLOGGED}
    log_change(
        session,
        actor=actor,
        action=ChangeAction.CREATE,
        obj=obj,  # type: ignore[arg-type]
        object_repr=describe(obj),
        before=None,
        after=after,
    )
    return obj


def update_record(
    session: Session,
    obj: M,
    changes: Mapping[str, Any],
    *,
    actor: str,
    check: RecordCheck | None = None,
) -> M:
    """Apply ``changes`` to ``obj``; the log keeps only the fields whose value changed."""
    lock_for_change(session, obj)
    current = column_values(obj)
    changed = {k: v for k, v in changes.items() if not _same(current.get(k), v)}
    if not changed:
        return obj
    _validate(session, type(obj), current | dict(changes), changed, check, own_id=obj.id)  # type: ignore[attr-defined]
    for name, value in changed.items():
        setattr(obj, name, value)
    _flush(session)
    log_change(
        session,
        actor=actor,
        action=ChangeAction.UPDATE,
        obj=obj,  # type: ignore[arg-type]
        object_repr=describe(obj),
        before={k: current[k] for k in changed},
        after=changed,
    )
    return obj


def delete_record(session: Session, obj: Any, *, actor: str) -> None:
    """Delete ``obj`` unless something still references it (409 naming what does).

    The records it owns (a device's interfaces, a system's workloads) go with it,
    by the database's cascade; each gets its own entry in the change log.
    """
    lock_for_change(session, obj)
    owned = owned_records(session, obj)
    check_deletable(session, obj, owned)
    for record in (*owned, obj):
        log_change(
            session,
            actor=actor,
            action=ChangeAction.DELETE,
            obj=record,
            object_repr=describe(record),
            before={
                k: v
                for k, v in column_values(record).items()
                if v is not None and k not in _UNLOGGED
            },
            after=None,
        )
        forget_sources(session, record)
    session.delete(obj)
    _flush(session)
