"""Forecasts that plan against weekly peaks (DESIGN.md §6).

A daily series (a link's daily p95, a cluster's daily allocation, a pool's used
TB) is reduced to its weekly peaks: the max removes the weekly season and is what
capacity must carry. The weekly peaks are then forecast by

* an exponential-smoothing model with additive trend, damped or not as AICc
  chooses — ETS(A,Ad,N) or ETS(A,A,N), statsforecast's AutoETS — when there are
  at least :data:`ETS_MIN_WEEKS` weeks;
* an ordinary-least-squares line with Student-t prediction intervals, with at
  least :data:`LINEAR_MIN_WEEKS` weeks;
* else the last value, flat, with zero-width intervals (nothing to estimate a
  spread from).

A caution measured in the tests: statsforecast bounds the damping φ to ≤ 0.98 per
step, so at weekly steps a damped trend adds at most φ/(1−φ) = 49 weeks' worth of
today's slope, ever. For a steadily growing resource the point forecast (and so
time-to-exhaustion) is late by weeks at a few months out and by far more over a
five-year horizon. So the default (``damped=None``) lets AICc choose a straight
trend where the data support it; ``damped=True`` forces DESIGN §6's damped trend.

statsforecast is imported lazily: it pulls in pandas and costs about a second,
which code that only reads cached forecasts (the web app) should not pay.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any, Literal, TypedDict

import numpy as np

Bound = Literal["mean", "lo80", "hi80", "lo95", "hi95"]
Interpolation = Literal["linear", "step"]
BOUNDS: tuple[str, ...] = ("mean", "lo80", "hi80", "lo95", "hi95")

ETS_MIN_WEEKS = 10
"""Weeks needed for ETS(A,Ad,N).

DESIGN.md §6 says 8, but the model has five free parameters (α, β, φ, level₀,
trend₀) and statsforecast, like R's forecast::ets, refuses n ≤ parameters + 4;
with 8–9 weeks the linear trend is used instead.
"""
LINEAR_MIN_WEEKS = 3
BACKTEST_MIN_WEEKS = 16
BACKTEST_HOLDOUT_WEEKS = 8
DEFAULT_HORIZON_WEEKS = 6 * 52
"""Six years ahead: a five-year request horizon plus a go-live up to a year out."""

MODEL_ETS = "ets_damped"
MODEL_ETS_TREND = "ets_trend"
MODEL_LINEAR = "linear"
MODEL_LAST_VALUE = "last_value"

_Z80 = 1.2815515655446004  # two-sided 80 % normal quantile
_Z95 = 1.959963984540054


@dataclass(frozen=True)
class ForecastPoint:
    """One weekly point of a forecast: the point forecast and its 80 %/95 % bounds."""

    date: date
    mean: float
    lo80: float
    hi80: float
    lo95: float
    hi95: float


class ForecastDocument(TypedDict):
    """A :class:`Forecast` as the forecast cache stores it: dates ISO, arrays as lists."""

    model: str
    start: str
    mean: list[float]
    lo80: list[float]
    hi80: list[float]
    lo95: list[float]
    hi95: list[float]
    backtest_mape_pct: float | None
    history_start: str | None
    history: list[float]


def _floats(values: np.ndarray) -> list[float]:
    return [float(v) for v in values]


@dataclass(frozen=True, eq=False)
class Forecast:
    """A weekly-peak forecast: point k is the peak of the week starting ``start`` + 7k days.

    Arrays rather than a list of points so that thousands of forecasts stay small
    and an evaluation can read a baseline at sixty monthly steps in one call.
    ``history`` holds the weekly peaks the model was fitted on (week k starting
    at ``history_start`` + 7k days), for charts and for refits.
    """

    model: str
    start: date
    mean: np.ndarray
    lo80: np.ndarray
    hi80: np.ndarray
    lo95: np.ndarray
    hi95: np.ndarray
    backtest_mape_pct: float | None = None
    history_start: date | None = None
    history: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def __post_init__(self) -> None:
        n = len(self.mean)
        if n == 0:
            raise ValueError("a forecast needs at least one weekly point")
        for name in BOUNDS:
            arr = np.maximum(np.asarray(getattr(self, name), dtype=float), 0.0)
            if arr.shape != (n,):
                raise ValueError(f"forecast bound {name} has shape {arr.shape}, expected ({n},)")
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        history = np.asarray(self.history, dtype=float)
        history.setflags(write=False)
        object.__setattr__(self, "history", history)

    # -- construction ------------------------------------------------------------

    @classmethod
    def constant(
        cls, value: float, start: date, weeks: int = DEFAULT_HORIZON_WEEKS, model: str = "constant"
    ) -> Forecast:
        """A flat forecast with zero-width intervals: for tests and known fixed loads."""
        flat = np.full(weeks, float(value))
        return cls(model=model, start=start, mean=flat, lo80=flat, hi80=flat, lo95=flat, hi95=flat)

    @classmethod
    def linear(
        cls,
        start: date,
        value: float,
        slope_per_day: float,
        weeks: int = DEFAULT_HORIZON_WEEKS,
        model: str = "linear_given",
    ) -> Forecast:
        """A straight line ``value + slope_per_day × days since start``, zero-width intervals.

        Exact at every day on or after ``start`` (linear interpolation between weekly
        points of a line is the line), so hand-computed tests stay exact.
        """
        line = value + slope_per_day * 7.0 * np.arange(weeks)
        return cls(model=model, start=start, mean=line, lo80=line, hi80=line, lo95=line, hi95=line)

    # -- reading -------------------------------------------------------------------

    @property
    def weeks(self) -> int:
        """Number of weekly points."""
        return len(self.mean)

    @property
    def end(self) -> date:
        """Date of the last weekly point."""
        return self.start + timedelta(days=7 * (self.weeks - 1))

    @cached_property
    def points(self) -> tuple[ForecastPoint, ...]:
        """The weekly points as plain records."""
        return tuple(
            ForecastPoint(
                date=self.start + timedelta(days=7 * k),
                mean=float(self.mean[k]),
                lo80=float(self.lo80[k]),
                hi80=float(self.hi80[k]),
                lo95=float(self.lo95[k]),
                hi95=float(self.hi95[k]),
            )
            for k in range(self.weeks)
        )

    @property
    def history_points(self) -> tuple[tuple[date, float], ...]:
        """The weekly peaks the forecast was fitted on, as (week start, peak)."""
        if self.history_start is None:
            return ()
        return tuple(
            (self.history_start + timedelta(days=7 * k), float(v))
            for k, v in enumerate(self.history)
        )

    def value_at(
        self, at: date, bound: Bound = "mean", interpolation: Interpolation = "linear"
    ) -> float:
        """The point forecast (or a bound) at any day, never below zero.

        ``linear`` interpolates between weekly points; ``step`` holds each week's
        value for the whole week. Before ``start`` the first point holds; after
        ``end`` a linear forecast continues the last week's slope (a step one holds
        the last value) — callers should forecast far enough that this is rare.
        """
        return float(self.values_at(np.array([at.toordinal()]), bound, interpolation)[0])

    def values_at(
        self,
        ordinals: np.ndarray | Sequence[int],
        bound: Bound = "mean",
        interpolation: Interpolation = "linear",
    ) -> np.ndarray:
        """Vectorised :meth:`value_at` over proleptic ordinals (``date.toordinal()``)."""
        if bound not in BOUNDS:
            raise ValueError(f"unknown bound {bound!r}; expected one of {BOUNDS}")
        values: np.ndarray = getattr(self, bound)
        pos = (np.asarray(ordinals, dtype=float) - self.start.toordinal()) / 7.0
        last = self.weeks - 1
        if interpolation == "step":
            idx = np.clip(np.floor(pos), 0, last).astype(int)
            stepped: np.ndarray = values[idx].copy()
            return stepped
        if interpolation != "linear":
            raise ValueError(f"unknown interpolation {interpolation!r}")
        out = np.interp(pos, np.arange(self.weeks, dtype=float), values)
        if last >= 1:
            beyond = pos > last
            if np.any(beyond):
                slope = values[last] - values[last - 1]
                out[beyond] = values[last] + slope * (pos[beyond] - last)
        clipped: np.ndarray = np.maximum(out, 0.0)
        return clipped

    # -- persistence ---------------------------------------------------------------

    def to_dict(self) -> ForecastDocument:
        """A JSON-serialisable form, so the adapter can cache forecasts in the database."""
        return {
            "model": self.model,
            "start": self.start.isoformat(),
            "mean": _floats(self.mean),
            "lo80": _floats(self.lo80),
            "hi80": _floats(self.hi80),
            "lo95": _floats(self.lo95),
            "hi95": _floats(self.hi95),
            "backtest_mape_pct": self.backtest_mape_pct,
            "history_start": self.history_start.isoformat() if self.history_start else None,
            "history": _floats(self.history),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Forecast:
        """Inverse of :meth:`to_dict`.

        It takes any mapping, not a ``ForecastDocument``: the cache column is read back
        untyped, and a row written before ``history`` was kept has no history keys.
        """
        history_start = data.get("history_start")
        return cls(
            model=data["model"],
            start=date.fromisoformat(data["start"]),
            **{name: np.asarray(data[name], dtype=float) for name in BOUNDS},
            backtest_mape_pct=data.get("backtest_mape_pct"),
            history_start=date.fromisoformat(history_start) if history_start else None,
            history=np.asarray(data.get("history", []), dtype=float),
        )


# -- weekly peaks -------------------------------------------------------------------


def _week_start(ordinals: np.ndarray) -> np.ndarray:
    # Ordinal 1 (0001-01-01) is a Monday, so this is the Monday of each ISO week.
    monday: np.ndarray = ordinals - (ordinals - 1) % 7
    return monday


def compute_weekly_peak_array(
    ordinals: np.ndarray, values: np.ndarray
) -> tuple[int | None, np.ndarray]:
    """Weekly peaks as (ordinal of the first week's Monday, peaks), on a regular weekly grid.

    An incomplete first or last week is dropped (its max would understate the
    peak), unless nothing else is left. A week with no sample in the middle is
    filled by linear interpolation, because the models need a regular grid.
    Non-finite values are ignored.
    """
    ords = np.asarray(ordinals, dtype=np.int64)
    vals = np.asarray(values, dtype=float)
    keep = np.isfinite(vals)
    ords, vals = ords[keep], vals[keep]
    if len(ords) == 0:
        return None, np.zeros(0)
    order = np.argsort(ords, kind="stable")
    ords, vals = ords[order], vals[order]
    weeks = _week_start(ords)
    boundaries = np.flatnonzero(np.r_[True, weeks[1:] != weeks[:-1]])
    week_ids = weeks[boundaries]
    peaks = np.maximum.reduceat(vals, boundaries)
    days_seen = np.add.reduceat(np.r_[True, ords[1:] != ords[:-1]].astype(int), boundaries)
    lo, hi = 0, len(week_ids)
    if hi - lo > 1 and days_seen[lo] < 7:
        lo += 1
    if hi - lo > 1 and days_seen[hi - 1] < 7:
        hi -= 1
    week_ids, peaks = week_ids[lo:hi], peaks[lo:hi]
    first = int(week_ids[0])
    index = (week_ids - first) // 7
    grid = np.arange(int(index[-1]) + 1)
    if len(grid) != len(index):
        peaks = np.interp(grid, index, peaks)
    return first, peaks


def compute_weekly_peaks(daily: Iterable[tuple[date, float]]) -> list[tuple[date, float]]:
    """Max per ISO week of a daily series, each dated by the Monday that starts its week.

    Dating a peak by the start of its week is the cautious choice: the capacity it
    needs is assumed from the first day of that week.
    """
    ordinals, values = _to_arrays(daily)
    first, peaks = compute_weekly_peak_array(ordinals, values)
    if first is None:
        return []
    start = date.fromordinal(first)
    return [(start + timedelta(days=7 * k), float(v)) for k, v in enumerate(peaks)]


def _to_arrays(daily: Iterable[tuple[date, float]]) -> tuple[np.ndarray, np.ndarray]:
    pairs = list(daily)
    ordinals = np.fromiter((d.toordinal() for d, _ in pairs), dtype=np.int64, count=len(pairs))
    values = np.fromiter((float(v) for _, v in pairs), dtype=float, count=len(pairs))
    return ordinals, values


# -- models -----------------------------------------------------------------------


def _fit_last_value(y: np.ndarray, h: int) -> dict[str, np.ndarray]:
    flat = np.full(h, float(y[-1]))
    return {"mean": flat, "lo80": flat, "hi80": flat, "lo95": flat, "hi95": flat}


def _fit_linear(y: np.ndarray, h: int) -> dict[str, np.ndarray]:
    """OLS line through the weekly peaks with the textbook prediction interval.

    The half-width is t(n−2) × s × √(1 + 1/n + (x₀ − x̄)² / Sxx), s the residual
    standard deviation; with n = 3 the t quantiles are wide, as they should be.
    """
    from scipy.stats import t as student_t

    n = len(y)
    x = np.arange(n, dtype=float)
    x_mean = x.mean()
    sxx = float(((x - x_mean) ** 2).sum())
    slope = float(((x - x_mean) * (y - y.mean())).sum() / sxx)
    intercept = float(y.mean() - slope * x_mean)
    resid = y - (intercept + slope * x)
    dof = n - 2
    s = math.sqrt(float((resid**2).sum()) / dof) if dof > 0 else 0.0
    x_new = np.arange(n, n + h, dtype=float)
    mean = intercept + slope * x_new
    spread = s * np.sqrt(1.0 + 1.0 / n + (x_new - x_mean) ** 2 / sxx)
    t80 = float(student_t.ppf(0.90, dof))
    t95 = float(student_t.ppf(0.975, dof))
    return {
        "mean": mean,
        "lo80": mean - t80 * spread,
        "hi80": mean + t80 * spread,
        "lo95": mean - t95 * spread,
        "hi95": mean + t95 * spread,
    }


def _ets_variance(model: Mapping[str, Any], h: int) -> np.ndarray:
    """Forecast variance of ETS(A,A,N) or ETS(A,Ad,N) at steps 1…h: the class-1 closed
    forms (Hyndman et al. 2008, table 6.1) statsforecast itself uses, computed here
    because its interval call also builds a scipy distribution each time — a third of
    the cost of a fit, at province scale (tests compare the two)."""
    sigma2 = float(model["sigma2"])
    alpha, beta, phi = (float(model["par"][i]) for i in (0, 1, 3))
    k = np.arange(1, h + 1, dtype=float)
    if model["components"][3:4] != "D":
        return sigma2 * (
            1 + (k - 1) * (alpha**2 + alpha * beta * k + beta**2 * k * (2 * k - 1) / 6)
        )
    exp2 = beta * phi * k / (1 - phi) ** 2
    exp3 = 2 * alpha * (1 - phi) + beta * phi
    exp4 = beta * phi * (1 - phi**k) / ((1 - phi) ** 2 * (1 - phi**2))
    exp5 = 2 * alpha * (1 - phi**2) + beta * phi * (1 + 2 * phi - phi**k)
    return sigma2 * (1 + alpha**2 * (k - 1) + exp2 * exp3 - exp4 * exp5)


def _fit_ets(
    y: np.ndarray, h: int, intervals: bool = True, damped: bool | None = True
) -> tuple[str, dict[str, np.ndarray]]:
    """ETS(A,A?,N) by statsforecast's AutoETS: additive error and trend, no season.

    ``damped=True`` fixes the damped trend of DESIGN §6, ``False`` the straight one;
    ``None`` lets AICc choose between them (twice the cost). Without ``intervals``
    only the mean is computed (a back-test needs no more); with them, the 80 % and
    95 % bounds come from the model's forecast variance (``_ets_variance``).
    """
    from statsforecast.models import AutoETS

    model = AutoETS(model="AAN", damped=damped)
    model.fit(y)
    fitted = model.model_
    name = MODEL_ETS if fitted["components"][3:4] == "D" else MODEL_ETS_TREND
    mean = np.asarray(model.predict(h=h)["mean"], dtype=float)
    result = {"mean": mean}
    if intervals:
        sd = np.sqrt(np.maximum(_ets_variance(fitted, h), 0.0))
        result |= {"lo80": mean - _Z80 * sd, "hi80": mean + _Z80 * sd,
                   "lo95": mean - _Z95 * sd, "hi95": mean + _Z95 * sd}  # fmt: skip
    if not all(np.all(np.isfinite(v)) for v in result.values()):
        raise FloatingPointError("ETS produced non-finite forecasts")
    return name, result


def fit_weekly(
    y: np.ndarray, h: int, intervals: bool = True, damped: bool | None = True
) -> tuple[str, dict[str, np.ndarray]]:
    """Choose the model by the number of weekly points and forecast ``h`` weeks.

    Returns the model name and the bounds (only ``mean`` for an ETS fit without
    ``intervals``). If the ETS fit fails (a degenerate series the optimiser cannot
    handle), the linear trend stands in, so a batch of thousands never stops on
    one series.
    """
    n = len(y)
    if n == 0:
        raise ValueError("no weekly points to forecast")
    if n >= ETS_MIN_WEEKS:
        try:
            return _fit_ets(y, h, intervals, damped)
        except (NotImplementedError, FloatingPointError, ValueError, ZeroDivisionError):
            pass
    if n >= LINEAR_MIN_WEEKS:
        return MODEL_LINEAR, _fit_linear(y, h)
    return MODEL_LAST_VALUE, _fit_last_value(y, h)


def compute_backtest_mape_pct(y: np.ndarray, damped: bool | None = True) -> float | None:
    """MAPE (percent) of a refit on all but the last 8 weeks, predicting those 8.

    Only with ≥ 16 weeks, so the refit has as many weeks as it predicts. Weeks
    whose actual peak is zero are left out (their percentage error is undefined);
    None when all are.
    """
    if len(y) < BACKTEST_MIN_WEEKS:
        return None
    train, test = y[:-BACKTEST_HOLDOUT_WEEKS], y[-BACKTEST_HOLDOUT_WEEKS:]
    _, pred = fit_weekly(train, BACKTEST_HOLDOUT_WEEKS, intervals=False, damped=damped)
    nonzero = test != 0
    if not np.any(nonzero):
        return None
    errors = np.abs((test[nonzero] - pred["mean"][nonzero]) / test[nonzero])
    return float(100.0 * errors.mean())


def forecast_weekly(
    first_week: date,
    peaks: Sequence[float] | np.ndarray,
    horizon_weeks: int = DEFAULT_HORIZON_WEEKS,
    backtest: bool = True,
    damped: bool | None = None,
) -> Forecast:
    """Forecast a regular weekly-peak series whose first week starts on ``first_week``.

    ``damped`` is passed to the ETS fit (see :func:`fit_weekly`): True is DESIGN §6's
    damped trend, None lets AICc decide.
    """
    y = np.asarray(peaks, dtype=float)
    if len(y) == 0:
        raise ValueError("no weekly points to forecast")
    if horizon_weeks < 1:
        raise ValueError("horizon_weeks must be ≥ 1")
    model, bounds = fit_weekly(y, horizon_weeks, damped=damped)
    # The back-test refits the form the full fit chose (damped or not) rather than
    # choosing again: it measures the model we use, at half the cost of a choice.
    chosen = damped if damped is not None else model == MODEL_ETS
    return Forecast(
        model=model,
        start=first_week + timedelta(days=7 * len(y)),
        backtest_mape_pct=compute_backtest_mape_pct(y, chosen) if backtest else None,
        history_start=first_week,
        history=y,
        **bounds,
    )


def forecast_series(
    daily: Iterable[tuple[date, float]],
    horizon_weeks: int = DEFAULT_HORIZON_WEEKS,
    backtest: bool = True,
    damped: bool | None = None,
) -> Forecast:
    """Forecast a daily series by its weekly peaks, ``horizon_weeks`` weeks ahead.

    The first forecast week is the one after the last (complete) observed week.
    Raises ValueError on an empty series: there is nothing to plan from.
    """
    ordinals, values = _to_arrays(daily)
    first, peaks = compute_weekly_peak_array(ordinals, values)
    if first is None:
        raise ValueError("empty series: nothing to forecast")
    return forecast_weekly(date.fromordinal(first), peaks, horizon_weeks, backtest, damped)


# -- time to exhaustion ----------------------------------------------------------


def time_to_exhaustion(
    forecast: Forecast, limit: float, start: date | None = None, bound: Bound = "mean"
) -> date | None:
    """First day from ``start`` (default the forecast's start) the forecast reaches ``limit``.

    ``start`` itself when already at or above the limit; None when the limit is
    not reached by the forecast's last point.
    """
    first = start or forecast.start
    last = max(forecast.end, first)
    days = np.arange(first.toordinal(), last.toordinal() + 1)
    values = forecast.values_at(days, bound)
    reached = np.flatnonzero(values >= limit - 1e-9 * max(1.0, abs(limit)))
    if len(reached) == 0:
        return None
    return date.fromordinal(int(days[reached[0]]))


def at_risk_from(forecast: Forecast, limit: float, start: date | None = None) -> date | None:
    """First day the upper 80 % bound reaches ``limit``: the cautious exhaustion date."""
    return time_to_exhaustion(forecast, limit, start, bound="hi80")


# -- many series -----------------------------------------------------------------


def _forecast_chunk(
    chunk: list[tuple[str, int, np.ndarray]],
    horizon_weeks: int,
    backtest: bool,
    damped: bool | None,
) -> list[tuple[str, Forecast]]:
    return [
        (key, forecast_weekly(date.fromordinal(first), peaks, horizon_weeks, backtest, damped))
        for key, first, peaks in chunk
    ]


def forecast_many(
    series: Mapping[str, Iterable[tuple[date, float]]],
    horizon_weeks: int = DEFAULT_HORIZON_WEEKS,
    n_jobs: int | None = None,
    backtest: bool = True,
    chunk_size: int = 250,
    damped: bool | None = None,
) -> dict[str, Forecast]:
    """Forecast many daily series; ``n_jobs`` processes (None: one per core).

    Weekly peaks are computed here, so workers receive a hundred numbers per series
    instead of seven hundred dates. Empty series are left out of the result.
    The per-series fits are independent, so chunks over a process pool scale with
    cores. statsforecast's own StatsForecast class (n_jobs) was measured no faster
    here on the same fits (bench/bench_forecast.py --compare-statsforecast), and
    it has no back-test, no fallback models and needs a DataFrame round trip.
    """
    tasks: list[tuple[str, int, np.ndarray]] = []
    for key, daily in series.items():
        ordinals, values = _to_arrays(daily)
        first, peaks = compute_weekly_peak_array(ordinals, values)
        if first is not None:
            tasks.append((key, first, peaks))
    jobs = n_jobs if n_jobs is not None else (os.cpu_count() or 1)
    chunks = [tasks[i : i + chunk_size] for i in range(0, len(tasks), chunk_size)]
    results: dict[str, Forecast] = {}
    if jobs <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            results.update(_forecast_chunk(chunk, horizon_weeks, backtest, damped))
        return results
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_forecast_chunk, c, horizon_weeks, backtest, damped) for c in chunks]
        for future in futures:
            results.update(future.result())
    return results
