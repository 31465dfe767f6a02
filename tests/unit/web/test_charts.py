"""The overview's capacity-band chart."""

from __future__ import annotations

import json

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
