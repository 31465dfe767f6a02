"""The garbage collector tuned for a test process: objects kept for the whole session
left out of its passes, and young objects collected in larger batches.

A test process holds everything it collected (thousands of test items, every test
module and what they import) and creates hundreds of apps, sessions and ORM objects
that become garbage within a test. With CPython's default thresholds (700, 10, 10) the
collector ran so often over that heap that it took a quarter of the quick tier's time:
`make test-fast` went from 79.5 s to 59.9 s (summed test time 133.8 → 100.1 s) with
both changes below, and to 75.3 s with the freeze alone (BENCHMARKS.md, "The quick
tier on 2026-12-07, third session"). Cycles are still collected, in fewer passes; the
frozen objects live until the process ends anyway.
"""

from __future__ import annotations

import gc

import pytest

# Allocations before a young collection, and collections before an older one.
THRESHOLDS = (20_000, 50, 100)


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()  # what collection made stays for the session: never traverse it again
    gc.set_threshold(*THRESHOLDS)
