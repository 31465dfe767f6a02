"""The monthly series kept with an evaluation (paper inventory of ``builders``)."""

from __future__ import annotations

import pytest

from capacity import series as series_module
from capacity.evaluate import evaluate_request
from tests.unit.capacity.builders import dc, inventory, link, request, sites


def test_series_hold_b_r_d_and_the_ceiling_at_every_monthly_step() -> None:
    """10 % growth: D(12 months) = 40 vCPU × 1.1 = 44; B stays 200; ceiling 326.4."""
    ev = evaluate_request(request(growth_pct_per_year=10.0), inventory())

    series = ev.series
    assert len(series["steps"]) == 61
    assert series["steps"][0] == "2026-03-01" and series["steps"][12] == "2027-03-01"
    vcpu = series["resources"]["cluster:c1:vcpu"]
    assert vcpu["limit"] == pytest.approx(326.4)
    assert vcpu["baseline"][0] == pytest.approx(200)
    assert vcpu["reserved"] == [0.0] * 61
    assert vcpu["demand"][0] == pytest.approx(40)
    assert vcpu["demand"][12] == pytest.approx(44)
    assert set(series["resources"]) == {
        "cluster:c1:vcpu",
        "cluster:c1:ram",
        "storage:p1",
    }
    assert ev.to_dict()["series"] == series


def test_links_charted_are_the_ones_that_run_short_first_then_the_tightest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """4 Mbps per commune: d1 (60 + 12 > 70) is short at go-live, x1..x3 fit (6 ≤ 7).

    The uplink u1 keeps (700 − 312) / 700 = 55 % of its ceiling free, the commune
    links 1/7 = 14 %: d1 first, then x1..x3 (by name), then u1. With room for two
    links, d1 and x1.
    """
    req = request(workloads=(), storage_tb=0, sites=sites(4, "s1", "s2", "s3"))
    ev = evaluate_request(req, inventory())
    assert list(ev.series["resources"]) == ["link:d1", "link:x1", "link:x2", "link:x3", "link:u1"]

    monkeypatch.setattr(series_module, "MAX_LINK_SERIES", 2)
    bounded = evaluate_request(req, inventory())
    assert list(bounded.series["resources"]) == ["link:d1", "link:x1"]


def test_a_dc_uplink_comes_first_then_the_tighter_links() -> None:
    """The request sends 10 Mbps to the DC, so u1 carries DC demand and leads.

    Then by free share of the ceiling: x2 (7 − 5) / 7 = 29 %, x3 4/7 = 57 %,
    x1 5/7 = 71 %, d1 (70 − 13) / 70 = 81 %.
    """
    links = (
        link("u1", 1000, 300),
        link("d1", 100, 10),
        link("x1", 10, 1),
        link("x2", 10, 4),
        link("x3", 10, 2),
    )
    ev = evaluate_request(
        request(workloads=(), storage_tb=0, sites=sites(1, "s1", "s2", "s3"), dc_bandwidth=dc(10)),
        inventory(links=links),
    )
    assert list(ev.series["resources"]) == ["link:u1", "link:x2", "link:x3", "link:x1", "link:d1"]
