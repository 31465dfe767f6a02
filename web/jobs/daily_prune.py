"""The prune a worker started with ``cmdb worker --prune-daily`` runs once a day.

Any number of workers on any number of machines may have the flag: the first to see a
new day claims it in Redis (``SET NX``, kept two days) and queues one prune job, which
any worker then runs like every other job. The job carries the retention in days and
the day it is for — nothing secret; the database comes from the worker's own context.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from redis import Redis
from rq import Queue

from cmdb.db import make_engine
from cmdb.services.prune import Retention, prune
from web.jobs.context import job_context

CLAIM = "headroom:prune:{queue}:{day}"
CLAIM_TTL_S = 2 * 86_400


def queue_daily_prune(connection: Redis, queue: Queue, retention: Retention, day: date) -> bool:
    """Queue the prune of ``day`` unless a worker already did; True when this one did."""
    claim = CLAIM.format(queue=queue.name, day=day.isoformat())
    if not connection.set(claim, "1", nx=True, ex=CLAIM_TTL_S):
        return False
    queue.enqueue(
        run_prune,
        asdict(retention),
        day.isoformat(),
        job_id=f"headroom-prune-{queue.name}-{day.isoformat()}",
        description=f"daily prune of {day.isoformat()}",
    )
    return True


def run_prune(retention: dict[str, int], day: str) -> dict[str, int]:
    """The job: prune the worker's database in batches, each committed on its own."""
    from sqlalchemy.orm import Session

    engine = make_engine(job_context().database_url)
    try:
        with Session(engine) as session:
            pruned = prune(session, date.fromisoformat(day), Retention(**retention),
                           commit=session.commit)  # fmt: skip
            session.commit()
    finally:
        engine.dispose()
    return pruned.as_dict()
