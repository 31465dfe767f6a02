"""API hosts → inventory: golden output, group names, unique host names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit.ansible.collection import transform

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures/ansible"


def test_the_seeded_hosts_give_the_golden_inventory() -> None:
    """``api-hosts.json`` is the endpoint's answer on the Ansible tests' seed data, plus a
    VM named like a device; ``inventory-golden.json`` was checked by hand."""
    hosts = json.loads((FIXTURES / "api-hosts.json").read_text(encoding="utf-8"))
    golden = json.loads((FIXTURES / "inventory-golden.json").read_text(encoding="utf-8"))
    assert transform.build_inventory(hosts, list(transform.GROUP_BY_CHOICES)) == golden


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Huyện Thăng Bình", "huyen_thang_binh"),
        ("Đà Nẵng", "da_nang"),
        ("CL-PROD", "cl_prod"),
        ("CTTĐT", "cttdt"),
        ("  Sở TT&TT ", "so_tt_tt"),
        (20470, "20470"),
    ],
)
def test_slug_is_ascii_lowercase_with_underscores(text: object, expected: str) -> None:
    assert transform.slug(text) == expected


def test_a_shared_name_gets_kind_and_id_on_every_host_that_shares_it() -> None:
    hosts = [
        {"name": "web01", "kind": "device", "id": 3},
        {"name": "web01", "kind": "workload", "id": 9},
        {"name": "db01", "kind": "workload", "id": 4},
    ]
    assert transform.host_names(hosts) == ["web01-device-3", "web01-workload-9", "db01"]


def test_group_by_only_makes_the_groups_asked_for() -> None:
    hosts = json.loads((FIXTURES / "api-hosts.json").read_text(encoding="utf-8"))
    built = transform.build_inventory(hosts, ["security_level"])
    assert sorted(built["groups"]) == ["security_level_2", "security_level_3"]


def test_a_tree_without_districts_makes_no_district_group() -> None:
    host = {
        "admin_units": [
            {"code": "48", "name": "Thành phố Đà Nẵng", "level": "province"},
            {"code": "20305", "name": "Phường Hải Châu", "level": "commune"},
        ]
    }
    assert transform.host_groups(host, ["district", "commune"]) == ["commune_phuong_hai_chau_20305"]


def test_an_unknown_group_by_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown group_by: rack"):
        transform.build_inventory([], ["site", "rack"])
