"""A fact-sync run: the playbook opens it, posts each host's facts, and finishes it.

Each post goes through the discovery core like every other source: the facts are
mapped (``facts``), made observations (``observe``), planned against the inventory
(``core.planner``: the one identity rule, who wins a field, which discrepancy to open,
revise or settle) and written by the one writer (``core.writer``, actor
``ansible-facts``). The run's life is ``core.lifecycle``'s: no process of Headroom's
runs it (the playbook drives it over the API), each host is a result row, and it ends
succeeded, partial or failed with every failure listed. Posting unchanged facts again
writes nothing but "last seen" times. Facts never create a record: a host the core
cannot place is refused, with nothing written. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import RunKind, RunStatus, Source
from cmdb.db import utcnow
from cmdb.errors import ConflictError, NotFoundError
from cmdb.models import DiscoveryResult, DiscoveryRun, Interface, Observation
from discovery.ansible.facts import map_facts
from discovery.ansible.observe import DEVICE, HOST_KINDS, HostRef, coverage, observe_host
from discovery.ansible.outcome import FactsOutcome, host_outcome
from discovery.core.identity import IdentityIndex, resolve_identity
from discovery.core.known import Snapshot
from discovery.core.lifecycle import add_result, finish_from_results, new_run, start_run
from discovery.core.observations import Observation as Seen
from discovery.core.observations import RecordKind
from discovery.core.plan import Plan, Ref
from discovery.core.planner import plan_observations
from discovery.core.runs import Attempt, Failure
from discovery.core.snapshot import load_records, load_snapshot
from discovery.core.writer import MODELS, apply_plan

NO_FACTS = "no facts"  # a host the playbook could not post (unreachable, no facts gathered)


def start_facts_run(
    session: Session, requested_by: str | None, parameters: Mapping[str, Any] | None = None
) -> DiscoveryRun:
    """A fact-sync run: the playbook drives it over the API, no process of Headroom's runs
    it (so no sweep ends it for want of one, however long between its posts)."""
    run = new_run(
        source=Source.ANSIBLE,
        kind=RunKind.FACTS,
        target="ansible fact sync",
        requested_by=requested_by,
        parameters=parameters,
        owned=False,
    )
    return start_run(session, run)


def end_facts_run(
    session: Session,
    run: DiscoveryRun,
    failed: Sequence[str],
    reasons: Mapping[str, str] | None = None,
) -> DiscoveryRun:
    """End a fact-sync run: its hosts' results, and ``failed``, the hosts that gave no facts
    or whose batch could not be posted (``reasons``, else ``NO_FACTS``); a host whose post
    was refused keeps that reason. Partial when some failed, failed when all did
    (``discovery.core.lifecycle``)."""
    hosts = session.scalar(
        sa.select(sa.func.count()).where(
            DiscoveryResult.run_id == run.id, DiscoveryResult.status == RunStatus.SUCCEEDED
        )
    )
    observations = session.scalar(sa.select(sa.func.count()).where(Observation.run_id == run.id))
    stats = {"hosts": hosts or 0, "observations": observations or 0}
    reasons = reasons or {}
    missing = [Failure(name, reasons.get(name) or NO_FACTS) for name in failed]
    finish_from_results(session, run, missing, stats=stats)
    return run


def record_facts(
    session: Session, run: DiscoveryRun, ref: HostRef, facts: Mapping[str, Any]
) -> FactsOutcome:
    """Plan and write one host's facts, and its result in ``run``.

    Raises ``NotFoundError`` (no record is that host) or ``ConflictError`` (the core
    cannot tell which record it is) before writing anything; the caller records the
    failure in the run.
    """
    host = map_facts(facts)
    hosts = _candidates(session, ref)
    at = utcnow()
    refusals: list[str] = []
    for kind in ref.kinds:
        observations = observe_host(ref, kind, host, at)
        index = IdentityIndex(hosts.of_kind(kind))
        if ref.record_id is not None and ref.record_id not in index.records:
            continue
        found = resolve_identity(observations[0].identity, Source.ANSIBLE, index)
        if found.refused:
            refusals.append(found.reason)
        elif found.record_id is not None:
            _lock_host(session, kind, found.record_id)
            snapshot = _host_and_parts(session, kind, found.record_id)
            plan = plan_observations(observations, snapshot, coverage(ref, kind))
            return _write(session, run, observations, plan, snapshot, (kind, found.record_id))
    if refusals:
        raise ConflictError(f"{ref.label}: {refusals[0]}")
    if ref.record_id is not None and ref.kind is not None:
        raise NotFoundError(f"no {ref.kind} with id {ref.record_id}")
    raise NotFoundError(f"no device or workload known as {ref.label}")


@dataclass(frozen=True)
class HostFacts:
    """One host of a batch: who it is and what its facts say."""

    ref: HostRef
    facts: Mapping[str, Any]


@dataclass(frozen=True)
class HostResult:
    """What a batch did for one host: its outcome, or why it was refused."""

    host: str
    outcome: FactsOutcome | None = None
    refused: NotFoundError | ConflictError | None = None  # 404: no such host; 409: ambiguous

    @property
    def error(self) -> str | None:
        return str(self.refused) if self.refused is not None else None


def record_facts_batch(
    session: Session, run: DiscoveryRun, batch: Sequence[HostFacts]
) -> list[HostResult]:
    """Record each host of ``batch`` in turn, as ``record_facts`` does one: a result per host.

    Per host, not all or nothing: hosts are independent (each is placed and planned on its
    own), and one host Headroom cannot place - not in the inventory yet, or matching two
    records - must not throw away the facts of the forty-nine others and make the playbook
    post them again. A refused host writes nothing (``record_facts`` refuses before any
    write) and gets a failed result in the run, with the reason; any other error fails
    the whole request, and the caller's transaction keeps none of it.
    """
    results = []
    for item in batch:
        try:
            outcome = record_facts(session, run, item.ref, item.facts)
        except (NotFoundError, ConflictError) as exc:
            add_result(session, run, Attempt(item.ref.label, RunStatus.FAILED, str(exc)))
            results.append(HostResult(item.ref.label, refused=exc))
        else:
            results.append(HostResult(item.ref.label, outcome=outcome))
    return results


def _candidates(session: Session, ref: HostRef) -> Snapshot:
    """The hosts the identity rule chooses among: the one Headroom's id names (what the
    inventory plugin gives every host), else every host — records and marks only."""
    if ref.record_id is not None and ref.kind is not None:
        return load_records(session, {ref.kind: [ref.record_id]}, words=False)
    return load_snapshot(session, HOST_KINDS, words=False)


def _lock_host(session: Session, kind: RecordKind, record_id: int) -> None:
    """Hold the host's row until the transaction ends: two posts of one host at once plan
    one after the other, the second from what the first wrote (PostgreSQL; on SQLite a
    writing transaction holds the whole database from its start)."""
    model = MODELS[kind]
    session.execute(sa.select(model.id).where(model.id == record_id).with_for_update())


def _host_and_parts(session: Session, kind: RecordKind, record_id: int) -> Snapshot:
    """The one host the facts are about, its interfaces, their words and discrepancies: all
    a plan of one known host reads (the whole inventory cost seconds a post)."""
    parts = (
        session.scalars(sa.select(Interface.id).where(Interface.device_id == record_id)).all()
        if kind is DEVICE
        else []
    )
    return load_records(session, {kind: [record_id], RecordKind.INTERFACE: parts})


def _write(
    session: Session,
    run: DiscoveryRun,
    observations: Sequence[Seen],
    plan: Plan,
    snapshot: Snapshot,
    key: tuple[RecordKind, int],
) -> FactsOutcome:
    record = next(r for r in snapshot.records if (r.kind, r.id) == key)
    applied = apply_plan(session, plan, run)
    observed = Ref(record.kind, record.id) in applied.observed
    outcome = host_outcome(run.id, record, observations, plan, snapshot, observed)
    parts = [f"{r.label}: {r.reason}" for r in plan.refused]
    attempt = Attempt(
        observations[0].label,
        RunStatus.PARTIAL if parts else RunStatus.SUCCEEDED,
        "; ".join(parts) or None,
    )
    add_result(session, run, attempt, device_id=record.id if record.kind is DEVICE else None)
    session.flush()
    return outcome
