"""``cmdb worker --prune-daily``: a real burst worker (Redis, a forked work horse) queues
the day's prune once and runs it; a second worker the same day queues nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from redis import Redis
from rq import Queue

from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.models import Sample
from tests.integration.cmdb.test_prune import TODAY, build
from tests.integration.discovery.jobs_support import (
    REDIS_URL,
    make_job_app,
    queue_name,
    start_worker,
    worker_output,
)
from web.jobs.daily_prune import CLAIM

__all__ = ["queue_name"]


def old_samples(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            cutoff = sa.text("'2026-01-25'")
            return conn.scalar(sa.select(sa.func.count()).where(Sample.ts < cutoff)) or 0
    finally:
        engine.dispose()


@pytest.mark.long(reason="two real worker processes, each loading the app and forking a horse")
def test_a_worker_with_the_flag_prunes_once_a_day(tmp_path: Path, queue_name: str) -> None:
    jobs = make_job_app(tmp_path, {}, queue_name)
    engine = make_engine(jobs.database_url)
    with transaction(make_session_factory(engine)) as session:
        build(session)
    engine.dispose()
    before = old_samples(jobs.database_url)
    env = jobs.worker_env(CMDB_TODAY=TODAY.isoformat())

    output = worker_output(start_worker(env, "--prune-daily"))

    assert "queued the daily prune of 2026-03-01" in output, output
    assert old_samples(jobs.database_url) == 12 < before  # only the day never rolled up
    redis = Redis.from_url(REDIS_URL)
    assert redis.exists(CLAIM.format(queue=queue_name, day=TODAY.isoformat()))
    again = worker_output(start_worker(env, "--prune-daily"))
    assert "queued the daily prune" not in again
    assert Queue(queue_name, connection=redis).count == 0
    redis.delete(CLAIM.format(queue=queue_name, day=TODAY.isoformat()))
