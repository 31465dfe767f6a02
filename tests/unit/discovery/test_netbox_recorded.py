"""The mapping over NetBox 4.7.3's own answers, recorded from the seeded test peer.

``tests/fixtures/netbox/quang-nam-4.7.3.json`` is what ``fetch_all`` read from a real
NetBox seeded by ``tests/integration/netbox/seed.py``; mapping and planning it into
an empty inventory must give the records the live sync creates, without a NetBox.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cmdb.choices import Network
from discovery.core.known import Snapshot
from discovery.core.planner import plan_observations
from discovery.netbox.mapping import map_all
from discovery.netbox.observe import coverage_of, observe_all
from discovery.netbox.records import Fetched, NbRecord
from discovery.netbox.report import Planned, counts
from tests.integration.netbox.seed import EXPECTED_CREATED

RECORDING = Path(__file__).parents[2] / "fixtures" / "netbox" / "quang-nam-4.7.3.json"


@pytest.fixture(scope="module")
def fetched() -> Fetched:
    raw = json.loads(RECORDING.read_text())
    sites = {int(k): v for k, v in raw["device_sites"].items()}
    return Fetched(data=raw["data"], device_sites=sites)


def _by_label(records: list[NbRecord]) -> dict[str, NbRecord]:
    return {r.label: r for r in records}


def test_recorded_netbox_maps_to_the_expected_records_without_failures(fetched: Fetched):
    mapped = map_all(fetched)
    observations = observe_all(mapped, datetime(2026, 11, 1, tzinfo=UTC))
    plan = plan_observations(observations, Snapshot(), coverage_of(mapped))
    by_kind = counts(Planned(plan, mapped, Snapshot()))
    assert {k: by_kind[k]["created"] for k in EXPECTED_CREATED} == EXPECTED_CREATED
    assert all(c["failed"] == 0 for c in by_kind.values()), plan.refused
    assert mapped.skipped == []  # the cable inside the DC is a link


def test_recorded_devices_interfaces_and_circuits(fetched: Fetched):
    mapped = map_all(fetched)
    devices = _by_label(mapped.records["devices"])
    assert devices["esx-01"].fields["management_address"] == "10.49.0.11"
    assert devices["esx-01"].fields["cores"] == 64
    assert devices["esx-01"].fields["asset_tag"] == "QN-TTDL-0041"
    assert devices["rt-duyxuyen"].fields["role"] == "router"
    speeds = {r.label: r.fields["speed_mbps"] for r in mapped.records["interfaces"]}
    assert speeds == {
        "esx-01 vmnic0": 25000,
        "esx-02 vmnic0": 25000,
        "core-sw-01 Te1/1/1": 10000,
        "core-sw-01 Te1/1/2": 10000,
    }
    links = _by_label(mapped.records["links"])
    assert links["TSLCD-DX-01"].fields["network"] == Network.TSLCD
    assert links["WAN-DS-01"].fields["network"] == Network.WAN
    assert links["WAN-DS-01"].fields["commit_rate_mbps"] == 20.0
    cable = links["esx-01 vmnic0 – core-sw-01 Te1/1/1"]
    assert cable.refs["a_site_id"] == cable.refs["b_site_id"]
    assert (cable.fields["network"], cable.fields["port_speed_mbps"]) == (Network.LAN, 10000.0)


def test_recorded_locations_and_platforms(fetched: Fetched):
    mapped = map_all(fetched)
    (rack,) = mapped.records["racks"]
    assert rack.fields["location"] == "Phòng máy 1 / Dãy A"
    devices = _by_label(mapped.records["devices"])
    assert devices["esx-01"].fields["location"] == "Phòng máy 1 / Dãy A"
    assert devices["esx-01"].fields["platform"] == "VMware ESXi 8.0"
    assert devices["rt-duyxuyen"].fields["location"] is None
    assert "platform" not in devices["rt-duyxuyen"].fields


def test_recorded_vms_and_their_systems(fetched: Fetched):
    mapped = map_all(fetched)
    systems = {r.label: r.fields for r in mapped.records["information_systems"]}
    assert systems["Quản lý văn bản và điều hành"] == {
        "name": "Quản lý văn bản và điều hành",
        "security_level": 2,
        "zones": ["tslcd"],
    }
    vm = _by_label(mapped.records["workloads"])["qlvb-db-01"]
    assert (vm.fields["vcpu"], vm.fields["ram_gb"], vm.fields["disk_gb"]) == (4, 8.0, 500.0)
    assert vm.observed["management_address"] == "10.49.10.22"
