"""Refresh forecasts at province scale (issue 21: 50,000 two-year series in < 60 s).

Usage::

    .venv/bin/python bench/bench_forecast_refresh.py                 # 50,000 series
    .venv/bin/python bench/bench_forecast_refresh.py --series 5000

One run, three timings over the same synthetic series (level, trend, weekly season,
noise; 104 complete weeks, as two years of daily samples give):

1. first fit of every series (``forecast_many``: AICc chooses damped or straight
   trend, back-test included) — what every refresh cost before, since any new
   sample made a cached forecast stale;
2. a refresh after a day inside the week (no series has a new complete week):
   ``refresh_forecasts`` keeps every cached forecast;
3. a refresh after the day that completes a week (every series has a new weekly
   peak): every series refitted in its kept form, a quarter redo their back-test;
4. the fit as it was before this work (AICc form, statsforecast's interval call,
   back-test), on ``--before`` of the series: what every refresh cost per series.

The machine is shared: compare the ratios printed (refresh ÷ first fit), which one
run measures under the same load, and read the load average printed with them.
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date

import numpy as np

from capacity.forecast import (
    DEFAULT_HORIZON_WEEKS,
    compute_backtest_mape_pct,
    compute_weekly_peak_array,
)
from capacity.refresh import refresh_forecasts

START = date(2024, 1, 1)  # a Monday: 728 days are 104 complete weeks
DAYS = 728


def make_daily(seed: int, days: int) -> tuple[np.ndarray, np.ndarray]:
    """A daily series (ordinals, values) with a random level, trend, weekly season, noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(days)
    level = rng.uniform(50, 500)
    slope = rng.uniform(-0.05, 0.5)
    season = rng.uniform(0, 0.2) * level * np.sin(2 * np.pi * t / 7)
    values = np.maximum(level + slope * t + season + rng.normal(0, 0.05 * level, days), 0)
    return START.toordinal() + t, values


def weekly(seed: int, days: int) -> tuple[int, np.ndarray]:
    first, peaks = compute_weekly_peak_array(*make_daily(seed, days))
    assert first is not None
    return first, peaks


def fit_before(y: np.ndarray) -> float:
    """One series as it was fitted before: AICc form, statsforecast's intervals, back-test."""
    from statsforecast.models import AutoETS

    model = AutoETS(model="AAN", damped=None)
    model.fit(y)
    out = model.predict(h=DEFAULT_HORIZON_WEEKS, level=[80, 95])
    damped = model.model_["components"][3:4] == "D"
    mape = compute_backtest_mape_pct(y, damped)
    return float(out["hi-95"][-1]) + (mape or 0.0)


def _before_chunk(chunk: list[np.ndarray]) -> int:
    for y in chunk:
        fit_before(y)
    return len(chunk)


def run_before(series: dict[str, tuple[int, np.ndarray]], jobs: int) -> int:
    chunks = [
        [p for _, p in list(series.values())[i : i + 250]] for i in range(0, len(series), 250)
    ]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return sum(pool.map(_before_chunk, chunks))


def cpu() -> float:
    """CPU seconds of this process and of its finished workers: on a loaded machine
    they measure the work, where wall time measures the neighbours too."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=50_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--before", type=int, default=2000, help="series timed the old way")
    args = parser.parse_args()
    n = args.series
    print(f"{n} series, {args.jobs} job(s); load average before: {load()}")

    t0 = time.perf_counter()
    two_years = {f"if:{i}": weekly(i, DAYS) for i in range(n)}
    print(f"built the weekly peaks of {n} series in {time.perf_counter() - t0:.1f} s")

    # Daily pairs of 50,000 series would take gigabytes: the first fit goes through
    # refresh's no-cache path, which is forecast_many's fit (AICc form, back-test).
    t0, c0 = time.perf_counter(), cpu()
    first = refresh_forecasts(two_years, {}, n_jobs=args.jobs)
    first_s, first_cpu = time.perf_counter() - t0, cpu() - c0
    print(f"1. first fit (AICc form, back-test), no cache: {first_s:.1f} s wall, "
          f"{1000 * first_cpu / n:.2f} CPU ms/series; load {load()}")  # fmt: skip

    inside_week = {k: weekly(int(k[3:]), DAYS + 3) for k in two_years}
    t0 = time.perf_counter()
    same = refresh_forecasts(inside_week, first.forecasts, n_jobs=args.jobs)
    same_s = time.perf_counter() - t0
    print(f"2. refresh, 3 more days (no new week): {same_s:.2f} s, {len(same.refit)} refit, "
          f"{len(same.kept)} kept; ratio to 1: {same_s / first_s:.3f}")  # fmt: skip

    new_week = {k: weekly(int(k[3:]), DAYS + 7) for k in two_years}
    t0, c0 = time.perf_counter(), cpu()
    grown = refresh_forecasts(new_week, first.forecasts, n_jobs=args.jobs)
    grown_s, grown_cpu = time.perf_counter() - t0, cpu() - c0
    print(f"3. refresh, a new week for every series: {grown_s:.1f} s wall, "
          f"{1000 * grown_cpu / n:.2f} CPU ms/series, {len(grown.refit)} refit; "
          f"CPU ratio to 1: {grown_cpu / first_cpu:.3f}; load {load()}")  # fmt: skip

    # 4. before this work, any new sample made a forecast stale and every stale series
    # was fitted as in 1, with statsforecast's own interval call; timed on the first
    # --before series (per series, same run), so the refresh compares as a ratio.
    before = dict(list(two_years.items())[: args.before])
    t0, c0 = time.perf_counter(), cpu()
    fits = run_before(before, args.jobs)
    before_s, before_cpu = (time.perf_counter() - t0) / fits, (cpu() - c0) / fits
    print(
        f"4. before: a full refit with statsforecast's interval call: "
        f"{1000 * before_s:.2f} ms/series wall, {1000 * before_cpu:.2f} CPU ms/series "
        f"({fits} series); CPU ratio 3 ÷ 4 = {grown_cpu / n / before_cpu:.3f}; load {load()}"
    )
    per_core = grown_cpu / n * 50_000 / max(args.jobs, 1)
    print(f"   50,000 series at 3's CPU cost on {args.jobs} free core(s): {per_core:.0f} s")


if __name__ == "__main__":
    main()
