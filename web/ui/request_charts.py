"""The chart of a request's evaluation: demand against headroom, month by month.

Headroom here is what the resource leaves the request — ceiling × C − B(t) − R(t);
the request fits in a month when its demand D(t) stays at or under that line, so
the month the two lines cross is the verdict's date. Names arrive translated
from the view (this module does not know the language). Built as a plain plotly.js
dictionary, like every chart of the pages (``web.ui.charts`` says why): a request
page draws one per resource, and ``go.Figure`` cost 50 ms each.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from web.ui.charts import figure_json

HEADROOM_COLOUR = "#2b8a3e"
DEMAND_COLOUR = "#c92a2a"


def compute_headroom_series(resource: Mapping[str, Any]) -> list[float | None]:
    """ceiling × C − B − R at each step (None where the forecast had no value)."""
    limit = resource["limit"]
    return [
        None if b is None or r is None else round(limit - b - r, 3)
        for b, r in zip(resource["baseline"], resource["reserved"], strict=True)
    ]


def demand_headroom_figure(
    steps: list[str],
    resource: Mapping[str, Any],
    *,
    unit: str,
    names: tuple[str, str],
    shortfall_date: str | None = None,
) -> str:
    """Two lines over the horizon (headroom shaded, demand on top), as plotly JSON."""
    headroom_name, demand_name = names
    data = [
        {
            "type": "scatter",
            "x": steps,
            "y": compute_headroom_series(resource),
            "name": headroom_name,
            "mode": "lines",
            "line": {"color": HEADROOM_COLOUR},
            "fill": "tozeroy",
            "fillcolor": "rgba(43,138,62,0.12)",
        },
        {
            "type": "scatter",
            "x": steps,
            "y": list(resource["demand"]),
            "name": demand_name,
            "mode": "lines",
            "line": {"color": DEMAND_COLOUR, "width": 3},
        },
    ]
    layout: dict[str, Any] = {
        "height": 260,
        "margin": {"l": 50, "r": 10, "t": 10, "b": 30},
        "yaxis": {"title": {"text": unit}, "rangemode": "tozero"},
        "legend": {"orientation": "h", "y": 1.15},
    }
    if shortfall_date is not None:  # a vertical line across the plot, as add_vline draws it
        layout["shapes"] = [
            {
                "type": "line",
                "x0": shortfall_date,
                "x1": shortfall_date,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "y domain",
                "line": {"color": DEMAND_COLOUR, "dash": "dot"},
            }
        ]
    return figure_json(data, layout)
