"""What the CLI prints: the plan (``--dry-run``), the per-device JSON rows, the summary.

Pure formatting of plain records; no secret is ever part of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from discovery.plan import NONE, Plan
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
                "model": obs.chassis.model if obs and obs.chassis else None,
                "serial": obs.chassis.serial if obs and obs.chassis else None,
                "interfaces": len(obs.interfaces) if obs else 0,
                "neighbours": len(obs.neighbours) if obs else 0,
                "error": o.error,
            }
        )
    return rows


def plan_lines(plan: Plan) -> Iterator[str]:
    """The plan, one change a line, as ``--dry-run`` prints it."""
    for d in plan.devices:
        if not d.changed:
            continue
        what = f"device {d.key} ({d.observation.target.address})"
        yield f"{d.action} {what}" + (f", matched by {d.matched_by}" if d.matched_by else "")
        for c in d.changes:
            yield f"    {c.field}: {c.old!r} -> {c.new!r}"
        for i in d.interfaces:
            if i.action != NONE:
                fields = ", ".join(c.field for c in i.changes)
                yield f"    {i.action} interface {i.name}" + (f" ({fields})" if fields else "")
        for x in d.discrepancies:
            where = f"interface {x.interface_name} " if x.interface_name else ""
            yield f"    discrepancy {where}{x.field}: inventory {x.inventory!r}, snmp {x.snmp!r}"
    for lk in plan.links:
        yield f"{lk.action} link {lk.name} ({lk.network}, {lk.port_speed_mbps or '?'} Mbps)"
    for address, error in plan.errors.items():
        yield f"skip {address}: {error}"
    if plan.is_empty and not plan.errors:
        yield "no change"


def summary_line(counts: dict[str, int]) -> str:
    return (
        f"devices found {counts['found']}, new {counts['new']}, changed {counts['changed']}, "
        f"failed {counts['failed']}; links new or completed {counts['links']}"
    )
