"""What every job kind shares: its input, its run in the worker, its errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from cmdb.errors import CmdbError
from web.jobs.context import JobContext
from web.jobs.progress import RunProgress


class JobError(CmdbError):
    """A job cannot go on; its message becomes the run's error."""


class RunCancelledError(Exception):
    """The run was ended (cancelled) while the job worked: its results are dropped."""


@dataclass(frozen=True)
class Prepared:
    target: str  # what the run is about, for lists
    parameters: dict[str, Any]  # stored on the run: JSON, no secret
    secrets: dict[str, str]  # handed to the job only


# Hands a queued run (its id and job id) to the same queue: how a job splits itself.
Spawner = Callable[[int, str], None]


@dataclass
class JobRun:
    run_id: int
    parameters: dict[str, Any]
    secrets: dict[str, str]
    context: JobContext
    sessions: sessionmaker[Session]
    progress: RunProgress
    # Set where other workers share the queue (RQ); a local job runs whole.
    spawn: Spawner | None = None
