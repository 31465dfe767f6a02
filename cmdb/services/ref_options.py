"""The records a reference field may point at, named as a person picks them in a form.

An edit form shows a select for each foreign key (a rack's site, a workload's
cluster). One query per field fetches at most ``limit`` + 1 rows: a table that
has more is answered ``None`` and the form asks for the id instead (a select of
thousands of rows is neither quick to send nor to use).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.models import AdminUnit, Device, Interface, Rack, Site


@dataclass(frozen=True, slots=True)
class Option:
    id: int
    label: str


def _label_columns(model: type[Any]) -> tuple[sa.Select[*tuple[Any, ...]], tuple[Any, ...]]:
    """The query of a model's options and the columns its label is made of, in order."""
    if model is Interface:
        stmt = sa.select(Interface.id, Device.name, Interface.name).join(Interface.device)
        return stmt, (Device.name, Interface.name)
    if model is Rack:
        stmt = sa.select(Rack.id, Site.name, Rack.name).join(Rack.site)
        return stmt, (Site.name, Rack.name)
    if model is AdminUnit:
        stmt = sa.select(AdminUnit.id, AdminUnit.name, AdminUnit.code)
        return stmt, (AdminUnit.name, AdminUnit.code)
    name = model.name
    return sa.select(model.id, name), (name,)


def load_options(session: Session, model: type[Any], limit: int) -> list[Option] | None:
    """Every record of ``model`` as an option, in label order; None when over ``limit``."""
    stmt, columns = _label_columns(model)
    if model is AdminUnit:  # units a reform dissolved are history, not a place to put a site
        stmt = stmt.where(AdminUnit.valid_to.is_(None))
    rows = session.execute(stmt.order_by(*columns, model.id).limit(limit + 1)).all()
    if len(rows) > limit:
        return None
    return [Option(row[0], " · ".join(str(v) for v in row[1:] if v)) for row in rows]


def load_option(session: Session, model: type[Any], object_id: int) -> Option | None:
    """One record as an option (the current value of a field shown as an id input)."""
    stmt, _ = _label_columns(model)
    row = session.execute(stmt.where(model.id == object_id)).first()
    return Option(row[0], " · ".join(str(v) for v in row[1:] if v)) if row else None
