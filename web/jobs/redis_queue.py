"""Jobs on RQ: one queue in Redis, emptied by ``cmdb worker`` on one or many machines.

Several workers (on several machines) share the queue: that is how polling
scales past one machine. Each worker forks a work horse per job (RQ's default
``Worker``): a job that crashes, leaks or is killed takes only its horse down.
pysnmp is fine with that: the horse starts its own asyncio loop and SNMP engine
per job (``asyncio.run`` in the collector) and nothing of either exists in the
worker before the fork; the database engine is likewise made in the horse.

A run always ends: the job's own ``except`` (``web.jobs.runner``), RQ's failure
and stopped callbacks, the killed-horse handler, and the sweep (``web.jobs.sweep``)
when any worker or run-touching command starts: a run whose work horse is gone
from this host, or whose job is no longer started anywhere. A worker always ends
too: see ``HeadroomWorker``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from types import TracebackType
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Callback, Queue, Worker, get_current_job
from rq.command import send_stop_job_command
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry

from cmdb.choices import RunStatus
from cmdb.db import make_engine, make_session_factory, transaction, utcnow
from cmdb.models import DiscoveryRun
from cmdb.services.job_runs import fail_run
from cmdb.services.prune import Retention
from web.jobs.backend import BackendError
from web.jobs.context import job_context
from web.jobs.daily_prune import queue_daily_prune
from web.jobs.runner import execute_run
from web.jobs.sweep import as_utc, sweep_dead_runs

log = logging.getLogger(__name__)

JOB_TIMEOUT_S = 4 * 3600  # a /20 at a slow deadline; RQ's default (180 s) would cut discoveries
FAILURE_TTL_S = 7 * 86400  # failed jobs keep their arguments (a typed token) a week, not a year
RESULT_TTL_S = 3600
HANDOFF_S = timedelta(seconds=60)  # a queued run's job may not be in Redis yet (see rq_job_gone)
COMMANDS_WAKE_S = 0.2  # how often the command listener looks whether the worker is ending
COMMANDS_JOIN_S = 5.0  # the most a worker's end waits for its command listener


class RqBackend:
    name = "rq"
    keeps_payloads = True  # Redis stores a job's arguments, readable to anyone who reads it

    def __init__(self, url: str, queue: str) -> None:
        self.url, self.queue_name = url, queue

    def connection(self) -> Redis:
        return Redis.from_url(self.url, socket_connect_timeout=5, socket_timeout=10)

    def new_job_id(self) -> str:
        return uuid.uuid4().hex

    def submit(self, run_id: int, job_id: str, secrets: dict[str, str]) -> None:
        try:
            enqueue(Queue(self.queue_name, connection=self.connection()), run_id, job_id, secrets)
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


def enqueue(queue: Queue, run_id: int, job_id: str, secrets: dict[str, str]) -> None:
    queue.enqueue(
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


def run_job(run_id: int, secrets: dict[str, str]) -> str | None:
    """The function RQ runs in the work horse; a job it spawns goes to the same queue,
    where any worker (on any machine) may take it."""
    job = get_current_job()
    if job is None:
        return execute_run(job_context(), run_id, secrets)
    queue = Queue(job.origin, connection=job.connection)

    def spawn(child_run_id: int, child_job_id: str) -> None:
        enqueue(queue, child_run_id, child_job_id, {})

    return execute_run(job_context(), run_id, secrets, job.id, spawn)


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


class HeadroomWorker(Worker):
    """RQ's forking worker, whose command listener ends when the worker does.

    RQ (2.12) hears commands (stop-job: a cancel) on a pubsub thread that waits up
    to 60 s for a message; its teardown sends UNSUBSCRIBE, then stops the thread.
    When the thread reads the UNSUBSCRIBE reply before its stop flag is down, it
    goes back to waiting, now for a subscription and the whole 60 s, and redis-py
    8's ``PubSubWorkerThread.stop()`` joins it: the worker hung a minute after
    "unsubscribing from channel" (a burst worker about one time in four).
    """

    #: ``cmdb worker --prune-daily``: (retention, the day's source); None: no prune.
    daily_prune: tuple[Retention, Callable[[], date]] | None = None

    def bootstrap(self, *args: Any, **kwargs: Any) -> None:
        """RQ's start, then the sweep: a run whose work horse died with its machine or its
        worker (kill -9) is failed now, not when its job's heartbeat expires."""
        super().bootstrap(*args, **kwargs)
        context = job_context()
        for run_id, reason in sweep_dead_runs(
            context.database_url, queues=self.queue_names(), connection=self.connection
        ).items():
            self.log.warning("run %s ended failed: %s", run_id, reason)
        self._queue_prune()

    def run_maintenance_tasks(self) -> None:
        """RQ's housekeeping (every ten minutes), then the day's prune when it is due."""
        super().run_maintenance_tasks()
        self._queue_prune()

    def _queue_prune(self) -> None:
        if self.daily_prune is None:
            return
        retention, today = self.daily_prune
        if queue_daily_prune(self.connection, self.queues[0], retention, today()):
            self.log.info("queued the daily prune of %s", today().isoformat())

    def subscribe(self) -> None:
        """RQ's subscription, with a listener that wakes every ``COMMANDS_WAKE_S``."""
        self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(  # type: ignore[assignment]  # rq types it None
            sleep_time=COMMANDS_WAKE_S,
            daemon=True,
            exception_handler=self._pubsub_exception_handler,
        )

    def unsubscribe(self) -> None:
        """Stop the listener, then close its connection, which ends the subscription.

        No UNSUBSCRIBE: its reply is what raced the stop flag. The listener sees
        the flag within ``COMMANDS_WAKE_S``; redis-py 8 waits for it in ``stop()``,
        older versions only lower the flag, hence the bounded join.
        """
        thread, pubsub = self.pubsub_thread, self.pubsub
        if thread is None or pubsub is None:
            return
        channel = self.pubsub_channel_name
        self.log.info("Worker %s: unsubscribing from channel %s", self.name, channel)
        thread.stop()
        thread.join(timeout=COMMANDS_JOIN_S)
        pubsub.close()


def make_worker(
    url: str,
    queues: list[str],
    name: str | None = None,
    daily_prune: tuple[Retention, Callable[[], date]] | None = None,
) -> HeadroomWorker:
    connection = Redis.from_url(url)
    worker = HeadroomWorker(
        [Queue(q, connection=connection) for q in queues],
        connection=connection,
        name=name,
        work_horse_killed_handler=on_horse_killed,
    )
    worker.daily_prune = daily_prune
    return worker


def connect(url: str) -> Redis:
    """A connection that fails fast: a sweep must not hang a command on a dead Redis."""
    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def rq_job_gone(connection: Redis, run: DiscoveryRun) -> str | None:
    """Why the RQ job of ``run`` is over without having ended it, or None while it may go on.

    A job queued, deferred, scheduled or started may still run (a started job on another
    machine is judged by its own host's sweep, or by RQ once that worker stops beating).
    A job missing from Redis is lost — unless the run was queued a moment ago: the
    request stores the run, commits, then enqueues, and a sweep may fall in between.
    """
    assert run.job_id is not None
    try:
        job = Job.fetch(run.job_id, connection=connection)
    except NoSuchJobError:
        if run.status is RunStatus.QUEUED and utcnow() - as_utc(run.started_at) < HANDOFF_S:
            return None
        return "its job is no longer in Redis (Redis restarted, or the job expired)"
    status = job.get_status(refresh=False)
    if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
        result = job.latest_result()
        detail = (result.exc_string or "").strip().splitlines() if result else []
        return f"its job {status.value}" + (f": {detail[-1]}" if detail else "")
    if status == JobStatus.FINISHED:
        return "its job finished without ending the run"
    return None


def clean_started_registries(connection: Redis, queues: list[str]) -> None:
    """RQ's own clean-up: jobs whose worker stopped beating move to the failed registry."""
    for queue in queues:
        StartedJobRegistry(queue, connection=connection).cleanup()
