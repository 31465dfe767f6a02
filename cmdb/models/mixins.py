"""Columns and relations every inventory record shares."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, foreign, mapped_column, relationship

from cmdb.db import utcnow

if TYPE_CHECKING:
    from cmdb.models.source import RecordSource


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class DatedMixin:
    """A record in force from ``valid_from`` (inclusive; empty: always) to ``valid_to``
    (exclusive; empty: still), as admin units are: the inventory as of a past day leaves
    out what came later and keeps what a reform ended (``cmdb.services.as_of``)."""

    valid_from: Mapped[date | None] = mapped_column(doc="First day in force (empty: always)")
    valid_to: Mapped[date | None] = mapped_column(doc="First day no longer in force")


#: The CHECK every dated table carries (named ``ck_<table>_valid_dates``).
VALID_DATES = "valid_from IS NULL OR valid_to IS NULL OR valid_from < valid_to"


class SourcedMixin(TimestampMixin):
    """A record that keeps where it came from: one ``RecordSource`` row per source.

    The rows live in one table keyed by (object_type, object_id) so that "which
    record has NetBox id 17?" is one indexed lookup for every kind of record.
    """

    id: Mapped[int]

    @declared_attr
    def sources(cls) -> Mapped[list[RecordSource]]:  # noqa: N805 - declared_attr takes the class
        from cmdb.models.source import RecordSource

        table = cls.__tablename__  # type: ignore[attr-defined]
        return relationship(
            RecordSource,
            primaryjoin=lambda: sa.and_(
                foreign(RecordSource.object_id) == cls.id,
                RecordSource.object_type == table,
            ),
            viewonly=True,
            lazy="select",  # pages that show sources ask for them (selectinload)
        )
