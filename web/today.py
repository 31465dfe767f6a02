"""The day the app and the CLI evaluate against: ``CMDB_TODAY`` if set, else the real today.

Verdicts depend on the day (go-live must not be in the past, forecasts start
from the last sample), so tests and demos pin it; production leaves it unset.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app


def configured_today() -> date | None:
    """``CMDB_TODAY`` as a date (a date, datetime or ISO text), or None for the real today.

    None rather than ``date.today()`` so the capacity actions keep one rule for
    "today" when it is not pinned.
    """
    value = current_app.config.get("CMDB_TODAY")
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def today_or_real() -> date:
    """The pinned day, or the real today when none is pinned (for values a response shows)."""
    return configured_today() or date.today()
