"""Field types shared by the API schemas."""

from __future__ import annotations

import math
from datetime import UTC
from typing import Any

from marshmallow import fields


class FiniteFloat(fields.Float):
    """A number that is null when not finite: JSON has no NaN or Infinity.

    Forecasts can yield NaN (no history) and an empty resource infinite ratios;
    Python's json would write the invalid tokens ``NaN``/``Infinity``.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_none", True)
        super().__init__(**kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> float | None:
        return finite_or_none(value)


def finite_or_none(value: Any) -> float | None:
    """``value`` as a float, or None when it is None or not finite (``FiniteFloat``'s rule)."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def iso_date(**kwargs: Any) -> fields.String:
    """A date the evaluation document already holds as ISO text (``YYYY-MM-DD``)."""
    metadata = {"format": "date", **kwargs.pop("metadata", {})}
    return fields.String(metadata=metadata, **kwargs)


class UtcDateTime(fields.DateTime):
    """A timestamp in UTC, always with its offset.

    Every column stores UTC, but SQLite hands timestamps back without their
    offset; a client must not have to guess which backend answered.
    """

    def _serialize(
        self, value: Any, attr: str | None, obj: Any, **kwargs: Any
    ) -> str | float | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)
