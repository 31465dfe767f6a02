"""Plotly figures of the pages, as JSON for ``static/js/headroom.js`` to draw.

Figures travel as JSON in a ``data-figure`` attribute instead of inline scripts,
so the pages keep working under a strict Content-Security-Policy. Chart text is
limited to numbers and network acronyms, which read the same in Vietnamese and
English; titles belong to the templates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import plotly.graph_objects as go

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
    order = {network: i for i, network in enumerate(Network)}
    out: dict[str, dict[str, int]] = {}
    for network, mbps, count in sorted(rows, key=lambda r: order.get(r[0], len(order))):
        index = next((i for i, upper in enumerate(bands) if mbps <= upper), len(bands))
        per_band = out.setdefault(network, dict.fromkeys(labels, 0))
        per_band[labels[index]] += count
    return out


def links_by_capacity_figure(bands: dict[str, dict[str, int]]) -> str:
    """A stacked bar chart (x: capacity band in Mbps, y: links), one colour per network."""
    figure = go.Figure(
        [
            go.Bar(
                name=NETWORK_NAMES.get(network, network),
                x=list(counts),
                y=list(counts.values()),
                marker_color=NETWORK_COLOURS.get(network),
            )
            for network, counts in bands.items()
        ]
    )
    figure.update_layout(
        barmode="stack",
        template="plotly_white",
        height=300,
        margin={"l": 40, "r": 10, "t": 10, "b": 40},
        xaxis={"title": {"text": "Mbps"}, "type": "category"},
        legend={"orientation": "h", "y": 1.1},
    )
    return figure.to_json()
