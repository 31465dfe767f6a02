"""Plotly figures of the pages, as JSON for ``static/js/headroom.js`` to draw.

Figures travel as JSON in a ``data-figure`` attribute instead of inline scripts,
so the pages keep working under a strict Content-Security-Policy. Words in a
chart (legend, axis) arrive translated from the page (``OutlookLabels``); titles
belong to the templates.

Figures are built as plain plotly.js dictionaries, not ``plotly.graph_objects``:
building a ``go.Figure`` with a template deep-copies the template on every call
(about 100 ms here), which alone would break the pages' 300 ms budget. The
layout below reproduces what the pages used from ``plotly_white``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from capacity.forecast import Forecast
from cmdb.choices import Network

#: Upper bounds (Mbps) of the capacity bands: the tiers providers sell.
CAPACITY_BANDS_MBPS: tuple[float, ...] = (10, 20, 50, 100, 1000, 10000)

NETWORK_NAMES: dict[str, str] = {
    Network.INTERNET: "Internet",
    Network.TSLCD: "TSLCD",
    Network.WAN: "WAN",
    Network.MAN: "MAN",
    Network.LAN: "LAN",
}


#: The colours of the network badges in static/css/headroom.css, so a network
#: looks the same in a chart as in the tree.
NETWORK_COLOURS: dict[str, str] = {
    Network.INTERNET: "#5f3dc4",
    Network.TSLCD: "#0b7285",
    Network.WAN: "#2b8a3e",
    Network.MAN: "#e67700",
    Network.LAN: "#495057",
}


def band_label(upper: float | None, lower: float | None) -> str:
    if upper is None:
        return f"> {lower:,.0f}"
    return f"≤ {upper:,.0f}"


def compute_capacity_bands(
    rows: Iterable[tuple[str, float, int]], bands: Sequence[float] = CAPACITY_BANDS_MBPS
) -> dict[str, dict[str, int]]:
    """Links per capacity band per network, from (network, capacity Mbps, count) rows.

    A capacity belongs to the first band whose upper bound it does not exceed;
    above the last bound is one open band. Every band is present (possibly
    empty) so the x axis is stable; networks appear in their declared order.
    """
    labels = [band_label(b, None) for b in bands] + [band_label(None, bands[-1])]
    order: dict[str, int] = {network: i for i, network in enumerate(Network)}
    out: dict[str, dict[str, int]] = {}
    for network, mbps, count in sorted(rows, key=lambda r: order.get(r[0], len(order))):
        index = next((i for i, upper in enumerate(bands) if mbps <= upper), len(bands))
        per_band = out.setdefault(network, dict.fromkeys(labels, 0))
        per_band[labels[index]] += count
    return out


#: The look of every chart (plotly's "plotly_white": white background, light grid).
AXIS = {"gridcolor": "#ebf0f8", "zerolinecolor": "#ebf0f8", "automargin": True}
LAYOUT: dict[str, Any] = {
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "font": {"color": "#2a3f5f"},
    "hoverlabel": {"align": "left"},
}


def figure_json(data: list[dict[str, Any]], layout: dict[str, Any]) -> str:
    """A figure as plotly.js reads it: ``data`` and ``layout`` over the pages' look."""
    merged = {**LAYOUT, **layout}
    for axis in ("xaxis", "yaxis"):
        merged[axis] = {**AXIS, **layout.get(axis, {})}
    return json.dumps({"data": data, "layout": merged}, ensure_ascii=False)


def links_by_capacity_figure(bands: dict[str, dict[str, int]]) -> str:
    """A stacked bar chart (x: capacity band in Mbps, y: links), one colour per network."""
    data = [
        {
            "type": "bar",
            "name": NETWORK_NAMES.get(network, network),
            "x": list(counts),
            "y": list(counts.values()),
            "marker": {"color": NETWORK_COLOURS.get(network)},
        }
        for network, counts in bands.items()
    ]
    return figure_json(
        data,
        {
            "barmode": "stack",
            "height": 300,
            "margin": {"l": 40, "r": 10, "t": 10, "b": 40},
            "xaxis": {"title": {"text": "Mbps"}, "type": "category"},
            "legend": {"orientation": "h", "y": 1.1},
        },
    )


#: How far ahead a resource's chart shows its forecast at least: the planning questions
#: of the dashboard (a year) with room to see the trend bend. Further when an open
#: request plans further (``until``), as far as the forecast goes.
FORECAST_WEEKS_SHOWN = 104


@dataclass(frozen=True)
class OutlookLabels:
    """The chart's words, translated by the page (this module stays language-free)."""

    history: str
    forecast: str
    band80: str
    band95: str
    ceiling: str
    today: str
    unit: str
    current: str = ""


def _held(reserved: float | Sequence[float], n: int) -> list[float]:
    """The reservations at each of ``n`` weekly points (one figure: the same at each)."""
    if isinstance(reserved, int | float):
        return [float(reserved)] * n
    if len(reserved) != n:
        raise ValueError(f"{len(reserved)} reservation figures for {n} forecast points")
    return [float(r) for r in reserved]


def outlook_figure(
    daily: Sequence[tuple[date, float]],
    forecast: Forecast,
    ceiling: float,
    today: date,
    labels: OutlookLabels,
    reserved: float | Sequence[float] = 0.0,
    current: tuple[date, float] | None = None,
    until: date | None = None,
) -> str:
    """History of daily peaks, the weekly forecast with its 95 % and 80 % bands, the
    ceiling as a line, today as a marker and the current peak (``current``: the week's
    Monday and its peak) across its week: one chart for clusters, pools and links.

    Approved reservations are added to the forecast (what must fit under the ceiling):
    one figure, or one per weekly point of ``forecast`` (grown as the verdict grows them).
    The forecast is shown to ``until`` (the end of the longest open request's horizon)
    when that is further than ``FORECAST_WEEKS_SHOWN`` weeks from today.
    """
    last = max(today + timedelta(weeks=FORECAST_WEEKS_SHOWN), until or today)
    held = _held(reserved, len(forecast.points))
    shown = [
        (p, r)
        for p, r in zip(forecast.points, held, strict=True)
        if today - timedelta(days=7) <= p.date <= last
    ]
    shown = shown or [(forecast.points[-1], held[-1])]
    points = [p for p, _ in shown]
    extra = [r for _, r in shown]
    days = [p.date.isoformat() for p in points]

    def line(values: Iterable[float], **style: Any) -> dict[str, Any]:
        return {"type": "scatter", "mode": "lines", "x": days, "y": list(values), **style}

    def band(lo: str, hi: str, name: str, colour: str) -> list[dict[str, Any]]:
        return [
            line((getattr(p, hi) + r for p, r in zip(points, extra, strict=True)),
                 line={"width": 0}, showlegend=False, hoverinfo="skip", legendgroup=name),
            line((getattr(p, lo) + r for p, r in zip(points, extra, strict=True)),
                 line={"width": 0}, fill="tonexty", fillcolor=colour, name=name,
                 legendgroup=name),
        ]  # fmt: skip

    start = daily[0][0].isoformat() if daily else days[0]
    data = [
        {"type": "scatter", "mode": "lines", "name": labels.history,
         "x": [d.isoformat() for d, _ in daily], "y": [round(v, 3) for _, v in daily],
         "line": {"color": "#495057", "width": 1}},
        *band("lo95", "hi95", labels.band95, "rgba(13,110,253,0.12)"),
        *band("lo80", "hi80", labels.band80, "rgba(13,110,253,0.25)"),
        line((p.mean + r for p, r in zip(points, extra, strict=True)), name=labels.forecast,
             line={"color": "#0d6efd", "width": 2, "dash": "dash"}),
        {"type": "scatter", "mode": "lines", "name": labels.ceiling, "x": [start, days[-1]],
         "y": [ceiling, ceiling], "line": {"color": "#dc3545", "width": 2}},
    ]  # fmt: skip
    if current is not None:
        week, peak = current
        data.append(
            {"type": "scatter", "mode": "lines+markers", "name": labels.current,
             "x": [week.isoformat(), (week + timedelta(days=6)).isoformat()],
             "y": [round(peak, 3)] * 2, "line": {"color": "#fd7e14", "width": 3}}
        )  # fmt: skip
    marker = today.isoformat()
    return figure_json(
        data,
        {
            "height": 320,
            "margin": {"l": 50, "r": 10, "t": 20, "b": 40},
            "yaxis": {"title": {"text": labels.unit}, "rangemode": "tozero"},
            "legend": {"orientation": "h", "y": -0.15},
            "hovermode": "x unified",
            "shapes": [{"type": "line", "xref": "x", "yref": "paper", "x0": marker,
                        "x1": marker, "y0": 0, "y1": 1,
                        "line": {"color": "#6c757d", "dash": "dot", "width": 1}}],
            "annotations": [{"x": marker, "y": 1, "xref": "x", "yref": "paper",
                             "text": labels.today, "showarrow": False, "yanchor": "bottom"}],
        },
    )  # fmt: skip


def health_figure(lines: Mapping[str, Sequence[tuple[datetime, float]]], up: str | None) -> str:
    """An interface's hours: a line per packet series (per second, left axis) and, when
    given, the series named ``up`` as the share of each hour the port was up (right axis,
    0–100 %). ``lines`` are keyed by their translated names."""
    data: list[dict[str, Any]] = []
    for name, points in lines.items():
        on_right = name == up
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": name,
                "x": [at.isoformat() for at, _ in points],
                "y": [value for _, value in points],
                "line": {"dash": "dot", "color": "#2ca02c"} if on_right else {},
                **({"yaxis": "y2"} if on_right else {}),
            }
        )
    return figure_json(
        data,
        {
            "height": 260,
            "margin": {"l": 40, "r": 40, "t": 10, "b": 30},
            "legend": {"orientation": "h", "y": 1.15},
            "yaxis": {"rangemode": "tozero"},
            "yaxis2": {
                "overlaying": "y",
                "side": "right",
                "range": [0, 1.05],
                "tickformat": ".0%",
                "showgrid": False,
            },
        },
    )
