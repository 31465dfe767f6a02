"""Template filters that format numbers, percentages and dates for the page's language.

Everything goes through Babel with the request's locale (``web.i18n``): 1,234.5 in
English is 1.234,5 in Vietnamese, and a Vietnamese reader expects 05/01/2026 where
an English one reads 5 Jan 2026. Outside a request (a unit test, the CLI) English.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import NumberPattern, parse_pattern
from flask import Flask, has_request_context
from flask_babel import get_locale, get_timezone

#: Date patterns per language: Vietnam writes day/month/year; English gets the month's name
#: so that 05/01 cannot be misread as May.
DATE_PATTERNS = {"vi": "dd/MM/yyyy", "en": "d MMM yyyy"}
MONTH_PATTERNS = {"vi": "MM/yyyy", "en": "MMM yyyy"}
DATETIME_PATTERNS = {"vi": "HH:mm dd/MM/yyyy", "en": "d MMM yyyy HH:mm"}
#: The zone follows every time shown ("GMT+07:00"): a reader must never guess UTC or local.
ZONE_PATTERN = " (ZZZZ)"
UTC_ZONE = ZoneInfo("UTC")
#: Past this a figure is shown as ``1e+300``: Babel's decimal arithmetic fails on it (a 500
#: for every page that shows it), and no real figure of a DC comes near it.
LARGEST_SHOWN = 1e15


def _locale(locale: Locale | str | None) -> Locale:
    if locale is not None:
        return _parse_locale(str(locale))
    found = get_locale() if has_request_context() else None
    return found or _parse_locale("en")


@cache
def _parse_locale(code: str) -> Locale:
    return Locale.parse(code)


@cache
def _number_pattern(pattern: str) -> NumberPattern:
    """Parsed once: Babel parses the pattern text on every call otherwise (a table of
    hundreds of numbers spent most of its time there)."""
    return parse_pattern(pattern)


def format_number(
    value: float | int | None, decimals: int = 1, locale: Locale | str | None = None
) -> str:
    """``20.0`` → ``20``, ``1000`` → ``1,000``, ``2.5`` → ``2.5``; ``None`` → ``—``.

    Whole numbers lose their ``.0`` because capacities (20 Mbps, 512 GB) are
    nearly always whole and the decimals only add noise to a table.
    """
    if value is None:
        return "—"
    outsized = _outsized(value)
    if outsized is not None:
        return outsized
    if -1000 < value < 1000 and (decimals == 0 or float(value).is_integer()):
        return str(round(value))  # the same in every locale, and most numbers of a page
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return _number_pattern(pattern).apply(value, _locale(locale))


def format_pct(
    fraction: float | None, decimals: int = 0, locale: Locale | str | None = None
) -> str:
    """A fraction as a percentage: ``0.853`` → ``85%`` (``85,3%`` with one decimal in vi)."""
    if fraction is None:
        return "—"
    outsized = _outsized(fraction * 100)
    if outsized is not None:
        return outsized if outsized == "—" else f"{outsized}%"
    if decimals == 0 and -10 < fraction < 10:
        return f"{round(fraction * 100)}%"  # "#,##0%" in both languages: no grouping below 1000
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "") + "%"
    return _number_pattern(pattern).apply(fraction, _locale(locale))


def _outsized(value: float | int) -> str | None:
    """How a figure Babel cannot format is shown (not a number, infinite, absurdly large);
    None for any other. A stored evaluation can hold such figures from before the bounds."""
    number = float(value)
    if math.isnan(number):
        return "—"
    if math.isinf(number):
        return "∞" if number > 0 else "−∞"
    return f"{number:.3g}" if abs(number) >= LARGEST_SHOWN else None


def format_day(value: date | datetime | str | None, locale: Locale | str | None = None) -> str:
    """A day in the page's language. ``value`` may be an ISO day (``2027-04-01``), as a
    stored evaluation document keeps its dates; any other text is shown as it is."""
    if value is None:
        return "—"
    if isinstance(value, str):
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            return value
        value = parsed
    loc = _locale(locale)
    day = value.date() if isinstance(value, datetime) else value
    return format_date(day, DATE_PATTERNS.get(loc.language, "yyyy-MM-dd"), locale=loc)


def format_month(value: str, locale: Locale | str | None = None) -> str:
    """The month of an ISO day in the page's language: ``04/2027``, ``Apr 2027``."""
    loc = _locale(locale)
    day = date.fromisoformat(value)
    return format_date(day, MONTH_PATTERNS.get(loc.language, "yyyy-MM"), locale=loc)


def format_moment(value: datetime | None, locale: Locale | str | None = None) -> str:
    """A timestamp in the DC's time zone (``CMDB_TIMEZONE``), with the zone shown.

    Stored times are UTC; a naive one (SQLite gives them back naive) is read as UTC.
    """
    if value is None:
        return "—"
    loc = _locale(locale)
    zone = get_timezone() if has_request_context() else None
    pattern = DATETIME_PATTERNS.get(loc.language, "yyyy-MM-dd HH:mm") + ZONE_PATTERN
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return format_datetime(aware, pattern, tzinfo=zone or UTC_ZONE, locale=loc)


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (0 within the month): time-to-exhaustion."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(0, months - (1 if end.day < start.day else 0))


def init_app(app: Flask) -> None:
    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_pct, "pct")
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_moment, "moment")
    app.add_template_global(months_between)
