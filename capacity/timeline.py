"""One resource over the planning steps: B(t), R(t), D(t) against ceiling × C.

Both the placement search and the verdict ask the same question of every
resource — at which monthly step does B + R + D first exceed the ceiling — so
it is answered once, here, with the steps as a vector.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np

from capacity.dates import years_between
from capacity.forecast import Bound, Forecast
from capacity.model import fit_tolerance
from capacity.snapshot import Reservation


@dataclass(frozen=True, eq=False)
class ResourceTimeline:
    """Loads of one resource at each planning step, and where they stop fitting."""

    resource: str
    kind: str  # vcpu | ram | storage | link
    owner_id: str
    name: str
    unit: str
    capacity: float
    ceiling_pct: float
    steps: tuple[date, ...]
    baseline: np.ndarray
    reserved: np.ndarray
    demand: np.ndarray
    baseline_model: str
    bands: dict[str, np.ndarray] | None = None
    """The baseline's 80 % and 95 % bounds at each step (``lo80``, ``hi80``, ``lo95``,
    ``hi95``), whichever bound the verdict used: what a chart shades around the load."""

    @property
    def limit(self) -> float:
        """ceiling × C: the most that may be planned."""
        return self.capacity * self.ceiling_pct

    @cached_property
    def total(self) -> np.ndarray:
        """B + R + D at each step."""
        total: np.ndarray = self.baseline + self.reserved + self.demand
        return total

    @cached_property
    def headroom(self) -> np.ndarray:
        """ceiling × C − (B + R + D) at each step; negative is a shortfall."""
        return self.limit - self.total

    @cached_property
    def shortfall(self) -> np.ndarray:
        """How far over the ceiling at each step (0 where it fits)."""
        return _over(self.total, self.limit)

    @cached_property
    def first_fail_index(self) -> int | None:
        """Index of the first step that does not fit (``≤`` fits), None if all fit."""
        return _first_positive(self.shortfall)

    @cached_property
    def own_total(self) -> np.ndarray:
        """B + R at each step: the load without the request (the DC's own growth)."""
        own: np.ndarray = self.baseline + self.reserved
        return own

    @cached_property
    def own_shortfall(self) -> np.ndarray:
        """How far over the ceiling without the request at each step (0 where it fits)."""
        return _over(self.own_total, self.limit)

    @cached_property
    def own_first_fail_index(self) -> int | None:
        """First step that does not fit even without the request, None if all fit."""
        return _first_positive(self.own_shortfall)

    def load(self, *, with_request: bool, horizon: bool) -> float:
        """The load an expansion must carry: at go-live, or the peak of the horizon;
        with the request (B + R + D) or without it (B + R)."""
        series = self.total if with_request else self.own_total
        return float(series.max() if horizon else series[0])

    @property
    def first_fail_date(self) -> date | None:
        """Date of the first step that does not fit."""
        i = self.first_fail_index
        return None if i is None else self.steps[i]

    @property
    def relative_headroom_at_start(self) -> float:
        """Headroom at go-live as a fraction of the ceiling, to compare unlike resources."""
        if self.limit <= 0:
            return -np.inf if self.total[0] > 0 else 0.0
        return float(self.headroom[0] / self.limit)


def _over(load: np.ndarray, limit: float) -> np.ndarray:
    over = load - limit
    return np.where(over > fit_tolerance(limit), over, 0.0)


def _first_positive(values: np.ndarray) -> int | None:
    found = np.flatnonzero(values > 0)
    return int(found[0]) if len(found) else None


def compute_reserved(reservations: Sequence[Reservation], steps: Sequence[date]) -> np.ndarray:
    """R(t) at each step: Σ d0 × (1 + g)^(years since start) of reservations started by t."""
    out = np.zeros(len(steps))
    for r in reservations:
        base = 1.0 + r.growth_pct_per_year / 100.0
        out += np.array(
            [r.d0 * base ** years_between(r.start, t) if t >= r.start else 0.0 for t in steps]
        )
    return out


BAND_BOUNDS: tuple[Bound, ...] = ("lo80", "hi80", "lo95", "hi95")


def build_timeline(
    *,
    resource: str,
    kind: str,
    owner_id: str,
    name: str,
    unit: str,
    capacity: float,
    ceiling_pct: float,
    baseline: Forecast,
    reservations: Sequence[Reservation],
    demand0: float,
    growth: np.ndarray,
    steps: tuple[date, ...],
    step_ordinals: np.ndarray,
    bound: Bound = "mean",
) -> ResourceTimeline:
    """Assemble a resource's timeline; ``growth`` is (1 + g)^(m/12) at each step."""
    return ResourceTimeline(
        resource=resource,
        kind=kind,
        owner_id=owner_id,
        name=name,
        unit=unit,
        capacity=capacity,
        ceiling_pct=ceiling_pct,
        steps=steps,
        baseline=baseline.values_at(step_ordinals, bound),
        reserved=compute_reserved(reservations, steps),
        demand=demand0 * growth,
        baseline_model=baseline.model,
        bands={b: baseline.values_at(step_ordinals, b) for b in BAND_BOUNDS},
    )
