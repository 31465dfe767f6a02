"""Capacity of compute clusters, storage pools and links (DESIGN.md §6).

Plain specifications and the arithmetic on them, nothing else: the adapter that
reads the database builds these specs, and the evaluation and the report only
ever see them. Keeping the formulas here, away from any query, lets every number
on a verdict page be checked by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ZONES: frozenset[str] = frozenset({"internet", "tslcd", "internal"})
"""Network zones a cluster can be certified for and a request can ask for."""

DEFAULT_COMPUTE_CEILING_PCT = 0.85
DEFAULT_STORAGE_CEILING_PCT = 0.80
DEFAULT_LINK_CEILING_PCT = 0.70

PROTECTION_EFFICIENCY: dict[str, float] = {
    "none": 1.0,
    "raid0": 1.0,
    "raid1": 0.5,
    "mirror": 0.5,
    "raid10": 0.5,
    "raid5_4_1": 4 / 5,
    "raid5_8_1": 8 / 9,
    "raid6_4_2": 4 / 6,
    "raid6_8_2": 8 / 10,
    "replica2": 1 / 2,
    "replica3": 1 / 3,
    "ec_4_2": 4 / 6,
    "ec_8_3": 8 / 11,
}
"""Usable fraction of raw capacity per protection scheme.

Names are ``<scheme>_<data>_<parity>`` where a layout matters; a table rather than
a parser so an unknown or misspelt scheme fails loudly instead of being guessed.
"""

# Slack for "exactly at the ceiling fits": in binary floating point 0.1 + 0.2 is
# 0.30000000000000004, so a baseline of 0.1 plus a demand of 0.2 against a limit
# of 0.3 would otherwise not fit although on paper it sits exactly at the ceiling.
_FIT_REL_TOL = 1e-9
_FIT_ABS_TOL = 1e-9


@dataclass(frozen=True)
class HostSpec:
    """One physical host of a compute cluster."""

    cores: int
    ram_gb: float
    name: str = ""

    def __post_init__(self) -> None:
        if self.cores < 0 or self.ram_gb < 0:
            raise ValueError(f"host {self.name!r}: cores and ram_gb must be ≥ 0")


@dataclass(frozen=True)
class ClusterSpec:
    """A compute pool: its hosts, overcommit ratios, HA reserve and certification.

    ``ha_reserve_hosts`` hosts (the largest ones) are kept free so the cluster
    survives their failure; ``max_security_level`` and ``zones`` say which
    information systems it may run (cấp độ ATTT 1–5; internet/tslcd/internal).
    """

    id: str
    hosts: tuple[HostSpec, ...]
    cpu_ratio: float = 1.0
    ram_ratio: float = 1.0
    ha_reserve_hosts: int = 0
    max_security_level: int = 5
    zones: frozenset[str] = field(default_factory=lambda: frozenset(ZONES))
    ceiling_pct: float = DEFAULT_COMPUTE_CEILING_PCT
    name: str = ""

    def __post_init__(self) -> None:
        if self.cpu_ratio <= 0 or self.ram_ratio <= 0:
            raise ValueError(f"cluster {self.id!r}: ratios must be > 0")
        if self.ha_reserve_hosts < 0:
            raise ValueError(f"cluster {self.id!r}: ha_reserve_hosts must be ≥ 0")
        if not 1 <= self.max_security_level <= 5:
            raise ValueError(f"cluster {self.id!r}: max_security_level must be 1–5")
        unknown = set(self.zones) - ZONES
        if unknown:
            raise ValueError(f"cluster {self.id!r}: unknown zones {sorted(unknown)}")
        _check_ceiling(self.id, self.ceiling_pct)


@dataclass(frozen=True)
class StoragePoolSpec:
    """A storage pool: raw capacity and the protection scheme that makes it usable.

    ``cluster_ids`` lists the clusters that can mount it; empty means every
    cluster (a shared SAN), so simple inventories need not say anything.
    """

    id: str
    raw_tb: float
    protection: str = "raid6_8_2"
    ceiling_pct: float = DEFAULT_STORAGE_CEILING_PCT
    cluster_ids: frozenset[str] = frozenset()
    name: str = ""

    def __post_init__(self) -> None:
        if self.raw_tb < 0:
            raise ValueError(f"storage pool {self.id!r}: raw_tb must be ≥ 0")
        compute_protection_efficiency(self.protection)
        _check_ceiling(self.id, self.ceiling_pct)


@dataclass(frozen=True)
class LinkSpec:
    """A circuit between two sites; ``capacity_mbps`` is the commit rate, else port speed."""

    id: str
    network: str
    capacity_mbps: float
    a_site: str = ""
    b_site: str = ""
    ceiling_pct: float = DEFAULT_LINK_CEILING_PCT
    name: str = ""

    def __post_init__(self) -> None:
        if self.capacity_mbps < 0:
            raise ValueError(f"link {self.id!r}: capacity_mbps must be ≥ 0")
        _check_ceiling(self.id, self.ceiling_pct)


@dataclass(frozen=True)
class ClusterCapacity:
    """Plannable compute of a cluster after HA reserve and overcommit ratios."""

    vcpu: float
    ram_gb: float


@dataclass(frozen=True)
class VmSize:
    """A virtual machine's size, or the largest one a host can take."""

    vcpu: float
    ram_gb: float


def _check_ceiling(owner: str, ceiling_pct: float) -> None:
    if not 0 < ceiling_pct <= 1:
        raise ValueError(f"{owner!r}: ceiling_pct must be in (0, 1], got {ceiling_pct}")


def compute_cluster_capacity(cluster: ClusterSpec) -> ClusterCapacity:
    """(Σ host cores − cores of the ``ha_reserve_hosts`` largest hosts) × cpu_ratio; RAM alike.

    "Largest" is judged per dimension: the reserve must absorb the failure of the
    hosts that carry the most cores and, separately, the most RAM, so a cluster
    of mixed hosts is never over-promised.
    """
    return compute_hosts_capacity(
        [h.cores for h in cluster.hosts], [h.ram_gb for h in cluster.hosts], cluster
    )


def compute_hosts_capacity(
    cores: list[int], rams: list[float], cluster: ClusterSpec
) -> ClusterCapacity:
    """:func:`compute_cluster_capacity` of ``cluster`` were its hosts' cores and RAM
    these (in host order), without building a spec per host: a purchase search asks it
    for hundreds of candidate host sets. Sorts ``cores`` and ``rams`` in place."""
    reserve = min(cluster.ha_reserve_hosts, len(cores))
    cores.sort(reverse=True)
    rams.sort(reverse=True)
    usable_cores = sum(cores[reserve:])
    usable_ram = sum(rams[reserve:])
    return ClusterCapacity(
        vcpu=usable_cores * cluster.cpu_ratio,
        ram_gb=usable_ram * cluster.ram_ratio,
    )


def compute_largest_vm(cluster: ClusterSpec) -> VmSize:
    """The largest VM size in each dimension that some host can take after ratios.

    Informative only (the two maxima may come from different hosts); use
    :func:`vm_fits_host` to decide whether a given VM fits.
    """
    if not cluster.hosts:
        return VmSize(vcpu=0.0, ram_gb=0.0)
    return VmSize(
        vcpu=max(h.cores for h in cluster.hosts) * cluster.cpu_ratio,
        ram_gb=max(h.ram_gb for h in cluster.hosts) * cluster.ram_ratio,
    )


def vm_fits_host(cluster: ClusterSpec, vm: VmSize) -> bool:
    """Whether one host, after ratios, can take the whole VM (vCPU and RAM together).

    A VM cannot span hosts, so pool-level headroom is not enough for a large one.
    """
    return any(
        fits_within(vm.vcpu, h.cores * cluster.cpu_ratio)
        and fits_within(vm.ram_gb, h.ram_gb * cluster.ram_ratio)
        for h in cluster.hosts
    )


def compute_protection_efficiency(protection: str) -> float:
    """Usable fraction of raw storage for a protection scheme; unknown scheme → ValueError."""
    try:
        return PROTECTION_EFFICIENCY[protection.lower()]
    except KeyError:
        known = ", ".join(sorted(PROTECTION_EFFICIENCY))
        raise ValueError(f"unknown protection scheme {protection!r} (known: {known})") from None


def compute_usable_tb(pool: StoragePoolSpec) -> float:
    """Usable capacity of a storage pool: raw × protection efficiency."""
    return pool.raw_tb * compute_protection_efficiency(pool.protection)


def compute_ceiling(capacity: float, ceiling_pct: float) -> float:
    """The highest amount that may be planned on a resource: ceiling × C."""
    return capacity * ceiling_pct


def compute_headroom(capacity: float, ceiling_pct: float, used: float) -> float:
    """What can still be planned: ceiling × C − used (negative when over the ceiling)."""
    return compute_ceiling(capacity, ceiling_pct) - used


def fits_within(load: float, limit: float) -> bool:
    """``load ≤ limit`` with a hair of floating-point slack, so exactly at the ceiling fits."""
    return load <= limit + _FIT_ABS_TOL + _FIT_REL_TOL * abs(limit)


def fit_tolerance(limit: float) -> float:
    """The slack :func:`fits_within` allows at ``limit``, for vectorised comparisons."""
    return _FIT_ABS_TOL + _FIT_REL_TOL * abs(limit)
