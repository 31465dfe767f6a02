"""Capacity arithmetic of clusters, storage pools and links (DESIGN.md §6)."""

from __future__ import annotations

import pytest

from capacity.model import (
    PROTECTION_EFFICIENCY,
    ClusterSpec,
    HostSpec,
    LinkSpec,
    StoragePoolSpec,
    VmSize,
    compute_ceiling,
    compute_cluster_capacity,
    compute_headroom,
    compute_largest_vm,
    compute_protection_efficiency,
    compute_usable_tb,
    fits_within,
    vm_fits_host,
)


def test_cluster_capacity_subtracts_the_largest_hosts_as_ha_reserve():
    """Hosts 32c/256G, 32c/256G, 48c/512G; HA reserve 1 host; ratios 4 (CPU) and 1.5 (RAM).

    vCPU = (32 + 32 + 48 − 48) × 4 = 256
    RAM  = (256 + 256 + 512 − 512) × 1.5 = 768
    """
    spec = ClusterSpec(
        id="c",
        hosts=(HostSpec(32, 256), HostSpec(32, 256), HostSpec(48, 512)),
        cpu_ratio=4,
        ram_ratio=1.5,
        ha_reserve_hosts=1,
    )
    cap = compute_cluster_capacity(spec)
    assert cap.vcpu == 256
    assert cap.ram_gb == 768


def test_cluster_without_ha_reserve_counts_every_host():
    """(32 + 32 + 48) × 4 = 448 vCPU; 1024 GB RAM."""
    spec = ClusterSpec(
        id="c", hosts=(HostSpec(32, 256), HostSpec(32, 256), HostSpec(48, 512)), cpu_ratio=4
    )
    assert compute_cluster_capacity(spec).vcpu == 448
    assert compute_cluster_capacity(spec).ram_gb == 1024


def test_ha_reserve_is_judged_per_dimension():
    """Host A 64c/256G, host B 32c/768G, reserve 1: vCPU (96 − 64) = 32, RAM (1024 − 768) = 256."""
    spec = ClusterSpec(id="c", hosts=(HostSpec(64, 256), HostSpec(32, 768)), ha_reserve_hosts=1)
    cap = compute_cluster_capacity(spec)
    assert (cap.vcpu, cap.ram_gb) == (32, 256)


def test_ha_reserve_larger_than_the_cluster_leaves_nothing():
    spec = ClusterSpec(id="c", hosts=(HostSpec(32, 256),), ha_reserve_hosts=2)
    cap = compute_cluster_capacity(spec)
    assert (cap.vcpu, cap.ram_gb) == (0, 0)


@pytest.mark.parametrize(
    ("scheme", "efficiency"),
    [
        ("raid6_8_2", 0.8),
        ("raid10", 0.5),
        ("mirror", 0.5),
        ("replica3", 1 / 3),
        ("raid5_4_1", 0.8),
        ("none", 1.0),
        ("RAID6_8_2", 0.8),
    ],
)
def test_protection_scheme_efficiency_table(scheme, efficiency):
    assert compute_protection_efficiency(scheme) == pytest.approx(efficiency)


def test_unknown_protection_scheme_is_refused():
    with pytest.raises(ValueError, match="unknown protection scheme"):
        compute_protection_efficiency("raid7")
    with pytest.raises(ValueError, match="unknown protection scheme"):
        StoragePoolSpec("p", 10, "raid7")


def test_every_tabled_efficiency_is_a_fraction():
    assert all(0 < e <= 1 for e in PROTECTION_EFFICIENCY.values())


def test_usable_storage_is_raw_times_efficiency():
    """300 TB raw, 3-way replication → 100 TB; 100 TB RAID6 8+2 → 80 TB."""
    assert compute_usable_tb(StoragePoolSpec("p", 300, "replica3")) == pytest.approx(100)
    assert compute_usable_tb(StoragePoolSpec("p", 100, "raid6_8_2")) == pytest.approx(80)


def test_default_ceilings_follow_the_design():
    assert ClusterSpec(id="c", hosts=()).ceiling_pct == 0.85
    assert StoragePoolSpec("p", 1).ceiling_pct == 0.80
    assert LinkSpec("l", "tslcd", 100).ceiling_pct == 0.70


def test_headroom_is_ceiling_times_capacity_minus_used():
    """0.7 × 100 − 55 = 15; over the ceiling it goes negative: 0.7 × 100 − 80 = −10."""
    assert compute_ceiling(100, 0.7) == pytest.approx(70)
    assert compute_headroom(100, 0.7, 55) == pytest.approx(15)
    assert compute_headroom(100, 0.7, 80) == pytest.approx(-10)


def test_exactly_at_the_ceiling_fits_despite_binary_floats():
    """0.1 + 0.2 is 0.30000000000000004 in floating point, yet on paper it is the limit 0.3."""
    assert 0.1 + 0.2 > 0.3
    assert fits_within(0.1 + 0.2, 0.3)
    assert fits_within(326.4, compute_ceiling(384, 0.85))
    assert not fits_within(326.41, compute_ceiling(384, 0.85))


def test_largest_vm_after_ratios():
    """Hosts 32c/256G and 48c/192G, ratios 2 and 1: largest 96 vCPU, 256 GB."""
    spec = ClusterSpec(id="c", hosts=(HostSpec(32, 256), HostSpec(48, 192)), cpu_ratio=2)
    assert compute_largest_vm(spec) == VmSize(96, 256)


def test_a_vm_must_fit_one_host_in_both_dimensions():
    """96 vCPU fits host 2 (48 × 2), 256 GB fits host 1 only: together on no host."""
    spec = ClusterSpec(id="c", hosts=(HostSpec(32, 256), HostSpec(48, 192)), cpu_ratio=2)
    assert vm_fits_host(spec, VmSize(64, 256))
    assert vm_fits_host(spec, VmSize(96, 192))
    assert not vm_fits_host(spec, VmSize(96, 256))


@pytest.mark.parametrize(
    "make",
    [
        lambda: ClusterSpec(id="c", hosts=(), zones=frozenset({"dmz"})),
        lambda: ClusterSpec(id="c", hosts=(), max_security_level=6),
        lambda: ClusterSpec(id="c", hosts=(), ceiling_pct=1.2),
        lambda: LinkSpec("l", "tslcd", -1),
        lambda: HostSpec(-1, 10),
    ],
)
def test_nonsense_specs_are_refused(make):
    with pytest.raises(ValueError):
        make()
