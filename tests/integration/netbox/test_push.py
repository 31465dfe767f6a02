"""``--push``: what SNMP found and NetBox lacks is created in NetBox, planned and tagged, once."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from cmdb.choices import DeviceRole, RunKind, RunStatus, Source
from cmdb.models import Device, DiscoveryRun, Interface, Observation, RecordSource, Site
from cmdb.services.provenance import mark_seen
from discovery.netbox.push import TAG, push_to_netbox
from discovery.netbox.sync import run_sync
from tests.integration.netbox.conftest import Netbox
from web.cli import main

pytestmark = pytest.mark.slow


def _snmp_found(sessions: sessionmaker[Session]) -> None:
    """As SNMP discovery leaves them: a firewall NetBox lacks, a port the core switch lacks."""
    with sessions() as s, s.begin():
        dc = s.scalars(sa.select(Site).where(Site.slug == "ttdl-quang-nam")).one()
        fw = Device(
            name="fw-01",
            role=DeviceRole.FIREWALL,
            site_id=dc.id,
            manufacturer="Palo Alto Networks",
            model="PA-5220",
            serial="0123456789",
            management_address="10.49.0.1",
        )
        fw.interfaces = [
            Interface(name="ethernet1/1", speed_mbps=10000, if_index=1),
            Interface(name="ethernet1/2", speed_mbps=10000, if_index=2),
        ]
        core = s.scalars(sa.select(Device).where(Device.name == "core-sw-01")).one()
        uplink = Interface(device_id=core.id, name="Gi1/0/48", speed_mbps=1000, if_index=48)
        s.add_all([fw, uplink])
        s.flush()
        mark_seen(s, [fw, core], Source.SNMP, lambda d: d.management_address or d.name)
        mark_seen(s, [*fw.interfaces, uplink], Source.SNMP, lambda i: str(i.if_index))


@pytest.fixture
def cleanup(netbox: Netbox) -> Iterator[None]:
    yield
    api = netbox.api
    for interface in api.dcim.interfaces.filter(tag=TAG):
        interface.delete()
    for device in api.dcim.devices.filter(tag=TAG):
        device.delete()
    for endpoint in (api.dcim.device_types, api.dcim.manufacturers, api.dcim.device_roles):
        for obj in endpoint.filter(tag=TAG):
            obj.delete()


@pytest.mark.long(reason="a full sync, two pushes and a full sync again against the NetBox peer")
def test_push_creates_planned_tagged_device_and_interfaces_once(
    netbox: Netbox, sessions: sessionmaker[Session], cleanup: None
):
    api = netbox.api
    run_sync(sessions, netbox.url, netbox.token, full=True)
    _snmp_found(sessions)
    core_before = api.dcim.devices.get(netbox.seeded.ids["core"])

    first = push_to_netbox(sessions, netbox.url, netbox.token)
    assert first.error is None
    assert first.devices == ["fw-01"]
    assert sorted(first.interfaces) == [
        "core-sw-01 Gi1/0/48",
        "fw-01 ethernet1/1",
        "fw-01 ethernet1/2",
    ]
    fw = api.dcim.devices.get(name="fw-01")
    assert fw.status.value == "planned"
    assert [t.slug for t in fw.tags] == [TAG]
    assert (fw.serial, fw.site.id) == ("0123456789", netbox.seeded.ids["site_dc"])
    fw_ports = {i.name: i for i in api.dcim.interfaces.filter(device_id=fw.id)}
    assert set(fw_ports) == {"ethernet1/1", "ethernet1/2"}
    assert fw_ports["ethernet1/1"].speed == 10_000_000  # kbps in NetBox
    uplink = api.dcim.interfaces.get(device_id=netbox.seeded.ids["core"], name="Gi1/0/48")
    assert [t.slug for t in uplink.tags] == [TAG]
    core_after = api.dcim.devices.get(netbox.seeded.ids["core"])
    assert core_after.last_updated == core_before.last_updated  # not ours: not modified

    with sessions() as s:
        fw_row = s.scalars(sa.select(Device).where(Device.name == "fw-01")).one()
        recorded = s.scalars(
            sa.select(RecordSource.external_id).where(
                RecordSource.object_type == "device",
                RecordSource.object_id == fw_row.id,
                RecordSource.source == Source.NETBOX,
            )
        ).one()
    assert recorded == str(fw.id)
    with sessions() as s:  # what it created came back as NetBox's observations, in its run
        run = s.get_one(DiscoveryRun, first.run_id)
        assert (run.kind, run.status, run.source) == (RunKind.PUSH, RunStatus.SUCCEEDED, "netbox")
        came_back = s.execute(
            sa.select(Observation.object_type, Observation.external_id).where(
                Observation.run_id == first.run_id
            )
        ).all()
    assert sorted(came_back) == sorted(
        [("device", str(fw.id)), ("interface", str(uplink.id))]
        + [("interface", str(port.id)) for port in fw_ports.values()]
    )

    second = push_to_netbox(sessions, netbox.url, netbox.token)
    assert (second.devices, second.interfaces, second.error) == ([], [], None)
    assert len(api.dcim.devices.filter(tag=TAG)) == 1

    after = run_sync(sessions, netbox.url, netbox.token, full=True)
    assert after.stats["kinds"]["devices"]["updated"] == 0  # the proposal changes nothing back
    with sessions() as s:
        assert s.get_one(Device, fw_row.id).status == "active"


@pytest.mark.long(reason="a full sync of the NetBox peer, then a push beside a device of that name")
def test_push_leaves_a_netbox_device_it_did_not_create_alone(
    netbox: Netbox, sessions: sessionmaker[Session], cleanup: None
):
    api = netbox.api
    run_sync(sessions, netbox.url, netbox.token, full=True)
    _snmp_found(sessions)
    theirs = api.dcim.devices.create(
        name="fw-01",
        device_type=api.dcim.device_types.get(slug="isr4331").id,
        role=api.dcim.device_roles.get(slug="router").id,
        site=netbox.seeded.ids["site_dc"],
        status="active",
    )
    try:
        report = push_to_netbox(sessions, netbox.url, netbox.token)
        assert report.devices == [] and any("not ours" in s for s in report.skipped)
        again = api.dcim.devices.get(theirs.id)
        assert again.status.value == "active" and again.last_updated == theirs.last_updated
        assert len(api.dcim.interfaces.filter(device_id=theirs.id)) == 0
    finally:
        theirs.delete()


@pytest.mark.long(reason="a full sync of the NetBox peer, then the CLI's dry push")
def test_cli_push_dry_run_creates_nothing(
    netbox: Netbox, sessions: sessionmaker[Session], db_url: str, cleanup: None
):
    from web import create_app

    run_sync(sessions, netbox.url, netbox.token, full=True)
    _snmp_found(sessions)
    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": db_url, "SECRET_KEY": "t"})
    env = {"CMDB_NETBOX_URL": netbox.url, "CMDB_NETBOX_TOKEN": netbox.token}
    result = app.test_cli_runner().invoke(
        main, ["sync", "netbox", "--push", "--dry-run", "--json"], env=env
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["push"]["devices"] == ["fw-01"] and payload["push"]["dry_run"] is True
    assert len(netbox.api.dcim.devices.filter(name="fw-01")) == 0
