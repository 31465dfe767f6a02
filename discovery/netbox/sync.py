"""The NetBox sync use case: fetch everything, then plan and apply in one transaction.

Network first, database second: a NetBox that is unreachable, refuses the token,
answers 5xx or dies mid-fetch fails the run before anything is written. The run
(``discovery.core.lifecycle``) is started in its own transaction — or is a background
job's, already claimed — and, when the sync fails, ended failed with the reason in
another; the inventory is written in one transaction together with the run's end,
so it is all or nothing.
Without ``since`` and unless ``full``, a sync is incremental from the start of the
last successful one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from cmdb.choices import RunKind, RunStatus, Source
from cmdb.db import transaction, utcnow
from cmdb.models import DiscoveryRun
from cmdb.services.job_runs import fail_run, lock_running
from discovery.core.lifecycle import finish_run, new_run, start_run
from discovery.core.runs import Attempt, classify_attempts, classify_run
from discovery.netbox.apply import apply_sync
from discovery.netbox.client import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_TIMEOUT_S,
    SYNC_STEPS,
    NetboxError,
    Progress,
    connect,
    fetch_all,
)
from discovery.netbox.inventory import load_known
from discovery.netbox.mapping import map_all
from discovery.netbox.plan import FAILED, SyncPlan, plan_sync
from discovery.netbox.records import Mapped
from discovery.netbox.report import plan_lines, run_stats

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
) -> DiscoveryRun:
    """Sync Headroom from NetBox; returns the run (a transient one for ``dry_run``).

    ``use_changelog=False`` makes an incremental sync list ids instead of reading
    NetBox's change log (to compare the two). ``run_id``: a background job's run,
    claimed by its worker, that this sync ends (else the sync starts its own)."""
    if since is None and not full:
        since = last_successful_sync(session_factory)
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)  # Headroom stores UTC; SQLite drops the zone
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
            page_size=page_size,
            progress=progress,
            use_changelog=use_changelog,
        )
        mapped = map_all(fetched)
        if dry_run:
            with session_factory() as session:
                plan = _plan(mapped, session)
                session.rollback()
            if not stored:
                _finish(run, plan, mapped, dry_run=True)
                return run
            with transaction(session_factory) as session:  # type: ignore[arg-type]
                job_run = lock_running(session, run.id)  # a job's dry run ends its run
                if job_run is not None:  # unless it was cancelled meanwhile
                    _finish(job_run, plan, mapped, dry_run=True)
            return _reloaded(session_factory, run.id)
        _apply(session_factory, run.id, mapped, progress)
    except NetboxError as exc:
        return _failed(session_factory, run, str(exc), stored)
    except Exception as exc:  # a mapping or database error: rolled back, the run says why
        return _failed(session_factory, run, f"{type(exc).__name__}: {exc}", stored)
    return _reloaded(session_factory, run.id)


def last_successful_sync(session_factory: SessionFactory) -> datetime | None:
    """When the last successful (or partial) NetBox sync started; ``None`` if there was none."""
    with session_factory() as session:
        return session.scalar(
            sa.select(sa.func.max(DiscoveryRun.started_at)).where(
                DiscoveryRun.source == Source.NETBOX,
                DiscoveryRun.kind == RunKind.SYNC,
                DiscoveryRun.status.in_((RunStatus.SUCCEEDED, RunStatus.PARTIAL)),
            )
        )


def _apply(
    session_factory: SessionFactory,
    run_id: int,
    mapped: Mapped,
    progress: Progress | None,
) -> None:
    if progress is not None:
        progress(SYNC_STEPS - 1, SYNC_STEPS, "writing the inventory")
    with transaction(session_factory) as session:  # type: ignore[arg-type]
        run = lock_running(session, run_id)
        if run is None:  # ended meanwhile (a job cancelled): nothing of this sync is kept
            return
        plan = _plan(mapped, session)
        apply_sync(session, plan, run, utcnow())
        _finish(run, plan, mapped, dry_run=False)
        run.progress_done = run.progress_total = SYNC_STEPS  # a job's progress, complete
        run.progress_message = "done"
    if progress is not None:
        progress(SYNC_STEPS, SYNC_STEPS, "done")


def _plan(mapped: Mapped, session: Session) -> SyncPlan:
    known = load_known(session)
    return plan_sync(
        mapped.records, known, mapped.seen_ids, mapped.skipped, deleted_ids=mapped.deleted_ids
    )


def _finish(run: DiscoveryRun, plan: SyncPlan, mapped: Mapped, *, dry_run: bool) -> None:
    """The run's end: every object planned is an attempt, each one that failed a failure."""
    incremental = mapped.deletions != "full read"
    stats = run_stats(plan, mode="incremental" if incremental else "full")
    stats["deletions"] = mapped.deletions  # change log, or id lists and why
    if dry_run:
        stats["plan"] = plan_lines(plan)
    attempts = [
        Attempt(f"{a.kind} {a.record.label}", RunStatus.FAILED, a.reason or "failed")
        if a.action == FAILED
        else Attempt(f"{a.kind} {a.record.label}", RunStatus.SUCCEEDED)
        for acts in plan.actions.values()
        for a in acts
    ]
    finish_run(run, classify_attempts(attempts), stats=stats)


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
