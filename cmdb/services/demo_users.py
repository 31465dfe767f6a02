"""One demo user per role, with known passwords, so a newcomer can try every permission.

Only for the demo database: the passwords are printed and are the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import Role
from cmdb.models import Agency, ResourceRequest, User
from cmdb.services.users import hash_password


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: Role
    agency: str | None


def save_demo_users(session: Session) -> list[DemoLogin]:
    """Create (or reset) ``demo-<role>`` for every role; the requester gets a requesting agency."""
    agency = _requesting_agency(session)
    logins = []
    for role in Role:
        username, password = f"demo-{role.value}", f"{role.value}-demo"
        user = session.scalar(sa.select(User).where(User.username == username))
        if user is None:
            user = User(username=username)
            session.add(user)
        user.role, user.is_active = role, True
        user.password_hash = hash_password(password)
        user.agency_id = agency.id if role is Role.REQUESTER and agency else None
        name = agency.short_name or agency.name if role is Role.REQUESTER and agency else None
        logins.append(DemoLogin(username, password, role, name))
    session.flush()
    return logins


def _requesting_agency(session: Session) -> Agency | None:
    """The agency of the first stored request (so the requester has something to see)."""
    stmt = sa.select(Agency).join(ResourceRequest, ResourceRequest.agency_id == Agency.id)
    return (
        session.scalars(stmt.order_by(ResourceRequest.id)).first()
        or session.scalars(sa.select(Agency).order_by(Agency.id)).first()
    )
