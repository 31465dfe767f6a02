"""What a sync did, as the run's stats and as lines a person reads (pure)."""

from __future__ import annotations

from typing import Any

from discovery.netbox.plan import CREATE, FAILED, UPDATE, SyncPlan

MAX_LISTED = 500  # failures, not-seen rows and skipped objects kept in a run's stats


def run_stats(plan: SyncPlan, *, mode: str) -> dict[str, Any]:
    """Counts per kind, the failures with their reasons, and what NetBox no longer has."""
    failures = [
        {
            "kind": a.kind,
            "external_id": a.record.external_id,
            "label": a.record.label,
            "reason": a.reason,
        }
        for acts in plan.actions.values()
        for a in acts
        if a.action == FAILED
    ]
    not_seen = [
        {
            "kind": n.kind,
            "id": n.row_id,
            "external_id": n.external_id,
            "last_seen_at": n.last_seen_at.isoformat() if n.last_seen_at else None,
        }
        for n in plan.not_seen
    ]
    skipped = [
        {"kind": s.kind, "external_id": s.external_id, "reason": s.reason} for s in plan.skipped
    ]
    return {
        "mode": mode,
        "kinds": plan.counts(),
        "failures": failures[:MAX_LISTED],
        "not_seen": not_seen[:MAX_LISTED],
        "not_seen_count": len(not_seen),
        "skipped": skipped[:MAX_LISTED],
    }


def plan_lines(plan: SyncPlan) -> list[str]:
    """One line per change the plan would make (``--dry-run``)."""
    lines = []
    for kind, acts in plan.actions.items():
        for a in acts:
            if a.action == CREATE:
                lines.append(f"create {kind[:-1]} {a.record.label}")
            elif a.action == UPDATE:
                changes = ", ".join(
                    f"{k}: {a.before.get(k)!r} → {v!r}" for k, v in a.values.items()
                )
                lines.append(f"update {kind[:-1]} {a.record.label} ({changes})")
    lines += [
        f"not seen by NetBox: {n.kind[:-1]} #{n.row_id} (NetBox {n.external_id})"
        for n in plan.not_seen
    ]
    return lines
