"""The change log: who changed what, when, with the values before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cmdb.choices import ChangeAction
from cmdb.db import Base, enum_column, utcnow


class ChangeLog(Base):
    __tablename__ = "change_log"
    __table_args__ = (sa.Index("ix_change_log_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(sa.String(100), doc="Username, or the job that changed it")
    action: Mapped[ChangeAction] = mapped_column(enum_column(ChangeAction))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int]
    object_repr: Mapped[str] = mapped_column(sa.String(200))
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    correlation_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
