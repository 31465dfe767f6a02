"""Request verdicts on the paper inventory of ``builders`` (every number worked by hand).

Recap (see builders.py): c1 vCPU ceiling 326.4 with baseline 200; RAM ceiling 652.8
with baseline 400; p1 storage ceiling 64 TB with 40 used; links at ceiling 0.70:
u1 700 (300 used), d1 70 (60 used), x1..x3 7 (2 used). Go-live 2026-03-01,
horizon 5 years → 61 monthly steps.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from capacity.evaluate import (
    VERDICT_CANNOT_HOST,
    VERDICT_HOST,
    VERDICT_HOST_UNTIL,
    compute_reservations,
    evaluate_request,
)
from capacity.forecast import Forecast
from capacity.snapshot import ClusterState, Inventory, Reservation
from tests.unit.capacity.builders import (
    GO_LIVE,
    START,
    cluster,
    dc,
    inventory,
    link,
    pool,
    request,
    sites,
    vms,
)


def row(evaluation, resource):
    return next(r for r in evaluation.rows if r.resource == resource)


def test_small_request_is_hosted_with_headroom_per_resource():
    """D0 = 10 × (4 vCPU, 8 GB, 100 GB) + 2 TB = 40 vCPU, 80 GB, 1 + 2 = 3 TB.

    vCPU 200 + 40 = 240 ≤ 326.4 → headroom 86.4
    RAM  400 + 80 = 480 ≤ 652.8 → headroom 172.8
    TB    40 +  3 =  43 ≤ 64    → headroom 21
    """
    ev = evaluate_request(request(), inventory())
    assert ev.verdict == VERDICT_HOST
    assert ev.until is None and ev.first_shortfall is None
    assert (ev.placement.cluster, ev.placement.storage_pool) == ("c1", "p1")
    assert row(ev, "cluster:c1:vcpu").headroom == pytest.approx(86.4)
    assert row(ev, "cluster:c1:ram").headroom == pytest.approx(172.8)
    assert row(ev, "storage:p1").headroom == pytest.approx(21)
    assert row(ev, "storage:p1").demand == pytest.approx(3)
    assert ev.expansion.at_horizon == () and ev.cost.expansion_vnd == 0
    assert ev.horizon_end == date(2031, 3, 1)


def test_growth_tips_a_hosted_request_into_host_until():
    """One VM of 100 vCPU: 200 + 100 = 300 ≤ 326.4 at go-live.

    Without growth it fits throughout. With 50 %/year it fails at month m when
    100 × 1.5^(m/12) > 126.4, i.e. m/12 > ln 1.264 / ln 1.5 = 0.578 → m > 6.93:
    m = 6: 100 × 1.2247 = 122.47 → 322.47 fits; m = 7: 100 × 1.2668 → 326.68 fails.
    Month 7 after 2026-03-01 is 2026-10-01.
    """
    flat = evaluate_request(request(workloads=vms(1, 100)), inventory())
    assert flat.verdict == VERDICT_HOST

    grown = evaluate_request(request(workloads=vms(1, 100), growth_pct_per_year=50), inventory())
    assert grown.verdict == VERDICT_HOST_UNTIL
    assert grown.until == date(2026, 10, 1)
    assert grown.first_shortfall.resource == "cluster:c1:vcpu"
    assert grown.first_shortfall.date == date(2026, 10, 1)
    assert row(grown, "cluster:c1:vcpu").first_shortfall_date == date(2026, 10, 1)


def test_cannot_host_gives_the_shortfall_per_resource():
    """Two VMs of 65 vCPU: 200 + 130 = 330 > 326.4 → short by 3.6 vCPU at go-live.

    RAM 400 + 16 = 416 fits; storage 40 + 2 = 42 fits.
    """
    ev = evaluate_request(request(workloads=vms(2, 65)), inventory())
    assert ev.verdict == VERDICT_CANNOT_HOST
    assert ev.until is None
    assert ev.first_shortfall.resource == "cluster:c1:vcpu"
    assert ev.first_shortfall.date == GO_LIVE
    assert row(ev, "cluster:c1:vcpu").shortfall_at_go_live == pytest.approx(3.6)
    assert row(ev, "cluster:c1:vcpu").headroom == pytest.approx(-3.6)
    assert row(ev, "cluster:c1:ram").shortfall_at_go_live == 0
    assert row(ev, "storage:p1").shortfall_at_go_live == 0


def test_exactly_at_the_ceiling_fits():
    """Two VMs of 63.2 vCPU: 200 + 126.4 = 326.4 = 0.85 × 384 → fits (≤); 63.25 each does not."""
    at = evaluate_request(request(workloads=vms(2, 63.2)), inventory())
    assert at.verdict == VERDICT_HOST
    assert row(at, "cluster:c1:vcpu").headroom == pytest.approx(0)

    over = evaluate_request(request(workloads=vms(2, 63.25)), inventory())
    assert over.verdict == VERDICT_CANNOT_HOST


def test_three_communes_behind_one_district_link_add_up():
    """4 Mbps per commune, s1..s3 behind d1 (60 used, ceiling 70).

    Commune links: 2 + 4 = 6 ≤ 7 each. District d1: 60 + 3 × 4 = 72 > 70 → short by 2.
    DC uplink u1: 300 + 12 = 312 ≤ 700. With two communes d1 carries 60 + 8 = 68 ≤ 70.
    A bandwidth-only request needs no cluster or pool.
    """
    three = request(workloads=(), storage_tb=0, sites=sites(4, "s1", "s2", "s3"))
    ev = evaluate_request(three, inventory())
    assert ev.verdict == VERDICT_CANNOT_HOST
    assert ev.first_shortfall.resource == "link:d1"
    d1 = row(ev, "link:d1")
    assert d1.demand == pytest.approx(12)
    assert d1.shortfall_at_go_live == pytest.approx(2)
    assert d1.sites == ("s1", "s2", "s3")
    assert row(ev, "link:x1").demand == pytest.approx(4)
    assert row(ev, "link:x1").sites == ("s1",)
    assert row(ev, "link:u1").demand == pytest.approx(12)
    assert ev.placement.cluster is None and ev.placement.storage_pool is None
    assert ev.resources == ()

    two = evaluate_request(
        request(workloads=(), storage_tb=0, sites=sites(4, "s1", "s2")), inventory()
    )
    assert two.verdict == VERDICT_HOST
    assert row(two, "link:d1").demand == pytest.approx(8)


def test_dc_bandwidth_and_site_traffic_share_the_uplink():
    """DC demand 380 + 3 sites × 4 on u1: 300 + 380 + 12 = 692 ≤ 700; DC demand 390 → 702 > 700."""
    fits = request(workloads=(), storage_tb=0, dc_bandwidth=dc(380), sites=sites(4, "s1", "s2"))
    ev = evaluate_request(fits, inventory(d1_used=0))
    assert row(ev, "link:u1").demand == pytest.approx(388)
    assert row(ev, "link:u1").carries_dc_demand
    three = request(
        workloads=(), storage_tb=0, dc_bandwidth=dc(390), sites=sites(4, "s1", "s2", "s3")
    )
    ev = evaluate_request(three, inventory(d1_used=0))
    assert ev.verdict == VERDICT_CANNOT_HOST
    assert ev.first_shortfall.resource == "link:u1"
    assert row(ev, "link:u1").shortfall_at_go_live == pytest.approx(2)


def test_ha_reserve_decides_between_host_and_cannot_host():
    """Two VMs of 75 vCPU = 150. With HA reserve 1: C = 384, ceiling 326.4, 200 + 150 = 350 fails.

    Without reserve: C = 4 × 32 × 4 = 512, ceiling 435.2 → 350 fits.
    """
    req = request(workloads=vms(2, 75))
    assert evaluate_request(req, inventory()).verdict == VERDICT_CANNOT_HOST
    no_reserve = inventory(clusters=(cluster(ha=0),))
    ev = evaluate_request(req, no_reserve)
    assert ev.verdict == VERDICT_HOST
    assert row(ev, "cluster:c1:vcpu").capacity == 512


def test_security_level_and_zone_decide_eligibility():
    """c1: level ≤ 3, zones internal/tslcd. c2: level ≤ 5, zone internet only, far more room."""
    c2 = cluster("c2", hosts=8, level=5, zones=("internet",), vcpu_used=0, ram_used=0)
    inv = inventory(clusters=(cluster(), c2))

    level4 = evaluate_request(request(security_level=4), inv)
    assert level4.verdict == VERDICT_CANNOT_HOST
    assert level4.first_shortfall.resource == "placement:cluster"
    assert "security level 4" in level4.problems[0].message
    assert level4.expansion.unresolved

    internet = evaluate_request(request(zone="internet"), inv)
    assert internet.verdict == VERDICT_HOST
    assert internet.placement.cluster == "c2"

    internal = evaluate_request(request(zone="internal"), inv)
    assert internal.placement.cluster == "c1"


def test_each_ineligible_cluster_is_listed_with_its_reason():
    """Level 4 on the internet: c1 (≤ 3, internal/tslcd) fails both; c2 (≤ 5, internet) fits."""
    c2 = cluster("c2", hosts=8, level=5, zones=("internet",), vcpu_used=0, ram_used=0)
    ev = evaluate_request(
        request(security_level=4, zone="internet"), inventory(clusters=(cluster(), c2))
    )
    (c1,) = ev.ineligible_clusters
    assert c1.cluster == "c1"
    assert c1.reason == (
        "certified up to security level 3, the request needs 4; "
        "not certified for zone 'internet' (only: internal, tslcd)"
    )
    assert ev.to_dict()["ineligible_clusters"] == [
        {"cluster": "c1", "name": "c1", "reason": c1.reason}
    ]
    assert (
        evaluate_request(request(workloads=(), storage_tb=1.0), inventory()).ineligible_clusters
        == ()
    )


def test_most_headroom_breaks_a_tie_between_clusters_that_both_fit():
    """c1 at 200 vCPU and c3 (same hardware) at 100: both fit throughout, c3 has more room."""
    inv = inventory(clusters=(cluster(), cluster("c3", vcpu_used=100)))
    ev = evaluate_request(request(), inv)
    assert ev.placement.cluster == "c3"
    assert {c.cluster for c in ev.candidates} == {"c1", "c3"}


def test_the_cluster_that_keeps_fitting_longest_wins_over_more_headroom_now():
    """A: vCPU baseline 100 + 0.5/day from 2026-01-05; B: flat 250. Demand 40 vCPU.

    At go-live (55 days in) A holds 127.5 + 40 = 167.5 (headroom 158.9), B 290 (36.4).
    A fails once 100 + 0.5 d + 40 > 326.4, d > 372.8 → from 2027-01-13, i.e. at the
    monthly step 2027-02-01. B fits all five years, so B is chosen.
    """
    growing = cluster("a")
    growing = ClusterState(growing.spec, Forecast.linear(START, 100, 0.5), growing.ram_baseline)
    inv = inventory(clusters=(growing, cluster("b", vcpu_used=250)))
    ev = evaluate_request(request(), inv)
    assert ev.placement.cluster == "b"
    assert ev.verdict == VERDICT_HOST
    a = next(c for c in ev.candidates if c.cluster == "a")
    assert a.first_shortfall_date == date(2027, 2, 1)


def test_a_vm_too_big_for_any_host_cannot_be_hosted():
    """Hosts of 32 cores × cpu_ratio 4 take at most 128 vCPU; one VM of 129 does not fit.

    The pool has room (8 hosts: (256 − 32) × 4 = 896, ceiling 761.6; 200 + 129 fits),
    so the only failure is the single VM.
    """
    inv = inventory(clusters=(cluster(hosts=8),))
    ev = evaluate_request(request(workloads=vms(1, 129)), inv)
    assert ev.verdict == VERDICT_CANNOT_HOST
    assert ev.first_shortfall.resource == "cluster:c1:vm"
    assert row(ev, "cluster:c1:vcpu").shortfall_at_go_live == 0
    assert ev.assumptions["cluster"]["largest_vm_vcpu"] == 128
    assert evaluate_request(request(workloads=vms(1, 128)), inv).verdict == VERDICT_HOST


def test_storage_counts_vm_disks_and_project_data():
    """10 × 100 GB disks = 1 TB, + 30 TB data: 40 + 31 = 71 > 64 → short by 7 TB."""
    ev = evaluate_request(request(storage_tb=30), inventory())
    assert ev.verdict == VERDICT_CANNOT_HOST
    assert ev.first_shortfall.resource == "storage:p1"
    assert row(ev, "storage:p1").demand == pytest.approx(31)
    assert row(ev, "storage:p1").shortfall_at_go_live == pytest.approx(7)


def test_storage_pool_must_be_mountable_by_the_chosen_cluster():
    """p-big (no other load) serves only c2, which is not certified for the zone: p1 is used."""
    inv = inventory(
        clusters=(cluster(), cluster("c2", zones=("internet",))),
        pools=(pool(), pool("p-big", raw_tb=1000, used_tb=0, cluster_ids=("c2",))),
    )
    ev = evaluate_request(request(), inv)
    assert ev.placement.storage_pool == "p1"


def test_a_reservation_holds_capacity_from_its_start():
    """Reserved 100 vCPU: from go-live 200 + 100 + 40 = 340 > 326.4 → cannot host.

    The same reservation starting 2027-03-01 leaves go-live fitting (240) and fails at
    month 12: host until 2027-03-01.
    """
    now = [Reservation("cluster:c1:vcpu", GO_LIVE, 100)]
    ev = evaluate_request(request(), inventory(), now)
    assert ev.verdict == VERDICT_CANNOT_HOST
    assert row(ev, "cluster:c1:vcpu").reserved == pytest.approx(100)

    later = [Reservation("cluster:c1:vcpu", date(2027, 3, 1), 100)]
    ev = evaluate_request(request(), inventory(), later)
    assert ev.verdict == VERDICT_HOST_UNTIL
    assert ev.until == date(2027, 3, 1)


def test_a_reservation_grows_from_its_own_start():
    """50 vCPU reserved from 2025-03-01 growing 20 %/year: at go-live (one year on) 60."""
    res = [Reservation("cluster:c1:vcpu", date(2025, 3, 1), 50, growth_pct_per_year=20)]
    ev = evaluate_request(request(), inventory(), res)
    assert row(ev, "cluster:c1:vcpu").reserved == pytest.approx(60)


def test_approving_turns_the_evaluation_into_reservations_a_second_request_sees():
    """First: 2 × 30 vCPU → 260. Reserved, the same request again needs 320 ≤ 326.4;
    a third would need 380 > 326.4."""
    req = request(workloads=vms(2, 30))
    first = evaluate_request(req, inventory())
    reservations = compute_reservations(req, first)
    assert {r.resource for r in reservations} == {
        "cluster:c1:vcpu",
        "cluster:c1:ram",
        "storage:p1",
    }
    second = evaluate_request(req, inventory(), reservations)
    assert second.verdict == VERDICT_HOST
    assert row(second, "cluster:c1:vcpu").reserved == pytest.approx(60)
    third = evaluate_request(req, inventory(), reservations + compute_reservations(req, second))
    assert third.verdict == VERDICT_CANNOT_HOST


def test_missing_paths_and_uplinks_are_problems_not_crashes():
    req = request(
        workloads=(), storage_tb=0, dc_bandwidth=dc(5, "internet"), sites=sites(1, "nowhere")
    )
    ev = evaluate_request(req, inventory())
    assert ev.verdict == VERDICT_CANNOT_HOST
    assert {p.resource for p in ev.problems} == {"uplink:internet", "path:tslcd:nowhere"}


def test_a_named_cluster_pins_the_placement():
    inv = inventory(clusters=(cluster(), cluster("c3", vcpu_used=100)))
    assert evaluate_request(request(cluster_id="c1"), inv).placement.cluster == "c1"
    unknown = evaluate_request(request(cluster_id="nope"), inv)
    assert unknown.verdict == VERDICT_CANNOT_HOST
    assert "unknown cluster" in unknown.problems[0].message


def test_evaluation_json_has_the_fields_of_issue_3():
    req = request(
        workloads=vms(1, 100),
        growth_pct_per_year=50,
        sites=sites(4, "s1", "s2", "s3"),
        own_hardware_cost_vnd=3_000_000_000,
    )
    data = json.loads(json.dumps(evaluate_request(req, inventory()).to_dict()))
    assert {
        "verdict", "until", "first_shortfall", "placement", "resources", "links",
        "expansion", "bills", "dc_own_need", "cost", "assumptions",
    } <= data.keys()  # fmt: skip
    assert data["verdict"] == "cannot_host"
    assert data["placement"] == {
        "cluster": "c1",
        "storage_pool": "p1",
        "cluster_name": "c1",
        "storage_pool_name": "p1",
    }
    assert {
        "resource", "unit", "capacity", "ceiling", "baseline", "reserved", "demand",
        "headroom", "first_shortfall_date", "shortfall_at_horizon",
    } <= data["resources"][0].keys()  # fmt: skip
    assert "sites" in data["links"][0]
    assert set(data["cost"]) == {
        "expansion_vnd", "dc_vnd", "network_vnd", "dc_own_need_vnd",
        "own_hardware_vnd", "avoided_vnd", "avoided_note",
    }  # fmt: skip
    # 4 servers (2.6 bn) + x1–x3 to 50 Mbps (3 × 18 M × 5) + d1 to 500 Mbps (120 M × 5):
    # 3.47 bn charged against 3 bn of own hardware is no saving (issue 21: never negative).
    assert data["cost"]["expansion_vnd"] == 3_470_000_000
    assert data["cost"]["avoided_vnd"] is None
    assert "costs more" in data["cost"]["avoided_note"]
    assert data["assumptions"]["forecast_models"]["cluster:c1:vcpu"] == "constant"


def _two_uplinks(load_sharing: bool) -> Inventory:
    """Two TSLCD uplinks from the DC: u1 1000 Mbps (300 used), u2 500 Mbps (100 used)."""
    return Inventory(
        clusters=(cluster(),),
        storage_pools=(pool(),),
        links=(link("u1", 1000, 300), link("u2", 500, 100)),
        dc_uplinks={"tslcd": ("u1", "u2")},
        load_sharing=frozenset({"tslcd"}) if load_sharing else frozenset(),
    )


def test_active_standby_uplinks_each_carry_the_whole_demand():
    """300 Mbps of DC-side demand: u1 300 + 300 = 600 ≤ 700; u2 100 + 300 = 400 > 350."""
    ev = evaluate_request(request(dc_bandwidth=dc(300)), _two_uplinks(load_sharing=False))
    assert row(ev, "link:u1").demand == pytest.approx(300)
    assert row(ev, "link:u2").demand == pytest.approx(300)
    assert ev.verdict == VERDICT_CANNOT_HOST
    assert "active/standby" in ev.assumptions["dc_uplinks"]


def test_load_sharing_uplinks_split_the_demand_by_capacity():
    """The same 300 Mbps split 1000 : 500 → u1 200 (500 ≤ 700), u2 100 (200 ≤ 350): HOST."""
    ev = evaluate_request(request(dc_bandwidth=dc(300)), _two_uplinks(load_sharing=True))
    assert row(ev, "link:u1").demand == pytest.approx(200)
    assert row(ev, "link:u2").demand == pytest.approx(100)
    assert ev.verdict == VERDICT_HOST
    assert "load-sharing on tslcd" in ev.assumptions["dc_uplinks"]
