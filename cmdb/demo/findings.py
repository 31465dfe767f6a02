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
from cmdb.demo.sync_runs import UNDOCUMENTED, host_ram, vm_vcpu
from cmdb.models import Device, Discrepancy, Interface, Link, Workload
from cmdb.services.discrepancies import acknowledge, raise_discrepancy, settle_discrepancy

PRESENCE = "presence"  # the audit's field of not_on_network / not_in_netbox


def load_findings(ctx: DemoContext, devices: Sequence[Device], vms: Sequence[Workload]) -> None:
    """The discrepancies, then the audit run of yesterday morning that counted them."""
    audit = at(ctx.today - timedelta(days=1), 5)
    by_name = {d.name: d for d in devices}
    hosts = [d for d in devices if d.role is DeviceRole.SERVER]
    gear = [d for d in devices if d.role in (DeviceRole.ROUTER, DeviceRole.SWITCH)]
    link = ctx.session.scalars(
        sa.select(Link).where(Link.commit_rate_mbps.is_not(None)).order_by(Link.id)
    ).first()
    add = _Adder(ctx, audit)
    core = gear[0]
    add(
        DiscrepancyKind.MISMATCH,
        core,
        "serial",
        {"netbox": f"{core.serial}X", "snmp": core.serial},
        6,
    )
    port = _port(ctx, core)
    add(DiscrepancyKind.MISMATCH, port, "speed_mbps", {"record": 10_000, "snmp": 1_000}, 2)
    silent = by_name[SILENT_SWITCH]
    last = (at(ctx.today, 1) - SILENT_FOR).isoformat()
    add(
        DiscrepancyKind.NOT_ON_NETWORK,
        silent,
        PRESENCE,
        {"netbox": silent.management_address, "snmp": last},
        16,
    )
    loaner = by_name[UNDOCUMENTED]
    add(
        DiscrepancyKind.NOT_IN_NETBOX,
        loaner,
        PRESENCE,
        {"snmp": loaner.management_address, "netbox": None},
        9,
        "Loaner from the vendor for the WAF trial; documented in NetBox only if we buy it.",
    )
    if link is not None:
        commit = link.commit_rate_mbps or 0
        values = {"inventory": {"commit_rate_mbps": commit}, "snmp": {"speed_mbps": commit / 2}}
        add(DiscrepancyKind.SPEED_VS_COMMIT, link, "commit_rate_mbps", values, 4)
    host = hosts[0]
    add(
        DiscrepancyKind.HOST_SIZING,
        host,
        "ram_gb",
        {"netbox": host.ram_gb, "ansible": host_ram(host)},
        1,
    )
    vm = vms[0]
    add(
        DiscrepancyKind.VM_SIZING,
        vm,
        "vcpu",
        {"netbox": vm.vcpu, "ansible": vm_vcpu(vm)},
        3,
        "CPUs hot-added for the year-end peak; NetBox to be updated after the change board.",
    )
    add.settled(gear[1], "model", {"netbox": "old model", "snmp": gear[1].model}, 12)
    write_run(
        ctx.session,
        RunSpec(
            Source.MANUAL,
            RunKind.AUDIT,
            "inventory",
            audit,
            3.1,
            stats={
                "records": len(devices) + len(vms),
                "findings": add.unsettled,
                "opened": add.opened_today,
            },
            parameters={"silent_after_days": 7, "answering_statuses": ["active", "planned"]},
            requested_by=ENGINEER,
            records=len(devices) + len(vms),
        ),
    )


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
