"""The discovery use case: ask the agents, plan against the inventory, apply the plan.

Network first, then one short pass over the database: the plan is computed from
what the inventory holds at that moment. ``dry_run`` computes and returns the
plan and writes nothing (the caller also rolls back).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from cmdb.choices import RunKind, RunStatus, Source
from cmdb.models import DiscoveryRun
from discovery.apply import apply_plan
from discovery.core.lifecycle import add_result, finish_run, new_run, start_run
from discovery.core.runs import RunVerdict, classify_attempts
from discovery.credentials import SnmpProfile
from discovery.inventory import load_known
from discovery.plan import Plan
from discovery.reconcile import PlanDefaults, plan_discovery
from discovery.records import Target, TargetOutcome
from discovery.snmp.collector import Limits, Progress, fetch_observation, run_fetch_all


@dataclass
class DiscoveryReport:
    plan: Plan
    outcomes: list[TargetOutcome]
    verdict: RunVerdict
    run_id: int | None = None

    @property
    def counts(self) -> dict[str, int]:
        """devices found / new / changed / failed, as the summary line shows them."""
        return {
            "found": sum(o.observation is not None for o in self.outcomes),
            "new": sum(p.action == "create" for p in self.plan.devices),
            "changed": sum(p.changed and p.action != "create" for p in self.plan.devices),
            "failed": sum(o.status == RunStatus.FAILED for o in self.outcomes),
            "links": len(self.plan.links),
        }


def collect(
    targets: Sequence[tuple[Target, SnmpProfile]], limits: Limits, progress: Progress | None = None
) -> list[TargetOutcome]:
    """The network phase alone (no database): one outcome per target."""
    return run_fetch_all(targets, fetch_observation, limits, progress)


def reconcile_outcomes(
    session: Session,
    outcomes: list[TargetOutcome],
    defaults: PlanDefaults,
    dry_run: bool = False,
    run: DiscoveryRun | None = None,
) -> DiscoveryReport:
    """Plan the outcomes against the inventory and, unless ``dry_run``, apply and record.

    ``run``: a run made beforehand (a background job's), finished here; else a new one.
    """
    observations = [o.observation for o in outcomes if o.observation is not None]
    plan = plan_discovery(load_known(session), observations, defaults)
    outcomes = [_refused(o, plan.errors) for o in outcomes]
    report = DiscoveryReport(
        plan, outcomes, verdict=classify_attempts([o.attempt for o in outcomes])
    )
    if dry_run:
        return report
    if run is None:
        run = start_run(session, new_run(source=Source.SNMP, kind=RunKind.DISCOVERY, target=""))
    run.target = _describe(outcomes)
    devices = apply_plan(session, plan, run)
    by_address = {p.observation.target.address: devices[p.key] for p in plan.devices}
    for o in outcomes:
        device = by_address.get(o.target.address)
        add_result(
            session,
            run,
            o.attempt,
            device_id=device.id if device else None,
            duration_ms=o.duration_s * 1000,
            requests=o.requests,
        )
    requests = sum(o.requests for o in outcomes)
    finish_run(run, report.verdict, stats={**report.counts, "requests": requests})
    session.flush()
    report.run_id = run.id
    return report


def _refused(outcome: TargetOutcome, errors: dict[str, str]) -> TargetOutcome:
    """An answered target the plan could not place (no site, identity clash) has failed."""
    error = errors.get(outcome.target.address)
    if error is None:
        return outcome
    return replace(outcome, status=RunStatus.FAILED, error=error)


def _describe(outcomes: Sequence[TargetOutcome]) -> str:
    addresses = [o.target.address for o in outcomes]
    text = ", ".join(addresses[:5])
    return text + (f" and {len(addresses) - 5} more" if len(addresses) > 5 else "")
