"""A poll split across workers, on the database alone: the parent run follows its chunks.

Its progress is theirs, it ends with the last of them (succeeded / partial / failed),
a cancel ends it and every unfinished chunk, and the sweep never fails a parent whose
job is over while its chunks still run (the job's only work was to queue them).
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from cmdb.choices import RunKind, RunStatus, Source
from cmdb.models import DiscoveryRun
from cmdb.services.job_runs import fail_run
from cmdb.services.split_runs import combined_status, settle_parent
from discovery.core.lifecycle import end_dead_runs, queue_run
from web.jobs.actions import end_job


def split(session: Session, chunks: int) -> tuple[DiscoveryRun, list[DiscoveryRun]]:
    parent = queue_run(
        session,
        source=Source.SNMP,
        kind=RunKind.POLL,
        target="every discovered device",
        parameters={},
        requested_by="eng",
        job_id="parent-job",
    )
    parent.status, parent.progress_total = RunStatus.RUNNING, 10 * chunks
    parts = []
    for i in range(chunks):
        part = queue_run(
            session,
            source=Source.SNMP,
            kind=RunKind.POLL,
            target=f"part {i + 1}",
            parameters={"chunk_of": parent.id},
            requested_by="eng",
            job_id=f"part-job-{i}",
        )
        part.parent_id = parent.id
        parts.append(part)
    session.flush()
    return parent, parts


def succeed(session: Session, run: DiscoveryRun, done: int, samples: int) -> None:
    run.status, run.progress_done = RunStatus.SUCCEEDED, done
    run.stats = {"samples": samples, "requests": 2 * done, "attempted": done, "failed": 0}
    session.flush()
    settle_parent(session, run.parent_id)


def test_the_parent_sums_its_chunks_and_ends_with_the_last(session: Session) -> None:
    parent, (a, b) = split(session, 2)
    succeed(session, a, 10, 40)
    assert parent.status is RunStatus.RUNNING and parent.finished_at is None
    assert parent.progress_done == 10 and parent.progress_message == "1 of 2 jobs ended"
    succeed(session, b, 10, 38)
    assert parent.status is RunStatus.SUCCEEDED and parent.finished_at is not None
    assert parent.progress_done == parent.progress_total == 20
    assert parent.stats == {
        "samples": 78,
        "requests": 40,
        "attempted": 20,
        "failed": 0,
        "chunks": 2,
    }
    assert parent.error is None


def test_a_failed_chunk_makes_the_parent_partial_and_says_which(session: Session) -> None:
    parent, (a, b) = split(session, 2)
    succeed(session, a, 10, 40)
    assert fail_run(session, b.id, "the worker process ended unexpectedly")
    session.refresh(parent)
    assert parent.status is RunStatus.PARTIAL
    assert parent.error == (
        f"1 of 2 jobs failed; run {b.id}: the worker process ended unexpectedly"
    )


@pytest.mark.parametrize(
    ("statuses", "combined"),
    [
        ({RunStatus.SUCCEEDED}, RunStatus.SUCCEEDED),
        ({RunStatus.FAILED}, RunStatus.FAILED),
        ({RunStatus.SUCCEEDED, RunStatus.FAILED}, RunStatus.PARTIAL),
        ({RunStatus.PARTIAL}, RunStatus.PARTIAL),
    ],
)
def test_combined_status(statuses: set[RunStatus], combined: RunStatus) -> None:
    assert combined_status(sorted(statuses)) is combined


def test_cancelling_the_parent_ends_every_unfinished_chunk(session: Session) -> None:
    parent, (a, b, c) = split(session, 3)
    succeed(session, a, 10, 1)
    b.status = RunStatus.RUNNING
    session.flush()
    jobs = end_job(session, parent.id, "eng")
    assert jobs == ["parent-job", "part-job-1", "part-job-2"]  # the ended chunk is left be
    for run in (parent, b, c):
        session.refresh(run)
        assert run.status is RunStatus.FAILED
    assert parent.error == "cancelled by eng"
    assert b.error == c.error == f"cancelled by eng (with run {parent.id})"
    session.refresh(a)
    assert a.status is RunStatus.SUCCEEDED


def test_the_sweep_leaves_a_parent_to_its_chunks_and_settles_it_once_they_ended(
    session: Session,
) -> None:
    parent, (a,) = split(session, 1)
    a.status = RunStatus.RUNNING
    session.flush()

    def every_job_is_gone(run: DiscoveryRun) -> str:
        return "its job finished without ending the run"

    swept = end_dead_runs(session, every_job_is_gone)
    assert set(swept) == {a.id}  # the chunk's job is gone; the parent was not judged by its own
    session.refresh(parent)
    assert parent.status is RunStatus.FAILED  # …but by its only chunk, which failed
    assert (
        parent.error == f"1 of 1 jobs failed; run {a.id}: its job finished without ending the run"
    )
