"""A run split into chunks (a poll shared by several workers): the parent follows them.

The parent run has no work of its own once its chunks are queued: its progress is
the sum of theirs and it ends when the last of them ends — succeeded when every
chunk succeeded, failed when every chunk failed, partial otherwise. Every way a
chunk ends (its job finishes, fails, is cancelled or swept) settles the parent in
the same transaction, under the parent's row lock, so two chunks ending at once
cannot both miss (or both make) the parent's end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import RunStatus
from cmdb.db import utcnow
from cmdb.models import DiscoveryRun
from cmdb.services.job_runs import MAX_ERROR, UNFINISHED

# Counts summed over the chunks' stats; anything else stays on the chunks.
SUMMED_STATS = ("samples", "requests", "attempted", "failed", "incomplete")


def parent_of(session: Session, run_id: int) -> int | None:
    return session.scalar(sa.select(DiscoveryRun.parent_id).where(DiscoveryRun.id == run_id))


def settle_parent(session: Session, parent_id: int | None) -> RunStatus | None:
    """Bring the parent's progress up to date; end it once no chunk is unfinished.

    Its status afterwards (None when there is no unfinished parent to settle)."""
    if parent_id is None:
        return None
    parent = session.scalars(
        sa.select(DiscoveryRun)
        .where(DiscoveryRun.id == parent_id, DiscoveryRun.status == RunStatus.RUNNING)
        .with_for_update()
    ).first()
    if parent is None:
        return None  # ended already (cancelled, or settled by the chunk before)
    chunks = list(
        session.scalars(
            sa.select(DiscoveryRun)
            .where(DiscoveryRun.parent_id == parent_id)
            .order_by(DiscoveryRun.id)
            .execution_options(populate_existing=True)
        )
    )
    parent.progress_done = sum(c.progress_done or 0 for c in chunks)
    ended = [c for c in chunks if c.status not in UNFINISHED]
    parent.progress_message = f"{len(ended)} of {len(chunks)} jobs ended"[:200]
    if chunks and len(ended) == len(chunks):
        parent.status = combined_status(c.status for c in chunks)
        parent.finished_at = utcnow()
        parent.stats = {**(parent.stats or {}), **summed_stats(chunks), "chunks": len(chunks)}
        parent.error = _error(chunks)
    session.flush()  # the rest of the transaction (a bulk UPDATE, a reader) sees it
    return parent.status


def combined_status(statuses: Iterable[RunStatus]) -> RunStatus:
    """All succeeded → succeeded; all failed → failed; any other mix → partial."""
    seen = set(statuses)
    if seen == {RunStatus.SUCCEEDED}:
        return RunStatus.SUCCEEDED
    if seen == {RunStatus.FAILED}:
        return RunStatus.FAILED
    return RunStatus.PARTIAL


def summed_stats(chunks: Sequence[DiscoveryRun]) -> dict[str, Any]:
    totals: Counter[str] = Counter()
    for chunk in chunks:
        for key in SUMMED_STATS:
            value = (chunk.stats or {}).get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                totals[key] += value
    return dict(totals)


def _error(chunks: Sequence[DiscoveryRun]) -> str | None:
    failed = [c for c in chunks if c.status is RunStatus.FAILED]
    if not failed:
        return None
    first = failed[0]
    return f"{len(failed)} of {len(chunks)} jobs failed; run {first.id}: {first.error or '?'}"[
        :MAX_ERROR
    ]


def unfinished_chunks(session: Session, parent_id: int) -> list[DiscoveryRun]:
    return list(
        session.scalars(
            sa.select(DiscoveryRun)
            .where(DiscoveryRun.parent_id == parent_id, DiscoveryRun.status.in_(UNFINISHED))
            .order_by(DiscoveryRun.id)
        )
    )


def split_parents(session: Session, run_ids: Sequence[int]) -> set[int]:
    """Which of these runs have chunks (their end is their chunks', not their job's)."""
    if not run_ids:
        return set()
    stmt = sa.select(DiscoveryRun.parent_id).where(DiscoveryRun.parent_id.in_(run_ids))
    return {pid for pid in session.scalars(stmt.distinct()) if pid is not None}
