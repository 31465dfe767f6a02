"""The plugin's cache entry: one JSON string that reads back as the hosts; else a miss."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit.ansible.collection import inventory_cache

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures/ansible"


def test_packed_hosts_unpack_to_the_same_hosts() -> None:
    hosts = json.loads((FIXTURES / "api-hosts.json").read_text(encoding="utf-8"))
    entry = inventory_cache.pack_hosts(hosts)
    assert set(entry) == {"format", "hosts_json"}
    assert isinstance(entry["hosts_json"], str)  # one value for Ansible's cache to copy and encode
    assert inventory_cache.unpack_hosts(json.loads(json.dumps(entry))) == hosts


@pytest.mark.parametrize(
    "entry",
    [
        [{"name": "hv-01"}],  # the list of hosts an older plugin cached
        None,
        {"format": "headroom-hosts/1", "hosts_json": "[]"},
        {"format": inventory_cache.FORMAT},
        {"format": inventory_cache.FORMAT, "hosts_json": "[{truncated"},
        {"format": inventory_cache.FORMAT, "hosts_json": '{"name": "hv-01"}'},
    ],
)
def test_any_other_entry_is_a_miss(entry: object) -> None:
    assert inventory_cache.unpack_hosts(entry) is None
