"""The demo DC as engineers run it: VM addresses, a week of discovery runs of every kind,
and the discrepancies the audit lists (issue 22 item 6) — one loader step.

Runs after every record exists (the runs name devices and VMs by id), before the
change log or history would matter: nothing here writes the change log, as the demo's
records have none of their own.
"""

from __future__ import annotations

import sqlalchemy as sa

from cmdb.demo.context import DemoContext
from cmdb.demo.discovery_runs import load_snmp_runs
from cmdb.demo.findings import load_findings
from cmdb.demo.sync_runs import load_sync_runs
from cmdb.models import Device, Workload

VM_NETWORK = "10.60.{}.{}"  # the VMs' server network (data only)
VMS_PER_BLOCK = 250


def load_operations(ctx: DemoContext) -> None:
    ctx.session.flush()
    devices = list(ctx.session.scalars(sa.select(Device).order_by(Device.id)))
    vms = list(ctx.session.scalars(sa.select(Workload).order_by(Workload.id)))
    address_vms(vms)
    load_snmp_runs(ctx, devices)
    load_sync_runs(ctx, devices, vms)
    load_findings(ctx, devices, vms)


def address_vms(vms: list[Workload]) -> None:
    """Each VM its management address, in id order (.2 onward in blocks of 250)."""
    for n, vm in enumerate(vms):
        vm.management_address = VM_NETWORK.format(n // VMS_PER_BLOCK, n % VMS_PER_BLOCK + 2)
