"""The NetBox planner over hand-built inventories: identity, who wins a field, absence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from discovery.netbox.plan import (
    CREATE,
    FAILED,
    UNCHANGED,
    UPDATE,
    KnownRow,
    Pending,
    plan_sync,
)
from discovery.netbox.records import NbRecord, Ref, Skipped

SEEN = datetime(2026, 11, 1, tzinfo=UTC)


def _device(ext: str = "11", **fields) -> NbRecord:
    values = {"name": "esx-01", "serial": "SN1", "status": "active", "cores": 64} | fields
    return NbRecord(
        "devices",
        ext,
        values["name"],
        fields=values,
        defaults={"role": "other"},
        refs={"site_id": Ref("sites", "1")},
    )


def _site_row(row_id: int = 5, netbox_id: str | None = "1", kind: str = "agency_office"):
    return KnownRow(row_id, {"id": row_id, "slug": "s", "kind": kind}, netbox_id, SEEN)


def _device_row(netbox_id: str | None = "11", others: frozenset[str] = frozenset(), **values):
    base = {"id": 7, "name": "esx-01", "serial": "SN1", "status": "active", "cores": 64}
    return KnownRow(7, base | {"site_id": 5} | values, netbox_id, SEEN, others)


def _plan(records: list[NbRecord], known: dict, **kw):
    by_kind: dict[str, list[NbRecord]] = {}
    for r in records:
        by_kind.setdefault(r.kind, []).append(r)
    return plan_sync(by_kind, known, **kw)


def test_unknown_device_is_created_with_defaults_and_resolved_site():
    plan = _plan([_device()], {"sites": [_site_row()]})
    (action,) = plan.actions["devices"]
    assert action.action == CREATE
    assert action.values["site_id"] == 5 and action.values["role"] == "other"


def test_same_values_are_unchanged():
    plan = _plan([_device()], {"sites": [_site_row()], "devices": [_device_row()]})
    assert [a.action for a in plan.actions["devices"]] == [UNCHANGED]
    assert plan.changes == 0


def test_netbox_only_row_takes_netboxs_observed_facts():
    plan = _plan([_device(serial="SN2")], {"sites": [_site_row()], "devices": [_device_row()]})
    (action,) = plan.actions["devices"]
    assert (action.action, dict(action.values), dict(action.before)) == (
        UPDATE,
        {"serial": "SN2"},
        {"serial": "SN1"},
    )


def test_row_snmp_also_sees_keeps_its_observed_facts_but_takes_declared_ones():
    known = {"sites": [_site_row()], "devices": [_device_row(others=frozenset({"snmp"}))]}
    plan = _plan([_device(serial="SN2", cores=32, status="offline")], known)
    (action,) = plan.actions["devices"]
    assert dict(action.values) == {"status": "offline"}  # serial and cores stay SNMP's


def test_default_never_overwrites_and_empty_value_is_filled():
    known = {
        "sites": [_site_row()],
        "devices": [_device_row(others=frozenset({"snmp"}), role="switch", cores=None)],
    }
    (action,) = _plan([_device()], known).actions["devices"]
    assert dict(action.values) == {"cores": 64}


@pytest.mark.parametrize(
    ("row_values", "matched_by"),
    [
        ({"serial": "SN1"}, "serial"),
        ({"serial": None, "management_address": "10.0.0.1"}, "management address"),
        ({"serial": None, "name": "ESX-01.ttdl.local"}, "hostname"),
    ],
)
def test_device_without_netbox_id_is_matched_by_serial_address_then_hostname(
    row_values, matched_by
):
    row = _device_row(netbox_id=None, others=frozenset({"snmp"}), **row_values)
    record = _device(management_address="10.0.0.1")
    (action,) = _plan([record], {"sites": [_site_row()], "devices": [row]}).actions["devices"]
    assert (action.row_id, action.matched_by) == (7, matched_by)


def test_row_claimed_by_another_netbox_id_is_not_matched():
    row = _device_row(netbox_id="99")
    (action,) = _plan([_device()], {"sites": [_site_row()], "devices": [row]}).actions["devices"]
    assert action.action == CREATE


def test_unknown_or_failed_reference_fails_the_record_with_reason():
    plan = _plan([_device()], {})
    assert plan.actions["devices"][0].action == FAILED
    assert "unknown" in (plan.actions["devices"][0].reason or "")
    bad_site = NbRecord("sites", "1", "X", error="site 'X' has no region, group or code")
    plan = _plan([bad_site, _device()], {})
    assert "failed" in (plan.actions["devices"][0].reason or "")


def test_new_parent_unit_of_the_same_sync_is_pending():
    province = NbRecord("admin_units", "region:1", "49", fields={"code": "49"})
    district = NbRecord(
        "admin_units",
        "region:2",
        "509",
        fields={"code": "509"},
        refs={"parent_id": Ref("admin_units", "region:1")},
    )
    plan = _plan([province, district], {})
    assert plan.actions["admin_units"][1].values["parent_id"] == Pending("admin_units", "region:1")


def test_link_is_turned_so_its_b_end_is_the_data_centre():
    dc, commune = _site_row(1, "1", "data_centre"), _site_row(2, "2", "commune_office")
    link = NbRecord(
        "links",
        "circuit:7",
        "C7",
        fields={"name": "C7", "circuit_id": "C7", "commit_rate_mbps": 100.0},
        refs={"a_site_id": Ref("sites", "1"), "b_site_id": Ref("sites", "2")},
    )
    (action,) = _plan([link], {"sites": [dc, commune]}).actions["links"]
    assert (action.values["a_site_id"], action.values["b_site_id"]) == (2, 1)


def _cable(**fields) -> NbRecord:
    return NbRecord(
        "links",
        "cable:4",
        "cable:4",
        fields={"name": "cable:4", "network": "lan"} | fields,
        refs={
            "a_site_id": Ref("sites", "1"),
            "b_site_id": Ref("sites", "1"),
            "a_interface_id": Ref("interfaces", "21"),
            "b_interface_id": Ref("interfaces", "22"),
        },
    )


def _interface_row(row_id: int, netbox_id: str) -> KnownRow:
    return KnownRow(row_id, {"id": row_id, "name": f"if{row_id}"}, netbox_id, SEEN)


CABLE_KNOWN = {
    "sites": [_site_row(1, "1", "data_centre")],
    "interfaces": [_interface_row(31, "21"), _interface_row(32, "22")],
}


def test_cable_inside_the_dc_is_created_between_its_interfaces_unturned():
    (action,) = _plan([_cable(port_speed_mbps=10000.0)], CABLE_KNOWN).actions["links"]
    assert action.action == CREATE
    assert (action.values["a_site_id"], action.values["b_site_id"]) == (1, 1)
    assert (action.values["a_interface_id"], action.values["b_interface_id"]) == (31, 32)


def test_new_link_without_any_capacity_fails_instead_of_breaking_the_write():
    (action,) = _plan([_cable()], CABLE_KNOWN).actions["links"]
    assert action.action == FAILED and "port speed" in str(action.reason)


def test_cable_matches_the_link_snmp_found_between_the_same_interfaces_either_way_round():
    found = KnownRow(
        9,
        {"id": 9, "name": "lldp", "network": "lan", "a_site_id": 1, "b_site_id": 1}
        | {"a_interface_id": 32, "b_interface_id": 31, "port_speed_mbps": 10000.0},
        None,
        None,
        frozenset({"snmp"}),
    )
    known = CABLE_KNOWN | {"links": [found]}
    (action,) = _plan([_cable(port_speed_mbps=10000.0)], known).actions["links"]
    assert (action.action, action.row_id, action.matched_by) == (UPDATE, 9, "interfaces")
    assert set(action.values) == {"name", "a_interface_id", "b_interface_id"}


def test_known_cable_whose_speed_this_sync_did_not_read_is_unchanged():
    row = KnownRow(
        9,
        {"id": 9, "name": "cable:4", "network": "lan", "a_site_id": 1, "b_site_id": 1}
        | {"a_interface_id": 31, "b_interface_id": 32, "port_speed_mbps": 10000.0},
        "cable:4",
        SEEN,
    )
    (action,) = _plan([_cable()], CABLE_KNOWN | {"links": [row]}).actions["links"]
    assert action.action == UNCHANGED


def test_rows_netbox_no_longer_has_are_not_seen_full_and_incremental():
    known = {"sites": [_site_row()], "devices": [_device_row()]}
    full = _plan([], known)
    assert [(n.kind, n.row_id, n.last_seen_at) for n in full.not_seen] == [
        ("sites", 5, SEEN),
        ("devices", 7, SEEN),
    ]
    incremental = _plan([], known, seen_ids={"sites": {"1"}, "devices": {"11"}})
    assert incremental.not_seen == []


def test_rows_the_change_log_says_were_deleted_are_not_seen_and_only_they():
    other = _device_row(netbox_id="12")
    known = {"sites": [_site_row()], "devices": [_device_row(), other]}
    plan = _plan([], known, deleted_ids={"devices": {"11", "99"}, "sites": set()})
    assert [(n.kind, n.row_id, n.external_id, n.last_seen_at) for n in plan.not_seen] == [
        ("devices", 7, "11", SEEN)
    ]


def test_change_log_never_names_a_row_without_a_netbox_id():
    known = {"devices": [_device_row(netbox_id=None)]}
    assert _plan([], known, deleted_ids={"devices": {"11"}}).not_seen == []


def test_skipped_objects_are_not_reported_missing():
    link_row = KnownRow(3, {"id": 3}, "cable:4", SEEN)
    plan = _plan([], {"links": [link_row]}, skipped=[Skipped("links", "cable:4", "one site")])
    assert plan.not_seen == []


def test_replanning_after_apply_is_empty():
    """What a create wrote, planned again, is unchanged (the idempotence invariant)."""
    first = _plan([_device()], {"sites": [_site_row()]})
    created = first.actions["devices"][0].values
    row = KnownRow(7, {"id": 7, **created}, "11", SEEN)
    again = _plan([_device()], {"sites": [_site_row()], "devices": [row]})
    assert again.counts()["devices"] == {"created": 0, "updated": 0, "unchanged": 1, "failed": 0}
