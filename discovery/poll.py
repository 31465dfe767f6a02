"""The poll use case: read counters of inventory devices, store rates, roll them up.

Network first (no transaction held open while agents answer), then one pass that
writes. Every poll is a DiscoveryRun of kind ``poll`` with a result per device.

On SQLite a write transaction holds the database's one write lock from its BEGIN, so
a poll that kept one open while slow or unreachable agents time out would make every
other writer (an API call, the UI) queue behind the network. ``poll_in_steps`` (the
CLI's poll; the background job does the same in ``web.jobs.snmp_jobs``) commits the
run's start, asks the agents with no transaction open, and stores in one short
transaction after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from cmdb.choices import RunKind, Source
from cmdb.db import transaction, utcnow
from cmdb.models import DiscoveryRun
from cmdb.services.job_runs import fail_run
from discovery.apply_poll import PollWriter
from discovery.core.identity import answering
from discovery.core.lifecycle import add_result, finish_run, new_run, start_run
from discovery.core.normalize import normalize_host
from discovery.core.observations import RecordKind
from discovery.core.runs import RunVerdict, classify_attempts
from discovery.core.snapshot import load_snapshot
from discovery.credentials import SnmpProfile
from discovery.inventory import interfaces_by_index
from discovery.rates import compute_rates
from discovery.records import DEFAULT_SNMP_PORT, Target, TargetOutcome
from discovery.snmp.collector import Limits, Progress, reading_fetcher, run_fetch_all


@dataclass
class PollReport:
    run_id: int
    outcomes: list[TargetOutcome]
    samples: int = 0
    resets: list[str] = field(default_factory=list)
    verdict: RunVerdict | None = None  # once stored


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


def run_poll(
    session: Session,
    targets: dict[Target, int],
    profile_for: dict[Target, SnmpProfile],
    limits: Limits,
    progress: Progress | None = None,
) -> PollReport:
    """Read, then store, in the caller's transaction (one pass: a test's, a benchmark's;
    it holds the transaction through the network phase, see ``poll_in_steps``)."""
    run = start_run(session, _poll_run(targets))
    interfaces = interfaces_by_index(session, list(targets.values()))
    outcomes = fetch_readings(targets, interfaces, profile_for, limits, progress)
    return store_readings(session, run, targets, interfaces, outcomes)


def poll_in_steps(
    sessions: sessionmaker[Session],
    targets: dict[Target, int],
    profile_for: dict[Target, SnmpProfile],
    limits: Limits,
    progress: Progress | None = None,
) -> PollReport:
    """``run_poll`` with no transaction open while the agents answer: the run's start is
    committed (a sweep ends it if this process dies meanwhile), then the readings are
    fetched, then stored in one transaction of their own."""
    with transaction(sessions) as session:
        run = start_run(session, _poll_run(targets))
        interfaces = interfaces_by_index(session, list(targets.values()))
    try:
        outcomes = fetch_readings(targets, interfaces, profile_for, limits, progress)
    except BaseException as exc:  # interrupted: the run says so now, not at the next sweep
        with transaction(sessions) as session:
            fail_run(session, run.id, f"the poll stopped: {type(exc).__name__}: {exc}")
        raise
    with transaction(sessions) as session:
        stored = session.get(DiscoveryRun, run.id)
        assert stored is not None  # runs are never deleted
        return store_readings(session, stored, targets, interfaces, outcomes)


def _poll_run(targets: dict[Target, int]) -> DiscoveryRun:
    return new_run(source=Source.SNMP, kind=RunKind.POLL, target=f"{len(targets)} devices")


def fetch_readings(
    targets: dict[Target, int],
    interfaces: dict[int, dict[int, tuple[int, int | None]]],
    profile_for: dict[Target, SnmpProfile],
    limits: Limits,
    progress: Progress | None = None,
) -> list[TargetOutcome]:
    """The network phase alone: no database, so a caller may hold no transaction meanwhile."""
    if_indexes = {t: list(interfaces.get(d, {})) for t, d in targets.items()}
    return run_fetch_all(
        [(t, profile_for[t]) for t in targets], reading_fetcher(if_indexes), limits, progress
    )


def store_readings(
    session: Session,
    run: DiscoveryRun,
    targets: dict[Target, int],
    interfaces: dict[int, dict[int, tuple[int, int | None]]],
    outcomes: list[TargetOutcome],
) -> PollReport:
    """Rates and samples of the readings, a result per device, and the run's end."""
    at = utcnow()
    report = PollReport(run.id, outcomes)
    writer = PollWriter(session, list(targets.values()), at)
    for outcome in outcomes:
        device_id = targets[outcome.target]
        if outcome.reading is not None:
            _store(writer, report, device_id, outcome, interfaces.get(device_id, {}))
        add_result(
            session,
            run,
            outcome.attempt,
            device_id=device_id,
            duration_ms=outcome.duration_s * 1000,
            requests=outcome.requests,
        )
    report.samples = writer.finish()
    requests = sum(o.requests for o in outcomes)
    stats = {"samples": report.samples, "resets": report.resets, "requests": requests}
    report.verdict = finish_run(run, classify_attempts([o.attempt for o in outcomes]), stats=stats)
    session.flush()
    return report


def _store(
    writer: PollWriter,
    report: PollReport,
    device_id: int,
    outcome: TargetOutcome,
    interfaces: dict[int, tuple[int, int | None]],
) -> None:
    """Rates from the previous reading (none after a reset), handed to the writer."""
    assert outcome.reading is not None
    previous = writer.previous(device_id)
    rates = compute_rates(previous, outcome.reading, writer.at, _speeds(interfaces))
    if rates.reset:
        report.resets.append(outcome.target.address)
    ids = {index: if_id for index, (if_id, _) in interfaces.items()}
    writer.store(device_id, outcome.reading, rates, ids)


def _speeds(interfaces: dict[int, tuple[int, int | None]]) -> dict[str, int | None]:
    """Each counter key's port speed: the bound on a plausible rate."""
    return {
        f"if.{index}.{direction}": speed
        for index, (_, speed) in interfaces.items()
        for direction in ("in", "out")
    }
