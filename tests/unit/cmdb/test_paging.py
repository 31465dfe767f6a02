"""Page arithmetic shared by the lists."""

from __future__ import annotations

import pytest

from cmdb.services.paging import Page, clamp_page


@pytest.mark.parametrize(
    ("requested", "total", "expected"),
    [
        (1, 0, 1),
        (0, 10, 1),
        (-3, 10, 1),
        (2, 10, 1),
        (2, 60, 2),
        (3, 60, 2),
        (99, 101, 3),
        (3, 100, 2),
    ],
)
def test_clamp_page_keeps_the_number_within_the_pages(
    requested: int, total: int, expected: int
) -> None:
    assert clamp_page(requested, total, page_size=50) == expected


def test_page_knows_its_neighbours_and_range() -> None:
    page = Page(items=["a", "b"], total=7, number=2, size=5)
    assert (page.pages, page.has_previous, page.has_next) == (2, True, False)
    assert (page.first_index, page.last_index) == (6, 7)


def test_empty_page() -> None:
    page = Page(items=[], total=0, number=1, size=50)
    assert (page.pages, page.first_index, page.last_index) == (1, 0, 0)
    assert page.window() == [1]


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, [1, 2, 3, None, 20]),
        (10, [1, None, 8, 9, 10, 11, 12, None, 20]),
        (4, [1, 2, 3, 4, 5, 6, None, 20]),
        (20, [1, None, 18, 19, 20]),
    ],
)
def test_window_links_first_last_and_neighbours(number: int, expected: list[int | None]) -> None:
    assert Page(items=[], total=1000, number=number, size=50).window() == expected
