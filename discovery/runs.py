"""Bookkeeping shared by discovery and polls: a run's status, stats and end."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cmdb.choices import RunStatus
from cmdb.db import utcnow
from cmdb.models import DiscoveryRun
from discovery.records import TargetOutcome


def run_status(outcomes: Sequence[TargetOutcome]) -> RunStatus:
    """Succeeded when every target did; failed when none did; else partial."""
    statuses = {o.status for o in outcomes}
    if not outcomes or statuses == {RunStatus.SUCCEEDED}:
        return RunStatus.SUCCEEDED
    if statuses == {RunStatus.FAILED}:
        return RunStatus.FAILED
    return RunStatus.PARTIAL


def finish_run(
    run: DiscoveryRun,
    status: RunStatus,
    stats: dict[str, Any],
    outcomes: Sequence[TargetOutcome],
) -> None:
    run.status = status
    run.finished_at = utcnow()
    run.stats = {
        **stats,
        "targets": len(outcomes),
        "failed": sum(o.status == RunStatus.FAILED for o in outcomes),
        "requests": sum(o.requests for o in outcomes),
    }
    failures = [f"{o.target.address}: {o.error}" for o in outcomes if o.status == RunStatus.FAILED]
    run.error = "\n".join(failures[:50]) or None
