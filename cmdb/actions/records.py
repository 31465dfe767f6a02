"""Inventory records created, changed and deleted by a person: the API's generated writes
and the UI's edit forms, one action each.

The permission is the resource's (engineers keep the inventory, planners the agencies
and the catalogue: ``policy``); the work is ``cmdb.services.editing``'s (references,
unique names, what still points at a record, the change log of every field).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from cmdb.actions.policy import Permission
from cmdb.actions.unit import UnitOfWork
from cmdb.services.editing import RecordCheck, create_record, delete_record, update_record
from cmdb.services.listing import load_one

M = TypeVar("M")


def create(
    uow: UnitOfWork,
    permission: Permission,
    model: type[M],
    values: Mapping[str, Any],
    *,
    check: RecordCheck | None = None,
) -> M:
    with uow.begin(permission) as session:
        return create_record(session, model, values, actor=uow.caller.actor, check=check)


def update(
    uow: UnitOfWork,
    permission: Permission,
    model: type[M],
    object_id: int,
    changes: Mapping[str, Any],
    *,
    check: RecordCheck | None = None,
) -> M:
    """NotFoundError for an unknown id, after the permission (403 before 404)."""
    with uow.begin(permission) as session:
        obj = load_one(session, model, object_id)
        return update_record(session, obj, changes, actor=uow.caller.actor, check=check)


def delete(uow: UnitOfWork, permission: Permission, model: type[Any], object_id: int) -> None:
    with uow.begin(permission) as session:
        delete_record(session, load_one(session, model, object_id), actor=uow.caller.actor)
