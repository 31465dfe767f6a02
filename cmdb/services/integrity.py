"""What the database would refuse, asked before writing, so the caller gets a useful answer.

A foreign key, a unique constraint or a RESTRICT would stop a bad write anyway,
but with a message naming a constraint (and, on SQLite, not even that). Asked
first, each gets a message on the field that caused it: a ``site_id`` that names
no site is a 400 on ``site_id``; a taken name a 409 on ``name``; deleting a site
that racks still stand in a 409 that says so. The constraints are read from the
model's own table, so a new constraint is checked without another line here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.db import Base
from cmdb.errors import ConflictError, ValidationError
from cmdb.models import Device, Interface, Link, RecordSource, Series

# References that are not foreign keys: (object_type, object_id) pairs that name a record.
# A record that still has time series cannot be deleted (its history would be orphaned);
# its record-source rows only describe it and go with it.
_SERIES_TYPES = frozenset({"cluster", "storage_pool", "link", "device", "interface"})
# Records their owner's deletion takes along (ON DELETE CASCADE) that are inventory in their
# own right: a device's interfaces, a system's workloads. The change log records each, and
# what stops one's deletion (a cable inside a site, time series) stops the owner's.
_OWNED_TABLES = frozenset({"interface", "workload"})


def model_of_table(table: sa.Table) -> type[Any] | None:
    """The mapped class of a table (None for a plain association table)."""
    for mapper in Base.registry.mappers:
        if mapper.local_table is table:
            return mapper.class_
    return None


def check_references(session: Session, model: type[Any], values: Mapping[str, Any]) -> None:
    """Every foreign key among ``values`` names an existing record; else a 400 per field."""
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        column = model.__table__.columns.get(name)
        if column is None or value is None or not column.foreign_keys:
            continue
        target = next(iter(column.foreign_keys)).column
        found = session.scalar(sa.select(sa.literal(1)).where(target == value).limit(1))
        if found is None:
            errors[name] = [f"no {target.table.name} with id {value}"]
    if errors:
        raise ValidationError(errors, "a referenced record does not exist")


def unique_groups(model: type[Any]) -> list[tuple[str, ...]]:
    """The column groups that must be unique on the model's table (among the records in
    force only, for those ``in_force_groups`` names)."""
    table: sa.Table = model.__table__
    groups = [
        tuple(c.key for c in constraint.columns)
        for constraint in table.constraints
        if isinstance(constraint, sa.UniqueConstraint)
    ]
    groups += [
        tuple(c.key for c in index.columns)
        for index in table.indexes
        if index.unique and (_where(index) is None or _in_force_only(index))
    ]
    return groups


def in_force_groups(model: type[Any]) -> set[tuple[str, ...]]:
    """Groups unique only among the records in force (``valid_to`` empty): an admin unit's
    code, which a reform may give again once the old unit is dissolved."""
    return {
        tuple(c.key for c in index.columns)
        for index in model.__table__.indexes
        if index.unique and _in_force_only(index)
    }


def _where(index: sa.Index) -> Any:
    return index.dialect_options["postgresql"].get("where")


def _in_force_only(index: sa.Index) -> bool:
    where = _where(index)
    return where is not None and " ".join(str(where).split()).lower() == "valid_to is null"


def check_unique(
    session: Session, model: type[Any], values: Mapping[str, Any], own_id: int | None = None
) -> None:
    """No other record holds the same values of a unique group; else a 409 on its fields.

    ``values`` is the record as it will be (current values merged with the changes);
    groups with an empty member are skipped, as SQL treats NULLs as distinct.
    """
    in_force = in_force_groups(model)
    for group in unique_groups(model):
        if any(values.get(name) is None for name in group):
            continue
        where = [getattr(model, name) == values[name] for name in group]
        if group in in_force:
            if values.get("valid_to") is not None:
                continue  # an ended record's code is history: it may be given again
            where.append(model.valid_to.is_(None))
        if own_id is not None:
            where.append(model.id != own_id)
        taken = session.scalar(sa.select(model.id).where(*where).limit(1))
        if taken is not None:
            shown = ", ".join(f"{name}={values[name]!r}" for name in group)
            message = f"another {model.__tablename__} (id {taken}) already has {shown}"
            field = group[-1]  # the name within its parent: the field a person would change
            raise ConflictError(message, {field: [message]})


def referrers(session: Session, obj: Any) -> dict[str, list[str]]:
    """What still points at ``obj`` and would stop its deletion: table → a message.

    Foreign keys whose ``ondelete`` is RESTRICT (or unset) count; SET NULL and
    CASCADE ones do not — the database resolves those itself.
    """
    table: sa.Table = obj.__table__
    found: dict[str, list[str]] = {}
    for fk in _restricting_keys(table):
        other = fk.parent.table
        n = session.scalar(sa.select(sa.func.count()).select_from(other).where(fk.parent == obj.id))
        if n:
            found.setdefault(other.name, []).append(f"{n} rows refer to it by {fk.parent.key}")
    inside = _links_inside_a_site_through(session, obj)
    if inside:
        found.setdefault("link", []).append(
            f"{inside} link(s) inside one site end on it (such a link needs both interfaces)"
        )
    if table.name in _SERIES_TYPES:
        n = session.scalar(
            sa.select(sa.func.count())
            .select_from(Series)
            .where(Series.object_type == table.name, Series.object_id == obj.id)
        )
        if n:
            found["series"] = [f"{n} time series with their samples"]
    return found


def may_be_referenced(model: type[Any]) -> bool:
    """Whether ``referrers`` could ever find something for a record of ``model``: a
    restricting foreign key, time series, or a cable inside one site through it."""
    table: sa.Table = model.__table__
    return (
        bool(_restricting_keys(table))
        or table.name in _SERIES_TYPES
        or model in (Device, Interface)
    )


def _restricting_keys(table: sa.Table) -> list[sa.ForeignKey]:
    """The foreign keys onto ``table`` whose ``ondelete`` is RESTRICT (or unset)."""
    return [
        fk
        for other in Base.metadata.sorted_tables
        for fk in other.foreign_keys
        if fk.column.table is table and (fk.ondelete or "RESTRICT").upper() == "RESTRICT"
    ]


def owned_records(session: Session, obj: Any) -> list[Any]:
    """The records that go with ``obj`` when it is deleted, by id."""
    table: sa.Table = obj.__table__
    owned: list[Any] = []
    for other in Base.metadata.sorted_tables:
        model = model_of_table(other) if other.name in _OWNED_TABLES else None
        for fk in other.foreign_keys if model is not None else ():
            if fk.column.table is table and (fk.ondelete or "").upper() == "CASCADE":
                assert model is not None
                owned += session.scalars(
                    sa.select(model).where(fk.parent == obj.id).order_by(fk.parent.table.c.id)
                )
    return owned


def deletion_blockers(
    session: Session, obj: Any, owned: Sequence[Any] | None = None
) -> dict[str, list[str]]:
    """What stops deleting ``obj``: its referrers, and those of each record it owns
    (``owned``, when the caller has already read them)."""
    found = referrers(session, obj)
    for record in owned_records(session, obj) if owned is None else owned:
        for table, messages in referrers(session, record).items():
            name = f"{record.__tablename__} {record.id}"
            found.setdefault(table, []).extend(f"{name} goes with it: {m}" for m in messages)
    return found


def check_deletable(session: Session, obj: Any, owned: Sequence[Any] | None = None) -> None:
    found = deletion_blockers(session, obj, owned)
    if found:
        what = "; ".join(f"{table}: {', '.join(msgs)}" for table, msgs in found.items())
        raise ConflictError(f"{obj.__tablename__} {obj.id} is still referenced ({what})", found)


def forget_sources(session: Session, obj: Any) -> None:
    """Drop the record-source rows of a deleted record: they only describe it."""
    session.execute(
        sa.delete(RecordSource).where(
            RecordSource.object_type == obj.__tablename__, RecordSource.object_id == obj.id
        )
    )


def explain_integrity_error(error: sa.exc.IntegrityError) -> Exception:
    """The database refused a write the checks above let through (a race, a CHECK).

    A unique violation is a 409; anything else (a CHECK, NOT NULL, a foreign key)
    a 400 on the whole body, naming the constraint.
    """
    text = str(error.orig)
    if "unique" in text.lower() or "duplicate key" in text.lower():
        return ConflictError(f"another record already holds these values ({text})")
    return ValidationError({"_schema": [f"refused by the database: {text}"]})


def _links_inside_a_site_through(session: Session, obj: Any) -> int:
    """Links inside one site ending on this interface (or an interface of this device).

    Their interface keys are SET NULL, which the link's ``distinct_ends`` check refuses
    for a link whose ends are one site: asked first, it is a 409 rather than a 400.
    """
    if isinstance(obj, Interface):
        interfaces: Any = [obj.id]
    elif isinstance(obj, Device):
        interfaces = sa.select(Interface.id).where(Interface.device_id == obj.id)
    else:
        return 0
    ends = sa.or_(Link.a_interface_id.in_(interfaces), Link.b_interface_id.in_(interfaces))
    stmt = sa.select(sa.func.count()).where(Link.a_site_id == Link.b_site_id, ends)
    return session.scalar(stmt) or 0
