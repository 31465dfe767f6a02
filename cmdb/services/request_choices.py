"""What the request form offers: the agencies, and the admin units to target sites by.

Only units above commune level are offered as roots ("every commune of district
X"): picking a single commune is what ``site_ids`` are for, and the full list of
communes would make the picker unusable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from cmdb.choices import AdminLevel
from cmdb.models import AdminUnit, Agency
from cmdb.services.as_of import unit_in_force


@dataclass(frozen=True)
class TargetUnit:
    """An admin unit to pick in the form, with its parent's name to tell namesakes apart."""

    code: str
    name: str
    level: AdminLevel
    parent_name: str | None


def load_target_units(session: Session, on: date) -> list[TargetUnit]:
    """Province and district units in force on ``on``, province first, then by code."""
    parent = aliased(AdminUnit)
    stmt = (
        sa.select(AdminUnit.code, AdminUnit.name, AdminUnit.level, parent.name)
        .outerjoin(parent, parent.id == AdminUnit.parent_id)
        .where(unit_in_force(on), AdminUnit.level != AdminLevel.COMMUNE)
        .order_by(sa.case((AdminUnit.level == AdminLevel.PROVINCE, 0), else_=1), AdminUnit.code)
    )
    return [TargetUnit(*row) for row in session.execute(stmt)]


def load_agencies(session: Session) -> list[Agency]:
    """Every agency by name, for the form of a planner or admin who files for one."""
    return list(session.scalars(sa.select(Agency).order_by(Agency.name)))
