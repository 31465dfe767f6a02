"""The sweep: runs whose process or job died, ended failed at once, with the reason.

Every ``cmdb worker``, every local job process and every ``cmdb`` command that touches
runs (``jobs``, ``discover``, ``poll``, ``sync netbox``, ``audit run``) sweeps when it
starts, so a run whose process was killed is ``failed`` the next time anything looks —
no waiting for a heartbeat to expire. What counts as provably gone is
``discovery.core.lifecycle.end_dead_runs``'s rule (the runner's pid on this host); a
background run's job is judged by its backend: a local job by its pid, an RQ job by
Redis (only when ``redis_url`` is given; when Redis cannot be reached its runs are left
as they are).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from cmdb.choices import RunStatus
from cmdb.db import make_engine, make_session_factory, transaction, utcnow
from cmdb.models import DiscoveryRun
from discovery.core.lifecycle import end_dead_runs, process_alive

if TYPE_CHECKING:
    from redis import Redis

log = logging.getLogger(__name__)

# Local jobs (``web.jobs.local``) name themselves ``local:<host>:<pid>`` on their run;
# until the process has started, ``local:pending``.
LOCAL_PREFIX = "local:"
PENDING = f"{LOCAL_PREFIX}pending"
START_GRACE = timedelta(minutes=10)  # a queued local run older than this never found its process


def sweep_dead_runs(
    database_url: str,
    redis_url: str | None = None,
    queues: Sequence[str] = (),
    connection: Redis | None = None,
) -> dict[int, str]:
    """The sweep on a database of its own engine (a worker, a job process); why, by run.

    The engine is made and disposed here: a worker forks work horses afterwards, and
    no pooled connection may cross into them."""
    engine = make_engine(database_url)
    try:
        return sweep_with(make_session_factory(engine), redis_url, queues, connection)
    finally:
        engine.dispose()


def sweep_with(
    sessions: sessionmaker[Session],
    redis_url: str | None = None,
    queues: Sequence[str] = (),
    connection: Redis | None = None,
) -> dict[int, str]:
    """The sweep in one transaction of ``sessions``; why each run ended, by run id."""
    check = JobCheck(redis_url, queues, connection)
    with transaction(sessions) as session:
        return end_dead_runs(session, check)


class JobCheck:
    """Why a background run's job is over: local jobs by pid, RQ jobs by Redis (lazily)."""

    def __init__(
        self, redis_url: str | None, queues: Sequence[str], connection: Redis | None = None
    ) -> None:
        self.redis_url, self.queues = redis_url, list(queues)
        self._connection = connection
        self._cleaned = False
        self._unreachable = False

    def __call__(self, run: DiscoveryRun) -> str | None:
        if (run.job_id or "").startswith(LOCAL_PREFIX):
            return local_job_gone(run)
        connection = self._redis()
        if connection is None:
            return None
        from redis.exceptions import RedisError

        from web.jobs.redis_queue import rq_job_gone

        try:
            return rq_job_gone(connection, run)
        except RedisError as exc:
            self._note_unreachable(exc)
            return None

    def _redis(self) -> Redis | None:
        if self._cleaned or self._unreachable:
            return self._connection
        from redis.exceptions import RedisError

        from web.jobs.redis_queue import clean_started_registries, connect

        if self._connection is None and self.redis_url:
            self._connection = connect(self.redis_url)
        if self._connection is None:
            return None
        try:
            clean_started_registries(self._connection, self.queues)
        except RedisError as exc:
            self._note_unreachable(exc)
            return None
        self._cleaned = True
        return self._connection

    def _note_unreachable(self, exc: Exception) -> None:
        self._unreachable, self._connection = True, None
        log.warning("runs of RQ jobs not swept: Redis is unreachable (%s)", exc)


def own_pid(job_id: str | None) -> int | None:
    """The pid of a local job on this host (a job on another host is not ours to judge)."""
    if not job_id or not job_id.startswith(LOCAL_PREFIX) or job_id == PENDING:
        return None
    _, host, pid = job_id.split(":", 2)
    return int(pid) if host == socket.gethostname() and pid.isdigit() else None


def local_job_gone(run: DiscoveryRun) -> str | None:
    """Why a local job's run will never end by itself, or None.

    Queued: its process never started (the server died before starting it), after
    ``START_GRACE``. Running with no runner recorded (a run claimed before runners
    were): the pid its job id names is not alive on this host.
    """
    if run.job_id == PENDING:
        if run.status is RunStatus.QUEUED and utcnow() - as_utc(run.started_at) > START_GRACE:
            return "its local job process never started"
        return None
    pid = own_pid(run.job_id)
    if pid is not None and pid != os.getpid() and not process_alive(pid):
        return f"its local job process (pid {pid}) ended without finishing the run"
    return None


def as_utc(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
