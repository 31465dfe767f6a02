"""The smallest purchase that closes each shortfall, worked by hand.

Default catalogue: server 64 cores / 512 GB at 650,000,000 VND; shelf 192 TB raw at
900,000,000 VND; link tiers 10, 20, 50, 100, … Mbps (20 Mbps: 9,600,000 VND/year).
"""

from __future__ import annotations

import pytest

from capacity.evaluate import VERDICT_HOST_UNTIL, evaluate_request
from capacity.expansion import (
    Catalogue,
    ComputeNeed,
    LinkNeed,
    LinkTier,
    ServerModel,
    StorageNeed,
    plan_link_tier,
    plan_servers,
    plan_shelves,
)
from capacity.model import ClusterSpec, HostSpec, LinkSpec, StoragePoolSpec, VmSize
from tests.unit.capacity.builders import inventory, request, sites, vms


def test_one_server_closes_a_small_vcpu_shortfall():
    """200 + 130 = 330 > 326.4. Adding one 64-core host: cores 4×32 + 64 − 64 (HA) = 128,
    × 4 = 512, ceiling 435.2 ≥ 330 → 1 server, 650,000,000 VND."""
    ev = evaluate_request(request(workloads=vms(2, 65)), inventory())
    (item,) = ev.expansion.at_go_live
    assert (item.kind, item.target, item.quantity) == ("server", "cluster:c1", 1)
    assert item.cost_vnd == 650_000_000


def test_a_bigger_new_server_also_enlarges_the_ha_reserve():
    """Hosts 2 × 8 cores, ratio 1, HA 1: C = 8, ceiling 6.8; the load is 20 vCPU.

    The formula ⌈(20 − 6.8) / (16 × 0.85)⌉ = ⌈0.97⌉ = 1 is not enough: with one 16-core
    server the reserve becomes 16, C = 8 + 8 + 16 − 16 = 16, ceiling 13.6 < 20.
    Two servers: C = 8 + 8 + 16 + 16 − 16 = 32, ceiling 27.2 ≥ 20 → 2.
    """
    spec = ClusterSpec(id="c", hosts=(HostSpec(8, 64), HostSpec(8, 64)), ha_reserve_hosts=1)
    server = ServerModel("16c", 16, 64, 100)
    assert plan_servers(ComputeNeed(spec, vcpu_load=20, ram_load=0), server) == 2


def test_servers_cover_the_larger_of_cpu_and_ram_shortfalls():
    """Hosts 2 × (16 c, 64 GB), no reserve, ratios 1, ceiling 0.85: C = 32 vCPU, 128 GB.

    Load 30 vCPU, 300 GB. Each 16 c / 64 GB server adds 13.6 vCPU, 54.4 GB of ceiling:
    vCPU ⌈(30 − 27.2) / 13.6⌉ = 1; RAM ⌈(300 − 108.8) / 54.4⌉ = ⌈3.51⌉ = 4 → 4 servers.
    """
    spec = ClusterSpec(id="c", hosts=(HostSpec(16, 64),) * 2)
    server = ServerModel("16c", 16, 64, 100)
    assert plan_servers(ComputeNeed(spec, vcpu_load=30, ram_load=300), server) == 4


def test_shelves_are_sized_on_usable_tb_under_the_ceiling():
    """p1: 40 + 1 (disks) + data. One shelf adds 192 × 0.8 (RAID6) × 0.8 = 122.88 TB.

    30 TB data: 71 − 64 = 7 → 1 shelf. 150 TB: 191 − 64 = 127 → ⌈1.03⌉ = 2 shelves.
    """
    one = evaluate_request(request(storage_tb=30), inventory())
    (item,) = one.expansion.at_go_live
    assert (item.kind, item.quantity, item.cost_vnd) == ("storage_shelf", 1, 900_000_000)
    two = evaluate_request(request(storage_tb=150), inventory())
    assert two.expansion.at_go_live[0].quantity == 2
    pool = StoragePoolSpec("p", 100, "raid6_8_2")
    assert plan_shelves(StorageNeed(pool, 64), Catalogue().shelves[0]) == 0


def test_a_link_moves_to_the_smallest_tier_that_carries_it_under_the_ceiling():
    """x1 carries 2 + 10 = 12 Mbps; 12 / 0.7 = 17.1 → the 20 Mbps tier, 9.6 M VND × 5 years.

    d1 carries 60 + 30 = 90 → 90 / 0.7 = 128.6 → 200 Mbps; u1 300 + 30 = 330 fits.
    """
    ev = evaluate_request(
        request(workloads=(), storage_tb=0, sites=sites(10, "s1", "s2", "s3")), inventory()
    )
    items = {i.target: i for i in ev.expansion.at_go_live}
    assert set(items) == {"link:x1", "link:x2", "link:x3", "link:d1"}
    assert items["link:x1"].unit_price_vnd == 9_600_000
    assert items["link:x1"].cost_vnd == 48_000_000
    assert "200 Mbps" in items["link:d1"].description


def test_a_load_exactly_at_a_tier_ceiling_takes_that_tier():
    """14 Mbps / 0.7 = 20 → the 20 Mbps tier itself."""
    link = LinkSpec("x", "tslcd", 10)
    assert plan_link_tier(LinkNeed(link, 14), Catalogue().link_tiers).mbps == 20


def test_horizon_expansion_covers_growth_and_is_compared_with_own_hardware():
    """One 100-vCPU VM growing 50 %/year: at month 60 the vCPU load is 200 + 100 × 1.5⁵ =
    959.375. With n extra 64-core hosts (HA reserve 64): C = (128 + 64n − 64) × 4,
    ceiling 217.6 (1 + n) ≥ 959.375 → n ≥ 3.41 → 4 servers = 2.6 bn VND
    (the shortfall-only formula would say ⌈632.975 / 217.6⌉ = 3).
    Own hardware 3 bn → investment avoided 0.4 bn.
    """
    req = request(workloads=vms(1, 100), growth_pct_per_year=50, own_hardware_cost_vnd=3e9)
    ev = evaluate_request(req, inventory())
    assert ev.verdict == VERDICT_HOST_UNTIL
    assert ev.expansion.at_go_live == ()
    (item,) = ev.expansion.at_horizon
    assert (item.kind, item.quantity) == ("server", 4)
    assert ev.cost.expansion_vnd == pytest.approx(2.6e9)
    assert ev.cost.avoided_vnd == pytest.approx(0.4e9)


def test_what_no_purchase_can_fix_is_reported_unresolved():
    """A 300-vCPU VM: the standard server takes 64 × 4 = 256 → no server helps."""
    ev = evaluate_request(request(workloads=vms(1, 300)), inventory())
    assert ev.expansion.at_go_live == ()
    assert any("does not fit" in u for u in ev.expansion.unresolved)
    spec = ClusterSpec(id="c", hosts=(HostSpec(8, 64),))
    server = ServerModel("s", 16, 64, 1)
    assert plan_servers(ComputeNeed(spec, 0, 0, (VmSize(17, 1),)), server) is None


def test_a_link_beyond_the_fastest_tier_is_unresolved():
    catalogue = Catalogue(link_tiers=(LinkTier(20, 1), LinkTier(10, 1)))
    assert [t.mbps for t in catalogue.link_tiers] == [10, 20]
    ev = evaluate_request(
        request(workloads=(), storage_tb=0, sites=sites(30, "s1")), inventory(), catalogue=catalogue
    )
    assert any("above the fastest tier" in u for u in ev.expansion.unresolved)
