"""What keeps the administrative tree a tree when a person writes one unit (API, UI);
and the one place rule of sites: at most one is "the DC".

The same rules as the import (``import_admin_units``): a province has no parent;
a district or commune has one, of a higher level (province above district above
commune, or a commune straight under its province after the 2025 reform), which
also rules out cycles; a unit never succeeds itself. Changing a unit's level
must keep it above its children. Only the database knows the parent's level and
the children, so this reads it; it writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import AdminLevel
from cmdb.errors import ConflictError, ValidationError
from cmdb.models import AdminUnit, Site

LEVEL_RANK = {AdminLevel.PROVINCE: 0, AdminLevel.DISTRICT: 1, AdminLevel.COMMUNE: 2}


def check_admin_unit(session: Session, record: Mapping[str, Any], own_id: int | None) -> None:
    """Raise ``ValidationError`` (per field) when ``record`` would break the tree."""
    errors: dict[str, list[str]] = {}
    level = AdminLevel(record["level"]) if record.get("level") is not None else None
    code = record.get("code")
    if code is not None and any(c.isspace() for c in str(code)):
        errors["code"] = [f"{code!r} contains a space"]
    if level is not None:
        message = _parent_error(session, level, record.get("parent_id"), own_id)
        if message:
            errors["parent_id"] = [message]
        if own_id is not None:
            message = _children_error(session, level, own_id)
            if message:
                errors["level"] = [message]
    if own_id is not None and record.get("successor_id") == own_id:
        errors["successor_id"] = ["a unit cannot succeed itself"]
    if errors:
        raise ValidationError(errors, "invalid admin unit")


def _parent_error(
    session: Session, level: AdminLevel, parent_id: int | None, own_id: int | None
) -> str | None:
    if level is AdminLevel.PROVINCE:
        return "a province has no parent" if parent_id is not None else None
    if parent_id is None:
        return f"required for a {level.value}"
    if parent_id == own_id:
        return "a unit cannot be its own parent"
    parent_level = session.scalar(sa.select(AdminUnit.level).where(AdminUnit.id == parent_id))
    if parent_level is None:
        return None  # no such unit: the reference check says so
    if LEVEL_RANK[parent_level] >= LEVEL_RANK[level]:
        return f"unit {parent_id} is a {parent_level.value}: it cannot contain a {level.value}"
    return None


def _children_error(session: Session, level: AdminLevel, own_id: int) -> str | None:
    levels = session.scalars(
        sa.select(AdminUnit.level).where(AdminUnit.parent_id == own_id).distinct()
    ).all()
    below = [lv for lv in levels if LEVEL_RANK[lv] <= LEVEL_RANK[level]]
    if below:
        kinds = ", ".join(sorted(lv.value for lv in below))
        return f"it contains units of level {kinds}: a {level.value} cannot"
    return None


def check_one_dc(session: Session, record: Mapping[str, Any], own_id: int | None) -> None:
    """At most one site is "the DC" (DESIGN §6); another one already is: a 409 naming it."""
    if not record.get("is_dc"):
        return
    stmt = sa.select(Site.id, Site.slug).where(Site.is_dc.is_(True))
    if own_id is not None:
        stmt = stmt.where(Site.id != own_id)
    other = session.execute(stmt.limit(1)).first()
    if other is not None:
        message = f"site {other.slug!r} (id {other.id}) is the DC: unset it first"
        raise ConflictError(message, {"is_dc": [message]})
