"""The monthly loads behind a verdict, kept with the answer so it can be drawn later.

A stored evaluation must show the same chart tomorrow as today, after the
inventory and its forecasts have moved on, so the series are part of the answer
rather than recomputed when a page is opened. Charting every link of a
province-wide request would store hundreds of series nobody reads; the links kept
are those that decide the verdict: the DC uplinks, the ones that run short, then
the tightest others, up to a bound.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import TypedDict

import numpy as np

from capacity.timeline import ResourceTimeline

MAX_LINK_SERIES = 12
"""Links charted per evaluation: enough for the saturating ones of a province-wide
roll-out to be seen, small enough that a stored evaluation stays a few kB."""


def select_charted(
    resources: Sequence[ResourceTimeline],
    links: Sequence[ResourceTimeline],
    uplinks: set[str],
    max_links: int | None = None,
) -> list[ResourceTimeline]:
    """Every compute and storage resource, then links: uplinks first, then by how
    early they run short, then by how little headroom they keep (relative to ceiling);
    at most ``max_links`` (default ``MAX_LINK_SERIES``) links."""
    bound = MAX_LINK_SERIES if max_links is None else max_links

    def key(t: ResourceTimeline) -> tuple[int, int, float, str]:
        fail = t.first_fail_index
        return (
            0 if t.owner_id in uplinks else 1,
            len(t.steps) if fail is None else fail,
            _min_relative_headroom(t),
            t.name,
        )

    return [*resources, *sorted(links, key=key)[:bound]]


def _min_relative_headroom(t: ResourceTimeline) -> float:
    if t.limit <= 0:
        return -np.inf
    return float(t.headroom.min() / t.limit)


class ResourceSeries(TypedDict, total=False):
    """One resource's monthly ceiling × C, B(t), R(t) and D(t) (None where not finite),
    and the baseline's 80 % and 95 % bounds (``baseline_lo80`` … ``baseline_hi95``;
    absent from evaluations stored before they were kept)."""

    limit: float
    baseline: list[float | None]
    reserved: list[float | None]
    demand: list[float | None]
    baseline_lo80: list[float | None]
    baseline_hi80: list[float | None]
    baseline_lo95: list[float | None]
    baseline_hi95: list[float | None]


class SeriesDocument(TypedDict):
    """The charted series of an evaluation: ISO monthly steps, resources by key."""

    steps: list[str]
    resources: dict[str, ResourceSeries]


def compute_series(timelines: Sequence[ResourceTimeline], steps: Sequence[date]) -> SeriesDocument:
    """``{"steps": [ISO dates], "resources": {key: {"limit", "baseline", "reserved",
    "demand"}}}``: B(t), R(t), D(t) and ceiling × C of each resource at each monthly step."""
    return {
        "steps": [d.isoformat() for d in steps],
        "resources": {t.resource: _resource_series(t) for t in timelines},
    }


def _resource_series(t: ResourceTimeline) -> ResourceSeries:
    series: ResourceSeries = {
        "limit": round(float(t.limit), 3),
        "baseline": _rounded(t.baseline),
        "reserved": _rounded(t.reserved),
        "demand": _rounded(t.demand),
    }
    for bound, values in (t.bands or {}).items():
        series[f"baseline_{bound}"] = _rounded(values)  # type: ignore[literal-required]
    return series


def _rounded(values: np.ndarray) -> list[float | None]:
    # Three decimals: the smallest unit charted (Mbps, GB, vCPU) needs no more,
    # and it keeps the stored JSON small.
    # Python floats first (``tolist``): testing and rounding numpy scalars one by one
    # cost more than the rest of the series.
    points: list[float] = np.asarray(values, dtype=float).tolist()
    return [round(v, 3) if math.isfinite(v) else None for v in points]
