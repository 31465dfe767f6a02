"""Invariants of the verdict (STYLE.md: a pure function with an invariant gets a property test).

* more demand never improves a verdict nor moves its date later;
* more capacity never worsens it;
* a reservation never increases headroom;
* the purchase search's fit by count of extra hosts is the fit of the cluster built.

A verdict is scored by how long the request fits: cannot_host < host_until(date) <
host, and an earlier ``until`` is worse.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capacity.evaluate import VERDICT_CANNOT_HOST, VERDICT_HOST, evaluate_request
from capacity.expansion import ComputeNeed, ServerModel, _cluster_fits, _Grown
from capacity.forecast import Forecast
from capacity.model import (
    ZONES,
    ClusterSpec,
    HostSpec,
    LinkSpec,
    StoragePoolSpec,
    VmSize,
    compute_cluster_capacity,
    compute_usable_tb,
)
from capacity.request import DcBandwidth, Request, SiteBandwidth, Workload
from capacity.snapshot import (
    ClusterState,
    Inventory,
    LinkState,
    Reservation,
    StoragePoolState,
)
from capacity.status import compute_resource_status

START = date(2026, 1, 5)
GO_LIVE = date(2026, 6, 1)
SITES = ("s1", "s2", "s3")
PROPERTY_SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

zones = st.frozensets(st.sampled_from(sorted(ZONES)), min_size=2)


@st.composite
def baselines(draw: st.DrawFn, ceiling: float) -> Forecast:
    """A baseline from empty to full at go-live, flat or growing up to ~40 % of it a year."""
    level = draw(st.floats(0, 1.0)) * ceiling
    slope_per_year = draw(st.sampled_from([0.0, 0.0, 0.1, 0.4])) * ceiling
    return Forecast.linear(START, level, slope_per_year / 365, weeks=6 * 52)


@st.composite
def hosts(draw: st.DrawFn) -> HostSpec:
    return HostSpec(draw(st.sampled_from([8, 16, 32, 64])), draw(st.sampled_from([64, 256, 512])))


@st.composite
def clusters(draw: st.DrawFn, index: int) -> ClusterState:
    spec = ClusterSpec(
        id=f"c{index}",
        hosts=tuple(draw(st.lists(hosts(), min_size=1, max_size=5))),
        cpu_ratio=draw(st.sampled_from([1.0, 2.0, 4.0])),
        ram_ratio=draw(st.sampled_from([1.0, 1.5])),
        ha_reserve_hosts=draw(st.integers(0, 2)),
        max_security_level=draw(st.integers(2, 5)),
        zones=draw(zones),
    )
    cap = compute_cluster_capacity(spec)
    return ClusterState(spec, draw(baselines(0.85 * cap.vcpu)), draw(baselines(0.85 * cap.ram_gb)))


@st.composite
def inventories(draw: st.DrawFn) -> Inventory:
    n_clusters = draw(st.integers(1, 3))
    pools = []
    for i in range(draw(st.integers(1, 2))):
        spec = StoragePoolSpec(
            id=f"p{i}",
            raw_tb=draw(st.floats(10, 500)),
            protection=draw(st.sampled_from(["raid6_8_2", "replica3", "raid10"])),
            cluster_ids=draw(
                st.frozensets(st.sampled_from([f"c{j}" for j in range(n_clusters)]), max_size=2)
            ),
        )
        pools.append(StoragePoolState(spec, draw(baselines(0.8 * compute_usable_tb(spec)))))
    link_mbps = {"u1": [1000.0, 2000.0], "d1": [100.0, 200.0], "x1": [10.0, 20.0]}
    links = []
    for link_id in ("u1", "d1", "x1", "x2", "x3"):
        capacity = draw(st.sampled_from(link_mbps.get(link_id, link_mbps["x1"])))
        links.append(
            LinkState(LinkSpec(link_id, "tslcd", capacity), draw(baselines(0.7 * capacity)))
        )
    return Inventory(
        clusters=tuple(draw(clusters(i)) for i in range(n_clusters)),
        storage_pools=tuple(pools),
        links=tuple(links),
        paths={"tslcd": {s: (f"x{i + 1}", "d1", "u1") for i, s in enumerate(SITES)}},
        dc_uplinks={"tslcd": ("u1",)},
    )


@st.composite
def requests(draw: st.DrawFn) -> Request:
    workloads = tuple(
        Workload(
            f"w{i}",
            draw(st.integers(1, 5)),
            draw(st.floats(0.5, 16)),
            draw(st.floats(0.5, 64)),
            draw(st.floats(0, 500)),
        )
        for i in range(draw(st.integers(0, 3)))
    )
    return Request(
        name="r",
        agency="a",
        security_level=draw(st.integers(1, 4)),
        zone=draw(st.sampled_from(sorted(ZONES))),
        go_live=GO_LIVE,
        horizon_years=draw(st.sampled_from([1, 3, 5])),
        growth_pct_per_year=draw(st.floats(0, 40)),
        workloads=workloads,
        storage_tb=draw(st.floats(0, 20)),
        dc_bandwidth=(DcBandwidth("tslcd", draw(st.floats(0, 100))),),
        sites=(
            SiteBandwidth(
                "tslcd",
                draw(st.floats(0, 3)),
                tuple(draw(st.lists(st.sampled_from(SITES), max_size=3))),
            ),
        ),
    )


def score(evaluation) -> float:
    """How long the request fits: −∞ cannot host, the until date's ordinal, +∞ host."""
    if evaluation.verdict == VERDICT_HOST:
        return float("inf")
    if evaluation.verdict == VERDICT_CANNOT_HOST:
        return float("-inf")
    return float(evaluation.until.toordinal())


def scaled(request: Request, factor: float, extra_growth: float) -> Request:
    return replace(
        request,
        workloads=tuple(
            replace(w, vcpu=w.vcpu * factor, ram_gb=w.ram_gb * factor, disk_gb=w.disk_gb * factor)
            for w in request.workloads
        ),
        storage_tb=request.storage_tb * factor,
        dc_bandwidth=tuple(replace(d, mbps=d.mbps * factor) for d in request.dc_bandwidth),
        sites=tuple(replace(s, per_site_mbps=s.per_site_mbps * factor) for s in request.sites),
        growth_pct_per_year=request.growth_pct_per_year + extra_growth,
    )


@PROPERTY_SETTINGS
@given(inventories(), requests(), st.floats(1, 3), st.floats(0, 30))
def test_more_demand_never_improves_the_verdict(inventory, request, factor, extra_growth):
    before = evaluate_request(request, inventory)
    after = evaluate_request(scaled(request, factor, extra_growth), inventory)
    assert score(after) <= score(before)


@st.composite
def more_capacity(draw: st.DrawFn, inventory: Inventory) -> Inventory:
    kind = draw(st.sampled_from(["host", "ratio", "storage", "link"]))
    if kind in ("host", "ratio"):
        i = draw(st.integers(0, len(inventory.clusters) - 1))
        state = inventory.clusters[i]
        spec = state.spec
        if kind == "host":
            spec = replace(spec, hosts=(*spec.hosts, draw(hosts())))
        else:
            spec = replace(spec, cpu_ratio=spec.cpu_ratio * 1.5, ram_ratio=spec.ram_ratio * 1.25)
        new = replace(state, spec=spec)
        return replace(
            inventory, clusters=(*inventory.clusters[:i], new, *inventory.clusters[i + 1 :])
        )
    if kind == "storage":
        i = draw(st.integers(0, len(inventory.storage_pools) - 1))
        state = inventory.storage_pools[i]
        new = replace(state, spec=replace(state.spec, raw_tb=state.spec.raw_tb * 2))
        pools = inventory.storage_pools
        return replace(inventory, storage_pools=(*pools[:i], new, *pools[i + 1 :]))
    i = draw(st.integers(0, len(inventory.links) - 1))
    state = inventory.links[i]
    new = replace(state, spec=replace(state.spec, capacity_mbps=state.spec.capacity_mbps * 10))
    return replace(inventory, links=(*inventory.links[:i], new, *inventory.links[i + 1 :]))


@PROPERTY_SETTINGS
@given(st.data(), inventories(), requests())
def test_more_capacity_never_worsens_the_verdict(data, inventory, request):
    before = evaluate_request(request, inventory)
    bigger = data.draw(more_capacity(inventory))
    after = evaluate_request(request, bigger)
    assert score(after) >= score(before)


@st.composite
def reservations(draw: st.DrawFn, inventory: Inventory) -> Reservation:
    keys = [r.resource for r in compute_resource_status(inventory, (), START)]
    return Reservation(
        resource=draw(st.sampled_from(keys)),
        start=GO_LIVE + timedelta(days=draw(st.integers(-700, 700))),
        d0=draw(st.floats(0, 200)),
        growth_pct_per_year=draw(st.floats(0, 30)),
    )


@PROPERTY_SETTINGS
@given(st.data(), inventories(), requests())
def test_a_reservation_never_increases_headroom(data, inventory, request):
    reservation = data.draw(reservations(inventory))
    before = evaluate_request(request, inventory)
    after = evaluate_request(request, inventory, [reservation])
    rows_before = {r.resource: r for r in before.rows}
    for row in after.rows:
        if row.resource in rows_before:
            assert row.headroom <= rows_before[row.resource].headroom + 1e-9
    assert score(after) <= score(before)
    status_before = compute_resource_status(inventory, (), GO_LIVE)
    status_after = compute_resource_status(inventory, [reservation], GO_LIVE)
    for b, a in zip(status_before, status_after, strict=True):
        assert a.headroom <= b.headroom + 1e-9


@PROPERTY_SETTINGS
@given(inventories(), requests(), st.floats(1, 3))
def test_more_demand_never_lowers_the_charge_and_no_demand_costs_nothing(
    inventory, request, factor
):
    """The charge is sized with minus without the request: never negative, nothing for a
    request of no size, and never less for a bigger one placed alike (a bigger request may
    move to another cluster, whose own need differs)."""
    ev = evaluate_request(request, inventory)
    assert ev.cost.expansion_vnd >= 0
    assert ev.cost.expansion_vnd == pytest.approx(
        ev.bills.dc.total_vnd + ev.bills.network.total_vnd
    )
    nothing = evaluate_request(scaled(request, 0.0, 0.0), inventory)
    assert nothing.expansion.at_horizon == ()
    bigger = evaluate_request(scaled(request, factor, 0.0), inventory)
    unresolved = ev.expansion.unresolved or bigger.expansion.unresolved
    if bigger.placement == ev.placement and not unresolved:
        assert bigger.cost.expansion_vnd >= ev.cost.expansion_vnd - 1e-6


servers = st.builds(
    ServerModel,
    st.sampled_from(["A", "B", "C"]),
    st.sampled_from([16, 32, 64, 96]),
    st.sampled_from([128, 383.7, 512, 768.25]),
    st.integers(50, 900).map(lambda x: x * 1_000_000.0),
)


@settings(PROPERTY_SETTINGS, max_examples=300)  # cheap examples: no evaluation
@given(
    st.lists(hosts(), max_size=5),
    st.integers(0, 2),
    st.floats(0, 300),
    st.floats(0, 2000),
    # Some VMs only the larger models take: the count of each model decides.
    st.lists(
        st.builds(VmSize, st.sampled_from([8, 100, 150]), st.sampled_from([32, 600])), max_size=2
    ),
    st.lists(servers, min_size=1, max_size=4),
    st.data(),
)
def test_probing_extra_hosts_by_count_agrees_with_building_the_cluster(
    current, ha, vcpu, ram, vms, models, data
):
    cluster = ClusterSpec("c", tuple(current), 2.0, 1.5, ha)
    need = ComputeNeed(cluster, vcpu, ram, tuple(vms))
    counts = data.draw(st.lists(st.integers(0, 12), min_size=len(models), max_size=len(models)))
    extra = tuple(
        HostSpec(cores=m.cores, ram_gb=m.ram_gb, name=m.name)
        for m, n in zip(models, counts, strict=True)
        for _ in range(n)
    )
    built = replace(cluster, hosts=(*cluster.hosts, *extra))
    assert _Grown(need, models).fits(counts) == _cluster_fits(built, need)
