"""Where each record came from, the id it has there and when that source last saw it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cmdb.choices import Source
from cmdb.db import Base, enum_column, utcnow


class RecordSource(Base):
    __tablename__ = "record_source"
    __table_args__ = (
        sa.UniqueConstraint("object_type", "object_id", "source"),
        sa.Index("ix_record_source_external", "object_type", "source", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int]
    source: Mapped[Source] = mapped_column(enum_column(Source))
    external_id: Mapped[str | None] = mapped_column(sa.String(200))
    first_seen_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(
        sa.DateTime(timezone=True), doc="When the source says it deleted it (its change log)"
    )

    def __repr__(self) -> str:
        return (
            f"<RecordSource {self.object_type}#{self.object_id} {self.source}:{self.external_id}>"
        )
