"""Finished runs in the shape ``discovery.core.lifecycle`` leaves them, for the demo.

cmdb may not import discovery (the layer contract in pyproject), so the demo cannot call
``new_run`` / ``add_result`` / ``finish_run``; this module writes the same rows: the run
with its status, its stored error (``RunVerdict.error``: the summary line, then every
failure on a line of its own) and its stats (``attempted``, ``failed``, ``incomplete``
after the kind's own counts), one ``DiscoveryResult`` per target or object, and an
``Observation`` per record seen in the writer's shape (``{"fields": …, "matched_by": …}``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from cmdb.choices import RunKind, RunStatus, Source
from cmdb.models import DiscoveryResult, DiscoveryRun, Observation


@dataclass(frozen=True)
class Target:
    """One attempt of a run: its item (address, host, object), how it went and why."""

    item: str
    status: RunStatus = RunStatus.SUCCEEDED
    error: str | None = None
    device_id: int | None = None
    duration_ms: float = 0.0
    requests: int = 0


@dataclass(frozen=True)
class Seen:
    """A record a run observed, and what the source said of it."""

    object_type: str
    object_id: int
    fields: Mapping[str, Any]
    matched_by: str
    external_id: str | None = None


@dataclass(frozen=True)
class RunSpec:
    """Everything one demo run is made of."""

    source: Source
    kind: RunKind
    target: str
    started_at: datetime
    seconds: float
    targets: Sequence[Target] = ()
    seen: Sequence[Seen] = ()
    stats: Mapping[str, Any] = field(default_factory=dict)
    parameters: Mapping[str, Any] = field(default_factory=dict)
    requested_by: str | None = None
    fatal: str | None = None  # what stopped the whole run
    records: int | None = None  # attempted without a result row each (the audit's records)


def write_run(session: Session, spec: RunSpec) -> DiscoveryRun:
    """The finished run, its results and its observations (flushed, not committed)."""
    status, error = verdict(spec.targets, spec.fatal)
    attempted = len(spec.targets) if spec.records is None else spec.records
    failed = [t for t in spec.targets if t.status is RunStatus.FAILED]
    incomplete = [t for t in spec.targets if t.status is RunStatus.PARTIAL]
    run = DiscoveryRun(
        source=spec.source,
        kind=spec.kind,
        target=spec.target,
        status=status,
        started_at=spec.started_at,
        finished_at=spec.started_at + timedelta(seconds=spec.seconds),
        requested_by=spec.requested_by,
        parameters=dict(spec.parameters),
        error=error,
        progress_done=attempted,
        progress_total=attempted,
        stats={
            **spec.stats,
            "attempted": attempted,
            "failed": len(failed),
            "incomplete": len(incomplete),
        },
    )
    session.add(run)
    session.flush()
    session.add_all(_result(run, target) for target in spec.targets)
    session.add_all(_observation(run, seen) for seen in spec.seen)
    return run


def verdict(targets: Sequence[Target], fatal: str | None) -> tuple[RunStatus, str | None]:
    """``classify_attempts`` and ``RunVerdict.error``, over the demo's targets."""
    failures = [t for t in targets if t.status is RunStatus.FAILED]
    incomplete = [t for t in targets if t.status is RunStatus.PARTIAL]
    lines = [f"{t.item}: {t.error or t.status.value}" for t in (*failures, *incomplete)]
    if fatal is not None:
        return RunStatus.FAILED, "\n".join([f"failed: {fatal}", *lines])
    if targets and len(failures) == len(targets):
        status = RunStatus.FAILED
    elif failures or incomplete:
        status = RunStatus.PARTIAL
    else:
        return RunStatus.SUCCEEDED, None
    counts = f"{len(failures)} failed"
    if incomplete:
        counts += f", {len(incomplete)} incomplete"
    done = len(targets) - len(failures)
    summary = f"{status.value}: {done} of {len(targets)} done, {counts} ({lines[0]})"
    return status, "\n".join([summary, *lines])


def _result(run: DiscoveryRun, target: Target) -> DiscoveryResult:
    return DiscoveryResult(
        run=run,
        address=target.item[:80],
        status=target.status,
        error=target.error,
        duration_ms=target.duration_ms,
        requests=target.requests,
        device_id=target.device_id,
    )


def _observation(run: DiscoveryRun, seen: Seen) -> Observation:
    return Observation(
        run=run,
        object_type=seen.object_type,
        object_id=seen.object_id,
        external_id=seen.external_id,
        data={"fields": dict(seen.fields), "matched_by": seen.matched_by},
        observed_at=run.started_at,
    )
