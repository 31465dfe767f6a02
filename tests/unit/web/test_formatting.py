"""Number formatting of the templates."""

from __future__ import annotations

import pytest

from web.ui.formatting import format_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [(20.0, "20"), (1000, "1,000"), (2.5, "2.5"), (0.333, "0.3"), (None, "—"), (0, "0")],
)
def test_format_number(value: float | None, expected: str) -> None:
    assert format_number(value) == expected
