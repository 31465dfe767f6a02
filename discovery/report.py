"""What the CLI prints: the plan (``--dry-run``), the per-device JSON rows, the summary.

Pure formatting of plain records; no secret is ever part of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from discovery.core.plan import Create, Plan, Ref
from discovery.records import TargetOutcome


def device_rows(outcomes: Sequence[TargetOutcome]) -> list[dict[str, Any]]:
    """One row per target, in the shape ``--json`` promises."""
    rows = []
    for o in outcomes:
        obs = o.observation
        rows.append(
            {
                "address": o.target.address,
                "status": str(o.status),
                "sys_name": obs.system.name if obs else None,
                "vendor": obs.vendor if obs else None,
                "model": obs.chassis.model if obs and obs.chassis else None,
                "serial": obs.chassis.serial if obs and obs.chassis else None,
                "interfaces": len(obs.interfaces) if obs else 0,
                "neighbours": len(obs.neighbours) if obs else 0,
                "error": o.error,
                "warnings": list(o.warnings),
            }
        )
    return rows


def plan_lines(plan: Plan) -> Iterator[str]:
    """The plan, one change a line, as ``--dry-run`` prints it: created records with
    their values (and their parts), updates with before and after, discrepancies,
    records not seen where the run looked, refused observations."""
    parts: dict[Ref, list[Create]] = {}
    for create in plan.creates:
        if create.parent is not None:
            parts.setdefault(create.parent, []).append(create)
    for create in plan.creates:
        if create.parent is None:
            yield f"create {create.ref.kind} new:{create.ref.new}"
            yield from (f"    {k}: None -> {v!r}" for k, v in create.values.items())
        elif create.parent.id is None:
            continue  # listed under its new host
        else:
            yield f"create {create.ref.kind} {create.values.get('name')} on {create.parent}"
        for part in parts.get(create.ref, []) if create.parent is None else ():
            yield f"    create {part.ref.kind} {part.values.get('name')}"
    for update in plan.updates:
        yield f"update {update.ref}"
        yield from (f"    {c.field}: {c.before!r} -> {c.after!r}" for c in update.changes)
    yield from (d.line() for d in plan.discrepancies)
    for gone in plan.not_seen:
        yield f"{gone.ref}: not seen by {gone.source} since {gone.since:%Y-%m-%d %H:%M}"
    for refused in plan.refused:
        yield f"skip {refused.label}: {refused.reason}"
    if plan.is_empty and not plan.refused:
        yield "no change"


def summary_line(counts: dict[str, int]) -> str:
    return (
        f"devices found {counts['found']}, new {counts['new']}, changed {counts['changed']}, "
        f"failed {counts['failed']}; links new or completed {counts['links']}"
    )
