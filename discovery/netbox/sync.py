"""The NetBox sync use case: fetch everything, then plan and apply in one transaction.

Fetch, map (``mapping``), observe (``observe``: the core's observations and what the
sync read), plan (``discovery.core.planner``) and write (``discovery.core.writer``).
Network first, database second: a NetBox that is unreachable, refuses the token,
answers 5xx or dies mid-fetch fails the run before anything is written. The run
(``discovery.core.lifecycle``) is started in its own transaction — or is a background
job's, already claimed — and, when the sync fails, ended failed with the reason in
another; the inventory is written in one transaction together with the run's end,
so it is all or nothing.
Without ``since`` and unless ``full``, a sync is incremental from the start of the
last successful one, and reads again every object that run could not map
(``failed.retry_ids``). The run ends succeeded, partial (some objects failed: each is
listed in its stats with its NetBox page and why) or failed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from cmdb.choices import Network, RunKind, Source
from cmdb.db import transaction, utcnow
from cmdb.models import DiscoveryRun
from cmdb.services.job_runs import fail_run, lock_running
from cmdb.services.source_deletions import mark_deleted
from discovery.core.known import KnownRecord
from discovery.core.lifecycle import finish_run, last_completed_run, new_run, start_run
from discovery.core.needs import needs_of
from discovery.core.observations import RecordKind
from discovery.core.planner import plan_observations
from discovery.core.runs import classify_attempts, classify_run
from discovery.core.snapshot import load_needed, load_snapshot
from discovery.core.writer import apply_plan
from discovery.netbox.client import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_TIMEOUT_S,
    SYNC_STEPS,
    NetboxError,
    Progress,
    connect,
    fetch_all,
)
from discovery.netbox.failed import retry_ids
from discovery.netbox.mapping import map_all
from discovery.netbox.observe import KIND_OF, coverage_of, observe_all
from discovery.netbox.records import Mapped
from discovery.netbox.report import Planned, plan_lines, run_stats

SessionFactory = sessionmaker[Session] | Callable[[], Session]


def run_sync(
    session_factory: SessionFactory,
    url: str,
    token: str,
    *,
    since: datetime | None = None,
    full: bool = False,
    dry_run: bool = False,
    page_size: int = DEFAULT_PAGE_SIZE,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    progress: Progress | None = None,
    requested_by: str | None = None,
    use_changelog: bool = True,
    run_id: int | None = None,
    circuit_networks: Mapping[str, Network] | None = None,
) -> DiscoveryRun:
    """Sync Headroom from NetBox; returns the run (a transient one for ``dry_run``).

    ``use_changelog=False`` makes an incremental sync list ids instead of reading
    NetBox's change log (to compare the two). ``run_id``: a background job's run,
    claimed by its worker, that this sync ends (else the sync starts its own).
    ``circuit_networks``: the DC's circuit types → networks (``parse_circuit_networks``)."""
    last = _utc(last_successful_sync(session_factory))
    since = _utc(since) if since is not None or full else last
    retry = retry_ids(last_failures(session_factory)) if not full else {}
    parameters = {
        "page_size": page_size,
        "since": since.isoformat() if since else None,
        "dry_run": dry_run,
    }
    if run_id is not None:
        run = _reloaded(session_factory, run_id)
    elif dry_run:
        run = new_run(
            source=Source.NETBOX,
            kind=RunKind.SYNC,
            target=url,
            requested_by=requested_by,
            parameters=parameters,
        )
    else:
        run = _started(session_factory, url, requested_by, parameters)
    stored = run_id is not None or not dry_run  # a job's dry run ends its stored run
    try:
        fetched = fetch_all(
            connect(url, token, timeout_s),
            since=since,
            dated_since=last if since is None else None,  # a full read dates deletions too
            page_size=page_size,
            progress=progress,
            use_changelog=use_changelog,
            retry=retry,
        )
        mapped = map_all(fetched, _admin_units(session_factory), circuit_networks)
        if dry_run:
            with session_factory() as session:
                planned = _plan(mapped, session)
                session.rollback()
            if not stored:
                _finish(run, planned, dry_run=True)
                return run
            with transaction(session_factory) as session:  # type: ignore[arg-type]
                job_run = lock_running(session, run.id)  # a job's dry run ends its run
                if job_run is not None:  # unless it was cancelled meanwhile
                    _finish(job_run, planned, dry_run=True)
            return _reloaded(session_factory, run.id)
        _apply(session_factory, run.id, mapped, progress, fetched.deleted_at)
    except NetboxError as exc:
        return _failed(session_factory, run, str(exc), stored)
    except Exception as exc:  # a mapping or database error: rolled back, the run says why
        return _failed(session_factory, run, f"{type(exc).__name__}: {exc}", stored)
    return _reloaded(session_factory, run.id)


def last_successful_sync(session_factory: SessionFactory) -> datetime | None:
    """When the last NetBox sync that wrote what it read (succeeded or partial, not a dry
    run) started; ``None`` if there was none."""
    with session_factory() as session:
        run = last_completed_run(session, Source.NETBOX, RunKind.SYNC)
        return run.started_at if run is not None else None


def _utc(at: datetime | None) -> datetime | None:
    """Headroom stores UTC; SQLite gives it back without its zone."""
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def last_failures(session_factory: SessionFactory) -> list[dict[str, Any]]:
    """The objects the last sync that wrote what it read could not map (its stats' rows)."""
    with session_factory() as session:
        run = last_completed_run(session, Source.NETBOX, RunKind.SYNC)
        return list((run.stats or {}).get("failures") or []) if run is not None else []


def _apply(
    session_factory: SessionFactory,
    run_id: int,
    mapped: Mapped,
    progress: Progress | None,
    deleted_at: Mapping[tuple[str, str], str],
) -> None:
    if progress is not None:
        progress(SYNC_STEPS - 1, SYNC_STEPS, "writing the inventory")
    with transaction(session_factory) as session:  # type: ignore[arg-type]
        run = lock_running(session, run_id)
        if run is None:  # ended meanwhile (a job cancelled): nothing of this sync is kept
            return
        planned = _plan(mapped, session)
        apply_plan(session, planned.plan, run)
        mark_deleted(session, Source.NETBOX, _deletion_times(deleted_at))
        _finish(run, planned, dry_run=False)
        run.progress_done = run.progress_total = SYNC_STEPS  # a job's progress, complete
        run.progress_message = "done"
    if progress is not None:
        progress(SYNC_STEPS, SYNC_STEPS, "done")


def _admin_units(session_factory: SessionFactory) -> tuple[KnownRecord, ...]:
    """The admin units regions without a code are matched to by name (``units``)."""
    with session_factory() as session:
        return load_snapshot(session, (RecordKind.ADMIN_UNIT,), words=False).records


def _deletion_times(deleted_at: Mapping[tuple[str, str], str]) -> dict[tuple[str, str], datetime]:
    """The change log's (kind, external id) → ISO time as (table, external id) → datetime."""
    return {
        (str(KIND_OF[kind]), external_id): datetime.fromisoformat(at)
        for (kind, external_id), at in deleted_at.items()
        if kind in KIND_OF
    }


def _plan(mapped: Mapped, session: Session) -> Planned:
    """The core's plan of what NetBox said, against the inventory as it is — the part of
    it the plan needs (``needs``: a sync that read a few objects does not read 20,000
    interfaces). Its discrepancies (NetBox against the record and every other source,
    on the fields this sync read) are the core's one rule, the same the audit applies."""
    observations = observe_all(mapped, utcnow())
    coverage = coverage_of(mapped)
    snapshot = load_needed(session, needs_of(observations, coverage), Source.NETBOX)
    plan = plan_observations(observations, snapshot, coverage)
    return Planned(plan, mapped, snapshot)


def _finish(run: DiscoveryRun, planned: Planned, *, dry_run: bool) -> None:
    """The run's end: every object mapped is an attempt, each one refused a failure."""
    incremental = planned.mapped.deletions != "full read"
    stats = run_stats(
        planned, mode="incremental" if incremental else "full", base_url=run.target or ""
    )
    stats["deletions"] = planned.mapped.deletions  # change log, or id lists and why
    if planned.mapped.warnings:  # e.g. a region whose name names two units: kept unmapped
        stats["warnings"] = planned.mapped.warnings
    if dry_run:
        stats["plan"] = plan_lines(planned)
    finish_run(run, classify_attempts(planned.attempts()), stats=stats)


def _started(
    session_factory: SessionFactory,
    url: str,
    requested_by: str | None,
    parameters: dict[str, Any],
) -> DiscoveryRun:
    with transaction(session_factory) as session:  # type: ignore[arg-type]
        run = start_run(
            session,
            new_run(
                source=Source.NETBOX,
                kind=RunKind.SYNC,
                target=url,
                requested_by=requested_by,
                parameters=parameters,
            ),
        )
        run_id = run.id
    return _reloaded(session_factory, run_id)


def _reloaded(session_factory: SessionFactory, run_id: int) -> DiscoveryRun:
    with session_factory() as session:
        run = session.get_one(DiscoveryRun, run_id)
        session.expunge(run)
        return run


def _failed(
    session_factory: SessionFactory, run: DiscoveryRun, reason: str, stored: bool
) -> DiscoveryRun:
    if not stored:
        finish_run(run, classify_run(0, (), fatal=reason))
        return run
    with transaction(session_factory) as session:  # type: ignore[arg-type]
        fail_run(session, run.id, classify_run(0, (), fatal=reason).summary)
    return _reloaded(session_factory, run.id)
