"""NetBox sync against a real NetBox 4.7: create, idempotence, incremental, deletion, dry run."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from cmdb.choices import RunStatus, SiteKind, Source
from cmdb.models import (
    AdminUnit,
    ChangeLog,
    Cluster,
    Device,
    DiscoveryRun,
    InformationSystem,
    Interface,
    Link,
    Observation,
    RecordSource,
    Site,
    Workload,
)
from discovery.netbox.sync import run_sync
from tests.integration.netbox.conftest import Netbox
from tests.integration.netbox.seed import EXPECTED_CREATED

pytestmark = pytest.mark.slow


def _counts(run: DiscoveryRun, word: str) -> dict[str, int]:
    return {kind: c[word] for kind, c in run.stats["kinds"].items() if kind in EXPECTED_CREATED}


def _rows(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_first_sync_creates_the_picture_and_second_changes_nothing(
    netbox: Netbox, sessions: sessionmaker[Session]
):
    first = run_sync(sessions, netbox.url, netbox.token, full=True, page_size=2)
    assert first.status == RunStatus.SUCCEEDED, first.error
    assert _counts(first, "created") == EXPECTED_CREATED
    assert all(v == 0 for v in _counts(first, "failed").values())
    assert first.stats["skipped"] == []  # the cable inside the DC is a link now
    log_rows = _rows(sessions, ChangeLog)

    second = run_sync(sessions, netbox.url, netbox.token, full=True, page_size=2)
    assert second.status == RunStatus.SUCCEEDED, second.error
    assert _counts(second, "unchanged") == EXPECTED_CREATED
    assert _rows(sessions, ChangeLog) == log_rows  # idempotent: no change at all


def test_synced_records_carry_netbox_facts_units_and_provenance(
    netbox: Netbox, sessions: sessionmaker[Session]
):
    run = run_sync(sessions, netbox.url, netbox.token, full=True)
    ids = netbox.seeded.ids
    with sessions() as s:
        esx = s.scalars(sa.select(Device).where(Device.name == "esx-01")).one()
        assert (esx.serial, esx.model, esx.manufacturer) == ("7XK2QJ1", "PowerEdge R750", "Dell")
        assert (esx.cores, esx.ram_gb, esx.management_address) == (64, 512.0, "10.49.0.11")
        assert esx.role == "server" and esx.rack_position_u == 12
        assert esx.height_u == 2  # its device type's u_height: drawn over U12-U13
        assert esx.asset_tag == "QN-TTDL-0041"
        assert esx.tags == ["pci-dss"]  # NetBox's tag slugs
        assert esx.cluster is not None and esx.cluster.name == "CL-PROD-01"
        nic = s.scalars(sa.select(Interface).where(Interface.device_id == esx.id)).one()
        assert (nic.speed_mbps, nic.ip_addresses) == (25000, ["10.49.0.11"])
        dc = s.scalars(sa.select(Site).where(Site.slug == "ttdl-quang-nam")).one()
        assert dc.kind == SiteKind.DATA_CENTRE and dc.admin_unit.code == "49"
        commune = s.scalars(sa.select(Site).where(Site.slug == "ubnd-xa-duy-son")).one()
        assert commune.kind == SiteKind.COMMUNE_OFFICE
        assert commune.admin_unit.code == "20575" and commune.admin_unit.parent.code == "509"
        tslcd = s.scalars(sa.select(Link).where(Link.circuit_id == "TSLCD-DX-01")).one()
        assert (tslcd.network, tslcd.commit_rate_mbps, tslcd.port_speed_mbps) == (
            "tslcd",
            100.0,
            1000.0,
        )
        assert tslcd.b_site_id == dc.id  # the end nearer the DC
        vm = s.scalars(sa.select(Workload).where(Workload.name == "mc-app-01")).one()
        assert (vm.vcpu, vm.ram_gb, vm.disk_gb, vm.management_address) == (
            8,
            16.0,
            200.0,
            "10.49.10.21",
        )
        assert vm.tags == ["pci-dss"]
        system = s.get_one(InformationSystem, vm.information_system_id)
        assert (system.name, system.security_level, system.zones) == (
            "Hệ thống Một cửa điện tử",
            3,
            ["internet"],
        )
        cluster = s.scalars(sa.select(Cluster)).one()
        assert (cluster.max_security_level, cluster.zones) == (3, ["internal", "tslcd"])
        source = s.scalars(
            sa.select(RecordSource).where(
                RecordSource.object_type == "device", RecordSource.object_id == esx.id
            )
        ).one()
        assert (source.source, source.external_id) == (Source.NETBOX, str(ids["esx1"]))
        observed = s.scalars(
            sa.select(Observation).where(
                Observation.run_id == run.id, Observation.object_type == "device"
            )
        ).all()
        by_device = {o.object_id: o.data["fields"] for o in observed}
        assert by_device[esx.id]["asset_tag"] == "QN-TTDL-0041"
        assert by_device[esx.id]["cores"] == 64
        kinds = {
            o.object_type
            for o in s.scalars(sa.select(Observation).where(Observation.run_id == run.id))
        }
        assert kinds == {"device", "interface", "workload", "link"}
        log = s.scalars(sa.select(ChangeLog).where(ChangeLog.object_type == "device")).all()
        assert {c.actor for c in log} == {"netbox-sync"}


def test_cable_inside_the_dc_location_and_platform_arrive_with_units_and_source(
    netbox: Netbox, sessions: sessionmaker[Session]
):
    run = run_sync(sessions, netbox.url, netbox.token, full=True)
    assert run.status == RunStatus.SUCCEEDED, run.error
    ids = netbox.seeded.ids
    with sessions() as s:
        esx = s.scalars(sa.select(Device).where(Device.name == "esx-01")).one()
        core = s.scalars(sa.select(Device).where(Device.name == "core-sw-01")).one()
        assert esx.platform == "VMware ESXi 8.0" and core.platform is None
        assert esx.location == core.location == "Phòng máy 1 / Dãy A"
        assert esx.rack is not None and esx.rack.location == "Phòng máy 1 / Dãy A"
        cable = s.scalars(sa.select(Link).where(Link.a_site_id == Link.b_site_id)).one()
        assert cable.a_site_id == esx.site_id and cable.inside_one_site
        ends = {cable.a_interface.device.name, cable.b_interface.device.name}  # type: ignore[union-attr]
        assert ends == {"esx-01", "core-sw-01"}
        # 25 Gbps host port (25,000,000 kbps in NetBox) to a 10 Gbps switch port: the slower.
        assert (cable.network, cable.port_speed_mbps, cable.commit_rate_mbps) == (
            "lan",
            10000.0,
            None,
        )
        assert cable.name == "esx-01 vmnic0 – core-sw-01 Te1/1/1"
        source = s.scalars(
            sa.select(RecordSource).where(
                RecordSource.object_type == "link", RecordSource.object_id == cable.id
            )
        ).one()
        assert (source.source, source.external_id) == (Source.NETBOX, f"cable:{ids['cable']}")
        observed = s.scalars(
            sa.select(Observation).where(
                Observation.run_id == run.id,
                Observation.object_type == "link",
                Observation.object_id == cable.id,
            )
        ).one()
        assert observed.data["fields"] == {"port_speed_mbps": 10000.0}


def test_admin_unit_of_the_national_list_is_matched_by_code_and_kept(
    netbox: Netbox, sessions: sessionmaker[Session]
):
    from cmdb.choices import AdminLevel
    from cmdb.services.provenance import mark_seen

    with sessions() as s, s.begin():
        unit = AdminUnit(code="49", name="Quảng Nam", level=AdminLevel.PROVINCE, kind="Tỉnh")
        s.add(unit)
        s.flush()
        mark_seen(s, [unit], Source.MANUAL, lambda u: u.code)
    run = run_sync(sessions, netbox.url, netbox.token, full=True)
    assert run.stats["kinds"]["admin_units"]["created"] == 3
    with sessions() as s:
        units = s.scalars(sa.select(AdminUnit).where(AdminUnit.code == "49")).all()
        assert [u.name for u in units] == ["Quảng Nam"]  # the national list's name stays
        sources = s.scalars(
            sa.select(RecordSource.source).where(RecordSource.object_id == units[0].id)
        ).all()
        assert set(sources) == {Source.MANUAL, Source.NETBOX}


def test_incremental_sync_updates_only_what_changed(
    netbox: Netbox, sessions: sessionmaker[Session]
):
    first = run_sync(sessions, netbox.url, netbox.token)
    assert first.stats["mode"] == "full"
    device = netbox.api.dcim.devices.get(netbox.seeded.ids["esx2"])
    device.update({"serial": "7XK2QJ2-RMA", "status": "offline"})
    try:
        log_rows = _rows(sessions, ChangeLog)
        second = run_sync(sessions, netbox.url, netbox.token)  # since the last successful sync
        assert second.stats["mode"] == "incremental"
        assert second.parameters["since"] is not None
        changed = {k: c["updated"] for k, c in second.stats["kinds"].items() if c["updated"]}
        assert changed == {"devices": 1}
        assert not any(c["created"] for c in second.stats["kinds"].values())
        with sessions() as s:
            esx2 = s.scalars(sa.select(Device).where(Device.name == "esx-02")).one()
            assert (esx2.serial, esx2.status) == ("7XK2QJ2-RMA", "offline")
            new_log = s.scalars(sa.select(ChangeLog).order_by(ChangeLog.id).offset(log_rows)).all()
        assert [(c.object_repr, c.before) for c in new_log] == [
            ("esx-02", {"status": "active", "serial": "7XK2QJ2"})
        ]
    finally:
        device.update({"serial": "7XK2QJ2", "status": "active"})


def test_a_tag_removed_in_netbox_is_removed_in_headroom(
    netbox: Netbox, sessions: sessionmaker[Session]
):
    """NetBox declares a host's tags: an empty list clears Headroom's (a VM, as devices
    share the path)."""
    run_sync(sessions, netbox.url, netbox.token)
    vm = netbox.api.virtualization.virtual_machines.get(netbox.seeded.ids["mc-app-01"])
    vm.update({"tags": []})
    try:
        run = run_sync(sessions, netbox.url, netbox.token)
        assert run.status == RunStatus.SUCCEEDED, run.error
        with sessions() as s:
            synced = s.scalars(sa.select(Workload).where(Workload.name == "mc-app-01")).one()
            assert synced.tags == []
    finally:
        vm.update({"tags": [{"id": netbox.seeded.ids["tag_pci"]}]})


def test_object_deleted_in_netbox_is_marked_not_seen_never_deleted(
    netbox: Netbox, sessions: sessionmaker[Session]
):
    api, ids = netbox.api, netbox.seeded.ids
    temp = api.dcim.devices.create(
        name="sw-tam-thang",
        device_type=api.dcim.device_types.get(slug="c9300-48t").id,
        role=api.dcim.device_roles.get(slug="core-switch").id,
        site=ids["site_dc"],
        status="active",
    )
    run_sync(sessions, netbox.url, netbox.token, full=True)
    temp.delete()
    with sessions() as s:
        row = s.scalars(sa.select(Device).where(Device.name == "sw-tam-thang")).one()
        seen_before = s.scalars(
            sa.select(RecordSource.last_seen_at).where(
                RecordSource.object_type == "device", RecordSource.object_id == row.id
            )
        ).one()
    run = run_sync(sessions, netbox.url, netbox.token)  # incremental: the change log shows it
    assert run.status == RunStatus.SUCCEEDED
    assert [(n["kind"], n["id"]) for n in run.stats["not_seen"]] == [("devices", row.id)]
    with sessions() as s:
        assert s.get(Device, row.id) is not None
        seen_after = s.scalars(
            sa.select(RecordSource.last_seen_at).where(
                RecordSource.object_type == "device", RecordSource.object_id == row.id
            )
        ).one()
    assert seen_after == seen_before  # "not seen by NetBox since" its last sighting


def test_dry_run_writes_nothing(netbox: Netbox, sessions: sessionmaker[Session]):
    run = run_sync(sessions, netbox.url, netbox.token, dry_run=True)
    assert run.status == RunStatus.SUCCEEDED and run.id is None
    assert _counts(run, "created") == EXPECTED_CREATED
    assert "create device esx-01" in run.stats["plan"]
    for model in (Device, Site, AdminUnit, ChangeLog, RecordSource, DiscoveryRun, Observation):
        assert _rows(sessions, model) == 0


@pytest.mark.postgres
@pytest.mark.long(reason="two whole syncs of the NetBox peer into a new PostgreSQL database")
def test_sync_on_postgresql_is_complete_and_idempotent(netbox: Netbox):
    from cmdb.db import make_engine, make_session_factory
    from tests.databases import drop_pg_database, migrated_pg_url

    url = migrated_pg_url("headroom_netbox_sync")
    engine = make_engine(url)
    try:
        sessions = make_session_factory(engine)
        first = run_sync(sessions, netbox.url, netbox.token, full=True)
        assert first.status == RunStatus.SUCCEEDED, first.error
        assert _counts(first, "created") == EXPECTED_CREATED
        log_rows = _rows(sessions, ChangeLog)
        second = run_sync(sessions, netbox.url, netbox.token, full=True)
        assert _counts(second, "unchanged") == EXPECTED_CREATED
        assert _rows(sessions, ChangeLog) == log_rows
    finally:
        engine.dispose()
        drop_pg_database(url)
