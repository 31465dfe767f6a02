"""What a user chose for themselves (the UI language). Nothing here commits."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cmdb.errors import ValidationError
from cmdb.models import User

#: The languages the UI is translated into (web/translations/<code>).
UI_LANGUAGES = ("vi", "en")


def save_language(session: Session, user: User, language: str) -> None:
    """Remember ``language`` on ``user``; an untranslated language is refused."""
    if language not in UI_LANGUAGES:
        raise ValidationError({"lang": [f"one of {', '.join(UI_LANGUAGES)}"]}, "unknown language")
    user.language = language
    session.flush()
