"""The push's side of the core, over a hand-built snapshot: candidates are the records SNMP
saw and NetBox has no mark on; what the push created comes back as NetBox's observations,
which the core's plan marks seen by NetBox under the new ids — and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime

from cmdb.choices import Source
from discovery.core.coverage import Coverage
from discovery.core.known import KnownRecord, Snapshot, SourceMark
from discovery.core.observations import RecordKind
from discovery.core.plan import Ref
from discovery.core.planner import plan_observations
from discovery.netbox.push_store import Pushed, push_candidates, pushed_observations

DEVICE, INTERFACE, SITE = RecordKind.DEVICE, RecordKind.INTERFACE, RecordKind.SITE
AT = datetime(2026, 11, 2, tzinfo=UTC)


def marks(**by: str) -> tuple[SourceMark, ...]:
    return tuple(SourceMark(Source(source), id, AT) for source, id in by.items())


def record(
    kind: RecordKind, id: int, name: str, parent: int | None = None, **by: str
) -> KnownRecord:
    values = {"site_id": 1} if kind is DEVICE else {}
    return KnownRecord(id, kind, name=name, parent_id=parent, values=values, marks=marks(**by))


SNAPSHOT = Snapshot(
    (
        record(SITE, 1, "ttdl", netbox="31"),
        record(DEVICE, 10, "fw-01", snmp="10.49.0.1:161"),  # NetBox lacks it
        record(INTERFACE, 11, "eth1", 10, snmp="1"),
        record(INTERFACE, 12, "eth2", 10),  # SNMP never saw it: still goes with its device
        record(DEVICE, 20, "core-sw-01", snmp="10.49.0.2:161", netbox="7"),
        record(INTERFACE, 21, "Gi1/0/1", 20, snmp="1", netbox="70"),
        record(INTERFACE, 22, "Gi1/0/48", 20, snmp="48"),  # NetBox lacks this port
        record(DEVICE, 30, "documented", snmp="10.49.0.3:161", netbox="8"),
        record(DEVICE, 40, "netbox-only", netbox="9"),
    )
)


def test_candidates_are_what_snmp_saw_and_netbox_has_no_mark_on() -> None:
    found = push_candidates(SNAPSHOT)
    assert [(c.name, c.netbox_id, c.site_netbox_id) for c in found] == [
        ("core-sw-01", "7", "31"),
        ("fw-01", None, "31"),
    ]
    core, fw = found
    assert [i.name for i in core.interfaces] == ["Gi1/0/48"]
    assert [i.name for i in fw.every_interface] == ["eth1", "eth2"]


def test_what_was_created_is_marked_seen_by_netbox_under_its_new_id() -> None:
    candidates = push_candidates(SNAPSHOT)
    pushed = Pushed(devices={10: "101"}, interfaces={11: "1011", 12: "1012", 22: "701"})
    created = pushed_observations(candidates, pushed, AT)
    observations = [o for found in created.values() for o in found]
    plan = plan_observations(observations, SNAPSHOT, Coverage(Source.NETBOX))
    assert not (plan.creates or plan.updates or plan.discrepancies or plan.refused)
    assert not plan.not_seen
    assert sorted((s.ref.kind, s.ref.id, s.source_id, s.new_mark) for s in plan.seen) == [
        (DEVICE, 10, "101", True),
        (INTERFACE, 11, "1011", True),
        (INTERFACE, 12, "1012", True),
        (INTERFACE, 22, "701", True),
    ]
    assert {s.ref for s in plan.seen if s.ref.kind is DEVICE} == {Ref(DEVICE, 10)}
