"""The database itself refuses impossible inventory, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from cmdb.choices import Network, Protection, SiteKind
from cmdb.models import AdminUnit, Link, RecordSource, Site, Workload
from tests import factories as f


def _refused(session: Session, build: Callable[[], object]) -> None:
    with pytest.raises((IntegrityError, StatementError)):
        build()
        session.flush()
    session.rollback()


def test_link_capacity_must_be_positive(session: Session) -> None:
    _refused(session, lambda: f.link(session, commit_rate_mbps=0.0))
    _refused(session, lambda: f.link(session, commit_rate_mbps=None, port_speed_mbps=-100.0))


def test_link_needs_a_commit_rate_or_a_port_speed(session: Session) -> None:
    _refused(session, lambda: f.link(session, commit_rate_mbps=None, port_speed_mbps=None))


def test_link_capacity_is_commit_rate_else_port_speed(session: Session) -> None:
    committed = f.link(session, commit_rate_mbps=20.0, port_speed_mbps=100.0)
    port_only = f.link(session, commit_rate_mbps=None, port_speed_mbps=1000.0)
    assert (committed.capacity_mbps, port_only.capacity_mbps) == (20.0, 1000.0)


def test_link_cannot_join_a_site_to_itself(session: Session) -> None:
    site = f.site(session)
    _refused(session, lambda: f.link(session, a_site=site, b_site=site))


def test_link_inside_one_site_needs_an_interface_and_two_must_differ(session: Session) -> None:
    site, one = f.site(session), f.interface(session)
    _refused(
        session, lambda: f.link(session, a_site=site, b_site=site, a_interface=one, b_interface=one)
    )
    cable = f.cable_inside(session, f.site(session, kind=SiteKind.DATA_CENTRE))
    session.flush()
    assert cable.inside_one_site and cable.capacity_mbps == 10000.0
    # A cable from an interface to a patch panel's port or a circuit's termination.
    dc = f.site(session, kind=SiteKind.DATA_CENTRE)
    to_panel = f.link(session, a_site=dc, b_site=dc, a_interface=f.interface(session))
    session.flush()
    assert to_panel.inside_one_site and to_panel.b_interface_id is None


def test_unknown_network_value_is_refused(session: Session) -> None:
    a, b = f.site(session), f.site(session)
    stmt = sa.insert(Link).values(
        name="x", network="carrier-pigeon", a_site_id=a.id, b_site_id=b.id, commit_rate_mbps=1.0
    )
    _refused(session, lambda: session.execute(stmt))


def test_workload_cluster_must_exist(session: Session) -> None:
    system = f.information_system(session)
    stmt = sa.insert(Workload).values(
        information_system_id=system.id,
        name="vm",
        vcpu=2,
        ram_gb=4.0,
        disk_gb=0.0,
        cluster_id=999_999,
        status="active",
    )
    _refused(session, lambda: session.execute(stmt))


@pytest.mark.parametrize("level", [0, 6, -1])
def test_security_level_is_between_1_and_5(session: Session, level: int) -> None:
    _refused(session, lambda: f.information_system(session, security_level=level))


@pytest.mark.parametrize("level", [1, 5])
def test_security_level_bounds_are_accepted(session: Session, level: int) -> None:
    assert f.information_system(session, security_level=level).id is not None


def test_workload_sizes_must_be_positive(session: Session) -> None:
    _refused(session, lambda: f.workload(session, vcpu=0))
    _refused(session, lambda: f.workload(session, ram_gb=-1.0))


def test_cluster_ratios_and_ceiling_are_bounded(session: Session) -> None:
    _refused(session, lambda: f.cluster(session, cpu_ratio=0.0))
    _refused(session, lambda: f.cluster(session, ceiling_pct=120.0))
    _refused(session, lambda: f.cluster(session, ha_reserve_hosts=-1))


def test_storage_pool_usable_capacity_follows_protection(session: Session) -> None:
    raid6 = f.storage_pool(session, raw_tb=100.0, protection=Protection.RAID6_8_2)
    replica = f.storage_pool(session, raw_tb=90.0, protection=Protection.REPLICA3)
    assert raid6.usable_tb == pytest.approx(80.0)
    assert replica.usable_tb == pytest.approx(30.0)
    _refused(session, lambda: f.storage_pool(session, raw_tb=0.0))


def test_admin_unit_codes_are_unique(session: Session) -> None:
    f.admin_unit(session, code="20341")
    _refused(session, lambda: f.admin_unit(session, code="20341"))


def test_site_needs_an_admin_unit(session: Session) -> None:
    _refused(session, lambda: f.site(session, admin_unit=None, admin_unit_id=None))


def test_an_admin_unit_with_sites_cannot_be_deleted(session: Session) -> None:
    unit = f.admin_unit(session)
    f.site(session, admin_unit=unit, kind=SiteKind.COMMUNE_OFFICE)
    _refused(session, lambda: session.execute(sa.delete(AdminUnit).where(AdminUnit.id == unit.id)))


def test_admin_tree_has_any_depth(session: Session) -> None:
    province = f.admin_unit(session, level="province", kind="Thành phố")
    commune = f.admin_unit(session, parent=province)  # after 2025: no district in between
    session.expire_all()
    assert session.get(AdminUnit, province.id).children == [commune]  # type: ignore[union-attr]


def test_a_record_lists_its_sources(session: Session) -> None:
    site = f.site(session)
    session.add_all(
        [
            RecordSource(object_type="site", object_id=site.id, source="netbox", external_id="17"),
            RecordSource(object_type="site", object_id=site.id, source="snmp", external_id=None),
            RecordSource(object_type="link", object_id=site.id, source="netbox", external_id="9"),
        ]
    )
    session.flush()
    session.expire_all()
    reloaded = session.get(Site, site.id)
    assert reloaded is not None
    assert sorted((s.source, s.external_id) for s in reloaded.sources) == [
        ("netbox", "17"),
        ("snmp", None),
    ]


def test_one_record_has_one_row_per_source(session: Session) -> None:
    site = f.site(session)
    session.add(RecordSource(object_type="site", object_id=site.id, source="netbox"))
    session.flush()
    _refused(
        session,
        lambda: session.add(RecordSource(object_type="site", object_id=site.id, source="netbox")),
    )


def test_enums_are_stored_by_value(session: Session) -> None:
    f.link(session, network=Network.TSLCD)
    stored = session.execute(sa.text("SELECT network FROM link")).scalars().all()
    assert stored == ["tslcd"]
