"""A job's progress lands on its run row in short transactions, throttled, and only while
the run is running; the run's lifecycle steps are conditional (no double ending)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from cmdb.choices import RunStatus
from cmdb.db import make_session_factory, transaction
from cmdb.errors import ValidationError
from cmdb.models import DiscoveryRun
from cmdb.services.job_runs import fail_run
from discovery.core.lifecycle import claim_run
from tests.integration.discovery.jobs_support import queue_discovery_run
from web.jobs.progress import RunProgress
from web.jobs.runner import describe_failure


@pytest.fixture
def run_id(migrated_engine: Engine) -> Iterator[int]:
    sessions = make_session_factory(migrated_engine)
    with transaction(sessions) as session:
        new_id = queue_discovery_run(session, "j").id
    yield new_id
    with transaction(sessions) as session:
        session.delete(session.get(DiscoveryRun, new_id))


def stored(engine: Engine, run_id: int) -> DiscoveryRun:
    with Session(engine) as session:
        run = session.get(DiscoveryRun, run_id)
        assert run is not None
        return run


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_is_written_at_most_every_interval_and_always_at_the_end(
    migrated_engine: Engine, run_id: int
) -> None:
    sessions = make_session_factory(migrated_engine)
    with transaction(sessions) as session:
        assert claim_run(session, run_id)
    clock = Clock()
    progress = RunProgress(sessions, run_id, min_interval_s=1.0, clock=clock)
    progress(0, 4, "asking 4 agents")
    progress.step("a: succeeded")  # 0.0 s later: throttled
    assert stored(migrated_engine, run_id).progress_done == 0
    clock.now += 1.5
    progress.step("b: failed")
    run = stored(migrated_engine, run_id)
    assert (run.progress_done, run.progress_total, run.progress_message) == (2, 4, "b: failed")
    progress.step("c")
    progress.step("d: the last")  # done == total: written whatever the clock
    assert stored(migrated_engine, run_id).progress_done == 4
    progress.say("reconciling")
    assert stored(migrated_engine, run_id).progress_message == "reconciling"


def test_progress_of_a_run_that_ended_changes_nothing(migrated_engine: Engine, run_id: int) -> None:
    sessions = make_session_factory(migrated_engine)
    with transaction(sessions) as session:
        assert claim_run(session, run_id)
        assert fail_run(session, run_id, "cancelled by me")
        assert not fail_run(session, run_id, "a second ending")
        assert not claim_run(session, run_id)
    RunProgress(sessions, run_id)(3, 3, "late")
    run = stored(migrated_engine, run_id)
    assert run.status is RunStatus.FAILED and run.error == "cancelled by me"
    assert run.progress_done == 0 and run.finished_at is not None


def test_a_failure_reads_as_its_message_or_its_type() -> None:
    assert describe_failure(ValidationError({}, "bad input")) == "bad input"
    assert describe_failure(KeyError("x")) == "KeyError: 'x'"
    assert describe_failure(SystemExit("terminated by SIGTERM")) == (
        "the job was stopped: terminated by SIGTERM"
    )
