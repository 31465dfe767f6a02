"""The poll use case: read counters of inventory devices, store rates, roll them up.

Read what the inventory knows first (``load_poll_plan``), then the network (no
transaction held open while agents answer), then one pass that writes. Every poll is
a DiscoveryRun of kind ``poll`` with a result per device. An agent that is not the
device on record (``agent_identity``) stores nothing: its result fails, saying why,
and the device gets an ``identity`` discrepancy. Figures no device can have (used
above size, rates above any port) are refused and named on the result.

On SQLite a write transaction holds the database's one write lock from its BEGIN, so
a poll that kept one open while slow or unreachable agents time out would make every
other writer (an API call, the UI) queue behind the network. ``poll_in_steps`` (the
CLI's poll; the background job does the same in ``web.jobs.snmp_jobs``) commits the
run's start, asks the agents with no transaction open, and stores in one short
transaction after.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from cmdb.choices import RunKind, RunStatus, Source
from cmdb.db import transaction, utcnow
from cmdb.models import DiscoveryRun, PollState
from cmdb.services.job_runs import fail_run
from discovery.agent_identity import (
    OnRecord,
    Uptime,
    check_identity,
    compute_uptime,
    wants_serial,
)
from discovery.agent_records import load_on_record, open_identity, save_profiles, settle_identities
from discovery.apply_poll import PollWriter
from discovery.core.identity import answering
from discovery.core.lifecycle import add_result, finish_run, new_run, start_run
from discovery.core.normalize import normalize_host
from discovery.core.observations import RecordKind
from discovery.core.runs import RunVerdict, classify_attempts
from discovery.core.snapshot import load_snapshot
from discovery.inventory import interfaces_by_index
from discovery.rates import compute_rates, describe_dropped
from discovery.records import DEFAULT_SNMP_PORT, Target, TargetOutcome
from discovery.snmp.collector import Limits, Profiles, Progress, reading_fetcher, run_fetch_all


@dataclass
class PollReport:
    run_id: int
    outcomes: list[TargetOutcome]
    samples: int = 0
    resets: list[str] = field(default_factory=list)
    verdict: RunVerdict | None = None  # once stored
    impostors: list[str] = field(default_factory=list)  # addresses another agent answered


@dataclass(frozen=True)
class PollPlan:
    """What a poll knows before it asks: the devices, their interfaces, what each is on
    record and when it was last polled (its sysUpTime then)."""

    targets: dict[Target, int]
    interfaces: dict[int, dict[int, tuple[int, int | None]]]
    records: dict[int, OnRecord]
    last_polled: dict[int, tuple[datetime, int]]
    serial_oids: dict[int, str] = field(default_factory=dict)  # where each agent's serial is


def poll_targets(session: Session, only: Sequence[Target] = ()) -> dict[Target, int]:
    """Inventory devices SNMP discovered (at their endpoint), optionally only some.

    The core says which record answers at each endpoint: the one SNMP last saw there
    (after an address reuse, the old record keeps a mark there, "not seen since").
    """
    snapshot = load_snapshot(session, (RecordKind.DEVICE,), words=False)
    targets = {
        Target(at.host, at.port or DEFAULT_SNMP_PORT): device_id
        for at, device_id in answering(snapshot.records, Source.SNMP).items()
    }
    if only:
        wanted = {(normalize_host(t.host), t.port) for t in only}
        targets = {t: d for t, d in targets.items() if (t.host, t.port) in wanted}
    return dict(sorted(targets.items(), key=lambda kv: kv[1]))


def load_poll_plan(session: Session, targets: dict[Target, int]) -> PollPlan:
    ids = list(targets.values())
    states = session.execute(
        sa.select(
            PollState.device_id, PollState.polled_at, PollState.uptime_ticks, PollState.serial_oid
        ).where(PollState.device_id.in_(ids))
    ).all()
    return PollPlan(
        targets,
        interfaces_by_index(session, ids),
        load_on_record(session, ids),
        {d: (_utc(at), ticks) for d, at, ticks, _ in states},
        {d: oid for d, _, _, oid in states if oid},
    )


def run_poll(
    session: Session,
    targets: dict[Target, int],
    profile_for: Mapping[Target, Profiles],
    limits: Limits,
    progress: Progress | None = None,
) -> PollReport:
    """Read, then store, in the caller's transaction (one pass: a test's, a benchmark's;
    it holds the transaction through the network phase, see ``poll_in_steps``)."""
    run = start_run(session, _poll_run(targets))
    plan = load_poll_plan(session, targets)
    outcomes = fetch_readings(plan, profile_for, limits, progress)
    return store_readings(session, run, plan, outcomes)


def poll_in_steps(
    sessions: sessionmaker[Session],
    targets: dict[Target, int],
    profile_for: Mapping[Target, Profiles],
    limits: Limits,
    progress: Progress | None = None,
) -> PollReport:
    """``run_poll`` with no transaction open while the agents answer: the run's start is
    committed (a sweep ends it if this process dies meanwhile), then the readings are
    fetched, then stored in one transaction of their own."""
    with transaction(sessions) as session:
        run = start_run(session, _poll_run(targets))
        plan = load_poll_plan(session, targets)
    try:
        outcomes = fetch_readings(plan, profile_for, limits, progress)
    except BaseException as exc:  # interrupted: the run says so now, not at the next sweep
        with transaction(sessions) as session:
            fail_run(session, run.id, f"the poll stopped: {type(exc).__name__}: {exc}")
        raise
    with transaction(sessions) as session:
        stored = session.get(DiscoveryRun, run.id)
        assert stored is not None  # runs are never deleted
        return store_readings(session, stored, plan, outcomes)


def _poll_run(targets: dict[Target, int]) -> DiscoveryRun:
    return new_run(source=Source.SNMP, kind=RunKind.POLL, target=f"{len(targets)} devices")


def fetch_readings(
    plan: PollPlan,
    profile_for: Mapping[Target, Profiles],
    limits: Limits,
    progress: Progress | None = None,
) -> list[TargetOutcome]:
    """The network phase alone: no database, so a caller may hold no transaction meanwhile."""
    if_indexes = {t: list(plan.interfaces.get(d, {})) for t, d in plan.targets.items()}
    serial_oids = {t: plan.serial_oids[d] for t, d in plan.targets.items() if d in plan.serial_oids}
    fetch = reading_fetcher(
        if_indexes, lambda t, ticks, said: _wants_serial(plan, t, ticks, said), serial_oids
    )
    return run_fetch_all([(t, profile_for[t]) for t in plan.targets], fetch, limits, progress)


def _wants_serial(plan: PollPlan, target: Target, ticks: int, answered: str | None) -> bool:
    device_id = plan.targets[target]
    record = plan.records.get(device_id)
    if record is None:
        return False
    return wants_serial(record, _uptime(plan, device_id, ticks, utcnow()), answered)


def _uptime(plan: PollPlan, device_id: int, ticks: int, at: datetime) -> Uptime:
    at_then, ticks_then = plan.last_polled.get(device_id, (None, None))
    return compute_uptime(at_then, ticks_then, ticks, at)


def store_readings(
    session: Session, run: DiscoveryRun, plan: PollPlan, outcomes: list[TargetOutcome]
) -> PollReport:
    """Rates and samples of the readings from the devices on record, a result per device
    (another agent's fails, with an identity discrepancy), and the run's end."""
    at = utcnow()
    report = PollReport(run.id, outcomes)
    writer = PollWriter(session, list(plan.targets.values()), at)
    checked: list[TargetOutcome] = []
    trusted: list[int] = []
    for outcome in outcomes:
        device_id = plan.targets[outcome.target]
        if outcome.reading is not None:
            outcome = _checked(session, plan, report, device_id, outcome, at)
            if outcome.status != RunStatus.FAILED:
                trusted.append(device_id)
                outcome = _store(writer, report, device_id, outcome, plan)
        checked.append(outcome)
        add_result(
            session,
            run,
            outcome.attempt,
            device_id=device_id,
            duration_ms=outcome.duration_s * 1000,
            requests=outcome.requests,
        )
    report.outcomes = checked
    report.samples = writer.finish()
    settle_identities(session, trusted, at)
    save_profiles(session, _answered(plan, checked))
    requests = sum(o.requests for o in checked)
    stats = {
        "samples": report.samples,
        "resets": report.resets,
        "requests": requests,
        "impostors": report.impostors,
    }
    report.verdict = finish_run(run, classify_attempts([o.attempt for o in checked]), stats=stats)
    session.flush()
    return report


def _checked(
    session: Session,
    plan: PollPlan,
    report: PollReport,
    device_id: int,
    outcome: TargetOutcome,
    at: datetime,
) -> TargetOutcome:
    """The outcome as it stands once the agent's identity is checked against the record."""
    assert outcome.reading is not None
    record = plan.records.get(device_id, OnRecord(device_id))
    uptime = _uptime(plan, device_id, outcome.reading.uptime_ticks, at)
    check = check_identity(record, outcome.reading.identity, uptime)
    if check.same:
        return replace(outcome, warnings=(*outcome.warnings, *check.warnings))
    address = outcome.target.address
    open_identity(session, record, outcome.reading.identity, address, at)
    report.impostors.append(address)
    error = f"another device answers at {address}: " + "; ".join(check.differs)
    return replace(outcome, status=RunStatus.FAILED, error=error + " (nothing stored)")


def _answered(plan: PollPlan, outcomes: Sequence[TargetOutcome]) -> dict[int, str]:
    return {
        plan.targets[o.target]: o.profile
        for o in outcomes
        if o.profile and o.status != RunStatus.FAILED
    }


def _store(
    writer: PollWriter, report: PollReport, device_id: int, outcome: TargetOutcome, plan: PollPlan
) -> TargetOutcome:
    """Rates from the previous reading (none after a reset, or after a clock that jumped),
    handed to the writer; what was refused becomes the outcome's warnings."""
    reading = outcome.reading
    assert reading is not None
    interfaces = plan.interfaces.get(device_id, {})
    previous = writer.previous(device_id)
    if _uptime(plan, device_id, reading.uptime_ticks, writer.at) is Uptime.JUMPED:
        previous = None
    rates = compute_rates(previous, reading, writer.at, _speeds(interfaces))
    if rates.reset:
        report.resets.append(outcome.target.address)
    ids = {index: if_id for index, (if_id, _) in interfaces.items()}
    writer.store(device_id, reading, rates, ids)
    refused = [*reading.refused, *describe_dropped(rates)]
    return replace(outcome, warnings=(*outcome.warnings, *refused)) if refused else outcome


def _speeds(interfaces: dict[int, tuple[int, int | None]]) -> dict[str, int | None]:
    """Each counter key's port speed: the bound on a plausible rate."""
    return {
        f"if.{index}.{direction}": speed
        for index, (_, speed) in interfaces.items()
        for direction in ("in", "out")
    }


def _utc(at: datetime) -> datetime:
    """SQLite hands back naive datetimes; every timestamp is UTC."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
