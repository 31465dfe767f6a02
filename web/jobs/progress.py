"""A job's progress, written into its run row while it works.

Each write is its own short transaction on its own session, so the API and the
UI see it at once while the job's real work holds no transaction open (on
SQLite a held transaction would block these writes). Writes are throttled: a
fleet of thousands of targets must not turn into thousands of commits.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from cmdb.db import transaction
from cmdb.services.job_runs import record_progress

MIN_INTERVAL_S = 0.5


class RunProgress:
    """``progress(done, total, message)``: the callback every job kind reports through."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        run_id: int,
        min_interval_s: float = MIN_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sessions = sessions
        self.run_id = run_id
        self.min_interval_s = min_interval_s
        self.clock = clock
        self.last_written = -float("inf")
        self.done = 0
        self.total: int | None = None

    def __call__(self, done: int, total: int | None, message: str) -> None:
        self.done, self.total = done, total
        now = self.clock()
        finished = total is not None and done >= total
        if not finished and now - self.last_written < self.min_interval_s:
            return
        self.last_written = now
        with transaction(self.sessions) as session:
            record_progress(session, self.run_id, done, total, message)

    def step(self, message: str) -> None:
        """One more unit done (a target answered or failed)."""
        self(self.done + 1, self.total, message)

    def say(self, message: str) -> None:
        """A new phase, counts unchanged; always written (phases are few)."""
        self.last_written = -float("inf")
        self(self.done, self.total, message)
