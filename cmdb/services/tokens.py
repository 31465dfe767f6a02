"""API tokens: created with a random key shown once, stored as a hash with a prefix.

The key has 160 random bits, so a fast hash (SHA-256) is enough: there is
nothing to brute-force as there is with a password, and every API call checks
one. The first eight characters are kept in clear to find the row (and to let a
person tell their tokens apart); the hash is compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import ChangeAction
from cmdb.db import utcnow
from cmdb.models import ApiToken, User
from cmdb.services.provenance import log_change

PREFIX_LENGTH = 8


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(
    session: Session,
    user: User,
    *,
    expires_days: int | None = None,
    description: str | None = None,
    now: datetime | None = None,
    actor: str = "system",
) -> tuple[ApiToken, str]:
    """A new token of ``user`` and its key — the only time the key exists in clear.

    The change log keeps whose token it is and its prefix, never the key.
    """
    key = secrets.token_hex(20)
    now = now or utcnow()
    token = ApiToken(
        user_id=user.id,
        key_prefix=key[:PREFIX_LENGTH],
        key_hash=hash_key(key),
        description=description,
        expires_at=now + timedelta(days=expires_days) if expires_days else None,
    )
    session.add(token)
    session.flush()
    log_change(
        session,
        actor=actor,
        action=ChangeAction.CREATE,
        obj=token,
        object_repr=f"token {token.key_prefix}… of {user.username}",
        before=None,
        after={
            "user_id": user.id,
            "key_prefix": token.key_prefix,
            "description": description,
            "expires_at": token.expires_at,
        },
    )
    return token, key


def authenticate_token(session: Session, key: str, now: datetime | None = None) -> User | None:
    """The active user a valid, unexpired key belongs to; None for anything else.

    Every API call asks, so the token and its user come in one query.
    """
    now = now or utcnow()
    digest = hash_key(key)
    candidates = session.execute(
        sa.select(ApiToken.key_hash, ApiToken.expires_at, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.key_prefix == key[:PREFIX_LENGTH])
    )
    for key_hash, expires, user in candidates:
        if not hmac.compare_digest(key_hash, digest):
            continue
        if expires is not None and expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)  # SQLite hands back naive UTC
        if expires is not None and expires <= now:
            return None
        return user if user.is_active else None
    return None
