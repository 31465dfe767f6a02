"""Discrepancies of every kind and the audit run that listed them, as the audit page shows.

Each finding agrees with what the demo's runs observed (``discovery_runs``,
``sync_runs``): the silent switch is "not on the network", the undocumented load
balancer "not in NetBox", the first hypervisor's RAM and the first VM's vCPUs differ
as Ansible read them. Some are acknowledged with an engineer's comment, one settled.
Written through ``cmdb.services.discrepancies`` like every source's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from cmdb.choices import DeviceRole, DiscrepancyKind, RunKind, Source
from cmdb.demo.context import DemoContext
from cmdb.demo.discovery_runs import ENGINEER, SILENT_FOR, SILENT_SWITCH, at
from cmdb.demo.run_rows import RunSpec, write_run
from cmdb.demo.sync_runs import MISTYPED, UNDOCUMENTED, host_ram, netbox_serial, vm_vcpu
from cmdb.models import Device, Discrepancy, Interface, Link, Workload
from cmdb.services.discrepancies import acknowledge, raise_discrepancy, settle_discrepancy

PRESENCE = "presence"  # the audit's field of not_on_network / not_in_netbox
MISMATCH = DiscrepancyKind.MISMATCH
LOANER = "Loaner from the vendor for the WAF trial; documented in NetBox only if we buy it."
HOT_ADDED = "CPUs hot-added for the year-end peak; NetBox to be updated after the change board."


def load_findings(ctx: DemoContext, devices: Sequence[Device], vms: Sequence[Workload]) -> None:
    """The discrepancies, then the audit run of yesterday morning that counted them."""
    audit = at(ctx.today - timedelta(days=1), 5)
    add = _Adder(ctx, audit)
    _network_findings(ctx, add, devices)
    _sizing_findings(add, devices, vms)
    records = len(devices) + len(vms)
    write_run(
        ctx.session,
        RunSpec(
            Source.MANUAL,
            RunKind.AUDIT,
            "inventory",
            audit,
            3.1,
            stats={"records": records, "findings": add.unsettled, "opened": add.opened_today},
            parameters={"silent_after_days": 7, "answering_statuses": ["active", "planned"]},
            requested_by=ENGINEER,
            records=records,
        ),
    )


def _network_findings(ctx: DemoContext, add: _Adder, devices: Sequence[Device]) -> None:
    """Mismatches on the core, presence of the silent and the undocumented gear, a circuit."""
    by_name = {d.name: d for d in devices}
    gear = [d for d in devices if d.role in (DeviceRole.ROUTER, DeviceRole.SWITCH)]
    core = by_name[MISTYPED]
    serials = {"record": core.serial, "netbox": netbox_serial(core), "snmp": core.serial}
    add(MISMATCH, core, "serial", serials, 6)
    port = _port(ctx, core)
    add(MISMATCH, port, "speed_mbps", {"record": port.speed_mbps, "snmp": 1_000}, 2)
    other = next(d for d in gear if d is not core)
    models = {"record": other.model, "netbox": "Nexus 93180YC-EX", "snmp": other.model}
    add.settled(other, "model", models, 12)
    silent, loaner = by_name[SILENT_SWITCH], by_name[UNDOCUMENTED]
    last = (at(ctx.today, 1) - SILENT_FOR).isoformat()
    values: dict[str, Any] = {"netbox": silent.management_address, "snmp": last}
    add(DiscrepancyKind.NOT_ON_NETWORK, silent, PRESENCE, values, 16)
    values = {"snmp": loaner.management_address, "netbox": None}
    add(DiscrepancyKind.NOT_IN_NETBOX, loaner, PRESENCE, values, 9, LOANER)
    link = ctx.session.scalars(
        sa.select(Link).where(Link.commit_rate_mbps.is_not(None)).order_by(Link.id)
    ).first()
    if link is not None:
        commit = link.commit_rate_mbps or 0
        values = {"inventory": {"commit_rate_mbps": commit}, "snmp": {"speed_mbps": commit / 2}}
        add(DiscrepancyKind.SPEED_VS_COMMIT, link, "commit_rate_mbps", values, 4)


def _sizing_findings(add: _Adder, devices: Sequence[Device], vms: Sequence[Workload]) -> None:
    """What Ansible read of the first hypervisor and the first VM (``sync_runs``)."""
    host = next(d for d in devices if d.role is DeviceRole.SERVER)
    values: dict[str, Any] = {"netbox": host.ram_gb, "ansible": host_ram(host)}
    add(DiscrepancyKind.HOST_SIZING, host, "ram_gb", values, 1)
    vm = vms[0]
    values = {"netbox": vm.vcpu, "ansible": vm_vcpu(vm)}
    add(DiscrepancyKind.VM_SIZING, vm, "vcpu", values, 3, HOT_ADDED)


def _port(ctx: DemoContext, device: Device) -> Interface:
    return (
        ctx.session.scalars(
            sa.select(Interface)
            .where(Interface.device_id == device.id, Interface.if_index.is_not(None))
            .order_by(Interface.if_index)
        ).first()
        or device.interfaces[0]
    )


class _Adder:
    """Opens each finding ``days`` before the audit, confirmed by it."""

    def __init__(self, ctx: DemoContext, audit: datetime) -> None:
        self.ctx, self.audit = ctx, audit
        self.unsettled = self.opened_today = 0

    def __call__(
        self,
        kind: DiscrepancyKind,
        row: Device | Interface | Link | Workload,
        field: str,
        values: Mapping[str, Any],
        days: int,
        comment: str | None = None,
    ) -> Discrepancy:
        opened = self.audit - timedelta(days=days - 1)  # 1: opened by this audit
        found, _ = raise_discrepancy(
            self.ctx.session,
            kind=kind,
            object_type=row.__tablename__,
            object_id=row.id,
            field=field,
            values=values,
            at=opened,
        )
        found.last_seen_at = self.audit
        self.ctx.session.flush()  # its status (open) is the column's default
        if comment is not None:
            acknowledge(found, by=ENGINEER, comment=comment, at=opened + timedelta(hours=3))
        self.unsettled += 1
        self.opened_today += days == 1
        return found

    def settled(self, row: Device, field: str, values: Mapping[str, Any], days: int) -> None:
        """A mismatch fixed in NetBox since: the audit settled it."""
        self(DiscrepancyKind.MISMATCH, row, field, values, days)
        self.unsettled -= 1
        settle_discrepancy(
            self.ctx.session,
            kind=DiscrepancyKind.MISMATCH,
            object_type=row.__tablename__,
            object_id=row.id,
            field=field,
            at=self.audit,
        )
