"""The smallest expansion picks the cheapest entry of the catalogue, worked by hand.

The inventory is ``builders``': cluster c1 4 × (32 cores, 256 GB), cpu_ratio 4,
HA reserve 1, vCPU ceiling 326.4 at a baseline of 200; commune links x1–x3 10 Mbps
at 2 Mbps on TSLCD, d1 100 Mbps at 60, u1 1000 Mbps at 300.
"""

from __future__ import annotations

from datetime import date

from capacity.evaluate import evaluate_request
from capacity.expansion import (
    Catalogue,
    ComputeNeed,
    LinkTier,
    ServerModel,
    StorageNeed,
    StorageShelf,
    cheapest_servers,
    cheapest_shelves,
)
from capacity.model import ClusterSpec, HostSpec, StoragePoolSpec
from tests.unit.capacity.builders import inventory, request, sites, vms

SMALL = ServerModel("1U 32c 256 GB", 32, 256, 300_000_000, date(2026, 10, 1))
BIG = ServerModel("2U 64c 512 GB", 64, 512, 650_000_000, date(2026, 10, 1))


def test_the_cheapest_model_that_closes_the_shortfall_is_bought():
    """Two VMs of 65 vCPU: 200 + 130 = 330 > 326.4. One SMALL (32 cores) makes the
    cores 5 × 32 − 32 (HA) = 128, × 4 = 512, ceiling 435.2 ≥ 330: 1 × 300 M beats
    1 × BIG at 650 M, whichever comes first in the catalogue."""
    ev = evaluate_request(
        request(workloads=vms(2, 65)), inventory(), catalogue=Catalogue(servers=(BIG, SMALL))
    )
    (item,) = ev.expansion.at_go_live
    assert (item.kind, item.quantity, item.description) == ("server", 1, SMALL.name)
    assert item.cost_vnd == 300_000_000


def test_many_cheap_servers_lose_to_one_larger_when_dearer_in_all():
    """Hosts 2 × (16 c, 64 GB), no reserve, ratios 1, ceiling 0.85; load 30 vCPU, 300 GB.

    16 c / 64 GB at 100: RAM ⌈(300 − 108.8) / 54.4⌉ = 4 servers = 400.
    16 c / 256 GB at 250: RAM ⌈191.2 / 217.6⌉ = 1, vCPU ⌈2.8 / 13.6⌉ = 1 → 1 = 250.
    At 450 the larger one costs more than four small ones: 4 × 100 = 400 wins.
    """
    spec = ClusterSpec(id="c", hosts=(HostSpec(16, 64),) * 2)
    need = ComputeNeed(spec, vcpu_load=30, ram_load=300)
    small = ServerModel("16c 64", 16, 64, 100)
    cheap_big = cheapest_servers(need, (small, ServerModel("16c 256", 16, 256, 250)))
    assert cheap_big is not None and (cheap_big.name, cheap_big.quantity) == ("16c 256", 1)
    dear_big = cheapest_servers(need, (small, ServerModel("16c 256", 16, 256, 450)))
    assert dear_big is not None and (dear_big.name, dear_big.quantity, dear_big.cost_vnd) == (
        "16c 64",
        4,
        400,
    )


def test_a_cluster_that_fits_buys_nothing_and_a_vm_no_model_takes_is_none():
    spec = ClusterSpec(id="c", hosts=(HostSpec(16, 64),) * 2)
    fits = cheapest_servers(ComputeNeed(spec, vcpu_load=10, ram_load=10), (SMALL,))
    assert fits is not None and fits.quantity == 0
    from capacity.model import VmSize

    too_big = ComputeNeed(spec, vcpu_load=10, ram_load=10, vms=(VmSize(40, 8),))
    assert cheapest_servers(too_big, (ServerModel("16c", 16, 64, 1),)) is None


def test_the_cheapest_shelf_closes_the_storage_shortfall():
    """Pool 100 TB raw RAID6 (0.8), ceiling 0.8: 64 TB plannable; load 150 TB → 86 short.
    Per shelf × 0.8 × 0.8: 192 TB → 122.88 (1 shelf, 900 M); 92.16 TB → 58.98
    (2 shelves, 2 × 500 M = 1,000 M); 384 TB → 245.76 (1 shelf, 1,500 M): 900 M wins."""
    pool = StoragePoolSpec("p", 100, "raid6_8_2")
    shelves = (
        StorageShelf("16 TB × 24", 384, 1_500_000_000),
        StorageShelf("SSD", 92.16, 500_000_000),
        StorageShelf("8 TB × 24", 192, 900_000_000),
    )
    bought = cheapest_shelves(StorageNeed(pool, 150), shelves)
    assert bought is not None and (bought.name, bought.quantity) == ("8 TB × 24", 1)
    cheap_ssd = (StorageShelf("SSD", 92.16, 400_000_000), shelves[2])
    bought = cheapest_shelves(StorageNeed(pool, 150), cheap_ssd)
    assert bought is not None and (bought.name, bought.quantity, bought.cost_vnd) == (
        "SSD",
        2,
        800_000_000,
    )
    assert cheapest_shelves(StorageNeed(pool, 150), ()) is None


def test_link_tiers_are_priced_per_network():
    """x1 carries 2 + 10 = 12 Mbps; 12 / 0.7 = 17.1 → 20 Mbps. TSLCD has tiers of its own
    (20 Mbps at 7,200,000 a year → 36,000,000 over 5 years); a WAN link would fall back on
    the tiers without a network."""
    catalogue = Catalogue(
        link_tiers=(
            LinkTier(20, 7_200_000, "tslcd"),
            LinkTier(200, 42_000_000, "tslcd"),
            LinkTier(20, 9_600_000),
        )
    )
    assert [t.yearly_price_vnd for t in catalogue.tiers_for("wan")] == [9_600_000]
    assert [t.mbps for t in catalogue.tiers_for("tslcd")] == [20, 200]
    ev = evaluate_request(
        request(workloads=(), storage_tb=0, sites=sites(10, "s1")), inventory(), catalogue=catalogue
    )
    items = {i.target: i for i in ev.expansion.at_go_live}
    assert (items["link:x1"].unit_price_vnd, items["link:x1"].cost_vnd) == (7_200_000, 36_000_000)


def test_a_larger_model_bought_instead_of_the_dcs_own_is_charged_the_difference():
    """Without the request the cluster needs vCPU only: baseline 330 > 326.4 → one SMALL
    (300 M) is the DC's own need. With two 100-vCPU VMs (530): SMALL × n gives
    (128 + 32n − 32) × 4 × 0.85 ≥ 530 → n ≥ 1.9 → 2 × 300 = 600 M; BIG × 1 gives
    (192 − 64) × 4 × 0.85 = 435.2 < 530, × 2 → 652.8 ≥ 530 → 1,300 M. So 2 × SMALL:
    one more than the DC's own, 300 M."""
    from tests.unit.capacity.builders import cluster

    ev = evaluate_request(
        request(workloads=vms(2, 100)),
        inventory(clusters=(cluster(vcpu_used=330),)),
        catalogue=Catalogue(servers=(BIG, SMALL)),
    )
    (item,) = [i for i in ev.expansion.at_go_live if i.kind == "server"]
    assert (item.quantity, item.description, item.cost_vnd) == (1, SMALL.name, 300_000_000)


def test_a_mix_of_models_is_bought_when_it_costs_less_than_any_one_model():
    """Hosts 2 × (16 c, 64 GB), no reserve, ratios 1, ceiling 0.85: 27.2 vCPU, 108.8 GB.
    Load 60 vCPU, 300 GB. CORES (32 c, 64 GB) and RAMMY (8 c, 256 GB) at 200 each.

    CORES alone: RAM ⌈(300 − 108.8) / 54.4⌉ = 4 → 800. RAMMY alone: vCPU
    ⌈(60 − 27.2) / 6.8⌉ = 5 → 1,000. One of each: 72 cores × 0.85 = 61.2 ≥ 60 and
    448 GB × 0.85 = 380.8 ≥ 300 → 400, the cheapest; neither one alone fits.
    """
    spec = ClusterSpec(id="c", hosts=(HostSpec(16, 64),) * 2)
    need = ComputeNeed(spec, vcpu_load=60, ram_load=300)
    cores = ServerModel("32c 64 GB", 32, 64, 200)
    rammy = ServerModel("8c 256 GB", 8, 256, 200)

    bought = cheapest_servers(need, (rammy, cores))

    assert bought is not None
    assert (bought.name, bought.quantity, bought.cost_vnd) == (
        "servers (1 × 32c 64 GB + 1 × 8c 256 GB)",
        2,
        400,
    )
    assert [(p.name, p.quantity) for p in bought.parts] == [("32c 64 GB", 1), ("8c 256 GB", 1)]
    # With only one model there is nothing to mix.
    only = cheapest_servers(need, (cores,))
    assert only is not None and (only.name, only.quantity, only.parts) == ("32c 64 GB", 4, ())


def test_a_mixed_purchase_is_charged_whole_on_the_bill():
    """builders' c1: 4 × (32 c, 256 GB), cpu 4, HA 1 (the largest host), ceiling 0.85 →
    326.4 vCPU at 200, 652.8 GB at 400. Two VMs of (65 vCPU, 250 GB): 330 vCPU (3.6
    short), 900 GB (247.2 short). CORES (32 c, 64 GB, 200 M) adds 108.8 vCPU, 54.4 GB;
    RAMMY (8 c, 256 GB, 250 M) 27.2 vCPU, 217.6 GB (neither enlarges the HA reserve).
    CORES alone: ⌈247.2 / 54.4⌉ = 5 → 1,000 M; RAMMY alone: 2 → 500 M; one of each:
    272 GB, 136 vCPU → 450 M, the project's whole charge (the DC needs nothing itself)."""
    cores = ServerModel("32c 64 GB", 32, 64, 200_000_000)
    rammy = ServerModel("8c 256 GB", 8, 256, 250_000_000)
    ev = evaluate_request(
        request(workloads=vms(2, 65, ram_gb=250)),
        inventory(),
        catalogue=Catalogue(servers=(rammy, cores)),
    )
    (item,) = ev.expansion.at_go_live
    assert (item.kind, item.quantity, item.cost_vnd) == ("server", 2, 450_000_000)
    assert item.description == "servers (1 × 32c 64 GB + 1 × 8c 256 GB)"
    assert ev.bills.dc.total_vnd == 450_000_000
