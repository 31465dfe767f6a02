"""Running one job, whoever runs it (an RQ work horse, a local process).

Claim the run (queued → running), hand it to its kind with a progress callback,
and make sure it ends: the kind finishes it on success; on any exception —
including a timeout or a termination signal turned into ``SystemExit`` — the
run ends failed with the reason, and the exception goes on to the runner's
owner (RQ records it in its failed registry).
"""

from __future__ import annotations

import logging
from typing import Any

from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.errors import CmdbError
from cmdb.models import DiscoveryRun
from cmdb.services.job_runs import fail_run
from discovery.core.lifecycle import claim_run
from web.jobs.base import JobRun, RunCancelledError, Spawner
from web.jobs.context import JobContext
from web.jobs.kinds import kind_of_run
from web.jobs.progress import RunProgress

log = logging.getLogger(__name__)


def execute_run(
    context: JobContext,
    run_id: int,
    secrets: dict[str, str],
    job_id: str | None = None,
    spawn: Spawner | None = None,
) -> str | None:
    """Run the job of ``run_id``; its final status, or None when there was nothing to run.

    The engine is made here, not inherited: a forked work horse must not share
    its parent's pooled connections.
    """
    engine = make_engine(context.database_url)
    sessions = make_session_factory(engine)
    try:
        with transaction(sessions) as session:
            run = session.get(DiscoveryRun, run_id)
            if run is None or not claim_run(session, run_id, job_id):
                log.warning("run %s is gone or no longer queued: nothing to do", run_id)
                return None
            kind = kind_of_run(run.source, run.kind)
            parameters: dict[str, Any] = dict(run.parameters or {})
        progress = RunProgress(sessions, run_id)
        job = JobRun(run_id, parameters, secrets, context, sessions, progress, spawn)
        try:
            kind.execute(job)
        except RunCancelledError:
            log.info("run %s was cancelled while it ran; its results are dropped", run_id)
        except BaseException as exc:
            with transaction(sessions) as session:
                fail_run(session, run_id, describe_failure(exc))
            raise
        with sessions() as session:
            final = session.get(DiscoveryRun, run_id)
            return final.status.value if final else None
    finally:
        engine.dispose()


def describe_failure(exc: BaseException) -> str:
    """The reason a person reads on the run: a user error as is, anything else with its type."""
    if isinstance(exc, CmdbError):
        return str(exc)
    if isinstance(exc, SystemExit):
        return f"the job was stopped: {exc.code}"
    return f"{type(exc).__name__}: {exc}"
