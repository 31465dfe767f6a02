"""What a person chose for a list page and keeps: rows per page and shown columns.

Kept in the signed session cookie, per list and per logged-in user (an anonymous
reader has choices of their own), so a choice survives paging, filtering and
coming back; ``?per_page=`` on any list both applies and remembers a size.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import session

from web.auth.identity import current_user

PER_PAGE_CHOICES = (25, 50, 100, 250, 500)
PREFS_KEY = "list_prefs"


def _key(list_key: str, what: str) -> str:
    user = current_user()
    return f"{user.id if user is not None else '-'}:{list_key}:{what}"


def _prefs() -> dict[str, object]:
    kept = session.get(PREFS_KEY)
    return dict(kept) if isinstance(kept, dict) else {}


def _remember(key: str, value: object) -> None:
    prefs = _prefs()
    if prefs.get(key) != value:
        prefs[key] = value
        session[PREFS_KEY] = prefs


def per_page(list_key: str, asked: str | None, default: int) -> int:
    """The page size: the one asked for (a listed choice, then remembered), else the one
    remembered, else ``default``. A size not on offer is ignored."""
    key = _key(list_key, "per_page")
    if asked is not None and asked.isdigit() and int(asked) in PER_PAGE_CHOICES:
        _remember(key, int(asked))
        return int(asked)
    kept = _prefs().get(key)
    return kept if isinstance(kept, int) and kept in PER_PAGE_CHOICES else default


def shown_columns(list_key: str, available: Sequence[str]) -> list[str]:
    """The column paths the user chose to see (all of them until they choose)."""
    kept = _prefs().get(_key(list_key, "columns"))
    if not isinstance(kept, list):
        return list(available)
    chosen = [path for path in available if path in kept]
    return chosen or list(available)


def choose_columns(list_key: str, chosen: Sequence[str], available: Sequence[str]) -> None:
    """Remember the columns to show (unknown paths dropped; none chosen means all)."""
    keep = [path for path in available if path in chosen]
    _remember(_key(list_key, "columns"), keep or list(available))
