"""NetBox's change log → deletions per kind, and when the log can be trusted to cover."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from discovery.netbox.deletions import (
    CHANGE_TYPES,
    CHANGELOG_RETENTION,
    changelog_covers,
    map_deletions,
)
from discovery.netbox.records import KINDS

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _change(object_type: str, object_id: int, action: str = "delete") -> dict:
    return {
        "id": object_id + 1000,
        "action": {"value": action, "label": action.title()},
        "changed_object_type": object_type,
        "changed_object_id": object_id,
    }


def test_deletions_are_named_as_the_mapping_names_records():
    changes = [
        _change("dcim.device", 12),
        _change("dcim.interface", 40),
        _change("dcim.interface", 41),
        _change("dcim.cable", 4),
        _change("circuits.circuit", 9),
        _change("dcim.region", 2),
        _change("dcim.sitegroup", 3),
        _change("virtualization.virtualmachine", 7),
    ]
    deleted = map_deletions(changes)
    assert deleted["devices"] == {"12"}
    assert deleted["interfaces"] == {"40", "41"}
    assert deleted["links"] == {"cable:4", "circuit:9"}
    assert deleted["admin_units"] == {"region:2", "site-group:3"}
    assert deleted["workloads"] == {"7"}
    assert deleted["sites"] == set() and deleted["racks"] == set()


def test_changes_that_are_not_deletions_of_synced_types_are_ignored():
    """NetBox ignores a filter it does not know: what it answers is checked again here."""
    changes = [
        _change("dcim.device", 12, action="update"),
        _change("dcim.device", 13, action="create"),
        _change("dcim.devicetype", 5),
        _change("ipam.ipaddress", 6),
        {"action": "delete", "changed_object_type": "dcim.site", "changed_object_id": 1},
    ]
    deleted = map_deletions(changes)
    assert {kind: ids for kind, ids in deleted.items() if ids} == {"sites": {"1"}}


def test_every_kind_netbox_names_has_a_change_type():
    named = {kind for kind, _ in CHANGE_TYPES.values()}
    assert named == set(KINDS) - {"information_systems"}  # an HTTT is a tag, not an object


@pytest.mark.parametrize(
    ("age", "covered"),
    [
        (timedelta(minutes=5), True),
        (timedelta(days=30), True),
        (CHANGELOG_RETENTION - timedelta(days=3), True),
        (CHANGELOG_RETENTION - timedelta(days=1), False),  # housekeeping may have run
        (CHANGELOG_RETENTION + timedelta(days=1), False),
        (timedelta(days=400), False),
    ],
)
def test_change_log_covers_only_what_its_retention_keeps(age: timedelta, covered: bool):
    assert changelog_covers(NOW - age, NOW) is covered


def test_a_shorter_retention_covers_less():
    assert not changelog_covers(NOW - timedelta(days=10), NOW, retention=timedelta(days=7))
