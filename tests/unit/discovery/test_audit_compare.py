"""The audit's comparison, table-driven: each kind, and the agreements that find nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from cmdb.choices import Source
from discovery.audit.compare import compare_all, compare_record, find_mismatches
from discovery.audit.records import AuditContext, Finding, RecordView, Seen
from discovery.audit.settings import AuditSettings
from discovery.core.fields import plan_field
from discovery.core.known import KnownRecord
from discovery.core.observations import Identity, Observation, RecordKind

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
SYNCED = NOW - timedelta(hours=5)  # the latest successful NetBox sync began then
CTX = AuditContext(now=NOW, netbox_synced_at=SYNCED)
SETTINGS = AuditSettings(silent_after_days=3)


def seen(hours_ago: float) -> Seen:
    at = NOW - timedelta(hours=hours_ago)
    return Seen(first_at=at - timedelta(days=30), last_at=at)


def device(**kw: Any) -> RecordView:
    record = {"name": "sw-core-1", "status": "active", "management_address": "10.0.0.1"}
    return RecordView(
        object_type="device",
        object_id=kw.pop("object_id", 1),
        record=record | kw.pop("record", {}),
        observed=kw.pop("observed", {}),
        seen=kw.pop("seen", {"netbox": seen(4), "snmp": seen(1)}),
        manual=kw.pop("manual", {}),
    )


def kinds(findings: list[Finding]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(f.kind, f.field, dict(f.values)) for f in findings]


@pytest.mark.parametrize(
    ("record", "observed", "manual", "expected"),
    [
        pytest.param(
            {"serial": "ABC123"},
            {"netbox": {"serial": "ABC123"}, "snmp": {"serial": "XYZ999"}},
            {},
            [
                (
                    "mismatch",
                    "serial",
                    {"record": "ABC123", "netbox": "ABC123", "snmp": "XYZ999"},
                )
            ],
            id="serial-netbox-vs-snmp",
        ),
        pytest.param(
            {"serial": "ABC123"},
            {"netbox": {"serial": "abc123 "}, "snmp": {"serial": "ABC123"}},
            {},
            [],
            id="serial-same-once-cleaned",
        ),
        pytest.param(
            {},
            {"netbox": {"name": "sw-core-1"}, "snmp": {"name": "SW-CORE-1.qnam.gov.vn"}},
            {},
            [],
            id="hostname-domain-and-case-ignored",
        ),
        pytest.param(
            {"model": "C9300-48P"},
            {"netbox": {"model": "C9300-48P"}, "snmp": {"model": "C9500-24Y4C"}},
            {},
            [
                (
                    "mismatch",
                    "model",
                    {"record": "C9300-48P", "netbox": "C9300-48P", "snmp": "C9500-24Y4C"},
                )
            ],
            id="model",
        ),
        pytest.param(
            {"manufacturer": "Cisco"},
            {"netbox": {"manufacturer": "Cisco"}, "ansible": {"manufacturer": "Dell Inc."}},
            {},
            [
                (
                    "mismatch",
                    "manufacturer",
                    {"record": "Cisco", "ansible": "Dell Inc.", "netbox": "Cisco"},
                )
            ],
            id="manufacturer-netbox-vs-ansible",
        ),
        pytest.param(
            {"name": "sw-core-01"},
            {"netbox": {"name": "sw-core-1"}},
            {"name": "sw-core-01"},
            [
                (
                    "mismatch",
                    "name",
                    {"record": "sw-core-01", "manual": "sw-core-01", "netbox": "sw-core-1"},
                )
            ],
            id="netbox-vs-manual-edit",
        ),
        pytest.param(
            {"serial": "A"},
            {"snmp": {"serial": "A"}, "ansible": {"serial": "B"}},
            {},
            [("mismatch", "serial", {"record": "A", "ansible": "B", "snmp": "A"})],
            id="without-netbox-the-same-rule-as-every-run",
        ),
        pytest.param(
            {"serial": "A"},
            {"netbox": {"serial": "A"}, "snmp": {"serial": None}},
            {},
            [],
            id="a-source-that-says-nothing-does-not-disagree",
        ),
        pytest.param(
            {"serial": None},
            {"netbox": {"serial": "A"}},
            {},
            [("mismatch", "serial", {"record": None, "netbox": "A"})],
            id="a-record-without-the-value-a-source-gives",
        ),
    ],
)
def test_device_mismatches(
    record: dict[str, Any], observed: dict[str, Any], manual: dict[str, Any], expected: list[Any]
) -> None:
    view = device(record=record, observed=observed, manual=manual)
    assert kinds(compare_record(view, CTX, SETTINGS)) == expected


def test_the_audits_values_are_the_ones_a_runs_plan_writes() -> None:
    """The audit asks the core's rule (``fields.standing_values``) over the same words a
    run's plan weighs, so the two agree on the values of one disagreement."""
    said = {Source.NETBOX: {"serial": "ABC123"}, Source.SNMP: {"serial": "XYZ999"}}
    record = KnownRecord(1, RecordKind.DEVICE, values={"serial": "ABC123"}, said=said)
    snmp = Observation(
        Source.SNMP, RecordKind.DEVICE, Identity(), NOW, "snmp", observed={"serial": "XYZ999"}
    )
    planned = plan_field(record, snmp, "serial", {}).discrepancy
    view = device(
        record={"serial": "ABC123"},
        observed={"netbox": {"serial": "ABC123"}} | {"snmp": {"serial": "XYZ999"}},
    )
    [finding] = compare_record(view, CTX, SETTINGS)
    assert planned is not None and dict(planned.values) == dict(finding.values)


@pytest.mark.parametrize(
    ("record", "seen_by", "ctx", "expected"),
    [
        pytest.param(
            {},
            {"netbox": seen(4), "snmp": seen(24 * 5)},
            CTX,
            [("not_on_network", "presence", {"netbox": "10.0.0.1"})],
            id="silent-for-five-days",
        ),
        pytest.param(
            {},
            {"netbox": seen(4)},
            CTX,
            [("not_on_network", "presence", {"netbox": "10.0.0.1", "snmp": None})],
            id="never-answered",
        ),
        pytest.param({}, {"netbox": seen(4), "snmp": seen(24 * 2)}, CTX, [], id="within-window"),
        pytest.param(
            {"status": "planned"}, {"netbox": seen(4)}, CTX, [], id="planned-need-not-answer"
        ),
        pytest.param(
            {"management_address": None}, {"netbox": seen(4)}, CTX, [], id="no-address-to-ask"
        ),
        pytest.param(
            {},
            {"netbox": seen(24 * 10), "snmp": seen(1)},
            CTX,
            [("not_in_netbox", "presence", {"snmp": "10.0.0.1"})],
            id="deleted-in-netbox-still-answering",
        ),
        pytest.param(
            {},
            {"snmp": seen(1)},
            CTX,
            [("not_in_netbox", "presence", {"snmp": "10.0.0.1", "netbox": None})],
            id="never-in-netbox",
        ),
        pytest.param(
            {},
            {"snmp": seen(1)},
            AuditContext(now=NOW, netbox_synced_at=None),
            [],
            id="no-netbox-sync-yet-no-presence-question",
        ),
        pytest.param({}, {"netbox": seen(4), "snmp": seen(1)}, CTX, [], id="both-agree"),
    ],
)
def test_device_presence(
    record: dict[str, Any], seen_by: dict[str, Seen], ctx: AuditContext, expected: list[Any]
) -> None:
    found = kinds(compare_record(device(record=record, seen=seen_by), ctx, SETTINGS))
    assert [(k, f) for k, f, _ in found] == [(k, f) for k, f, _ in expected]
    for (_, _, values), (_, _, subset) in zip(found, expected, strict=True):
        assert subset.items() <= values.items()


def test_silence_is_measured_from_the_last_snmp_sighting() -> None:
    last = seen(24 * 5)
    [finding] = compare_record(device(seen={"netbox": seen(4), "snmp": last}), CTX, SETTINGS)
    assert finding.values == {"netbox": "10.0.0.1", "snmp": last.last_at.isoformat()}


def interface(**kw: Any) -> RecordView:
    return RecordView(
        object_type="interface",
        object_id=kw.pop("object_id", 10),
        record={"name": "Gi1/0/1"} | kw.pop("record", {}),
        observed=kw.pop("observed", {}),
        seen=kw.pop("seen", {"netbox": seen(4), "snmp": seen(1)}),
        parent_id=1,
    )


@pytest.mark.parametrize(
    ("itf", "parent_seen", "expected"),
    [
        pytest.param(
            interface(seen={"netbox": seen(4), "snmp": seen(24 * 4)}),
            {"netbox": seen(4), "snmp": seen(1)},
            [("not_on_network", "presence")],
            id="documented-port-gone-from-iftable",
        ),
        pytest.param(
            interface(seen={"snmp": seen(1)}),
            {"netbox": seen(4), "snmp": seen(1)},
            [("not_in_netbox", "presence")],
            id="undocumented-port",
        ),
        pytest.param(
            interface(seen={"snmp": seen(1)}),
            {"snmp": seen(1)},
            [],
            id="device-itself-not-in-netbox-says-it-once",
        ),
        pytest.param(
            interface(seen={"netbox": seen(4)}),
            {"netbox": seen(4), "snmp": seen(24 * 9)},
            [],
            id="silent-device-says-it-once",
        ),
        pytest.param(
            interface(
                record={"speed_mbps": 1000, "mac_address": "AA:BB:CC:00:11:22"},
                observed={"netbox": {"speed_mbps": 1000, "mac_address": "AA:BB:CC:00:11:22"}},
            ),
            {"netbox": seen(4), "snmp": seen(1)},
            [],
            id="netbox-alone-does-not-disagree",
        ),
    ],
)
def test_interfaces(itf: RecordView, parent_seen: dict[str, Seen], expected: list[Any]) -> None:
    findings = compare_all([device(seen=parent_seen), itf], CTX, SETTINGS)
    assert [(f.kind, f.field) for f in findings if f.object_type == "interface"] == expected


def test_interface_mac_compares_without_separators() -> None:
    observed = {"netbox": {"mac_address": "AA:BB:CC:00:11:22"}}
    agrees = interface(record={"mac_address": "aabb.cc00.1122"}, observed=observed)
    differs = interface(record={"mac_address": "aa:bb:cc:00:11:23"}, observed=observed)
    assert list(find_mismatches(agrees)) == []
    assert [f.field for f in find_mismatches(differs)] == ["mac_address"]


def link(record: dict[str, Any], observed: dict[str, Any] | None = None, **kw: Any) -> RecordView:
    return RecordView(
        object_type="link",
        object_id=100,
        record={"name": "TSLCD Xã A"} | record,
        observed=observed or {},
        seen=kw.get("seen", {"netbox": seen(4)}),
        manual=kw.get("manual", {}),
    )


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        pytest.param(
            link(
                {"commit_rate_mbps": 100.0, "a_speed_mbps": 10, "b_speed_mbps": 1000}
                | {"ends_seen_by_snmp": True},
                {"netbox": {"commit_rate_mbps": 100}},
            ),
            [
                (
                    "speed_vs_commit",
                    "commit_rate_mbps",
                    {"netbox": {"commit_rate_mbps": 100}, "snmp": {"speed_mbps": 10}},
                )
            ],
            id="port-slower-than-netbox-commit",
        ),
        pytest.param(
            link({"commit_rate_mbps": 200.0, "port_speed_mbps": 100.0}),
            [
                (
                    "speed_vs_commit",
                    "commit_rate_mbps",
                    {"inventory": {"commit_rate_mbps": 200.0, "speed_mbps": 100.0}},
                )
            ],
            id="record-port-speed-below-its-commit",
        ),
        pytest.param(
            link({"commit_rate_mbps": 100.0, "a_speed_mbps": 100, "b_speed_mbps": 1000}),
            [],
            id="commit-equal-to-port-fits",
        ),
        pytest.param(link({"port_speed_mbps": 10.0}), [], id="no-commit-nothing-to-compare"),
        pytest.param(
            link({"commit_rate_mbps": 100.0}, {"netbox": {"commit_rate_mbps": 100}}),
            [],
            id="no-speed-known",
        ),
        pytest.param(
            link(
                {"commit_rate_mbps": 150.0},
                {"netbox": {"commit_rate_mbps": 100}},
                manual={"commit_rate_mbps": 150.0},
            ),
            [
                (
                    "mismatch",
                    "commit_rate_mbps",
                    {"record": 150.0, "manual": 150.0, "netbox": 100},
                )
            ],
            id="commit-netbox-vs-manual",
        ),
        pytest.param(
            link(
                {"port_speed_mbps": 10000.0, "a_speed_mbps": 25000, "b_speed_mbps": 10000}
                | {"ends_seen_by_snmp": True},
                {"netbox": {"port_speed_mbps": 10000.0}},
                seen={"netbox": seen(4), "snmp": seen(2)},
            ),
            [],
            id="cable-inside-the-dc-documented-and-seen-nothing-to-say",
        ),
        pytest.param(
            link({}, seen={"snmp": seen(2)}),
            [("not_in_netbox", "presence", {"snmp": "TSLCD Xã A", "netbox": None})],
            id="lldp-cable-not-documented",
        ),
    ],
)
def test_links(view: RecordView, expected: list[Any]) -> None:
    assert kinds(compare_record(view, CTX, SETTINGS)) == expected


def test_values_are_stable_while_nothing_changes() -> None:
    """Moving "last seen" times must not change a finding: it would reopen acknowledgements."""
    later = AuditContext(now=NOW + timedelta(days=1), netbox_synced_at=SYNCED + timedelta(days=1))
    before = compare_record(device(seen={"netbox": seen(4), "snmp": seen(24 * 5)}), CTX, SETTINGS)
    after = compare_record(
        device(seen={"netbox": seen(4 - 24), "snmp": seen(24 * 5)}), later, SETTINGS
    )
    assert kinds(before) == kinds(after)
