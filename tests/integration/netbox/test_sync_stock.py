"""A stock NetBox (no custom fields, no codes, English and Vietnamese names) maps fully.

Against the real NetBox peer holding both seeds (``seed.py``'s objects with their custom
fields, and ``seed_stock.py``'s stock picture for this module), into a Headroom that
holds Đà Nẵng's 2025 admin units (``cmdb/data``, through the importer, as a DC loads
them): every site, rack, device, interface and cable NetBox lists has a record, the
regions land on the national units their names name or on unmapped units, a second
sync changes nothing, an incremental one after one edit touches that object only, and
the audit opens nothing about units or sites.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from cmdb.db import make_engine, make_session_factory
from cmdb.models import AdminUnit, ChangeLog, Device, Discrepancy, Link, RecordSource, Site
from cmdb.services.import_admin_units import import_admin_units
from cmdb.services.importer import Format, parse_table
from discovery.audit.run import run_audit
from discovery.netbox.sync import run_sync
from discovery.netbox.units import UNASSIGNED_CODE
from tests.integration.netbox.conftest import Netbox
from tests.integration.netbox.seed_stock import EXPECTED_UNITS, Stock, seed_stock, unseed_stock

pytestmark = pytest.mark.slow

# NetBox endpoint → (Headroom record type, NetBox id prefix of its marks).
COUNTED = {
    ("dcim", "sites"): ("site", ""),
    ("dcim", "racks"): ("rack", ""),
    ("dcim", "devices"): ("device", ""),
    ("dcim", "interfaces"): ("interface", ""),
}
# Kinds the other half of issue 19 maps (circuits with an open end, unplaced clusters,
# incomplete VMs): counted by ``test_every_circuit_cluster_and_vm_has_a_record``.
COUNTED_LATER = {
    ("circuits", "circuits"): ("link", "circuit:"),
    ("virtualization", "clusters"): ("cluster", ""),
    ("virtualization", "virtual_machines"): ("workload", ""),
}


@pytest.fixture(scope="module")
def stock(netbox: Netbox) -> Iterator[Stock]:
    seeded = seed_stock(netbox.api)
    try:
        yield seeded
    finally:
        unseed_stock(seeded)


def _da_nang_units(sessions: sessionmaker[Session]) -> None:
    """Đà Nẵng's 2025 units, imported as a DC imports them."""
    text = (files("cmdb") / "data" / "da-nang-2025-admin-units.csv").read_text("utf-8")
    with sessions() as s, s.begin():
        import_admin_units(s, parse_table(text, Format.CSV), actor="test")


@pytest.fixture(scope="module")
def synced_once(
    netbox: Netbox, stock: Stock, migrated_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, Any]]:
    """One full sync of both seeds into Đà Nẵng's Headroom (a SQLite file), and its stats:
    the tests that only read it share it (a sync of the peer costs tens of seconds)."""
    path = tmp_path_factory.mktemp("stock") / "synced.db"
    shutil.copyfile(migrated_template, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        sessions = make_session_factory(engine)
        _da_nang_units(sessions)
        run = run_sync(sessions, netbox.url, netbox.token, full=True)
    finally:
        engine.dispose()
    return path, {**run.stats, "run_status": run.status.value}


@pytest.fixture
def synced(
    synced_once: tuple[Path, dict[str, Any]], tmp_path: Path
) -> Iterator[tuple[sessionmaker[Session], dict[str, Any]]]:
    """This test's copy of the synced database, and the sync's stats."""
    path = tmp_path / "headroom.db"
    shutil.copyfile(synced_once[0], path)
    engine = make_engine(f"sqlite:///{path}")
    yield make_session_factory(engine), synced_once[1]
    engine.dispose()


def _nothing_failed(stats: dict[str, Any]) -> None:
    """Every object of both seeds maps: no failure, and the run says so (issue 19)."""
    assert stats["failures"] == [], stats["failures"]
    assert stats["run_status"] == "succeeded"
    assert all(not c.get("failed") for c in stats["kinds"].values()), stats["kinds"]


def _netbox_ids(netbox: Netbox, app: str, endpoint: str, prefix: str) -> set[str]:
    listing = getattr(getattr(netbox.api, app), endpoint).all()
    return {f"{prefix}{obj.id}" for obj in listing}


def _marked(sessions: sessionmaker[Session], object_type: str) -> set[str]:
    with sessions() as s:
        rows = s.scalars(
            sa.select(RecordSource.external_id).where(
                RecordSource.object_type == object_type, RecordSource.source == "netbox"
            )
        )
        return {str(r) for r in rows}


def _unit_of_region(sessions: sessionmaker[Session], ext: str) -> AdminUnit:
    with sessions() as s:
        unit = s.scalars(
            sa.select(AdminUnit)
            .join(RecordSource, RecordSource.object_id == AdminUnit.id)
            .where(RecordSource.object_type == "admin_unit", RecordSource.external_id == ext)
        ).one()
        s.expunge(unit)
        return unit


def _link_of(session: Session, external_id: str) -> Link:
    """The link NetBox's object ``external_id`` (``cable:<id>``) was synced to."""
    return session.scalars(
        sa.select(Link)
        .join(RecordSource, RecordSource.object_id == Link.id)
        .where(RecordSource.object_type == "link", RecordSource.external_id == external_id)
    ).one()


def _changed(run_stats: dict[str, Any]) -> dict[str, dict[str, int]]:
    return {
        kind: {w: c[w] for w in ("created", "updated") if c.get(w)}
        for kind, c in run_stats["kinds"].items()
        if c.get("created") or c.get("updated")
    }


def test_every_site_rack_device_interface_and_cable_has_a_record(
    netbox: Netbox, stock: Stock, synced: tuple[sessionmaker[Session], dict[str, Any]]
):
    sessions, stats = synced
    _nothing_failed(stats)
    for (app, endpoint), (object_type, prefix) in COUNTED.items():
        expected = _netbox_ids(netbox, app, endpoint, prefix)
        assert expected  # the seeds hold some of each
        assert _marked(sessions, object_type) >= expected, endpoint
    # Every cable with an interface at one end at least is a link (the one to the circuit's
    # termination too: its interface, and the termination's site); a console cable carries
    # no data and is skipped with its reason, listed on the run with its NetBox page, and
    # so are the patch panels' trunk and the far half of the path through them.
    skipped = {r["external_id"]: r["reason"] for r in stats["skipped"]}
    cables = _netbox_ids(netbox, "dcim", "cables", "cable:")
    linked = _marked(sessions, "link")
    assert all(c in linked or skipped.get(c) for c in cables)
    ids = stock.ids
    data = ("cable_esx1", "cable_esx2", "cable_ap", "cable_tail", "cable_pp_esx")
    assert {f"cable:{ids[k]}" for k in data} <= linked
    cable = {k: f"cable:{ids[k]}" for k in ("cable_console", "cable_pp_trunk", "cable_pp_sw")}
    assert set(skipped) == set(cable.values())
    assert skipped[cable["cable_console"]] == "a console cable"
    assert "patch-panel segment" in skipped[cable["cable_pp_trunk"]]
    assert f"cable:{ids['cable_pp_esx']}" in skipped[cable["cable_pp_sw"]]
    console = next(r for r in stats["skipped"] if r["external_id"] == cable["cable_console"])
    assert console["url"] == f"{netbox.url.rstrip('/')}/dcim/cables/{ids['cable_console']}/"
    assert "con0" in console["label"]
    assert stats["kinds"]["links"]["skipped"] == 3 and stats["run_status"] == "succeeded"
    with sessions() as s:
        panelled = _link_of(s, f"cable:{ids['cable_pp_esx']}")
        # One link between the two interfaces, not two half links to the panels.
        ends = (panelled.a_interface.name, panelled.b_interface.name)
        assert ends == ("eth1", "ge-0/0/3"), ends
        assert panelled.inside_one_site and panelled.port_speed_mbps == 1000.0
        tail = _link_of(s, f"cable:{ids['cable_tail']}")
        assert tail.inside_one_site and tail.port_speed_mbps == 1000.0
        assert {tail.a_interface_id, tail.b_interface_id} - {None} != set()


def test_every_circuit_cluster_and_vm_has_a_record(
    netbox: Netbox, stock: Stock, synced: tuple[sessionmaker[Session], dict[str, Any]]
):
    """Circuits with one end, clusters without a site and VMs without a tenant or a size
    are kept too (open ends, unplaced, incomplete): every one NetBox lists has a record."""
    sessions, stats = synced
    _nothing_failed(stats)
    for (app, endpoint), (object_type, prefix) in COUNTED_LATER.items():
        expected = _netbox_ids(netbox, app, endpoint, prefix)
        assert expected
        assert _marked(sessions, object_type) >= expected, endpoint


def test_regions_land_on_the_national_units_their_names_name_or_on_unmapped_ones(
    stock: Stock, synced: tuple[sessionmaker[Session], dict[str, Any]]
):
    sessions, stats = synced
    ids = stock.ids
    keys = {
        "Asia": "region:{asia}",
        "Vietnam": "region:{vietnam}",
        "Đà Nẵng": "region:{da_nang}",
        "Hải Châu": "region:{hai_chau}",
        "Hoa Khanh Ward": "region:{hoa_khanh}",
        "Data Centre Campus": "region:{campus}",
        "Quảng Nam": "region:{quang_nam}",
        "Tam Kỳ": "region:{tam_ky}",
        "Central Vietnam": "region:{central}",
        "Hai Chau": "region:{hai_chau_en}",
        "Branch offices": "site-group:{branches}",
    }
    units = {name: _unit_of_region(sessions, key.format(**ids)) for name, key in keys.items()}
    for name, code in EXPECTED_UNITS.items():
        unit = units[name]
        if code is None:
            assert unit.unmapped, name
            assert unit.name == name  # NetBox's name, kept as written
        else:
            assert (unit.code, unit.unmapped) == (code, False), name
    # The national units keep the list's names and places; the unmapped ones hang in the
    # tree under their NetBox parents.
    assert units["Đà Nẵng"].name == "Thành phố Đà Nẵng" and units["Đà Nẵng"].parent_id is None
    assert units["Data Centre Campus"].parent_id == units["Đà Nẵng"].id
    assert units["Vietnam"].parent_id == units["Asia"].id
    assert units["Hai Chau"].parent_id == units["Central Vietnam"].id
    (warning,) = [w for w in stats.get("warnings", []) if "Hai Chau" in w]
    assert "names the same unit as" in warning
    with sessions() as s:
        store = s.scalars(sa.select(Site).where(Site.slug == "warehouse")).one()
        assert (store.admin_unit.code, store.admin_unit.unmapped) == (UNASSIGNED_CODE, True)
        ward = s.scalars(sa.select(Site).where(Site.slug == "ubnd-hai-chau")).one()
        assert ward.admin_unit.code == "20242"
        ap = s.scalars(sa.select(Device).where(Device.name_generated.is_(True))).one()
        assert ap.name == f"UAP-AC-PRO-nb{ids['ap']}"
        no_ip = s.scalars(sa.select(Device).where(Device.name == "dn-esx-02")).one()
        assert no_ip.management_address is None
        assert {
            i.name
            for i in s.scalars(sa.select(Device).where(Device.name == "dn-sw-01")).one().interfaces
        } >= {"ae0", "irb.10", "ge-0/0/47"}


@pytest.mark.long(reason="a full and an incremental sync of the NetBox peer")
def test_a_second_sync_changes_nothing_and_an_edit_touches_only_its_object(
    netbox: Netbox, stock: Stock, synced: tuple[sessionmaker[Session], dict[str, Any]]
):
    sessions = synced[0]
    with sessions() as s:
        log_rows = s.scalar(sa.select(sa.func.count()).select_from(ChangeLog))
    second = run_sync(sessions, netbox.url, netbox.token, full=True)
    assert _changed(second.stats) == {}
    _nothing_failed({**second.stats, "run_status": second.status.value})
    with sessions() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(ChangeLog)) == log_rows
    device = netbox.api.dcim.devices.get(stock.ids["esx2"])
    device.update({"serial": "DN-ESX-02-SN"})
    try:
        third = run_sync(sessions, netbox.url, netbox.token)  # incremental
        assert third.stats["mode"] == "incremental"
        assert _changed(third.stats) == {"devices": {"updated": 1}}
        assert third.status.value == "succeeded"
        with sessions() as s:
            esx2 = s.scalars(sa.select(Device).where(Device.name == "dn-esx-02")).one()
            assert esx2.serial == "DN-ESX-02-SN"
    finally:
        device.update({"serial": ""})


def test_the_audit_opens_nothing_about_units_sites_or_unnamed_devices(
    synced: tuple[sessionmaker[Session], dict[str, Any]],
):
    sessions = synced[0]
    with sessions() as s, s.begin():
        run_audit(s, requested_by="test")
    with sessions() as s:
        rows = s.scalars(sa.select(Discrepancy)).all()
        kinds = {(r.object_type, str(r.kind)) for r in rows}
        addressed = s.scalar(
            sa.select(sa.func.count())
            .select_from(Device)
            .where(Device.management_address.is_not(None))
        )
    # Only "documented but not on the network" for the addressed devices nothing polls.
    assert kinds <= {("device", "not_on_network")}
    assert 0 < len(rows) <= (addressed or 0)
