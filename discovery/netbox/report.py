"""What a sync did, as the run's stats and as lines a person reads (pure).

The core's plan names records by the core's kinds and observations by their labels
(``observe.label_of``); a person reads NetBox's names and the sync's kinds
(``devices``), so each is looked up in the mapped records it came from.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cmdb.choices import RunStatus
from discovery.core.known import Snapshot
from discovery.core.plan import Plan, Ref
from discovery.core.runs import Attempt
from discovery.netbox.failed import object_url
from discovery.netbox.observe import NAME_OF, label_of
from discovery.netbox.records import KINDS, Mapped, NbRecord

MAX_LISTED = 500  # not-seen rows kept in a run's stats (failures and skipped objects: all)


@dataclass(frozen=True)
class Planned:
    """A sync's plan with what it was made from: the mapped records and the inventory."""

    plan: Plan
    mapped: Mapped
    snapshot: Snapshot
    records: dict[str, NbRecord] = field(init=False)

    def __post_init__(self) -> None:
        records = {label_of(r): r for rs in self.mapped.records.values() for r in rs}
        object.__setattr__(self, "records", records)

    def attempts(self) -> list[Attempt]:
        """Every object mapped is an attempt; each one the plan refused, a failure."""
        refused = {r.label: r.reason for r in self.plan.refused}
        return [
            Attempt(_item(r), RunStatus.FAILED, refused[label])
            if label in refused
            else Attempt(_item(r), RunStatus.SUCCEEDED)
            for label, r in self.records.items()
        ]

    def label(self, ref: Ref) -> str:
        """A record of the plan as a person names it."""
        record = self.records.get(ref.new or "")
        return record.label if record is not None else f"#{ref.id}"


def _item(record: NbRecord) -> str:
    return f"{record.kind} {record.label}"


COUNT_WORDS = ("created", "updated", "unchanged", "failed", "incomplete", "skipped")


def counts(planned: Planned) -> dict[str, dict[str, int]]:
    """Per kind: created, updated, unchanged, failed (the CLI's and the run's words),
    incomplete: kept, but lacking what capacity counts with (among the other four), and
    skipped: read, but deliberately not stored (a console cable; apart from the others)."""
    plan = planned.plan
    tally: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
    for create in plan.creates:
        tally[NAME_OF[create.ref.kind]]["created"] += 1
    updated = {u.ref for u in plan.updates}
    for ref in updated:
        tally[NAME_OF[ref.kind]]["updated"] += 1
    for seen in plan.seen:
        if seen.ref.id is not None and seen.ref not in updated:
            tally[NAME_OF[seen.ref.kind]]["unchanged"] += 1
    refused = {r.label for r in plan.refused}
    for label in refused:
        tally[planned.records[label].kind]["failed"] += 1
    for label, record in planned.records.items():
        if record.incomplete and label not in refused:
            tally[record.kind]["incomplete"] += 1
    for skipped in planned.mapped.skipped:
        tally[skipped.kind]["skipped"] += 1
    return {kind: {word: c[word] for word in COUNT_WORDS} for kind, c in tally.items()}


def run_stats(planned: Planned, *, mode: str, base_url: str = "") -> dict[str, Any]:
    """Counts per kind, the failures with their reasons and NetBox pages (every one: the
    next incremental sync reads them again), the objects skipped with theirs (every one:
    a person sees what was not mapped and why), what NetBox no longer has, and the
    discrepancies the sync opens, revises or resolves (by action)."""
    refused = [(planned.records[r.label], r.reason) for r in planned.plan.refused]
    failures = [
        {
            "kind": r.kind,
            "external_id": r.external_id,
            "label": r.label,
            "reason": reason,
            "url": object_url(base_url, r.kind, r.external_id) if base_url else None,
        }
        for r, reason in refused
    ]
    refused_labels = {r.label for r in planned.plan.refused}
    incomplete = [
        {"kind": r.kind, "external_id": r.external_id, "label": r.label, "reason": r.incomplete}
        for label, r in planned.records.items()
        if r.incomplete and label not in refused_labels
    ]
    not_seen = _not_seen(planned)
    skipped = [
        {
            "kind": s.kind,
            "external_id": s.external_id,
            "label": s.label or s.external_id,
            "reason": s.reason,
            "url": object_url(base_url, s.kind, s.external_id) if base_url else None,
        }
        for s in planned.mapped.skipped
    ]
    return {
        "mode": mode,
        "kinds": counts(planned),
        "failures": failures,  # every one: the audit reads which objects were unmapped
        "incomplete_objects": incomplete[:MAX_LISTED],  # ("incomplete": the run's count)
        "not_seen": not_seen[:MAX_LISTED],
        "not_seen_count": len(not_seen),
        "skipped": skipped,  # every one, like the failures (not failures: the run succeeds)
        "discrepancies": dict(
            sorted(Counter(str(d.action) for d in planned.plan.discrepancies).items())
        ),
    }


def _not_seen(planned: Planned) -> list[dict[str, Any]]:
    by_ref = {Ref(r.kind, r.id): r for r in planned.snapshot.records}
    rows = []
    for gone in planned.plan.not_seen:
        mark = by_ref[gone.ref].mark(gone.source)
        rows.append(
            {
                "kind": NAME_OF[gone.ref.kind],
                "id": gone.ref.id,
                "external_id": mark.source_id if mark is not None else None,
                "last_seen_at": gone.since.isoformat(),
            }
        )
    return rows


def plan_lines(planned: Planned) -> list[str]:
    """One line per change the plan would make (``--dry-run``)."""
    plan = planned.plan
    lines = [f"create {create.ref.kind} {planned.label(create.ref)}" for create in plan.creates]
    names = {Ref(r.kind, r.id): r.name for r in planned.snapshot.records}
    for update in plan.updates:
        changes = [f"{c.field}: {c.before!r} → {c.after!r}" for c in update.changes]
        changes += [f"{column}: → new {ref.kind}" for column, ref in update.pending.items()]
        name = names.get(update.ref) or f"#{update.ref.id}"
        lines.append(f"update {update.ref.kind} {name} ({', '.join(changes)})")
    lines += [d.line() for d in plan.discrepancies]
    lines += [
        f"not seen by NetBox: {row['kind'][:-1]} #{row['id']} (NetBox {row['external_id']})"
        for row in _not_seen(planned)
    ]
    return lines
