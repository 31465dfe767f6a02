"""The statistics of a rollup: avg, max and p95 (linear between closest ranks)."""

from __future__ import annotations

import pytest

from cmdb.services.rollups import compute_stats


@pytest.mark.parametrize(
    ("values", "stats"),
    [
        ([5.0], (5.0, 5.0, 5.0, 1)),
        ([1.0, 3.0], (2.0, 3.0, 2.9, 2)),
        (list(map(float, range(1, 101))), (50.5, 100.0, 95.05, 100)),
        ([7.0, 1.0, 4.0], (4.0, 7.0, 6.7, 3)),
    ],
)
def test_compute_stats(values, stats) -> None:
    assert compute_stats(values) == pytest.approx(stats)
