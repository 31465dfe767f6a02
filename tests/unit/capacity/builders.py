"""A small inventory whose every number can be worked out on paper.

Cluster c1: 4 hosts × (32 cores, 256 GB), cpu_ratio 4, ram_ratio 1, HA reserve 1,
certified up to level 3 for zones internal and tslcd, ceiling 0.85:
    vCPU C = (4×32 − 32) × 4 = 384, ceiling 0.85 × 384 = 326.4, baseline 200
    RAM  C = (4×256 − 256) × 1 = 768, ceiling 0.85 × 768 = 652.8, baseline 400
Pool p1: 100 TB raw RAID6 8+2 → 80 TB usable, ceiling 0.80 × 80 = 64, baseline 40.
TSLCD links (ceiling 0.70): DC uplink u1 1000 Mbps (700) at 300; district link d1
100 Mbps (70) at 60; commune links x1, x2, x3 10 Mbps (7) at 2 each.
Commune sites s1, s2, s3 reach the DC over x_i → d1 → u1.
Baselines are flat forecasts, so B(t) is the same number at every step.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from capacity.forecast import Forecast
from capacity.model import ClusterSpec, HostSpec, LinkSpec, StoragePoolSpec
from capacity.request import DcBandwidth, Request, SiteBandwidth, Workload
from capacity.snapshot import ClusterState, Inventory, LinkState, StoragePoolState

START = date(2026, 1, 5)
GO_LIVE = date(2026, 3, 1)


def cluster(
    cluster_id: str = "c1",
    hosts: int = 4,
    cores: int = 32,
    ram_gb: float = 256,
    cpu_ratio: float = 4.0,
    ram_ratio: float = 1.0,
    ha: int = 1,
    level: int = 3,
    zones: tuple[str, ...] = ("internal", "tslcd"),
    vcpu_used: float = 200,
    ram_used: float = 400,
    ceiling: float = 0.85,
    extra_hosts: tuple[HostSpec, ...] = (),
) -> ClusterState:
    spec = ClusterSpec(
        id=cluster_id,
        hosts=tuple(HostSpec(cores, ram_gb) for _ in range(hosts)) + extra_hosts,
        cpu_ratio=cpu_ratio,
        ram_ratio=ram_ratio,
        ha_reserve_hosts=ha,
        max_security_level=level,
        zones=frozenset(zones),
        ceiling_pct=ceiling,
    )
    return ClusterState(
        spec, Forecast.constant(vcpu_used, START), Forecast.constant(ram_used, START)
    )


def pool(
    pool_id: str = "p1",
    raw_tb: float = 100,
    protection: str = "raid6_8_2",
    used_tb: float = 40,
    cluster_ids: tuple[str, ...] = (),
) -> StoragePoolState:
    spec = StoragePoolSpec(pool_id, raw_tb, protection, cluster_ids=frozenset(cluster_ids))
    return StoragePoolState(spec, Forecast.constant(used_tb, START))


def link(link_id: str, capacity_mbps: float, used_mbps: float, network: str = "tslcd") -> LinkState:
    return LinkState(LinkSpec(link_id, network, capacity_mbps), Forecast.constant(used_mbps, START))


def inventory(
    clusters: tuple[ClusterState, ...] | None = None,
    pools: tuple[StoragePoolState, ...] | None = None,
    links: tuple[LinkState, ...] | None = None,
    d1_used: float = 60,
) -> Inventory:
    return Inventory(
        clusters=clusters if clusters is not None else (cluster(),),
        storage_pools=pools if pools is not None else (pool(),),
        links=links
        if links is not None
        else (
            link("u1", 1000, 300),
            link("d1", 100, d1_used),
            link("x1", 10, 2),
            link("x2", 10, 2),
            link("x3", 10, 2),
        ),
        paths={
            "tslcd": {
                "s1": ("x1", "d1", "u1"),
                "s2": ("x2", "d1", "u1"),
                "s3": ("x3", "d1", "u1"),
            }
        },
        dc_uplinks={"tslcd": ("u1",)},
    )


def request(**overrides: Any) -> Request:
    """10 VMs × (4 vCPU, 8 GB, 100 GB) + 2 TB: D0 = 40 vCPU, 80 GB, 3 TB; no growth."""
    base = Request(
        name="test system",
        agency="Sở Test",
        security_level=3,
        zone="internal",
        go_live=GO_LIVE,
        horizon_years=5,
        growth_pct_per_year=0.0,
        workloads=(Workload("app", 10, 4, 8, 100),),
        storage_tb=2.0,
    )
    return replace(base, **overrides)


def vms(count: int, vcpu: float, ram_gb: float = 8, disk_gb: float = 0) -> tuple[Workload, ...]:
    return (Workload("vm", count, vcpu, ram_gb, disk_gb),)


def sites(per_site_mbps: float, *site_ids: str) -> tuple[SiteBandwidth, ...]:
    return (SiteBandwidth("tslcd", per_site_mbps, tuple(site_ids)),)


def dc(mbps: float, network: str = "tslcd") -> tuple[DcBandwidth, ...]:
    return (DcBandwidth(network, mbps),)
