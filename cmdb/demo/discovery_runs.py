"""SNMP's last days in the demo DC: discovery of the network and storage management
networks (one partial: an agent silent for weeks, one refusing the profile) and polls
five minutes apart (the last one partial), with SNMP's marks (``RecordSource``: the
endpoint and when it last answered) as real runs leave them. The times are fixed hours
of the days before ``ctx.today``, so the same seed gives the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from cmdb.choices import DeviceRole, RunKind, RunStatus, Source
from cmdb.demo.context import DemoContext
from cmdb.demo.run_rows import RunSpec, Seen, Target, write_run
from cmdb.models import Device
from cmdb.services.provenance import mark_seen
from cmdb.services.split_runs import settle_parent

ENGINEER = "nguyen.van.an"
SILENT_SWITCH = "oob-sw-01"  # documented in NetBox, silent on SNMP for weeks
SILENT_FOR = timedelta(days=23)
TIMEOUT = "no answer: timeout after 2 retries (5 s)"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), UTC)


def load_snmp_runs(ctx: DemoContext, devices: Sequence[Device]) -> None:
    """SNMP discovery of two management networks, three polls, and SNMP's marks."""
    gear = [d for d in devices if d.role not in (DeviceRole.SERVER, DeviceRole.STORAGE)]
    heads = [d for d in devices if d.role is DeviceRole.STORAGE and d.management_address]
    answering = [d for d in gear if d.name != SILENT_SWITCH]
    silent = [d for d in gear if d.name == SILENT_SWITCH]
    yesterday = ctx.today - timedelta(days=1)
    _snmp_discovery(ctx, gear, heads, ctx.today - timedelta(days=2), yesterday)
    _polls(ctx, answering, yesterday)
    _split_poll(ctx, answering, yesterday)
    mark_seen(ctx.session, [*answering, *heads], Source.SNMP, _endpoint, at(yesterday, 10, 10))
    mark_seen(ctx.session, silent, Source.SNMP, _endpoint, at(ctx.today, 1) - SILENT_FOR)


def _endpoint(device: Device) -> str:
    return f"{device.management_address}:161"


def device_facts(device: Device) -> dict[str, object]:
    return {
        "name": device.name,
        "serial": device.serial,
        "manufacturer": device.manufacturer,
        "model": device.model,
    }


def _snmp_discovery(
    ctx: DemoContext, gear: Sequence[Device], heads: Sequence[Device], first: date, second: date
) -> None:
    subnet = _subnet(gear[0])
    answering = [d for d in gear if d.name != SILENT_SWITCH]
    silent = [d for d in gear if d.name == SILENT_SWITCH]
    targets = [_answered(d, 14 + i % 5) for i, d in enumerate(answering)]
    targets += [Target(_endpoint(d), RunStatus.FAILED, TIMEOUT) for d in silent]
    targets.append(
        Target(
            f"{subnet}.40:161",
            RunStatus.FAILED,
            "authentication failed: wrong digest (usmStatsWrongDigests) with profile dc-v3",
        )
    )
    write_run(
        ctx.session,
        RunSpec(
            Source.SNMP,
            RunKind.DISCOVERY,
            f"{subnet}.0/24",
            at(first, 1),
            41.5,
            targets,
            [_snmp_seen(d) for d in answering],
            stats={"created": 0, "updated": 0, "interfaces": 0},
            parameters={"targets": [f"{subnet}.0/24"], "profile": "dc-v3"},
            requested_by=ENGINEER,
        ),
    )
    storage = _subnet(heads[0])
    write_run(
        ctx.session,
        RunSpec(
            Source.SNMP,
            RunKind.DISCOVERY,
            f"{storage}.0/24",
            at(second, 1),
            9.8,
            [_answered(d, 22) for d in heads],
            [_snmp_seen(d) for d in heads],
            stats={"created": 0, "updated": 0, "interfaces": 0},
            parameters={"targets": [f"{storage}.0/24"], "profile": "storage-v2c"},
            requested_by=ENGINEER,
        ),
    )


def _subnet(device: Device) -> str:
    return str(device.management_address).rsplit(".", 1)[0]


def _answered(device: Device, requests: int) -> Target:
    return Target(
        _endpoint(device), device_id=device.id, duration_ms=800.0 + 37 * requests, requests=requests
    )


def _snmp_seen(device: Device) -> Seen:
    return Seen("device", device.id, device_facts(device), "serial", _endpoint(device))


def _polls(ctx: DemoContext, answering: Sequence[Device], day: date) -> None:
    """Three polls five minutes apart; in the last, one agent timed out, one half-answered."""
    for n in range(3):
        targets = [_answered(d, 3) for d in answering]
        if n == 2:
            targets[-1] = Target(targets[-1].item, RunStatus.FAILED, TIMEOUT)
            targets[0] = Target(
                targets[0].item,
                RunStatus.PARTIAL,
                "ifXTable not answered: 64-bit counters missing, 32-bit ifInOctets used",
                device_id=answering[0].id,
                requests=3,
            )
        write_run(
            ctx.session,
            RunSpec(
                Source.SNMP,
                RunKind.POLL,
                "inventory",
                at(day, 10, 5 * n),
                6.2 + n,
                targets,
                stats={"samples": 40 * sum(t.status is not RunStatus.FAILED for t in targets)},
            ),
        )


def _split_poll(ctx: DemoContext, answering: Sequence[Device], day: date) -> None:
    """A poll shared by two workers: its run and a run per chunk of devices under it."""
    half = (len(answering) + 1) // 2
    parent = write_run(
        ctx.session,
        RunSpec(Source.SNMP, RunKind.POLL, "every discovered device", at(day, 10, 20), 0),
    )
    parent.status, parent.finished_at = RunStatus.RUNNING, None
    parent.parameters = {"chunk_size": half}
    ends = []
    for number, chunk in enumerate((answering[:half], answering[half:]), 1):
        part = write_run(
            ctx.session,
            RunSpec(
                Source.SNMP,
                RunKind.POLL,
                f"part {number} of 2 of run {parent.id}: {len(chunk)} devices",
                at(day, 10, 20),
                4.1 + number,
                [_answered(d, 3) for d in chunk],
                stats={"samples": 40 * len(chunk)},
                parameters={"chunk_size": half, "chunk_of": parent.id},
            ),
        )
        part.parent_id = parent.id
        part.runner_host, part.runner_pid = f"worker-{number}", 4100 + number
        ends.append(part.finished_at)
    ctx.session.flush()
    settle_parent(ctx.session, parent.id)
    parent.finished_at = max(e for e in ends if e is not None)  # the demo's clock, not now
