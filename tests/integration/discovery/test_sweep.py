"""The sweep (``discovery.core.lifecycle.end_dead_runs`` with ``web.jobs.sweep``'s job
check, real Redis): a run ends failed only when its process or job is provably gone —
never a live one, never one on another machine, never a run merely queued."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from datetime import timedelta

import pytest
from rq import Queue
from sqlalchemy.orm import Session

from cmdb.choices import RunKind, RunStatus, Source
from cmdb.db import utcnow
from cmdb.models import DiscoveryRun
from discovery.core.lifecycle import claim_run, end_dead_runs, new_run, start_run, this_space
from tests.integration.discovery.jobs_support import (
    REDIS_URL,
    queue_discovery_run,
    queue_name,
    redis_or_fail,
)
from web.jobs.sweep import PENDING, JobCheck

__all__ = ["queue_name"]


@pytest.fixture
def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


@pytest.fixture
def live_pid() -> Iterator[int]:
    child = subprocess.Popen(["sleep", "60"])
    yield child.pid
    child.kill()
    child.wait()


def running(session: Session, host: str, pid: int | None, space: str | None = None) -> int:
    run = start_run(session, new_run(source=Source.SNMP, kind=RunKind.POLL, target="t"))
    run.runner_host, run.runner_pid = host, pid
    run.runner_space = space or run.runner_space
    session.flush()
    return run.id


def queued(session: Session, job_id: str, age: timedelta = timedelta(0)) -> int:
    run = queue_discovery_run(session, job_id)
    run.started_at = utcnow() - age
    session.flush()
    return run.id


def test_a_run_whose_process_on_this_host_is_gone_ends_failed_at_once(
    session: Session, dead_pid: int, live_pid: int
) -> None:
    here = socket.gethostname()
    dead = running(session, here, dead_pid)
    alive = running(session, here, live_pid)
    mine = running(session, here, os.getpid())
    elsewhere = running(session, "another-host", dead_pid)  # only that host can tell
    reasons = end_dead_runs(session, JobCheck(None, ()))
    assert reasons == {
        dead: f"its process (pid {dead_pid} on {here}) ended without finishing the run"
    }
    session.expire_all()
    status = {r: session.get_one(DiscoveryRun, r).status for r in (dead, alive, mine, elsewhere)}
    assert status == {
        dead: RunStatus.FAILED,
        alive: RunStatus.RUNNING,
        mine: RunStatus.RUNNING,
        elsewhere: RunStatus.RUNNING,
    }
    assert session.get_one(DiscoveryRun, dead).error == reasons[dead]
    assert end_dead_runs(session, JobCheck(None, ())) == {}  # ended once


def test_a_reboot_ends_the_runs_of_the_boot_before_and_a_container_judges_its_own(
    session: Session, dead_pid: int, live_pid: int
) -> None:
    here, space = socket.gethostname(), this_space()
    assert space is not None, "Linux gives a boot id and a pid namespace"
    boot, namespace = space.split(" ")
    before_reboot = running(session, here, live_pid, f"not-{boot} {namespace}")  # pid reused
    in_a_container = running(session, here, dead_pid, f"{boot} pid:[1]")  # its own pids
    reasons = end_dead_runs(session, JobCheck(None, ()))
    assert reasons == {before_reboot: f"its machine restarted since (pid {live_pid} on {here})"}
    session.expire_all()
    assert session.get_one(DiscoveryRun, in_a_container).status is RunStatus.RUNNING


def test_a_claimed_run_names_its_process(session: Session) -> None:
    run_id = queued(session, "j")
    assert claim_run(session, run_id, "j")
    session.expire_all()
    run = session.get_one(DiscoveryRun, run_id)
    assert (run.status, run.runner_host, run.runner_pid, run.runner_space) == (
        RunStatus.RUNNING,
        socket.gethostname(),
        os.getpid(),
        this_space(),
    )


def test_queued_runs_are_left_to_their_jobs(session: Session, queue_name: str) -> None:
    connection = redis_or_fail()
    job = Queue(queue_name, connection=connection).enqueue("builtins.print", "x")
    in_queue = queued(session, job.id, age=timedelta(hours=1))
    handing_over = queued(session, "not-enqueued-yet")  # committed, the enqueue comes next
    lost = queued(session, "never-enqueued", age=timedelta(minutes=5))
    pending = queued(session, PENDING)  # a local job whose process is starting
    reasons = end_dead_runs(session, JobCheck(REDIS_URL, [queue_name]))
    assert reasons == {lost: "its job is no longer in Redis (Redis restarted, or the job expired)"}
    session.expire_all()
    for run_id in (in_queue, handing_over, pending):
        assert session.get_one(DiscoveryRun, run_id).status is RunStatus.QUEUED


def test_without_redis_rq_runs_are_left_as_they_are(session: Session) -> None:
    run_id = queued(session, "an-rq-job", age=timedelta(hours=1))
    unreachable = "redis://127.0.0.1:1/0"  # nothing listens: the sweep says so and goes on
    assert end_dead_runs(session, JobCheck(unreachable, ["headroom"])) == {}
    assert session.get_one(DiscoveryRun, run_id).status is RunStatus.QUEUED
