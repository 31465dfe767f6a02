"""Where a job goes: RQ when ``CMDB_REDIS_URL`` is set, else a local process.

Both take a run id (the run is committed first: a worker must find it) and
the job's secrets, and both can stop a job. The choice is made per app from
its configuration, never at import time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from cmdb.errors import CmdbError
from web.jobs.context import JobContext


class BackendError(CmdbError):
    """The job could not be handed to a worker (Redis down, no process)."""


class JobBackend(Protocol):
    name: str
    keeps_payloads: bool  # stores what it is handed: no secret may be handed to it

    def new_job_id(self) -> str: ...

    def submit(self, run_id: int, job_id: str, secrets: dict[str, str]) -> None: ...

    def stop(self, job_id: str) -> None: ...


def backend_for(config: Mapping[str, Any]) -> JobBackend:
    context = JobContext.from_config(config)
    if config.get("CMDB_REDIS_URL"):
        from web.jobs.redis_queue import RqBackend

        return RqBackend(config["CMDB_REDIS_URL"], config.get("CMDB_JOB_QUEUE") or "headroom")
    from web.jobs.local import LocalBackend

    return LocalBackend(context)
