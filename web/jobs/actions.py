"""Starting and cancelling jobs: the one action layer the API, the UI and the CLI share.

Both work in the caller's session (the request's: on SQLite a second session
of the same request could not commit past the first one's lock) and run in two
steps around the caller's commit: the run is stored first, then the job is
handed over — a fast worker must find the run committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from cmdb.db import committing
from cmdb.errors import ConflictError, NotFoundError, ValidationError
from cmdb.models import DiscoveryRun
from cmdb.services.job_runs import UNFINISHED, fail_run
from cmdb.services.split_runs import unfinished_chunks
from discovery.core.lifecycle import queue_run
from web.jobs.backend import BackendError, JobBackend
from web.jobs.context import JobContext
from web.jobs.kinds import job_kind

# Redis keeps a job's arguments where whoever reads Redis reads them: a secret typed
# into the form or the API goes to a local job's stdin only, never into the queue.
SECRET_THROUGH_QUEUE = (
    "jobs go through Redis (CMDB_REDIS_URL), which keeps what it carries: send no token, "
    "and set CMDB_NETBOX_TOKEN on the server and the workers instead"
)


@dataclass(frozen=True)
class QueuedJob:
    run: DiscoveryRun
    secrets: dict[str, str]


def queue_job(
    session: Session,
    backend: JobBackend,
    context: JobContext,
    kind_name: Any,
    parameters: Any,
    requested_by: str,
) -> QueuedJob:
    """Validate the parameters (400 per field) and add the queued run; the caller commits."""
    kind = job_kind(kind_name)
    prepared = kind.prepare(session, parameters, context)
    if prepared.secrets and backend.keeps_payloads:
        raise ValidationError(
            {f"parameters.{name}": [SECRET_THROUGH_QUEUE] for name in prepared.secrets}
        )
    run = queue_run(
        session,
        source=kind.source,
        kind=kind.run_kind,
        target=prepared.target,
        parameters=prepared.parameters,
        requested_by=requested_by,
        job_id=backend.new_job_id(),
    )
    return QueuedJob(run, prepared.secrets)


def submit_job(session: Session, backend: JobBackend, queued: QueuedJob) -> None:
    """After the commit: hand the job over; if that fails, the run ends failed with why."""
    try:
        backend.submit(queued.run.id, queued.run.job_id or "", queued.secrets)
    except BackendError as exc:
        with committing(session):
            fail_run(session, queued.run.id, str(exc))
        raise


def end_job(session: Session, run_id: int, by: str) -> list[str]:
    """End a queued or running run failed ("cancelled by …"), and the unfinished chunks of a
    split one; the job ids to stop. The caller commits.

    The run ends before its job is stopped: whatever the job does meanwhile is
    dropped (it finds its run no longer running).
    """
    run = session.get(DiscoveryRun, run_id)
    if run is None:
        raise NotFoundError(f"no discovery run {run_id}")
    if run.job_id is None and run.status in UNFINISHED:
        # a run of `cmdb discover`/`cmdb poll` in a terminal: only that command can end it
        raise ConflictError(f"run {run_id} is not a background job; stop its command instead")
    chunks = unfinished_chunks(session, run_id)
    if not fail_run(session, run_id, f"cancelled by {by}"):
        raise ConflictError(f"run {run_id} has already ended ({run.status.value})")
    for chunk in chunks:
        fail_run(session, chunk.id, f"cancelled by {by} (with run {run_id})")
    return [job for job in (run.job_id, *(c.job_id for c in chunks)) if job]


def stop_job(backend: JobBackend, job_ids: Sequence[str]) -> None:
    """After the commit: stop the jobs' worker processes, those that still run."""
    for job_id in job_ids:
        backend.stop(job_id)
