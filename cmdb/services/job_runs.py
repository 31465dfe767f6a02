"""A background job's run: queued by a request, claimed by a worker, ended once.

Each step is one conditional UPDATE (``WHERE status IN …``), so two parties
racing on a run — a worker finishing it and a person cancelling it, two sweeps —
cannot both win: the loser's UPDATE matches no row. Services never commit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import RunStatus
from cmdb.db import utcnow
from cmdb.models import DiscoveryRun

UNFINISHED = (RunStatus.QUEUED, RunStatus.RUNNING)
MAX_MESSAGE = 200  # progress_message's column length
MAX_ERROR = 4000


def claim_queued(
    session: Session, run_id: int, runner: Mapping[str, Any], job_id: str | None = None
) -> bool:
    """queued → running, now, by ``runner`` (its ``runner_*`` columns); False when the run
    is no longer queued (cancelled meanwhile). Runs are built by ``discovery.core.lifecycle``."""
    values: dict[str, Any] = {"status": RunStatus.RUNNING, "started_at": utcnow(), **runner}
    if job_id is not None:
        values["job_id"] = job_id
    return _update(session, run_id, (RunStatus.QUEUED,), values)


def record_progress(
    session: Session, run_id: int, done: int, total: int | None, message: str
) -> None:
    _update(
        session,
        run_id,
        (RunStatus.RUNNING,),
        {"progress_done": done, "progress_total": total, "progress_message": message[:MAX_MESSAGE]},
    )


def fail_run(
    session: Session, run_id: int, reason: str, statuses: Sequence[RunStatus] = UNFINISHED
) -> bool:
    """End an unfinished run as failed with ``reason``; False when it had already ended."""
    values = {"status": RunStatus.FAILED, "finished_at": utcnow(), "error": reason[:MAX_ERROR]}
    if not _update(session, run_id, statuses, values):
        return False
    # imported here: split_runs builds on this module's constants
    from cmdb.services.split_runs import parent_of, settle_parent

    settle_parent(session, parent_of(session, run_id))  # a chunk's end is its parent's news
    return True


def lock_running(session: Session, run_id: int) -> DiscoveryRun | None:
    """The run, locked until the commit, if it is still running (the finisher's check)."""
    stmt = sa.select(DiscoveryRun).where(
        DiscoveryRun.id == run_id, DiscoveryRun.status == RunStatus.RUNNING
    )
    return session.scalars(stmt.with_for_update()).first()


def _update(
    session: Session, run_id: int, statuses: Sequence[RunStatus], values: dict[str, Any]
) -> bool:
    stmt = (
        sa.update(DiscoveryRun)
        .where(DiscoveryRun.id == run_id, DiscoveryRun.status.in_(statuses))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return cast(sa.CursorResult[Any], session.execute(stmt)).rowcount == 1
