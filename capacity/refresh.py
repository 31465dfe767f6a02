"""Refreshing cached forecasts at province scale: refit only what has new points.

A province has tens of thousands of series (every interface of every device). The
forecasts plan on weekly peaks, so a series whose complete weeks are the same as
when its forecast was fitted has nothing new to say: its cached forecast is kept
as it is, whatever days arrived inside the current week. A series with a new week
(or a changed one: a late sample, a trimmed history) is refitted, with two savings
over a first fit:

- the trend form (damped or straight) AICc chose at the first fit is kept, one fit
  instead of two; a series that was not fitted by ETS chooses again;
- the back-test error (a second fit, on all but the last 8 weeks) is recomputed
  every ``BACKTEST_EVERY_WEEKS`` weeks, staggered by the series' key so that a
  quarter of the series redo it on any day; the others carry their last error.

Pure: the DB adapter (``capacity.inputs``) passes the weekly peaks and the cached
forecasts in and stores what comes out.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from capacity.forecast import (
    DEFAULT_HORIZON_WEEKS,
    MODEL_ETS,
    MODEL_ETS_TREND,
    Forecast,
    forecast_weekly,
)

BACKTEST_EVERY_WEEKS = 4

WeeklyPeaks = tuple[int, np.ndarray]
"""A series as the models see it: the ordinal of its first week's Monday, and its peaks."""


@dataclass(frozen=True)
class Refresh:
    """The forecasts after a refresh, and which series were refitted or kept."""

    forecasts: dict[str, Forecast]
    refit: tuple[str, ...]
    kept: tuple[str, ...]


@dataclass(frozen=True)
class _Task:
    key: str
    first: int
    peaks: np.ndarray
    damped: bool | None
    backtest: bool


def has_new_points(cached: Forecast | None, series: WeeklyPeaks) -> bool:
    """Whether the weekly peaks differ from those the cached forecast was fitted on."""
    if cached is None or cached.history_start is None:
        return True
    first, peaks = series
    return cached.history_start.toordinal() != first or not np.array_equal(cached.history, peaks)


def _kept_form(cached: Forecast | None) -> bool | None:
    """The trend form the last fit chose; None (choose again) when it was not an ETS fit."""
    if cached is None:
        return None
    return {MODEL_ETS: True, MODEL_ETS_TREND: False}.get(cached.model)


def _backtest_due(key: str, weeks: int, cached: Forecast | None, form: bool | None) -> bool:
    if cached is None or form is None or cached.backtest_mape_pct is None:
        return True
    return (weeks + zlib.crc32(key.encode())) % BACKTEST_EVERY_WEEKS == 0


def _fit_chunk(tasks: list[_Task], horizon_weeks: int) -> list[tuple[str, Forecast]]:
    return [
        (
            t.key,
            forecast_weekly(
                date.fromordinal(t.first),
                t.peaks,
                horizon_weeks,
                backtest=t.backtest,
                damped=t.damped,
            ),
        )
        for t in tasks
    ]


def _run(
    tasks: list[_Task], horizon_weeks: int, n_jobs: int, chunk_size: int
) -> dict[str, Forecast]:
    chunks = [tasks[i : i + chunk_size] for i in range(0, len(tasks), chunk_size)]
    out: dict[str, Forecast] = {}
    if n_jobs <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            out.update(_fit_chunk(chunk, horizon_weeks))
        return out
    with ProcessPoolExecutor(max_workers=n_jobs) as pool:
        for done in pool.map(_fit_chunk, chunks, [horizon_weeks] * len(chunks)):
            out.update(done)
    return out


def refresh_forecasts(
    series: Mapping[str, WeeklyPeaks],
    cached: Mapping[str, Forecast],
    horizon_weeks: int = DEFAULT_HORIZON_WEEKS,
    n_jobs: int | None = None,
    chunk_size: int = 500,
) -> Refresh:
    """Keep the cached forecast of every series without new weekly points; refit the
    others (``n_jobs`` processes, None: one per core). Series with no peaks are left out."""
    kept: dict[str, Forecast] = {}
    tasks: list[_Task] = []
    for key, (first, peaks) in series.items():
        if len(peaks) == 0:
            continue
        old = cached.get(key)
        if old is not None and not has_new_points(old, (first, peaks)):
            kept[key] = old
            continue
        form = _kept_form(old)
        tasks.append(_Task(key, first, peaks, form, _backtest_due(key, len(peaks), old, form)))
    fitted = _run(tasks, horizon_weeks, n_jobs or os.cpu_count() or 1, chunk_size)
    for task in tasks:
        old = cached.get(task.key)
        if not task.backtest and old is not None:  # carry the last back-test error
            fitted[task.key] = replace(fitted[task.key], backtest_mape_pct=old.backtest_mape_pct)
    return Refresh({**kept, **fitted}, tuple(t.key for t in tasks), tuple(kept))
