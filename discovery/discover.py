"""The discovery use case: ask the agents, adapt, plan with the core, apply with its writer.

Network first (``collect``), then one short pass over the database: the core's
snapshot of the inventory, the SNMP adapter's observations (``snmp.observe``), the
core's plan (``core.planner``), its one writer (``core.writer``). Links are observations
too (``snmp.neighbours``: LLDP and CDP); since which device an agent is is the core's
decision, the hosts are planned first, the links built on that plan, and hosts and
links then planned as one plan for the one writer. ``dry_run`` computes and returns
the plan and writes nothing (the caller also rolls back).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from cmdb.choices import RunKind, RunStatus, Source
from cmdb.db import utcnow
from cmdb.models import DiscoveryRun
from discovery.agent_records import note_swaps, save_profiles
from discovery.core.identity import answering
from discovery.core.known import KnownRecord, Snapshot
from discovery.core.lifecycle import add_result, finish_run, new_run, start_run
from discovery.core.observations import Endpoint, RecordKind
from discovery.core.plan import Plan
from discovery.core.planner import plan_observations
from discovery.core.runs import RunVerdict, classify_attempts
from discovery.core.snapshot import load_snapshot
from discovery.core.writer import apply_plan
from discovery.records import Target, TargetOutcome
from discovery.snmp.collector import (
    Limits,
    Profiles,
    Progress,
    fetch_observation,
    run_fetch_all,
)
from discovery.snmp.neighbours import heard_of, link_observations
from discovery.snmp.observe import map_outcomes

DEVICE, INTERFACE, LINK = RecordKind.DEVICE, RecordKind.INTERFACE, RecordKind.LINK
LINK_ENDS = frozenset({"a_interface_id", "b_interface_id"})
# What an SNMP run plans against: hosts and parts, the sites new devices go to, and
# the links LLDP and CDP find or complete.
SNAPSHOT_KINDS = (DEVICE, INTERFACE, RecordKind.SITE, RecordKind.LINK)


@dataclass(frozen=True)
class PlanDefaults:
    site_id: int | None = None  # where new devices go (--site); else sysLocation, else the DC
    link_network: str = "wan"


@dataclass(frozen=True)
class SnmpPlan:
    """The core's plan of one SNMP run (devices, interfaces and links)."""

    core: Plan
    parents: Mapping[int, int] | None = None  # known interface id → its device id

    @property
    def is_empty(self) -> bool:
        """Nothing to write but "seen" marks: what a second identical run must give."""
        return self.core.is_empty

    @property
    def links(self) -> int:
        """Links new, or known ones given the interfaces they end on."""
        new = sum(c.ref.kind is LINK for c in self.core.creates)
        completed = sum(
            bool(u.pending) or any(c.field in LINK_ENDS for c in u.changes)
            for u in self.core.updates
            if u.ref.kind is LINK
        )
        return new + completed

    @property
    def errors(self) -> dict[str, str]:
        """Target address → why its device was not planned (refused by the core)."""
        return {r.label: r.reason for r in self.core.refused}

    def changed_devices(self) -> set[int]:
        """Known devices with anything to write: a field, an interface, a discrepancy."""
        parents = self.parents or {}
        changed: set[int] = set()
        for ref in [u.ref for u in self.core.updates] + [d.ref for d in self.core.discrepancies]:
            if ref.kind not in (DEVICE, INTERFACE):
                continue  # a link is no device's change
            device = ref.id if ref.kind is DEVICE else parents.get(ref.id or 0)
            changed |= {device} if device is not None else set()
        for create in self.core.creates:
            if create.parent is not None and create.parent.id is not None:
                changed.add(create.parent.id)
        return changed


@dataclass
class DiscoveryReport:
    plan: SnmpPlan
    outcomes: list[TargetOutcome]
    verdict: RunVerdict
    run_id: int | None = None

    @property
    def counts(self) -> dict[str, int]:
        """devices found / new / changed / failed, as the summary line shows them."""
        return {
            "found": sum(o.observation is not None for o in self.outcomes),
            "new": sum(c.ref.kind is DEVICE for c in self.plan.core.creates),
            "changed": len(self.plan.changed_devices()),
            "failed": sum(o.status == RunStatus.FAILED for o in self.outcomes),
            "links": self.plan.links,
        }


def collect(
    targets: Sequence[tuple[Target, Profiles]], limits: Limits, progress: Progress | None = None
) -> list[TargetOutcome]:
    """The network phase alone (no database): one outcome per target."""
    return run_fetch_all(targets, fetch_observation, limits, progress)


def plan_outcomes(
    outcomes: Sequence[TargetOutcome], snapshot: Snapshot, defaults: PlanDefaults, at: datetime
) -> Plan:
    """The one plan of a run (pure): hosts and parts, then the links their neighbour
    tables show, built on which device the core made of each agent."""
    observed = map_outcomes(outcomes, snapshot, at, defaults.site_id)
    hosts = plan_observations(observed.observations, snapshot, observed.coverage)
    heard = heard_of(hosts, outcomes, snapshot)
    links = link_observations(snapshot, heard, defaults.link_network, at)
    if not links:
        return hosts
    return plan_observations((*observed.observations, *links), snapshot, observed.coverage)


def reconcile_outcomes(
    session: Session,
    outcomes: list[TargetOutcome],
    defaults: PlanDefaults,
    dry_run: bool = False,
    run: DiscoveryRun | None = None,
) -> DiscoveryReport:
    """Plan the outcomes against the inventory and, unless ``dry_run``, apply and record.

    ``run``: a run made beforehand (a background job's), finished here; else a new one.
    """
    at = utcnow()
    snapshot = load_snapshot(session, SNAPSHOT_KINDS)
    core = plan_outcomes(outcomes, snapshot, defaults, at)
    parents = {r.id: r.parent_id for r in snapshot.of_kind(INTERFACE) if r.parent_id is not None}
    plan = SnmpPlan(core, parents)
    outcomes = [_refused(o, plan.errors) for o in outcomes]
    report = DiscoveryReport(
        plan, outcomes, verdict=classify_attempts([o.attempt for o in outcomes])
    )
    if dry_run:
        return report
    if run is None:
        run = start_run(session, new_run(source=Source.SNMP, kind=RunKind.DISCOVERY, target=""))
    run.target = _describe(outcomes)
    session.flush()
    applied = apply_plan(session, core, run)
    devices = {s.label: applied.ids[s.ref] for s in core.seen if s.ref.kind is DEVICE and s.label}
    outcomes = report.outcomes = note_swaps(session, outcomes, _answering(snapshot), devices, at)
    save_profiles(session, _answered(outcomes, devices))
    for o in outcomes:
        add_result(
            session,
            run,
            o.attempt,
            device_id=devices.get(o.target.address),
            duration_ms=o.duration_s * 1000,
            requests=o.requests,
        )
    requests = sum(o.requests for o in outcomes)
    warnings = sum(len(o.warnings) for o in outcomes)  # each on its result's note
    stats = {**report.counts, "requests": requests, "warnings": warnings}
    finish_run(run, report.verdict, stats=stats)
    session.flush()
    report.run_id = run.id
    return report


def _refused(outcome: TargetOutcome, errors: dict[str, str]) -> TargetOutcome:
    """An answered target the plan could not place (no site, identity clash) has failed."""
    error = errors.get(outcome.target.address)
    if error is None:
        return outcome
    return replace(outcome, status=RunStatus.FAILED, error=error)


def _describe(outcomes: Sequence[TargetOutcome]) -> str:
    addresses = [o.target.address for o in outcomes]
    text = ", ".join(addresses[:5])
    return text + (f" and {len(addresses) - 5} more" if len(addresses) > 5 else "")


def _answering(snapshot: Snapshot) -> dict[Endpoint, KnownRecord]:
    """The device SNMP last saw at each endpoint, before this run."""
    records = {r.id: r for r in snapshot.of_kind(DEVICE)}
    return {at: records[i] for at, i in answering(records.values(), Source.SNMP).items()}


def _answered(outcomes: Sequence[TargetOutcome], devices: Mapping[str, int]) -> dict[int, str]:
    """The profile each device's agent answered, to be tried first next time."""
    return {
        devices[o.target.address]: o.profile
        for o in outcomes
        if o.profile and o.observation is not None and o.target.address in devices
    }
