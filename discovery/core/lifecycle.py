"""Every run's life, in one place: started (or queued and claimed), counted, finished,
and ended failed when the process running it died (issue 17, DESIGN §3).

Every kind goes through here — SNMP discovery, poll, NetBox sync and push, Ansible fact
sync, audit — whoever runs it (a ``cmdb`` command, a local job, an RQ work horse):

- ``new_run`` + ``start_run`` / ``queue_run`` + ``claim_run``: the row, with the process
  that runs it (``runner_host``, ``runner_pid``) — a command's or a job's process, never
  a request's;
- ``add_result``: one target's or object's result, with its reason when it failed;
- ``finish_run``: the verdict of ``discovery.core.runs.classify_run`` (or of
  ``classify_attempts``) — succeeded, partial (every failure listed, no cap) or
  failed — as the run's status, error and stats;
- ``end_dead_runs``: the sweep. A running run whose process was on this host and is
  no longer alive ends failed at once, with the reason; elsewhere the caller's job
  check decides (an RQ job that is no longer started). A run merely queued is never
  ended for want of a process: only when its job is provably over.

Like the writer, it works in the caller's session and never commits.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import RunKind, RunStatus, Source
from cmdb.db import utcnow
from cmdb.models import DiscoveryResult, DiscoveryRun
from cmdb.services.job_runs import UNFINISHED, claim_queued, fail_run
from cmdb.services.split_runs import settle_parent, split_parents
from discovery.core.runs import Attempt, Failure, RunVerdict, classify_attempts

MAX_TARGET = 300  # DiscoveryRun.target's length
MAX_ADDRESS = 80  # DiscoveryResult.address's length
BOOT_ID = "/proc/sys/kernel/random/boot_id"  # new at every boot
PID_NAMESPACE = "/proc/self/ns/pid"  # a container's own pids

# Why a background run's job is over (its id is on the run), or None while it may go on.
JobCheck = Callable[[DiscoveryRun], "str | None"]


def this_host() -> str:
    return socket.gethostname()


def this_space() -> str | None:
    """This host's boot and pid namespace ("<boot id> <pid:[inode]>"), where Linux says."""
    try:
        with open(BOOT_ID, encoding="ascii") as boot:
            return f"{boot.read().strip()} {os.readlink(PID_NAMESPACE)}"[:80]
    except OSError:
        return None


def this_runner() -> dict[str, str | int | None]:
    """The ``runner_*`` columns of a run this process runs."""
    return {"runner_host": this_host(), "runner_pid": os.getpid(), "runner_space": this_space()}


def new_run(
    *,
    source: Source,
    kind: RunKind,
    target: str,
    requested_by: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    owned: bool = True,
) -> DiscoveryRun:
    """A run running now, not added to any session (a dry run keeps it so).

    ``owned``: this process runs it to its end (its host and pid are recorded, so a
    sweep can tell when it died). A run driven from outside over the API — the
    fact-sync playbook's, spanning many requests — is not: no request's process is
    its runner (a web worker recycled would otherwise end it)."""
    return DiscoveryRun(
        source=source,
        kind=kind,
        target=target[:MAX_TARGET],
        status=RunStatus.RUNNING,
        started_at=utcnow(),
        requested_by=requested_by,
        parameters=dict(parameters or {}),
        stats={},
        **(this_runner() if owned else {}),
    )


def start_run(session: Session, run: DiscoveryRun) -> DiscoveryRun:
    """``run`` (``new_run``'s) stored: flushed, so its id is known; not committed."""
    session.add(run)
    session.flush()
    return run


def queue_run(
    session: Session,
    *,
    source: Source,
    kind: RunKind,
    target: str,
    parameters: Mapping[str, Any],
    requested_by: str,
    job_id: str,
) -> DiscoveryRun:
    """A background job's run, queued: no process runs it until one claims it."""
    run = DiscoveryRun(
        source=source,
        kind=kind,
        target=target[:MAX_TARGET],
        status=RunStatus.QUEUED,
        parameters=dict(parameters),
        requested_by=requested_by,
        job_id=job_id,
        stats={},
    )
    session.add(run)
    session.flush()
    return run


def claim_run(session: Session, run_id: int, job_id: str | None = None) -> bool:
    """queued → running, now, in this process; False when it is no longer queued."""
    return claim_queued(session, run_id, this_runner(), job_id)


def add_result(
    session: Session,
    run: DiscoveryRun,
    attempt: Attempt,
    *,
    device_id: int | None = None,
    duration_ms: float = 0.0,
    requests: int = 0,
) -> None:
    """One target's or object's result row, with its reason when it failed."""
    session.add(
        DiscoveryResult(
            run=run,
            address=attempt.item[:MAX_ADDRESS],
            status=attempt.status,
            error=attempt.error,
            duration_ms=duration_ms,
            requests=requests,
            device_id=device_id,
        )
    )


def finish_run(
    run: DiscoveryRun, verdict: RunVerdict, *, stats: Mapping[str, Any] | None = None
) -> RunVerdict:
    """End ``run`` with ``verdict`` (``runs.classify_run``'s): status, every failure, stats."""
    run.status = verdict.status
    run.finished_at = utcnow()
    run.error = verdict.error
    run.stats = {
        **(stats or {}),
        "attempted": verdict.attempted,
        "failed": len(verdict.failures),
        "incomplete": len(verdict.incomplete),
    }
    return verdict


def finish_from_results(
    session: Session,
    run: DiscoveryRun,
    missing: Sequence[Failure] = (),
    *,
    stats: Mapping[str, Any] | None = None,
) -> RunVerdict:
    """End a run whose attempts are its result rows — one driven from outside, whose
    results came one request at a time — plus ``missing``: what its driver says failed
    without a row (hosts that gave no facts). An item with a row keeps the row's reason."""
    results = session.scalars(
        sa.select(DiscoveryResult)
        .where(DiscoveryResult.run_id == run.id)
        .order_by(DiscoveryResult.id)
    ).all()
    attempts = [Attempt(r.address, r.status, r.error) for r in results]
    known = {r.address for r in results}
    for failure in missing:
        if failure.item[:MAX_ADDRESS] not in known:
            known.add(failure.item[:MAX_ADDRESS])
            attempts.append(Attempt(failure.item, RunStatus.FAILED, failure.reason))
    return finish_run(run, classify_attempts(attempts), stats=stats)


WHOLE = "full"  # stats["mode"] of a run that read everything of its kinds (a full sync)


def last_completed_run(
    session: Session, source: Source, kind: RunKind, *, whole: bool = False
) -> DiscoveryRun | None:
    """The latest run of ``source`` and ``kind`` that wrote what it read: succeeded or
    partial, not a dry run. ``whole``: only one that read everything of its kinds
    (stats ``mode`` "full"; a run from before modes were recorded read everything).

    What it read is what it may conclude from: an incremental sync read what changed,
    so only a whole one may say that an object it did not see is gone."""
    dry = sa.func.coalesce(DiscoveryRun.parameters["dry_run"].as_boolean(), sa.false())
    stmt = sa.select(DiscoveryRun).where(
        DiscoveryRun.source == source,
        DiscoveryRun.kind == kind,
        DiscoveryRun.status.in_((RunStatus.SUCCEEDED, RunStatus.PARTIAL)),
        dry == sa.false(),
    )
    if whole:
        mode = sa.func.coalesce(DiscoveryRun.stats["mode"].as_string(), WHOLE)
        stmt = stmt.where(mode == WHOLE)
    return session.scalars(stmt.order_by(DiscoveryRun.started_at.desc()).limit(1)).first()


def end_dead_runs(session: Session, job_check: JobCheck | None = None) -> dict[int, str]:
    """End failed every unfinished run whose process or job is provably gone; why, by run.

    Each ends only from the status it was judged in: a queued run claimed meanwhile (its
    process has just started) is left to that process."""
    reasons: dict[int, str] = {}
    runs = _unfinished(session)
    parents = split_parents(session, [run.id for run in runs])
    for run in runs:
        if run.id in parents:  # its job only queued its chunks: their ends are its end
            settle_parent(session, run.id)
            continue
        why = _dead(run, job_check)
        if why is not None and fail_run(session, run.id, why, (run.status,)):
            reasons[run.id] = why
    return reasons


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def _dead(run: DiscoveryRun, job_check: JobCheck | None) -> str | None:
    pid, host = run.runner_pid, run.runner_host
    if run.status is RunStatus.RUNNING and pid is not None and host == this_host():
        return _gone_here(pid, host, run.runner_space)
    if run.job_id is not None and job_check is not None:
        return job_check(run)
    return None  # a command's run on another host: only that host can tell


def _gone_here(pid: int, host: str, space: str | None) -> str | None:
    """Why the runner ``pid`` on this host is gone, or None while it may still run."""
    here = this_space()
    if space and here and space != here:
        if space.split(" ")[0] != here.split(" ")[0]:
            return f"its machine restarted since (pid {pid} on {host})"
        return None  # another pid namespace (a container) of this machine: it judges its own
    if pid == os.getpid() or process_alive(pid):
        return None  # its process is here and alive: the run goes on
    return f"its process (pid {pid} on {host}) ended without finishing the run"


def _unfinished(session: Session) -> list[DiscoveryRun]:
    stmt = sa.select(DiscoveryRun).where(DiscoveryRun.status.in_(UNFINISHED))
    return list(session.scalars(stmt.order_by(DiscoveryRun.id)))
