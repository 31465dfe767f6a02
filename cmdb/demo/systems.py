"""Information systems and their VMs (``Workload`` rows) from ``systems_catalog``."""

from __future__ import annotations

from collections.abc import Iterable

from cmdb.demo.context import DemoContext
from cmdb.demo.systems_catalog import SYSTEMS, SystemSpec
from cmdb.models import InformationSystem, Workload


def load_systems(ctx: DemoContext) -> None:
    build_systems(ctx, SYSTEMS)


def build_systems(ctx: DemoContext, specs: Iterable[SystemSpec]) -> None:
    """Each system with its VMs on the cluster and pools its catalogue names."""
    for spec in specs:
        system = InformationSystem(
            name=spec.name,
            code=spec.code,
            description=spec.description or None,
            agency=ctx.agencies[spec.agency],
            security_level=spec.security_level,
            zones=[z.value for z in spec.zones],
        )
        system.workloads = list(_workloads(ctx, spec))
        ctx.session.add(system)


def _workloads(ctx: DemoContext, spec: SystemSpec) -> list[Workload]:
    if spec.cluster is None:
        return []
    prefix = spec.code.lower()
    return [
        Workload(
            name=f"{prefix}-{vm.role}-{n:02d}",
            vcpu=vm.vcpu,
            ram_gb=float(vm.ram_gb),
            disk_gb=float(vm.disk_gb),
            cluster=ctx.clusters[spec.cluster],
            storage_pool=ctx.pools[vm.pool],
        )
        for vm in spec.vms
        for n in range(1, vm.count + 1)
    ]
