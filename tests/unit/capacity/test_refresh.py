"""Refreshing cached forecasts: only series with new weekly points are refitted."""

from __future__ import annotations

import zlib
from dataclasses import replace
from datetime import date

import numpy as np

from capacity.forecast import MODEL_ETS, MODEL_ETS_TREND, forecast_weekly
from capacity.refresh import BACKTEST_EVERY_WEEKS, has_new_points, refresh_forecasts

MONDAY = date(2024, 1, 1)


def peaks(weeks: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 100 + 0.8 * np.arange(weeks) + rng.normal(0, 2, weeks)


def test_a_series_without_a_new_week_keeps_its_forecast_untouched():
    y = peaks(60)
    cached = forecast_weekly(MONDAY, y, horizon_weeks=20)
    out = refresh_forecasts({"a": (MONDAY.toordinal(), y)}, {"a": cached}, 20, n_jobs=1)
    assert out.refit == () and out.kept == ("a",)
    assert out.forecasts["a"] is cached
    assert not has_new_points(cached, (MONDAY.toordinal(), y.copy()))


def test_a_new_or_changed_week_is_refitted_in_the_form_chosen_before():
    """The cached fit says straight trend; the refit on 61 weeks keeps it (one fit, not
    AICc's two), and its forecast starts a week later."""
    y = peaks(60)
    cached = replace(
        forecast_weekly(MONDAY, y, horizon_weeks=20, damped=False), model=MODEL_ETS_TREND
    )
    grown = np.r_[y, y[-1] + 1]
    changed = y.copy()
    changed[10] += 5  # a late sample raised an old week's peak
    series = {"new": (MONDAY.toordinal(), grown), "late": (MONDAY.toordinal(), changed)}
    out = refresh_forecasts(series, {"new": cached, "late": cached}, 20, n_jobs=1)
    assert set(out.refit) == {"new", "late"} and out.kept == ()
    assert out.forecasts["new"].model == MODEL_ETS_TREND
    assert (out.forecasts["new"].start - cached.start).days == 7
    assert has_new_points(cached, (MONDAY.toordinal() + 7, y))  # history trimmed at the front


def test_the_back_test_is_redone_every_fourth_week_staggered_by_key():
    """With 61 weeks, a key is due when (61 + crc32(key)) % 4 == 0; the others carry the
    last error (here a marker value, 42.0, that no fit would produce)."""
    y = peaks(60)
    cached = replace(forecast_weekly(MONDAY, y, horizon_weeks=20, damped=True),
                     model=MODEL_ETS, backtest_mape_pct=42.0)  # fmt: skip
    grown = np.r_[y, y[-1] + 1]
    keys = [f"link:{i}" for i in range(8)]
    out = refresh_forecasts(
        {k: (MONDAY.toordinal(), grown) for k in keys}, dict.fromkeys(keys, cached), 20, n_jobs=1
    )
    for key in keys:
        due = (61 + zlib.crc32(key.encode())) % BACKTEST_EVERY_WEEKS == 0
        mape = out.forecasts[key].backtest_mape_pct
        assert (mape != 42.0) == due, key
    assert any((61 + zlib.crc32(k.encode())) % BACKTEST_EVERY_WEEKS == 0 for k in keys)


def test_a_series_never_fitted_is_fitted_with_aicc_and_its_back_test():
    y = peaks(60)
    out = refresh_forecasts({"b": (MONDAY.toordinal(), y)}, {}, 20, n_jobs=1)
    assert out.refit == ("b",)
    assert out.forecasts["b"].model in (MODEL_ETS, MODEL_ETS_TREND)
    assert out.forecasts["b"].backtest_mape_pct is not None


def test_the_intervals_are_statsforecasts_own():
    """The bounds come from the closed-form variance, not statsforecast's interval call
    (a third of a fit's cost): they must be the same numbers, damped or straight."""
    from statsforecast.models import AutoETS

    from capacity.forecast import _fit_ets

    y = peaks(104, seed=7)
    for damped in (True, False):
        _, ours = _fit_ets(y, 52, True, damped)
        model = AutoETS(model="AAN", damped=damped)
        model.fit(y)
        theirs = model.predict(h=52, level=[80, 95])
        for bound in ("lo80", "hi80", "lo95", "hi95"):
            expected = theirs[f"{bound[:2]}-{bound[2:]}"]
            assert np.allclose(ours[bound], expected, rtol=1e-9, atol=1e-9), (damped, bound)
