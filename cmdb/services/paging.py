"""One page of a list: the rows plus what a pager needs, computed once.

The UI pages by number (``?page=``) while the REST API will page by
``limit``/``offset``; both reduce to an offset, so the arithmetic lives here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


def clamp_page(requested: int, total: int, page_size: int) -> int:
    """A page number that exists: below 1 → 1, past the end → the last page.

    A stale bookmark after rows were deleted still shows something useful.
    """
    last = max(1, -(-total // page_size))
    return min(max(1, requested), last)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        """1-based index of the first row shown (0 when the list is empty)."""
        return 0 if self.total == 0 else (self.number - 1) * self.size + 1

    @property
    def last_index(self) -> int:
        return (self.number - 1) * self.size + len(self.items)

    def window(self, radius: int = 2) -> list[int | None]:
        """Page numbers to link: first, last and ``radius`` around the current; None is a gap."""
        keep = {1, self.pages, *range(self.number - radius, self.number + radius + 1)}
        numbers = sorted(n for n in keep if 1 <= n <= self.pages)
        out: list[int | None] = []
        for n in numbers:
            if out and out[-1] is not None and n - out[-1] > 1:
                out.append(None)
            out.append(n)
        return out
