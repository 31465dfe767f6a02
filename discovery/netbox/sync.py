"""The NetBox sync use case: fetch everything, then plan and apply in one transaction.

Network first, database second: a NetBox that is unreachable, refuses the token,
answers 5xx or dies mid-fetch fails the run before anything is written. The run
row is created in its own transaction (a background job shows its progress) and,
when the sync fails, marked failed with the reason in another; the inventory is
written in one transaction together with the run's end, so it is all or nothing.
Without ``since`` and unless ``full``, a sync is incremental from the start of the
last successful one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from cmdb.choices import RunKind, RunStatus, Source
from cmdb.db import transaction, utcnow
from cmdb.models import DiscoveryRun
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
from discovery.netbox.plan import SyncPlan, plan_sync
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
) -> DiscoveryRun:
    """Sync Headroom from NetBox; returns the run (a transient one for ``dry_run``).

    ``use_changelog=False`` makes an incremental sync list ids instead of reading
    NetBox's change log (to compare the two)."""
    started = utcnow()
    if since is None and not full:
        since = last_successful_sync(session_factory)
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)  # Headroom stores UTC; SQLite drops the zone
    parameters = {
        "page_size": page_size,
        "since": since.isoformat() if since else None,
        "dry_run": dry_run,
    }
    run = DiscoveryRun(
        source=Source.NETBOX,
        kind=RunKind.SYNC,
        target=url[:300],
        status=RunStatus.RUNNING,
        started_at=started,
        requested_by=requested_by,
        parameters=parameters,
        stats={},
    )
    if not dry_run:
        run = _saved(session_factory, run)
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
            _finish(run, plan, mapped, dry_run=True)
            return run
        _apply(session_factory, run.id, mapped, progress)
    except NetboxError as exc:
        return _failed(session_factory, run, str(exc), dry_run)
    except Exception as exc:  # a mapping or database error: rolled back, the run says why
        return _failed(session_factory, run, f"{type(exc).__name__}: {exc}", dry_run)
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
        plan = _plan(mapped, session)
        run = session.get_one(DiscoveryRun, run_id)
        apply_sync(session, plan, run, utcnow())
        _finish(run, plan, mapped, dry_run=False)
    if progress is not None:
        progress(SYNC_STEPS, SYNC_STEPS, "done")


def _plan(mapped: Mapped, session: Session) -> SyncPlan:
    known = load_known(session)
    return plan_sync(
        mapped.records, known, mapped.seen_ids, mapped.skipped, deleted_ids=mapped.deleted_ids
    )


def _finish(run: DiscoveryRun, plan: SyncPlan, mapped: Mapped, *, dry_run: bool) -> None:
    failed = any(c["failed"] for c in plan.counts().values())
    run.status = RunStatus.PARTIAL if failed else RunStatus.SUCCEEDED
    run.finished_at = utcnow()
    incremental = mapped.deletions != "full read"
    run.stats = run_stats(plan, mode="incremental" if incremental else "full")
    run.stats["deletions"] = mapped.deletions  # change log, or id lists and why
    if dry_run:
        run.stats["plan"] = plan_lines(plan)
    failures = [f"{f['kind']} {f['label']}: {f['reason']}" for f in run.stats["failures"]]
    run.error = "\n".join(failures[:50]) or None


def _saved(session_factory: SessionFactory, run: DiscoveryRun) -> DiscoveryRun:
    with transaction(session_factory) as session:  # type: ignore[arg-type]
        session.add(run)
        session.flush()
        run_id = run.id
    return _reloaded(session_factory, run_id)


def _reloaded(session_factory: SessionFactory, run_id: int) -> DiscoveryRun:
    with session_factory() as session:
        run = session.get_one(DiscoveryRun, run_id)
        session.expunge(run)
        return run


def _failed(
    session_factory: SessionFactory, run: DiscoveryRun, reason: str, dry_run: bool
) -> DiscoveryRun:
    if dry_run:
        run.status, run.error, run.finished_at = RunStatus.FAILED, reason, utcnow()
        return run
    with transaction(session_factory) as session:  # type: ignore[arg-type]
        row = session.get_one(DiscoveryRun, run.id)
        row.status = RunStatus.FAILED
        row.error = reason
        row.finished_at = utcnow()
    return _reloaded(session_factory, run.id)
