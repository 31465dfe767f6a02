"""Users, API tokens and failed log-ins; only a token's hash is stored, never the token."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cmdb.choices import Role
from cmdb.db import Base, enum_column, utcnow


class User(Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    full_name: Mapped[str | None] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    password_hash: Mapped[str | None] = mapped_column(sa.String(300))
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.VIEWER)
    agency_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agency.id", ondelete="SET NULL"),
        index=True,
        doc="A requester's agency: the only one whose requests they may create and evaluate",
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str | None] = mapped_column(
        sa.String(8), doc="The UI language the user picked (vi, en); empty: the browser's"
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    session_epoch: Mapped[int] = mapped_column(
        default=0,
        server_default="0",
        doc="Raised by logging out or a new password: every older UI session is refused",
    )

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    key_prefix: Mapped[str] = mapped_column(sa.String(8), index=True, doc="For lookup and display")
    key_hash: Mapped[str] = mapped_column(sa.String(128), unique=True)
    description: Mapped[str | None] = mapped_column(sa.String(200))
    write_enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    user: Mapped[User] = relationship(back_populates="tokens")


class LoginFailure(Base):
    """One wrong password (or unknown user), kept for the throttle's window.

    In the database, not in a process, so that every worker and every server
    counts the same failures. Rows older than the window are deleted as new
    ones come.
    """

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(200), index=True, doc="As typed (cut)")
    address: Mapped[str] = mapped_column(sa.String(64), index=True, doc="The client's address")
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True, default=utcnow)
