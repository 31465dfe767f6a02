"""The overview's capacity-band chart."""

from __future__ import annotations

import json
from datetime import date

from web.ui.charts import compute_capacity_bands, links_by_capacity_figure


def test_capacities_fall_in_the_first_band_they_do_not_exceed() -> None:
    bands = compute_capacity_bands(
        [("tslcd", 20.0, 200), ("tslcd", 4.0, 5), ("tslcd", 20.5, 1), ("internet", 20000.0, 2)]
    )
    assert bands["tslcd"]["≤ 10"] == 5
    assert bands["tslcd"]["≤ 20"] == 200
    assert bands["tslcd"]["≤ 50"] == 1
    assert bands["internet"]["> 10,000"] == 2
    assert sum(bands["internet"].values()) == 2


def test_every_band_is_present_and_networks_keep_their_order() -> None:
    bands = compute_capacity_bands([("wan", 100.0, 1), ("internet", 1000.0, 1)])
    assert list(bands) == ["internet", "wan"]
    assert list(bands["wan"]) == [
        "≤ 10",
        "≤ 20",
        "≤ 50",
        "≤ 100",
        "≤ 1,000",
        "≤ 10,000",
        "> 10,000",
    ]


def test_no_links_no_bands() -> None:
    assert compute_capacity_bands([]) == {}


def test_figure_is_a_stacked_bar_per_network() -> None:
    figure = json.loads(links_by_capacity_figure(compute_capacity_bands([("tslcd", 20.0, 3)])))
    assert figure["layout"]["barmode"] == "stack"
    assert [(t["type"], t["name"]) for t in figure["data"]] == [("bar", "TSLCD")]


def _forecast_end_shown(until: date | None) -> date:
    """The last day of the forecast line of a chart drawn on 5 Jan 2026."""
    from capacity.forecast import Forecast
    from web.ui.charts import OutlookLabels, outlook_figure

    today = date(2026, 1, 5)
    labels = OutlookLabels("history", "forecast", "80", "95", "ceiling", "today", "Mbps")
    forecast = Forecast.linear(today, 100, 1.0, weeks=6 * 52)  # six years of weekly points
    figure = json.loads(outlook_figure([], forecast, 700, today, labels, until=until))
    (line,) = [trace for trace in figure["data"] if trace.get("name") == "forecast"]
    return date.fromisoformat(line["x"][-1])


def test_a_chart_spans_two_years_without_a_longer_request() -> None:
    assert date(2027, 12, 20) <= _forecast_end_shown(None) <= date(2028, 1, 5)


def test_a_chart_spans_the_longest_open_requests_horizon() -> None:
    """An open request going live in March 2026 for 5 years plans to 1 March 2031."""
    end = _forecast_end_shown(date(2031, 3, 1))
    assert date(2031, 2, 22) <= end <= date(2031, 3, 1)


def test_the_chart_adds_the_reservations_as_they_grow() -> None:
    """A flat forecast of 100 and a reservation that grows 1 a week: the forecast line is
    100 + what is held at each weekly point, not today's figure held flat."""
    from capacity.forecast import Forecast
    from web.ui.charts import OutlookLabels, outlook_figure

    today = date(2026, 1, 5)
    labels = OutlookLabels("history", "forecast", "80", "95", "ceiling", "today", "Mbps")
    forecast = Forecast.constant(100, today, weeks=10)
    held = [float(week) for week in range(len(forecast.points))]
    figure = json.loads(outlook_figure([], forecast, 700, today, labels, reserved=held))
    (line,) = [trace for trace in figure["data"] if trace.get("name") == "forecast"]
    assert line["y"] == [100 + h for h in held]
