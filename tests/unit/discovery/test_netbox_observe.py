"""NetBox's records through the adapter (``observe``) and the core's planner, over
hand-built inventories: identity, who wins a field, references, links, absence.

What ``tests/unit/discovery/test_netbox_plan.py`` asserted of the NetBox planner it
replaces, asserted of the core (the record ids and the words are the core's).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cmdb.choices import Source
from discovery.core.identity import MatchedBy
from discovery.core.known import KnownRecord, Snapshot, SourceMark
from discovery.core.observations import Endpoint, FactValue, RecordKind
from discovery.core.plan import Change, Plan, Ref
from discovery.core.planner import plan_observations
from discovery.netbox.observe import coverage_of, observe_all
from discovery.netbox.records import Mapped, NbRecord, Skipped
from discovery.netbox.records import Ref as NbRef
from discovery.netbox.report import Planned, counts, run_stats
from tests.unit.discovery.core.memory import apply_in_memory

SEEN = datetime(2026, 11, 1, tzinfo=UTC)
SITE, DEVICE, LINK = RecordKind.SITE, RecordKind.DEVICE, RecordKind.LINK
UNIT, INTERFACE = RecordKind.ADMIN_UNIT, RecordKind.INTERFACE


def _device(ext: str = "11", **fields: object) -> NbRecord:
    values = {"name": "esx-01", "serial": "SN1", "status": "active", "cores": 64} | fields
    return NbRecord(
        "devices",
        ext,
        str(values["name"]),
        fields=values,
        defaults={"role": "other"},
        refs={"site_id": NbRef("sites", "1")},
    )


def _known(
    record_kind: RecordKind,
    record_id: int,
    netbox: str | None = None,
    others: tuple[Source, ...] = (),
    **values: FactValue,
) -> KnownRecord:
    marks = [SourceMark(Source.NETBOX, netbox, SEEN)] if netbox is not None else []
    marks += [SourceMark(source, None, SEEN) for source in others]
    name, serial, address = (
        values.get("name"),
        values.get("serial"),
        values.get("management_address"),
    )
    return KnownRecord(
        record_id,
        record_kind,
        name=name if isinstance(name, str) else None,
        serial=serial if isinstance(serial, str) else None,
        address=Endpoint(address) if isinstance(address, str) else None,
        values={"id": record_id, **values},
        marks=tuple(marks),
    )


def _site(record_id: int = 5, netbox: str | None = "1", kind: str = "agency_office") -> KnownRecord:
    return _known(SITE, record_id, netbox, slug=f"s{record_id}", kind=kind)


def _device_row(
    netbox: str | None = "11", others: tuple[Source, ...] = (), **values: FactValue
) -> KnownRecord:
    base: dict[str, FactValue] = {"name": "esx-01", "serial": "SN1", "status": "active"}
    return _known(DEVICE, 7, netbox, others, **(base | {"cores": 64, "site_id": 5} | values))


def _mapped(records: list[NbRecord], **kw: object) -> Mapped:
    mapped = Mapped(**kw)  # type: ignore[arg-type]
    for record in records:
        mapped.add(record)
    return mapped


def _plan(records: list[NbRecord], known: list[KnownRecord], **kw: object) -> Plan:
    mapped = _mapped(records, **kw)
    return plan_observations(observe_all(mapped, SEEN), Snapshot(tuple(known)), coverage_of(mapped))


def _counts(records: list[NbRecord], known: list[KnownRecord]) -> dict[str, int]:
    mapped = _mapped(records)
    plan = plan_observations(observe_all(mapped, SEEN), Snapshot(tuple(known)), coverage_of(mapped))
    return counts(Planned(plan, mapped, Snapshot(tuple(known))))["devices"]


def test_unknown_device_is_created_with_defaults_and_resolved_site() -> None:
    (create,) = _plan([_device()], [_site()]).creates
    assert create.values["site_id"] == 5 and create.values["role"] == "other"


def test_same_values_are_unchanged() -> None:
    assert _counts([_device()], [_site(), _device_row()]) == {
        "created": 0,
        "updated": 0,
        "unchanged": 1,
        "failed": 0,
        "incomplete": 0,
        "skipped": 0,
    }


def test_netbox_only_row_takes_netboxs_observed_facts() -> None:
    (update,) = _plan([_device(serial="SN2")], [_site(), _device_row()]).updates
    assert update.changes == (Change("serial", "SN1", "SN2"),)


def test_row_snmp_also_sees_keeps_its_observed_facts_but_takes_declared_ones() -> None:
    known = [_site(), _device_row(others=(Source.SNMP,))]
    (update,) = _plan([_device(serial="SN2", cores=32, status="offline")], known).updates
    assert update.changes == (Change("status", "active", "offline"),)  # serial, cores stay


def test_default_never_overwrites_and_empty_value_is_filled() -> None:
    known = [_site(), _device_row(others=(Source.SNMP,), role="switch", cores=None)]
    (update,) = _plan([_device()], known).updates
    assert update.changes == (Change("cores", None, 64),)


@pytest.mark.parametrize(
    ("row_values", "matched_by"),
    [
        ({"serial": "SN1"}, MatchedBy.SERIAL),
        ({"serial": None, "management_address": "10.0.0.1"}, MatchedBy.ADDRESS),
        ({"serial": None, "name": "ESX-01.ttdl.local"}, MatchedBy.HOSTNAME),
    ],
)
def test_device_without_netbox_id_is_matched_by_serial_address_then_hostname(
    row_values: dict[str, FactValue], matched_by: MatchedBy
) -> None:
    row = _device_row(netbox=None, others=(Source.SNMP,), **row_values)
    record = _device(management_address="10.0.0.1")
    (seen,) = _plan([record], [_site(), row]).seen
    assert seen.ref == Ref(DEVICE, 7) and seen.new_mark
    # the core names the key that holds in the inventory as the run leaves it: the
    # serial NetBox fills, once filled, when that is what NetBox brought
    assert seen.matched_by in (matched_by, MatchedBy.SERIAL)


def test_row_claimed_by_another_netbox_id_is_not_matched() -> None:
    plan = _plan([_device()], [_site(), _device_row(netbox="99")])
    assert [c.ref.kind for c in plan.creates] == [DEVICE]


def test_unknown_or_failed_reference_fails_the_record_with_reason() -> None:
    (refused,) = _plan([_device()], []).refused
    assert refused.reason == "its site 1 is unknown to Headroom"
    bad_site = NbRecord("sites", "1", "X", error="site 'X' has no region, group or code")
    assert [r.reason for r in _plan([bad_site, _device()], []).refused] == [
        "site 'X' has no region, group or code",
        "its site 1 failed: site 'X' has no region, group or code",
    ]


def test_new_parent_unit_of_the_same_sync_is_pending() -> None:
    province = NbRecord("admin_units", "region:1", "49", fields={"code": "49"})
    district = NbRecord(
        "admin_units",
        "region:2",
        "509",
        fields={"code": "509"},
        refs={"parent_id": NbRef("admin_units", "region:1")},
    )
    first, second = _plan([province, district], []).creates
    assert second.pending == {"parent_id": first.ref}


def test_link_is_turned_so_its_b_end_is_the_data_centre() -> None:
    dc, commune = _site(1, "1", "data_centre"), _site(2, "2", "commune_office")
    link = NbRecord(
        "links",
        "circuit:7",
        "C7",
        fields={"name": "C7", "circuit_id": "C7", "commit_rate_mbps": 100.0},
        refs={"a_site_id": NbRef("sites", "1"), "b_site_id": NbRef("sites", "2")},
    )
    (create,) = _plan([link], [dc, commune]).creates
    assert (create.values["a_site_id"], create.values["b_site_id"]) == (2, 1)


def _cable(**fields: object) -> NbRecord:
    return NbRecord(
        "links",
        "cable:4",
        "cable:4",
        fields={"name": "cable:4", "network": "lan"} | fields,
        refs={
            "a_site_id": NbRef("sites", "1"),
            "b_site_id": NbRef("sites", "1"),
            "a_interface_id": NbRef("interfaces", "21"),
            "b_interface_id": NbRef("interfaces", "22"),
        },
    )


CABLE_KNOWN = [
    _site(1, "1", "data_centre"),
    _known(INTERFACE, 31, "21", name="if31"),
    _known(INTERFACE, 32, "22", name="if32"),
]


def test_cable_inside_the_dc_is_created_between_its_interfaces_unturned() -> None:
    (create,) = _plan([_cable(port_speed_mbps=10000.0)], CABLE_KNOWN).creates
    assert (create.values["a_site_id"], create.values["b_site_id"]) == (1, 1)
    assert (create.values["a_interface_id"], create.values["b_interface_id"]) == (31, 32)


def test_new_link_without_any_capacity_fails_instead_of_breaking_the_write() -> None:
    (refused,) = _plan([_cable()], CABLE_KNOWN).refused
    assert "port speed" in refused.reason


def test_cable_matches_the_link_snmp_found_between_the_same_interfaces_either_way_round() -> None:
    found = _known(
        LINK,
        9,
        None,
        (Source.SNMP,),
        name="lldp",
        network="lan",
        a_site_id=1,
        b_site_id=1,
        a_interface_id=32,
        b_interface_id=31,
        port_speed_mbps=10000.0,
    )
    plan = _plan([_cable(port_speed_mbps=10000.0)], [*CABLE_KNOWN, found])
    (seen,) = plan.seen
    assert (seen.ref, seen.matched_by) == (Ref(LINK, 9), MatchedBy.KEY)
    (update,) = plan.updates
    assert {c.field for c in update.changes} == {"name", "a_interface_id", "b_interface_id"}


def test_known_cable_whose_speed_this_sync_did_not_read_is_unchanged() -> None:
    row = _known(
        LINK,
        9,
        "cable:4",
        name="cable:4",
        network="lan",
        a_site_id=1,
        b_site_id=1,
        a_interface_id=31,
        b_interface_id=32,
        port_speed_mbps=10000.0,
    )
    plan = _plan([_cable()], [*CABLE_KNOWN, row])
    assert plan.updates == () and [s.ref for s in plan.seen] == [Ref(LINK, 9)]


def test_rows_netbox_no_longer_has_are_not_seen_full_and_incremental() -> None:
    known = [_site(), _device_row()]
    full = _plan([], known)
    assert sorted((n.ref.kind, n.ref.id, n.since) for n in full.not_seen) == [
        (DEVICE, 7, SEEN),
        (SITE, 5, SEEN),
    ]
    listed = _plan([], known, seen_ids={"sites": {"1"}, "devices": {"11"}})
    assert listed.not_seen == ()


def test_rows_the_change_log_says_were_deleted_are_not_seen_and_only_they() -> None:
    other = _known(DEVICE, 8, "12", name="esx-02", serial="SN2", site_id=5)
    plan = _plan([], [_site(), _device_row(), other], deleted_ids={"devices": {"11", "99"}})
    assert [(n.ref, n.since) for n in plan.not_seen] == [(Ref(DEVICE, 7), SEEN)]


def test_change_log_never_names_a_row_without_a_netbox_id() -> None:
    known = [_device_row(netbox=None)]
    assert _plan([], known, deleted_ids={"devices": {"11"}}).not_seen == ()


def test_skipped_objects_are_not_reported_missing() -> None:
    link_row = _known(LINK, 3, "cable:4")
    plan = _plan([], [link_row], skipped=[Skipped("links", "cable:4", "one site")])
    assert plan.not_seen == ()


def test_skipped_objects_are_listed_whole_and_counted_but_are_no_failures() -> None:
    """Every skipped object is on the run with its page and reason (none dropped, no cap),
    counted per kind as ``skipped``; the run's attempts hold none of them."""
    link_row = _known(LINK, 3, "cable:4")
    skipped = [Skipped("links", f"cable:{n}", "a console cable", f"con{n}") for n in range(600)]
    mapped = _mapped([], skipped=skipped)
    snapshot = Snapshot((link_row,))
    plan = plan_observations(observe_all(mapped, SEEN), snapshot, coverage_of(mapped))
    planned = Planned(plan, mapped, snapshot)
    stats = run_stats(planned, mode="full", base_url="https://nb.example")
    assert len(stats["skipped"]) == 600
    assert stats["skipped"][7] == {
        "kind": "links",
        "external_id": "cable:7",
        "label": "con7",
        "reason": "a console cable",
        "url": "https://nb.example/dcim/cables/7/",
    }
    assert stats["kinds"]["links"]["skipped"] == 600
    assert stats["kinds"]["links"]["failed"] == 0 and planned.attempts() == []


def test_replanning_after_apply_is_empty() -> None:
    """What a create wrote, planned again, is unchanged (the idempotence invariant)."""
    known = Snapshot((_site(),))
    mapped = _mapped([_device()])
    first = plan_observations(observe_all(mapped, SEEN), known, coverage_of(mapped))
    again = plan_observations(
        observe_all(mapped, SEEN), apply_in_memory(known, first), coverage_of(mapped)
    )
    assert again.is_empty, again
