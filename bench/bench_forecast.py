"""Time forecasting many synthetic two-year daily series (issue 3 target: 5,000 in < 30 s).

Usage::

    .venv/bin/python bench/bench_forecast.py                  # 5,000 series, all cores
    .venv/bin/python bench/bench_forecast.py --series 500 --jobs 1
    .venv/bin/python bench/bench_forecast.py --compare-statsforecast
    .venv/bin/python bench/bench_forecast.py --damped true   # always the damped trend

Prints the one-off cost of the first forecast (imports of statsforecast, pandas
and scipy; statsforecast ≥ 2 compiles nothing at run time), then the batch time
and the time per series. ``--compare-statsforecast`` also times statsforecast's
StatsForecast class on the same weekly peaks (ETS only, no back-test, no
fallbacks) against ``forecast_many`` without back-test, the like-for-like pair.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import date, timedelta

import numpy as np

from capacity.forecast import (
    DEFAULT_HORIZON_WEEKS,
    compute_weekly_peaks,
    forecast_many,
    forecast_series,
)

START = date(2024, 1, 1)
DAYS = 730


def make_series(seed: int) -> list[tuple[date, float]]:
    """A daily series with a random level, trend, weekly season and noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(DAYS)
    level = rng.uniform(50, 500)
    slope = rng.uniform(-0.05, 0.5)
    season = rng.uniform(0, 0.2) * level * np.sin(2 * np.pi * t / 7)
    values = np.maximum(level + slope * t + season + rng.normal(0, 0.05 * level, DAYS), 0)
    return [(START + timedelta(days=int(i)), float(v)) for i, v in zip(t, values, strict=True)]


def time_statsforecast_class(series: dict[str, list[tuple[date, float]]], jobs: int) -> float:
    """Seconds for StatsForecast(...).forecast on the weekly peaks of every series."""
    import pandas as pd
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    frames = []
    for key, daily in series.items():
        peaks = compute_weekly_peaks(daily)
        frames.append(
            pd.DataFrame(
                {
                    "unique_id": key,
                    "ds": pd.to_datetime([d for d, _ in peaks]),
                    "y": [v for _, v in peaks],
                }
            )
        )
    df = pd.concat(frames, ignore_index=True)
    sf = StatsForecast(models=[AutoETS(model="AAN", damped=True)], freq="W-MON", n_jobs=jobs)
    t0 = time.perf_counter()
    sf.forecast(h=DEFAULT_HORIZON_WEEKS, df=df, level=[80, 95])
    return time.perf_counter() - t0


def main() -> None:
    """Build the series, time the first call, then the batch."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=5000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--compare-statsforecast", action="store_true")
    parser.add_argument(
        "--damped",
        choices=["true", "auto"],
        default="auto",
        help="auto (the default, as the adapter fits): AICc chooses damped or straight "
        "trend; true: always ETS(A,Ad,N)",
    )
    args = parser.parse_args()
    damped = True if args.damped == "true" else None

    t0 = time.perf_counter()
    series = {f"s{i}": make_series(i) for i in range(args.series)}
    print(f"built {args.series} series of {DAYS} days in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    forecast_series(make_series(-1 % 2**32))
    print(f"first forecast (imports, one-off): {1000 * (time.perf_counter() - t0):.0f} ms")

    t0 = time.perf_counter()
    result = forecast_many(series, n_jobs=args.jobs, damped=damped)
    elapsed = time.perf_counter() - t0
    models: dict[str, int] = {}
    for fc in result.values():
        models[fc.model] = models.get(fc.model, 0) + 1
    print(
        f"forecast_many, {args.jobs} job(s), damped={args.damped}, with back-test: "
        f"{elapsed:.1f} s for "
        f"{len(result)} series = {1000 * elapsed / len(result):.2f} ms/series; models {models}"
    )

    if args.compare_statsforecast:
        t0 = time.perf_counter()
        forecast_many(series, n_jobs=args.jobs, backtest=False, damped=damped)
        ours = time.perf_counter() - t0
        theirs = time_statsforecast_class(series, args.jobs)
        n = len(series)
        print(
            f"without back-test: forecast_many {ours:.1f} s ({1000 * ours / n:.2f} ms/series); "
            f"StatsForecast class {theirs:.1f} s ({1000 * theirs / n:.2f} ms/series)"
        )


if __name__ == "__main__":
    main()
