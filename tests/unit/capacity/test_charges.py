"""What the project is charged: with vs without the request, by hand (issue 21, DESIGN §6).

Cluster c1 of the builders, but its RAM in use grows 0.5 GB a day from go-live
(2026-03-01, 400 GB): B(t) = 400 + 0.5 × days. RAM C = 3 × 256 = 768, ceiling 652.8.
Each 512-GB server raises the HA reserve to 512 GB: with n servers RAM C = 512 + 512 n,
ceiling 435.2 × (1 + n). Five years end 2031-03-01, 1826 days after go-live (2028 has a
29 February), so the peak RAM in use is 400 + 913 = 1313 GB: the DC needs
⌈1313 / 435.2⌉ − 1 = 4 − 1 = 3 servers on its own (2 servers give 1305.6 < 1313).
It runs short on its own when 400 + 0.5 d > 652.8, d > 505.6: 2027-07-01 is day 487,
2027-08-01 day 518 — so from 2027-08-01.
"""

from __future__ import annotations

from datetime import date

from capacity.evaluate import VERDICT_CANNOT_HOST, VERDICT_HOST_UNTIL, evaluate_request
from capacity.expansion import PAYER_DC, PAYER_NETWORK
from capacity.forecast import Forecast
from capacity.request import Workload
from capacity.snapshot import ClusterState, Inventory, Reservation
from tests.unit.capacity.builders import (
    GO_LIVE,
    START,
    cluster,
    dc,
    inventory,
    link,
    request,
    sites,
)

SERVER_VND = 650_000_000


def growing_ram_inventory() -> Inventory:
    spec = cluster().spec
    growing = ClusterState(
        spec,
        Forecast.constant(200, START),
        Forecast.linear(GO_LIVE, 400, 0.5),
    )
    return inventory(clusters=(growing,))


def ram_request(count: int, ram_gb: float, own_hardware_cost_vnd: float | None = None):
    return request(
        workloads=(Workload("vm", count, 1, ram_gb),),
        storage_tb=0,
        own_hardware_cost_vnd=own_hardware_cost_vnd,
    )


def test_a_tiny_request_on_a_cluster_that_runs_out_on_its_own_is_charged_no_server():
    """1 vCPU, 1 GB: peak 1314 GB still needs the same 3 servers → charged 0.

    The verdict is unchanged (HOST UNTIL: 401 + 0.5 d > 652.8 from day 503.6, the same
    monthly step 2027-08-01); the DC's own need — 3 servers, 1.95 bn VND, from
    2027-08-01 — is reported beside it, not billed.
    """
    ev = evaluate_request(
        ram_request(1, 1, own_hardware_cost_vnd=50_000_000), growing_ram_inventory()
    )
    assert ev.verdict == VERDICT_HOST_UNTIL and ev.until == date(2027, 8, 1)
    assert ev.first_shortfall is not None
    assert ev.first_shortfall.resource == "cluster:c1:ram"
    assert ev.first_shortfall.payer == PAYER_DC and ev.first_shortfall.without_request
    assert ev.expansion.at_horizon == () and ev.expansion.at_go_live == ()
    assert ev.cost.expansion_vnd == 0 and ev.bills.dc.lines == () and ev.bills.dc.total_vnd == 0
    (own,) = ev.dc_own_need
    assert (own.resource, own.payer, own.date) == ("cluster:c1", PAYER_DC, date(2027, 8, 1))
    assert own.runs_short == ("cluster:c1:ram",)
    (item,) = own.expansion
    assert (item.kind, item.quantity, item.cost_vnd) == ("server", 3, 3 * SERVER_VND)
    assert ev.cost.dc_own_need_vnd == 3 * SERVER_VND
    (summary,) = ev.dc_own_need_summary
    assert summary.description == "c1: 3 × 2U 2×32-core, 512 GB"
    # Nothing is charged, so the project's whole 50 M estimate is avoided.
    assert ev.cost.avoided_vnd == 50_000_000


def test_a_request_that_deepens_the_dcs_own_shortfall_is_charged_only_the_extra_servers():
    """9 VMs × 100 GB: peak 1313 + 900 = 2213 GB → ⌈2213 / 435.2⌉ = ⌈5.085⌉ = 6 → 5 servers;
    the DC needs 3 anyway → charged 2 (1.3 bn VND), not 5 (3.25 bn).

    At go-live: 400 + 900 = 1300 > 652.8 (CANNOT HOST); ⌈1300 / 435.2⌉ = 3 → 2 servers
    with it, none without → 2 at go-live.
    """
    ev = evaluate_request(ram_request(9, 100), growing_ram_inventory())
    assert ev.verdict == VERDICT_CANNOT_HOST
    assert ev.first_shortfall is not None and not ev.first_shortfall.without_request
    (go_live,) = ev.expansion.at_go_live
    assert (go_live.kind, go_live.quantity) == ("server", 2)
    (item,) = ev.expansion.at_horizon
    assert (item.kind, item.target, item.quantity) == ("server", "cluster:c1", 2)
    assert ev.cost.expansion_vnd == ev.cost.dc_vnd == 2 * SERVER_VND
    (line,) = ev.bills.dc.lines
    assert (line.quantity, line.cost_vnd) == (2, 1_300_000_000)
    (own,) = ev.dc_own_need
    assert own.expansion[0].quantity == 3 and own.date == date(2027, 8, 1)


def test_a_request_that_tips_a_resource_over_is_charged_the_whole_step():
    """Flat cluster: vCPU 200 of 326.4; 2 × 65 = 130 → 330 > 326.4. One 64-core server:
    (128 + 64 − 64) × 4 × 0.85 = 435.2 ≥ 330. Without the request 200 fits: no own need,
    the whole server (650 M) is the project's."""
    ev = evaluate_request(request(workloads=(Workload("vm", 2, 65, 8),), storage_tb=0), inventory())
    assert ev.verdict == VERDICT_CANNOT_HOST
    (item,) = ev.expansion.at_horizon
    assert (item.kind, item.quantity, item.cost_vnd) == ("server", 1, SERVER_VND)
    assert ev.dc_own_need == ()
    assert ev.cost.dc_own_need_vnd == 0 and ev.cost.dc_vnd == SERVER_VND


def test_a_request_whose_only_shortfall_is_commune_links_is_on_the_network_bill():
    """d1 at 40: 40 + 3 × 10 = 70 ≤ 70 fits exactly; u1 300 + 30 fits. Each commune link
    x1–x3 carries 2 + 10 = 12 > 7 → 12 / 0.7 = 17.1 → 20 Mbps at 9.6 M VND/year × 5
    years = 48 M each: one grouped line of 3 links, 144 M, on the TSLCD network's bill;
    the DC's bill is empty and the network is what binds."""
    ev = evaluate_request(
        request(workloads=(), storage_tb=0, sites=sites(10, "s1", "s2", "s3")),
        inventory(d1_used=40),
    )
    assert ev.verdict == VERDICT_CANNOT_HOST
    assert ev.first_shortfall is not None
    assert (ev.first_shortfall.payer, ev.first_shortfall.network) == (PAYER_NETWORK, "tslcd")
    assert ev.bills.dc.lines == () and ev.bills.dc.total_vnd == 0
    (line,) = ev.bills.network.lines
    assert (line.count, line.from_mbps, line.to_mbps) == (3, 10, 20)
    assert (line.network, line.role, line.unit_price_vnd) == ("tslcd", "access", 9_600_000)
    assert line.cost_vnd == 144_000_000
    assert line.description == (
        "3 TSLCD links of the target sites 10 → 20 Mbps, 9,600,000 VND/year each"
    )
    assert set(line.targets) == {"link:x1", "link:x2", "link:x3"}
    assert ev.bills.network.total_vnd == 144_000_000
    assert ev.bills.network.by_network == {"tslcd": 144_000_000}
    assert ev.cost.network_vnd == ev.cost.expansion_vnd == 144_000_000
    data = ev.to_dict()
    assert data["bills"]["dc"]["lines"] == [] and data["bills"]["network"]["total_vnd"] == 144e6
    assert data["first_shortfall"] is not None
    assert data["first_shortfall"]["payer"] == "network"


def test_a_link_that_needs_an_upgrade_anyway_is_charged_the_difference_of_the_fees():
    """x1 at 8 > 7 needs 20 Mbps on its own (8 / 0.7 = 11.4); with 10 Mbps more, 18 / 0.7
    = 25.7 → 50 Mbps. Charged (18 M − 9.6 M) × 5 = 42 M; the 20 Mbps (48 M) is the
    network's own need, from go-live."""
    inv = inventory(
        links=(link("u1", 1000, 300), link("d1", 100, 40), link("x1", 10, 8),
               link("x2", 10, 2), link("x3", 10, 2))
    )  # fmt: skip
    ev = evaluate_request(request(workloads=(), storage_tb=0, sites=sites(10, "s1")), inv)
    (item,) = ev.expansion.at_horizon
    assert (item.target, item.to_mbps, item.unit_price_vnd) == ("link:x1", 50, 8_400_000)
    assert item.cost_vnd == 42_000_000 and item.payer == PAYER_NETWORK
    assert item.own_mbps == 20
    (line,) = ev.bills.network.lines
    assert line.description == (
        "1 TSLCD link of the target sites 10 → 50 Mbps (20 Mbps needed anyway), "
        "8,400,000 VND/year each"
    )
    (own,) = ev.dc_own_need
    assert (own.resource, own.payer, own.network, own.date) == (
        "link:x1",
        PAYER_NETWORK,
        "tslcd",
        GO_LIVE,
    )
    assert own.cost_vnd == 48_000_000


def test_a_dc_uplink_is_on_the_dcs_bill():
    """u1 carries 300 + 500 = 800 > 700 → 800 / 0.7 = 1143 → 2000 Mbps, 390 M × 5."""
    ev = evaluate_request(request(workloads=(), storage_tb=0, dc_bandwidth=dc(500)), inventory())
    assert ev.bills.network.lines == ()
    (line,) = ev.bills.dc.lines
    assert (line.role, line.to_mbps, line.cost_vnd) == ("dc_uplink", 2000, 1_950_000_000)
    assert line.description == "1 TSLCD DC uplink 1000 → 2000 Mbps, 390,000,000 VND/year each"
    assert ev.first_shortfall is not None and ev.first_shortfall.payer == PAYER_DC


def test_investment_avoided_is_never_a_negative_saving():
    """One server (650 M) charged: against 1 bn own hardware 350 M is avoided; against
    500 M nothing is, and the note says why; without an estimate it is not shown."""
    tipping = dict(workloads=(Workload("vm", 2, 65, 8),), storage_tb=0)
    avoided = evaluate_request(request(**tipping, own_hardware_cost_vnd=1e9), inventory()).cost
    assert avoided.avoided_vnd == 350_000_000 and avoided.avoided_note is None
    dearer = evaluate_request(request(**tipping, own_hardware_cost_vnd=5e8), inventory()).cost
    assert dearer.avoided_vnd is None
    assert dearer.avoided_note is not None and "costs more" in dearer.avoided_note
    unknown = evaluate_request(request(**tipping), inventory()).cost
    assert unknown.avoided_vnd is None and unknown.avoided_note == "no own-hardware estimate given"


def test_a_reservation_is_part_of_the_dcs_own_need():
    """An approved request holding 300 GB of RAM from 2027-03-01 on the flat cluster:
    400 + 300 = 700 > 652.8 from then on without the new request. A 10-GB request is
    charged nothing: 710 still needs ⌈710 / 435.2⌉ − 1 = 1 server, as 700 does."""
    held = Reservation("cluster:c1:ram", date(2027, 3, 1), 300)
    ev = evaluate_request(ram_request(1, 10), inventory(), reservations=(held,))
    assert ev.verdict == VERDICT_HOST_UNTIL and ev.until == date(2027, 3, 1)
    assert ev.expansion.at_horizon == ()
    (own,) = ev.dc_own_need
    assert own.date == date(2027, 3, 1) and own.expansion[0].quantity == 1
