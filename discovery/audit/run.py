"""One audit, recorded as a ``DiscoveryRun`` of kind ``audit`` with its counts as stats.

The run's source is ``manual``: the audit observes nothing itself, it compares what
the other sources observed, at a person's (or a schedule's) request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from cmdb.choices import RunKind, Source
from cmdb.db import utcnow
from cmdb.models import DiscoveryRun
from discovery.audit.compare import compare_all
from discovery.audit.load import load_context, load_unsettled, load_views
from discovery.audit.settings import AuditSettings
from discovery.audit.settle import ENGINE_KINDS, AuditCounts, plan_findings
from discovery.core.lifecycle import finish_run, new_run, start_run
from discovery.core.runs import RunVerdict, classify_run
from discovery.core.writer import apply_discrepancies


@dataclass(frozen=True)
class AuditResult:
    run: DiscoveryRun
    counts: AuditCounts
    records: int  # devices, interfaces and links compared
    verdict: RunVerdict


def run_audit(
    session: Session,
    settings: AuditSettings | None = None,
    *,
    requested_by: str | None = None,
    now: datetime | None = None,
) -> AuditResult:
    """Compare every record's sources and bring the discrepancies in line; does not commit."""
    settings = settings or AuditSettings()
    now = now or utcnow()
    run = start_run(
        session,
        new_run(
            source=Source.MANUAL,
            kind=RunKind.AUDIT,
            target="inventory",
            requested_by=requested_by,
            parameters={
                "silent_after_days": settings.silent_after_days,
                "answering_statuses": sorted(settings.answering_statuses),
            },
        ),
    )
    run.started_at = now
    views = load_views(session)
    ctx = load_context(session, now)
    findings = compare_all(views, ctx, settings)
    changes, counts = plan_findings(findings, load_unsettled(session, ENGINE_KINDS))
    apply_discrepancies(session, changes, now)
    run.progress_done = run.progress_total = len(views)
    stats = {"records": len(views), "findings": len(findings), **counts.as_dict()}
    verdict = finish_run(run, classify_run(len(views), ()), stats=stats)
    session.flush()
    return AuditResult(run=run, counts=counts, records=len(views), verdict=verdict)
