"""The one writer of Ansible facts: a host's facts become observations, updates, discrepancies.

One fact-sync playbook run is one ``DiscoveryRun`` (source ansible, kind facts):
the playbook opens it, every host's post adds a ``DiscoveryResult`` and its
observations, the playbook closes it (``discovery.core.lifecycle`` starts and ends
it). Re-posting facts that have not changed writes no observation, no change-log
row and no discrepancy: only the "last seen" times move (the host's ``RecordSource``
and any discrepancy still standing). Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import ChangeAction, RunKind, RunStatus, Source
from cmdb.db import utcnow
from cmdb.models import (
    Device,
    DiscoveryResult,
    DiscoveryRun,
    Interface,
    Observation,
    RecordSource,
    Workload,
)
from cmdb.services.discrepancies import raise_discrepancy, settle_discrepancy
from cmdb.services.provenance import log_change
from discovery.ansible.facts import map_facts
from discovery.ansible.plan import (
    DEVICE,
    WORKLOAD,
    FactsPlan,
    HostObservationData,
    KnownHost,
    KnownInterface,
    interface_observation_data,
    observation_data,
    plan_facts,
)
from discovery.core.lifecycle import add_result, finish_from_results, new_run, start_run
from discovery.core.runs import Attempt, Failure

ACTOR = "ansible-facts"
Host = Device | Workload


@dataclass
class FactsOutcome:
    """What one post did, as the API answers it."""

    run_id: int
    kind: str
    id: int
    name: str
    changed: bool = False
    updated: dict[str, Any] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)  # "kind:field" of new discrepancies
    standing: list[str] = field(default_factory=list)  # confirmed again
    settled: list[str] = field(default_factory=list)
    observed: bool = False  # whether a new observation was stored


NO_FACTS = "no facts"  # a host the playbook could not post (unreachable, no facts gathered)


def start_facts_run(
    session: Session, requested_by: str | None, parameters: Mapping[str, Any] | None = None
) -> DiscoveryRun:
    """A fact-sync run: the playbook drives it over the API, no process of Headroom's runs
    it (so no sweep ends it for want of one)."""
    run = new_run(
        source=Source.ANSIBLE,
        kind=RunKind.FACTS,
        target="ansible fact sync",
        requested_by=requested_by,
        parameters=parameters,
        owned=False,
    )
    return start_run(session, run)


def end_facts_run(session: Session, run: DiscoveryRun, failed: Sequence[str]) -> DiscoveryRun:
    """End a fact-sync run: its hosts' results, and ``failed``, the hosts that gave no facts
    (a host whose post was refused keeps that reason). Partial when some failed, failed
    when all did (``discovery.core.lifecycle``)."""
    hosts = session.scalar(
        sa.select(sa.func.count()).where(
            DiscoveryResult.run_id == run.id, DiscoveryResult.status == RunStatus.SUCCEEDED
        )
    )
    observations = session.scalar(sa.select(sa.func.count()).where(Observation.run_id == run.id))
    stats = {"hosts": hosts or 0, "observations": observations or 0}
    finish_from_results(session, run, [Failure(name, NO_FACTS) for name in failed], stats=stats)
    return run


def record_facts(
    session: Session,
    run: DiscoveryRun,
    host: Host,
    facts: Mapping[str, Any],
    external_id: str,
) -> FactsOutcome:
    """Apply one host's facts; ``external_id`` is its name in the Ansible inventory."""
    at = utcnow()
    kind = DEVICE if isinstance(host, Device) else WORKLOAD
    observed = map_facts(facts)
    plan = plan_facts(known_host(host), observed)
    outcome = FactsOutcome(run.id, kind, host.id, host.name)
    if isinstance(host, Device):
        _apply_device(session, host, plan, outcome)
    _apply_discrepancies(session, kind, host.id, plan, outcome, at)
    data = observation_data(kind, observed.hostname, observed)
    outcome.observed = _observe(session, run, kind, host.id, external_id, data, at)
    if isinstance(host, Device):
        _observe_interfaces(session, run, host, observed.interfaces, external_id, at)
    _seen(session, kind, host.id, external_id, at)
    add_result(
        session,
        run,
        Attempt(external_id, RunStatus.SUCCEEDED),
        device_id=host.id if kind == DEVICE else None,
    )
    outcome.changed = bool(
        outcome.updated or outcome.interfaces or outcome.opened or outcome.settled
    )
    session.flush()
    return outcome


def known_host(host: Host) -> KnownHost:
    if isinstance(host, Workload):
        return KnownHost(WORKLOAD, host.id, host.name, vcpu=host.vcpu, ram_gb=host.ram_gb)
    return KnownHost(
        DEVICE,
        host.id,
        host.name,
        cores=host.cores,
        ram_gb=host.ram_gb,
        serial=host.serial,
        manufacturer=host.manufacturer,
        model=host.model,
        platform=host.platform,
        interfaces=tuple(
            KnownInterface(i.id, i.name, i.speed_mbps, i.mac_address, tuple(i.ip_addresses or ()))
            for i in host.interfaces
        ),
    )


def _apply_device(session: Session, device: Device, plan: FactsPlan, outcome: FactsOutcome) -> None:
    if not plan.changes_record:
        return
    for change in plan.updates:
        setattr(device, change.field, change.new)
    by_id = {i.id: i for i in device.interfaces}
    for planned in plan.interfaces:
        values = {c.field: c.new for c in planned.changes}
        if planned.interface_id is None:
            device.interfaces.append(Interface(name=planned.name, **values))
        else:
            for name, value in values.items():
                setattr(by_id[planned.interface_id], name, value)
    session.flush()
    outcome.updated = {c.field: c.new for c in plan.updates}
    outcome.interfaces = [p.name for p in plan.interfaces]
    after: dict[str, Any] = dict(outcome.updated)
    if outcome.interfaces:
        after["interfaces"] = outcome.interfaces
    log_change(
        session,
        actor=ACTOR,
        action=ChangeAction.UPDATE,
        obj=device,
        object_repr=device.name,
        before={c.field: c.old for c in plan.updates},
        after=after,
    )


def _apply_discrepancies(
    session: Session, kind: str, host_id: int, plan: FactsPlan, outcome: FactsOutcome, at: datetime
) -> None:
    for d in plan.disagreements:
        _, new = raise_discrepancy(
            session,
            kind=d.kind,
            object_type=kind,
            object_id=host_id,
            field=d.field,
            values=d.values,
            at=at,
        )
        (outcome.opened if new else outcome.standing).append(f"{d.kind.value}:{d.field}")
    for disc_kind, name in plan.agreements:
        if settle_discrepancy(
            session, kind=disc_kind, object_type=kind, object_id=host_id, field=name, at=at
        ):
            outcome.settled.append(f"{disc_kind.value}:{name}")


def _latest_ansible_data(
    session: Session, object_type: str, object_ids: Sequence[int]
) -> dict[int, Any]:
    """The data of Ansible's latest observation of each object (one query)."""
    if not object_ids:
        return {}
    rows = session.execute(
        sa.select(Observation.object_id, Observation.data)
        .join(DiscoveryRun, Observation.run_id == DiscoveryRun.id)
        .where(
            DiscoveryRun.source == Source.ANSIBLE,
            Observation.object_type == object_type,
            Observation.object_id.in_(object_ids),
        )
        .order_by(Observation.id)
    )
    return {object_id: data for object_id, data in rows}  # the last row per object wins


def _observe(
    session: Session,
    run: DiscoveryRun,
    object_type: str,
    object_id: int,
    external_id: str,
    data: HostObservationData,
    at: datetime,
) -> bool:
    """Store the observation unless Ansible's latest one of the object says the same."""
    if _latest_ansible_data(session, object_type, [object_id]).get(object_id) == data:
        return False
    session.add(
        Observation(
            run=run,
            object_type=object_type,
            object_id=object_id,
            external_id=external_id,
            data=data,
            observed_at=at,
        )
    )
    return True


def _observe_interfaces(
    session: Session,
    run: DiscoveryRun,
    device: Device,
    seen: Sequence[Any],
    external_id: str,
    at: datetime,
) -> None:
    by_name = {i.name: i for i in device.interfaces}
    latest = _latest_ansible_data(session, "interface", [i.id for i in device.interfaces])
    for observed in seen:
        interface = by_name[observed.name]
        data = interface_observation_data(device.id, observed)
        if latest.get(interface.id) != data:
            session.add(
                Observation(
                    run=run,
                    object_type="interface",
                    object_id=interface.id,
                    external_id=f"{external_id}/{observed.name}",
                    data=data,
                    observed_at=at,
                )
            )
        _seen(session, "interface", interface.id, f"{external_id}/{observed.name}", at)


def _seen(
    session: Session, object_type: str, object_id: int, external_id: str, at: datetime
) -> None:
    """Ansible saw the record now (one row per record and source)."""
    row = session.scalars(
        sa.select(RecordSource).where(
            RecordSource.object_type == object_type,
            RecordSource.object_id == object_id,
            RecordSource.source == Source.ANSIBLE,
        )
    ).first()
    if row is None:
        session.add(
            RecordSource(
                object_type=object_type,
                object_id=object_id,
                source=Source.ANSIBLE,
                external_id=external_id[:200],
                first_seen_at=at,
                last_seen_at=at,
            )
        )
    else:
        row.external_id = external_id[:200]
        row.last_seen_at = at
