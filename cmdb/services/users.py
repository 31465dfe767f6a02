"""Users: creation, password hashing and checking. Nothing here commits.

Passwords are hashed with scrypt from the standard library (a memory-hard
scheme, OWASP's recommendation), salted per user; the stored text names its
parameters so they can be raised later without breaking old hashes.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import ChangeAction, Role
from cmdb.errors import ConflictError, NotFoundError, ValidationError
from cmdb.models import Agency, User
from cmdb.services.provenance import log_change

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (salt and hash base64)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    encode = base64.b64encode
    return (
        f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"
    )


def check_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the stored hash (False for a user without one)."""
    if not stored or not stored.startswith("scrypt$"):
        return False
    _, n, r, p, salt, digest = stored.split("$")
    candidate = hashlib.scrypt(
        password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p)
    )
    return hmac.compare_digest(candidate, base64.b64decode(digest))


def create_user(
    session: Session,
    username: str,
    role: Role,
    *,
    password: str | None = None,
    agency: str | None = None,
    full_name: str | None = None,
    actor: str = "system",
) -> User:
    """A new active user; a requester must belong to an agency (by name or short name).

    The change log keeps who created them with which role (never the password).
    """
    errors: dict[str, list[str]] = {}
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = [f"at least {MIN_PASSWORD_LENGTH} characters"]
    agency_row = find_agency(session, agency) if agency else None
    if agency and agency_row is None:
        errors["agency"] = [f"unknown agency {agency!r}"]
    if role is Role.REQUESTER and not agency:
        errors["agency"] = ["a requester belongs to an agency"]
    if errors:
        raise ValidationError(errors, "invalid user")
    if session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise ConflictError(f"user {username!r} already exists")
    user = User(
        username=username,
        role=role,
        full_name=full_name,
        password_hash=hash_password(password) if password else None,
        agency_id=agency_row.id if agency_row else None,
    )
    session.add(user)
    session.flush()
    log_change(
        session,
        actor=actor,
        action=ChangeAction.CREATE,
        obj=user,
        object_repr=username,
        before=None,
        after={"username": username, "role": role, "agency_id": user.agency_id},
    )
    return user


def get_user(session: Session, username: str) -> User:
    user = session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise NotFoundError(f"no user {username!r}")
    return user


def authenticate_password(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, else None (never says which was wrong).

    A password is hashed whoever asks — an unknown user, one without a password,
    one deactivated — so the time of the answer does not tell which usernames exist.
    """
    user = session.scalar(sa.select(User).where(User.username == username))
    stored = user.password_hash if user is not None and user.password_hash else None
    matches = check_password(stored or _dummy_hash(), password) and stored is not None
    if user is None or not user.is_active or not matches:
        return None
    return user


@functools.cache
def _dummy_hash() -> str:
    """A hash of no one's password, with today's parameters: what an unknown user costs."""
    return hash_password(secrets.token_urlsafe(16))


def set_password(session: Session, user: User, password: str, *, actor: str = "system") -> None:
    """A new password; every UI session of the user ends (the change log says when, not what)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            {"password": [f"at least {MIN_PASSWORD_LENGTH} characters"]}, "invalid password"
        )
    user.password_hash = hash_password(password)
    end_sessions(session, user)
    log_change(
        session,
        actor=actor,
        action=ChangeAction.UPDATE,
        obj=user,
        object_repr=user.username,
        before=None,
        after={"password": "changed"},
    )


def end_sessions(session: Session, user: User) -> None:
    """Refuse every UI session the user has open (log-out, a new password).

    Raised in the database (``+ 1`` in SQL), so two log-outs at once both count.
    """
    session.execute(
        sa.update(User).where(User.id == user.id).values(session_epoch=User.session_epoch + 1)
    )
    session.refresh(user, ["session_epoch"])


def find_agency(session: Session, name: str) -> Agency | None:
    wanted = name.strip().casefold()
    return next(
        (a for a in session.scalars(sa.select(Agency)) if agency_named(a, wanted)),
        None,
    )


def agency_named(agency: Agency, name: str) -> bool:
    """Whether ``name`` is the agency's name or short name, in any case."""
    wanted = name.strip().casefold()
    return wanted in {agency.name.casefold(), (agency.short_name or "").casefold()}
