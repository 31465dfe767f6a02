"""Number, percentage and date formatting of the templates, per language."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from web.ui.formatting import (
    format_day,
    format_moment,
    format_month,
    format_number,
    format_pct,
    months_between,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(20.0, "20"), (1000, "1,000"), (2.5, "2.5"), (0.333, "0.3"), (None, "—"), (0, "0")],
)
def test_format_number(value: float | None, expected: str) -> None:
    assert format_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(1234.5, "1.234,5"), (20.0, "20"), (0.333, "0,3"), (None, "—")]
)
def test_vietnamese_numbers_group_with_dots_and_use_a_decimal_comma(
    value: float | None, expected: str
) -> None:
    assert format_number(value, locale="vi") == expected


def test_percentages_follow_the_locale() -> None:
    assert format_pct(0.853, 1, locale="en") == "85.3%"
    assert format_pct(0.853, 1, locale="vi") == "85,3%"
    assert format_pct(None) == "—"


def test_dates_are_day_first_in_vietnamese_and_name_the_month_in_english() -> None:
    assert format_day(date(2026, 1, 5), locale="vi") == "05/01/2026"
    assert format_day(date(2026, 1, 5), locale="en") == "5 Jan 2026"
    at = datetime(2026, 1, 5, 13, 4, tzinfo=UTC)
    assert format_moment(at, locale="vi") == "13:04 05/01/2026 (GMT+00:00)"  # no request: UTC
    assert format_moment(at.replace(tzinfo=None), locale="en") == "5 Jan 2026 13:04 (GMT+00:00)"


def test_a_stored_evaluations_iso_days_are_shown_in_the_readers_language() -> None:
    """An evaluation document keeps its dates as ISO text: the verdict's "until" too."""
    assert format_day("2027-04-01", locale="vi") == "01/04/2027"
    assert format_day("2027-04-01", locale="en") == "1 Apr 2027"
    assert format_day("not a day", locale="vi") == "not a day"  # shown as it is
    assert format_month("2027-04-01", locale="vi") == "04/2027"
    assert format_month("2027-04-01", locale="en") == "Apr 2027"


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 1, 15), date(2026, 1, 31), 0),
        (date(2026, 1, 15), date(2026, 2, 14), 0),
        (date(2026, 1, 15), date(2026, 2, 15), 1),
        (date(2026, 1, 15), date(2029, 9, 13), 43),
        (date(2026, 1, 15), date(2025, 1, 1), 0),
    ],
)
def test_months_between_counts_whole_months(start: date, end: date, months: int) -> None:
    assert months_between(start, end) == months


@pytest.mark.parametrize(
    ("value", "shown"),
    [(1e300, "1e+300"), (-1e16, "-1e+16"), (float("inf"), "∞"), (float("nan"), "—")],
)
def test_a_figure_babel_cannot_format_is_still_shown(value: float, shown: str) -> None:
    """An evaluation stored before the bounds may hold 1e300 TB: the page must render."""
    assert format_number(value, locale="vi") == shown
    assert format_pct(value / 100, locale="en") == (shown if shown == "—" else f"{shown}%")
