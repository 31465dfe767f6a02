"""Jobs on RQ: one queue in Redis, emptied by ``cmdb worker`` on one or many machines.

Several workers (on several machines) share the queue: that is how polling
scales past one machine. Each worker forks a work horse per job (RQ's default
``Worker``): a job that crashes, leaks or is killed takes only its horse down.
pysnmp is fine with that: the horse starts its own asyncio loop and SNMP engine
per job (``asyncio.run`` in the collector) and nothing of either exists in the
worker before the fork; the database engine is likewise made in the horse.

A run always ends: the job's own ``except`` (``web.jobs.runner``), RQ's failure
and stopped callbacks, the killed-horse handler, and a sweep of runs whose job
is gone when a worker starts.
"""

from __future__ import annotations

import logging
import uuid
from types import TracebackType
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Callback, Queue, Worker, get_current_job
from rq.command import send_stop_job_command
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry

from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.services.job_runs import fail_run, load_unfinished
from web.jobs.backend import BackendError
from web.jobs.context import job_context
from web.jobs.runner import execute_run

log = logging.getLogger(__name__)

JOB_TIMEOUT_S = 4 * 3600  # a /20 at a slow deadline; RQ's default (180 s) would cut discoveries
FAILURE_TTL_S = 7 * 86400  # failed jobs keep their arguments (a typed token) a week, not a year
RESULT_TTL_S = 3600
LOCAL_PREFIX = "local:"


class RqBackend:
    name = "rq"

    def __init__(self, url: str, queue: str) -> None:
        self.url, self.queue_name = url, queue

    def connection(self) -> Redis:
        return Redis.from_url(self.url, socket_connect_timeout=5, socket_timeout=10)

    def new_job_id(self) -> str:
        return uuid.uuid4().hex

    def submit(self, run_id: int, job_id: str, secrets: dict[str, str]) -> None:
        try:
            Queue(self.queue_name, connection=self.connection()).enqueue(
                run_job,
                run_id,
                secrets,
                job_id=job_id,
                job_timeout=JOB_TIMEOUT_S,
                result_ttl=RESULT_TTL_S,
                failure_ttl=FAILURE_TTL_S,
                description=f"discovery run {run_id}",
                on_failure=Callback(on_job_failure),
                on_stopped=Callback(on_job_stopped),
            )
        except RedisError as exc:
            raise BackendError(f"cannot queue the job on Redis ({self.url_shown}): {exc}") from exc

    def stop(self, job_id: str) -> None:
        """Take a queued job out of the queue, or kill the horse of a running one."""
        connection = self.connection()
        try:
            job = Job.fetch(job_id, connection=connection)
            if job.get_status() == JobStatus.STARTED:
                send_stop_job_command(connection, job_id)
            else:
                job.cancel()
        except (NoSuchJobError, InvalidJobOperation):
            pass  # already over: the run's end is what counts
        except RedisError as exc:
            raise BackendError(f"cannot reach Redis ({self.url_shown}): {exc}") from exc

    @property
    def url_shown(self) -> str:
        return self.url.split("@")[-1]  # never a password in a message


def run_job(run_id: int, secrets: dict[str, str]) -> str | None:
    """The function RQ runs in the work horse."""
    job = get_current_job()
    return execute_run(job_context(), run_id, secrets, job.id if job else None)


def on_job_failure(
    job: Job,
    _connection: Redis,
    exc_type: type[BaseException],
    exc: BaseException,
    _tb: TracebackType | None,
) -> None:
    _fail(job, f"{exc_type.__name__}: {exc}")


def on_job_stopped(job: Job, _connection: Redis) -> None:
    _fail(job, "the job was stopped")


def on_horse_killed(job: Job, _retpid: int, ret_val: int, _rusage: Any) -> None:
    """The horse died without a word (killed, out of memory): the run says so."""
    _fail(job, f"the worker process ended unexpectedly (wait status {ret_val})")


def _fail(job: Job, reason: str) -> None:
    run_id = job.args[0] if job.args else None
    if isinstance(run_id, int):
        fail_runs(job_context().database_url, {run_id: reason})


def fail_runs(database_url: str, reasons: dict[int, str]) -> None:
    """End these runs failed, each unless it already ended."""
    engine = make_engine(database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            for run_id, reason in reasons.items():
                fail_run(session, run_id, reason)
    finally:
        engine.dispose()


def make_worker(url: str, queues: list[str], name: str | None = None) -> Worker:
    connection = Redis.from_url(url)
    return Worker(
        [Queue(q, connection=connection) for q in queues],
        connection=connection,
        name=name,
        work_horse_killed_handler=on_horse_killed,
    )


def sweep(url: str, queues: list[str], database_url: str) -> dict[int, str]:
    """Runs whose job is over or gone, ended failed; returns them with their reasons.

    A worker does it when it starts: a machine that died with jobs in hand left
    their runs "running". RQ's own registry clean-up first moves jobs whose
    worker stopped beating to the failed registry.
    """
    connection = Redis.from_url(url)
    for queue in queues:
        StartedJobRegistry(queue, connection=connection).cleanup()
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            runs = [(r.id, r.job_id) for r in load_unfinished(session)]
    finally:
        engine.dispose()
    reasons = {
        run_id: reason
        for run_id, job_id in runs
        if job_id and not job_id.startswith(LOCAL_PREFIX) and (reason := _lost(connection, job_id))
    }
    if reasons:
        fail_runs(database_url, reasons)
    return reasons


def _lost(connection: Redis, job_id: str) -> str | None:
    try:
        job = Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        return "its job is no longer in Redis (Redis restarted, or the job expired)"
    status = job.get_status(refresh=False)
    if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
        result = job.latest_result()
        detail = (result.exc_string or "").strip().splitlines() if result else []
        return f"its job {status.value}" + (f": {detail[-1]}" if detail else "")
    return None
