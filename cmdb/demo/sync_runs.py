"""NetBox syncs and an Ansible fact sync of the demo DC, with the marks they leave.

Three nightly NetBox syncs: one failed (NetBox unreachable), one full that succeeded
(it observed every device and VM), one incremental that was partial (two objects name a
site and a cluster Headroom does not have). An Ansible fact sync of the hypervisors and
the first VMs, one host unreachable. NetBox marks every device but ``UNDOCUMENTED`` (the
audit's "not in NetBox"); Ansible marks what it read. As in ``discovery_runs``, the times
are fixed hours of the days before ``ctx.today``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from cmdb.choices import DeviceRole, RunKind, RunStatus, Source
from cmdb.demo.context import DemoContext
from cmdb.demo.discovery_runs import at, device_facts
from cmdb.demo.run_rows import RunSpec, Seen, Target, write_run
from cmdb.models import Device, Workload
from cmdb.services.provenance import mark_seen

NETBOX_URL = "https://netbox.quangnam.example"  # the demo's NetBox (not a real host)
UNDOCUMENTED = "lb-02"  # answers SNMP, absent from NetBox
MISTYPED = "core-sw-01"  # NetBox holds its serial with a typo
UNREACHABLE = 7  # the n-th hypervisor: Ansible could not reach it
FACT_VMS = 12  # VMs whose facts the playbook gathered
UNPLACED = (
    ("dcim.device 4901 (sw-pop-tien-phuoc-02)", "site 'pop-tien-phuoc' is not in Headroom"),
    ("virtualization.vm 7712 (lab-test-01)", "cluster 'VMware-Lab' is not in Headroom"),
)


def netbox_id(row: Device | Workload) -> str:
    return str((4000 if isinstance(row, Device) else 7000) + row.id)


def load_sync_runs(ctx: DemoContext, devices: Sequence[Device], vms: Sequence[Workload]) -> None:
    documented = [d for d in devices if d.name != UNDOCUMENTED]
    hosts = [d for d in devices if d.role is DeviceRole.SERVER]
    _netbox_syncs(ctx, documented, vms)
    _facts(ctx, hosts, vms[:FACT_VMS], ctx.today - timedelta(days=1))


def _netbox_syncs(ctx: DemoContext, devices: Sequence[Device], vms: Sequence[Workload]) -> None:
    days = [ctx.today - timedelta(days=n) for n in (3, 2, 1)]
    unreachable = f"NetBox unreachable: connection to {NETBOX_URL} timed out after 30 s"
    write_run(ctx.session, _netbox(days[0], 30.2, (), (), {"full": True}, unreachable))
    targets = [Target(_object(d)) for d in devices] + [Target(_object(v)) for v in vms]
    seen = [_netbox_seen(d) for d in devices] + [_netbox_seen(v) for v in vms]
    write_run(ctx.session, _netbox(days[1], 74.0, targets, seen, {"full": True}))
    failed = [Target(item, RunStatus.FAILED, why) for item, why in UNPLACED]
    changed = [Target(_object(d)) for d in devices[:4]]
    write_run(ctx.session, _netbox(days[2], 6.4, changed + failed, (), {"full": False}))
    mark_seen(ctx.session, devices, Source.NETBOX, netbox_id, at(days[2], 2))
    mark_seen(ctx.session, vms, Source.NETBOX, netbox_id, at(days[2], 2))


def _netbox(
    day: date,
    seconds: float,
    targets: Sequence[Target],
    seen: Sequence[Seen],
    parameters: dict[str, object],
    fatal: str | None = None,
) -> RunSpec:
    counts = {"fetched": len(targets), "created": 0, "updated": 0}
    return RunSpec(
        Source.NETBOX,
        RunKind.SYNC,
        NETBOX_URL,
        at(day, 2),
        seconds,
        targets,
        seen,
        stats=counts,
        parameters=parameters,
        fatal=fatal,
    )


def netbox_serial(device: Device) -> str | None:
    """The serial NetBox documents: the record's, but for ``MISTYPED``'s typo."""
    return f"{device.serial}X" if device.name == MISTYPED else device.serial


def _object(row: Device | Workload) -> str:
    kind = "dcim.device" if isinstance(row, Device) else "virtualization.vm"
    return f"{kind} {netbox_id(row)} ({row.name})"[:80]


def _netbox_seen(row: Device | Workload) -> Seen:
    if isinstance(row, Device):
        facts = {**device_facts(row), "serial": netbox_serial(row)}
        return Seen("device", row.id, facts, "source_id", netbox_id(row))
    return Seen("workload", row.id, _vm_facts(row), "source_id", netbox_id(row))


def _vm_facts(vm: Workload) -> dict[str, object]:
    return {"name": vm.name, "vcpu": vm.vcpu, "ram_gb": vm.ram_gb}


def _facts(ctx: DemoContext, hosts: Sequence[Device], vms: Sequence[Workload], day: date) -> None:
    """The playbook over the hypervisors and some VMs; one host did not answer SSH."""
    down = hosts[UNREACHABLE - 1] if len(hosts) >= UNREACHABLE else None
    reached = [h for h in hosts if h is not down]
    targets = [Target(h.name, device_id=h.id, duration_ms=2400.0) for h in reached]
    targets += [Target(v.name, duration_ms=1900.0) for v in vms]
    if down is not None:
        why = f"unreachable: ssh: connect to host {down.management_address} port 22: timed out"
        targets.append(Target(down.name, RunStatus.FAILED, why))
    seen = [_host_seen(h, n == 0) for n, h in enumerate(reached)]
    seen += [
        Seen("workload", v.id, _vm_said(v, n == 0), "record_id", v.name) for n, v in enumerate(vms)
    ]
    spec = RunSpec(
        Source.ANSIBLE,
        RunKind.FACTS,
        "headroom-facts.yml",
        at(day, 3),
        212.0,
        targets,
        seen,
        stats={"updated": 0, "interfaces": 0},
        requested_by="ansible",
    )
    write_run(ctx.session, spec)
    mark_seen(ctx.session, reached, Source.ANSIBLE, lambda h: h.name, at(day, 3))
    mark_seen(ctx.session, vms, Source.ANSIBLE, lambda v: v.name, at(day, 3))


def _host_seen(host: Device, short: bool) -> Seen:
    """``short``: a DIMM failed and was taken out (the demo's host-sizing discrepancy)."""
    ram = host_ram(host) if short else host.ram_gb
    facts = {**device_facts(host), "cores": host.cores, "ram_gb": ram}
    return Seen("device", host.id, facts, "record_id", host.name)


def _vm_said(vm: Workload, grown: bool) -> dict[str, object]:
    """``grown``: CPUs hot-added without telling NetBox (the demo's VM-sizing discrepancy)."""
    return {**_vm_facts(vm), "vcpu": vm_vcpu(vm)} if grown else _vm_facts(vm)


def host_ram(host: Device) -> float:
    """What Ansible says of the first hypervisor's RAM: one 64 GB DIMM fewer."""
    return float(host.ram_gb or 0) - 64


def vm_vcpu(vm: Workload) -> int:
    """What Ansible says of the first VM's vCPUs: twice its record."""
    return (vm.vcpu or 0) * 2  # the demo's VMs all have a size
