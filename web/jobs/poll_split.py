"""A poll of many devices shared by several workers: one job per chunk, one parent run.

The parent's job only cuts the cycle into chunks (devices in site order, so a chunk
is one site or a few neighbouring ones), stores a queued run per chunk under it and
hands each to the queue, where any idle worker — on this machine or another —
takes it. Each chunk polls and stores like a whole poll; the parent follows them
(``cmdb.services.split_runs``). Only where workers share a queue (RQ): a local job
runs the whole poll itself.
"""

from __future__ import annotations

import logging
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.db import transaction
from cmdb.models import Device
from cmdb.services.job_runs import fail_run, lock_running
from discovery.core.lifecycle import queue_run
from discovery.records import Target
from web.jobs.base import JobRun, RunCancelledError
from web.jobs.context import DEFAULT_CHUNK_SIZE

log = logging.getLogger(__name__)


def should_split(job: JobRun, devices: int) -> bool:
    size = job.parameters.get("chunk_size") or DEFAULT_CHUNK_SIZE
    return job.spawn is not None and not job.parameters.get("chunk_of") and devices > size


def split_poll(job: JobRun, targets: dict[Target, int]) -> int:
    """Queue the chunks of this poll under its run; how many were handed to the queue."""
    assert job.spawn is not None
    size = job.parameters.get("chunk_size") or DEFAULT_CHUNK_SIZE
    with transaction(job.sessions) as session:
        parent = lock_running(session, job.run_id)
        if parent is None:
            raise RunCancelledError(job.run_id)
        ordered = _in_site_order(session, targets)
        chunks = [ordered[i : i + size] for i in range(0, len(ordered), size)]
        queued = []
        for number, chunk in enumerate(chunks, 1):
            run = queue_run(
                session,
                source=parent.source,
                kind=parent.kind,
                target=f"part {number} of {len(chunks)} of run {parent.id}: {len(chunk)} devices",
                parameters={
                    **job.parameters,
                    "targets": [t.address for t in chunk],
                    "chunk_of": parent.id,
                },
                requested_by=parent.requested_by or "",
                job_id=uuid.uuid4().hex,
            )
            run.parent_id = parent.id
            queued.append((run.id, run.job_id or ""))
        parent.progress_done, parent.progress_total = 0, len(targets)
        parent.progress_message = f"split into {len(chunks)} jobs of at most {size} devices"
    return _hand_over(job, queued)


def _in_site_order(session: Session, targets: dict[Target, int]) -> list[Target]:
    """The targets by their device's site, then device id (devices of a site together)."""
    site_of = dict(session.execute(sa.select(Device.id, Device.site_id)).tuples().all())
    return sorted(targets, key=lambda t: (site_of.get(targets[t]) or 0, targets[t]))


def _hand_over(job: JobRun, queued: list[tuple[int, str]]) -> int:
    """Each chunk to the queue; a chunk that cannot be queued ends failed with why."""
    assert job.spawn is not None
    handed = 0
    for run_id, job_id in queued:
        try:
            job.spawn(run_id, job_id)
            handed += 1
        except Exception as exc:  # Redis gone mid-way: the chunk says so, the rest goes on
            log.warning("chunk run %s could not be queued: %s", run_id, exc)
            with transaction(job.sessions) as session:
                fail_run(session, run_id, f"could not be queued: {exc}")
    return handed
