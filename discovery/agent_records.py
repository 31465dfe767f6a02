"""What the inventory keeps of each device's agent, read and written for polls and discovery.

The device on record at an address (``agent_identity.OnRecord``), the credential
profile its agent last answered (``device.snmp_profile``, tried first next time) and
the ``identity`` discrepancy: opened when another agent answers at a device's address,
resolved when the device on record answers there again. Values are flat text (one
line per side), as the audit shows them. None of these commit.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import DiscrepancyKind, DiscrepancyStatus, Source
from cmdb.models import Device, Discrepancy
from cmdb.services.discrepancies import UNSETTLED, raise_discrepancy
from discovery.agent_identity import OnRecord, describe, describe_record
from discovery.core.known import KnownRecord
from discovery.core.normalize import normalize_host
from discovery.core.observations import Endpoint, RecordKind
from discovery.core.snapshot import load_records
from discovery.records import AgentIdentity, Target, TargetOutcome

FIELD = "identity"  # the discrepancy's field: the agent at the address as a whole


def load_on_record(session: Session, device_ids: Collection[int]) -> dict[int, OnRecord]:
    """Each device as the record knows it, with the name SNMP last called it."""
    if not device_ids:
        return {}
    snapshot = load_records(session, {RecordKind.DEVICE: list(device_ids)})
    return {r.id: on_record(r) for r in snapshot.records}


def on_record(record: KnownRecord) -> OnRecord:
    said = record.said.get(Source.SNMP, {}).get("name")
    names = [n for n in (record.name, said) if isinstance(n, str) and n]
    return OnRecord(
        record.id,
        serial=record.serial,
        sys_object_id=_text(record.values.get("sys_object_id")),
        chassis_id=_text(record.values.get("chassis_id")),
        names=tuple(dict.fromkeys(names)),
        profile=_text(record.values.get("snmp_profile")),
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def remembered_profiles(session: Session, targets: Mapping[Target, int]) -> dict[Target, str]:
    """The profile each target's device last answered, for the targets at known devices."""
    ids = {d: t for t, d in targets.items()}
    rows = session.execute(
        sa.select(Device.id, Device.snmp_profile).where(
            Device.id.in_(list(ids)), Device.snmp_profile.is_not(None)
        )
    )
    return {ids[device_id]: profile for device_id, profile in rows if profile}


def save_profiles(session: Session, answered: Mapping[int, str]) -> None:
    """Remember the profile each device's agent answered (only where it changed)."""
    if not answered:
        return
    rows = session.execute(
        sa.select(Device.id, Device.snmp_profile).where(Device.id.in_(list(answered)))
    )
    for device_id, known in rows:
        if known != answered[device_id]:
            session.execute(
                sa.update(Device)
                .where(Device.id == device_id)
                .values(snmp_profile=answered[device_id])
            )


def open_identity(
    session: Session,
    record: OnRecord,
    agent: AgentIdentity,
    address: str,
    at: datetime,
) -> Discrepancy:
    """Another agent answers at the device's address: an ``identity`` discrepancy."""
    found, _ = raise_discrepancy(
        session,
        kind=DiscrepancyKind.IDENTITY,
        object_type=str(RecordKind.DEVICE),
        object_id=record.device_id,
        field=FIELD,
        values={"record": describe_record(record), "snmp": f"at {address}: {describe(agent)}"},
        at=at,
    )
    return found


def settle_identities(session: Session, device_ids: Collection[int], at: datetime) -> int:
    """The devices on record answer at their addresses again: their identity discrepancies
    are resolved (one statement whatever the number of devices)."""
    if not device_ids:
        return 0
    result = session.execute(
        sa.update(Discrepancy)
        .where(
            Discrepancy.kind == DiscrepancyKind.IDENTITY,
            Discrepancy.object_type == str(RecordKind.DEVICE),
            Discrepancy.object_id.in_(list(device_ids)),
            Discrepancy.status.in_(UNSETTLED),
        )
        .values(status=DiscrepancyStatus.RESOLVED, resolved_at=at)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def note_swaps(
    session: Session,
    outcomes: Sequence[TargetOutcome],
    before: Mapping[Endpoint, KnownRecord],
    devices: Mapping[str, int],
    at: datetime,
) -> list[TargetOutcome]:
    """Discovery's side of the check: where the agent at an endpoint is now another record
    than the device last seen there (the core's identity rule made it a new one, or
    matched another), the old device gets an ``identity`` discrepancy and the target's
    result says so; where it is the same device, its identity discrepancies settle."""
    checked, same = [], []
    for o in outcomes:
        old = before.get(Endpoint(normalize_host(o.target.host), o.target.port))
        now = devices.get(o.target.address)
        if o.observation is None or old is None or now is None:
            checked.append(o)
            continue
        if now == old.id:
            same.append(now)
            checked.append(o)
            continue
        agent = _agent(o)
        open_identity(session, on_record(old), agent, o.target.address, at)
        note = f"another device than {old.name or old.id} (#{old.id}) answers here: device #{now}"
        checked.append(replace(o, warnings=(*o.warnings, note)))
    settle_identities(session, same, at)
    return checked


def _agent(outcome: TargetOutcome) -> AgentIdentity:
    obs = outcome.observation
    assert obs is not None
    return AgentIdentity(
        sys_object_id=obs.system.object_id,
        name=obs.system.name,
        serial=obs.chassis.serial if obs.chassis else None,
        chassis_id=obs.lldp_chassis_id,
    )
