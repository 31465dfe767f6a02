"""A project's resource request, as the pure engine takes it (issue 3's request JSON).

Target sites arrive already resolved to site ids: turning admin-unit codes and
levels into People's Committee sites needs the database, which is the adapter's
job. Validation here is a backstop that keeps the arithmetic meaningful; the API
and CLI validate first and answer per field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from capacity.model import ZONES, VmSize

GB_PER_TB = 1000.0
"""Decimal terabytes, as storage is sold and as raw_tb is quoted."""


@dataclass(frozen=True)
class Workload:
    """``count`` identical VMs of one role."""

    name: str
    count: int
    vcpu: float
    ram_gb: float
    disk_gb: float = 0.0

    def __post_init__(self) -> None:
        if self.count < 0 or self.vcpu < 0 or self.ram_gb < 0 or self.disk_gb < 0:
            raise ValueError(f"workload {self.name!r}: count and sizes must be ≥ 0")

    @property
    def vm(self) -> VmSize:
        """The size of one VM of this workload."""
        return VmSize(vcpu=self.vcpu, ram_gb=self.ram_gb)


@dataclass(frozen=True)
class DcBandwidth:
    """Bandwidth the system needs at the DC on one network (its users reach it there)."""

    network: str
    mbps: float

    def __post_init__(self) -> None:
        if self.mbps < 0:
            raise ValueError(f"dc bandwidth on {self.network!r}: mbps must be ≥ 0")


@dataclass(frozen=True)
class SiteBandwidth:
    """Bandwidth each target site needs towards the DC on one network."""

    network: str
    per_site_mbps: float
    site_ids: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.per_site_mbps < 0:
            raise ValueError(f"site bandwidth on {self.network!r}: per_site_mbps must be ≥ 0")


@dataclass(frozen=True)
class Request:
    """What a project asks the DC for.

    ``growth_pct_per_year`` applies to every resource of the request:
    D(t) = D₀ × (1 + g)^(years since go-live). ``cluster_id``/``storage_pool_id``
    pin the placement when the project (or a planner asking "what if") names one.
    """

    name: str
    agency: str
    security_level: int
    zone: str
    go_live: date
    horizon_years: float
    growth_pct_per_year: float = 0.0
    workloads: tuple[Workload, ...] = ()
    storage_tb: float = 0.0
    dc_bandwidth: tuple[DcBandwidth, ...] = ()
    sites: tuple[SiteBandwidth, ...] = ()
    own_hardware_cost_vnd: float | None = None
    cluster_id: str | None = None
    storage_pool_id: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.security_level <= 5:
            raise ValueError("security_level must be 1–5")
        if self.zone not in ZONES:
            raise ValueError(f"zone must be one of {sorted(ZONES)}")
        if self.horizon_years <= 0:
            raise ValueError("horizon_years must be > 0")
        if self.growth_pct_per_year <= -100:
            raise ValueError("growth_pct_per_year must be > −100")
        if self.storage_tb < 0:
            raise ValueError("storage_tb must be ≥ 0")
        if self.own_hardware_cost_vnd is not None and self.own_hardware_cost_vnd < 0:
            raise ValueError("own_hardware_cost_vnd must be ≥ 0")

    @property
    def horizon_months(self) -> int:
        """Number of monthly steps after go-live (go-live itself is step 0)."""
        return round(self.horizon_years * 12)

    @property
    def vcpu(self) -> float:
        """D₀ of vCPU: Σ count × vcpu."""
        return float(sum(w.count * w.vcpu for w in self.workloads))

    @property
    def ram_gb(self) -> float:
        """D₀ of RAM: Σ count × ram_gb."""
        return float(sum(w.count * w.ram_gb for w in self.workloads))

    @property
    def storage_demand_tb(self) -> float:
        """D₀ of storage: every VM disk counted in full, plus ``storage_tb``.

        Disks are counted at their provisioned size (no thin-provisioning saving is
        assumed: a disk may fill up, and the baseline is measured used space, so
        counting less would promise space that is not there), in decimal TB
        (1 TB = 1000 GB); ``storage_tb`` is the project's data on top of the VMs.
        """
        disks_gb = sum(w.count * w.disk_gb for w in self.workloads)
        return float(disks_gb / GB_PER_TB + self.storage_tb)

    @property
    def needs_compute(self) -> bool:
        """Whether any VM is asked for (a bandwidth-only request needs no cluster)."""
        return any(w.count > 0 and (w.vcpu > 0 or w.ram_gb > 0) for w in self.workloads)

    @property
    def largest_vms(self) -> tuple[VmSize, ...]:
        """One VM of each workload that is asked for: each must fit a single host."""
        return tuple(w.vm for w in self.workloads if w.count > 0)

    def growth_factor(self, years: float) -> float:
        """(1 + g)^years, the growth of demand after ``years`` since go-live."""
        factor: float = (1.0 + self.growth_pct_per_year / 100.0) ** years
        return factor
