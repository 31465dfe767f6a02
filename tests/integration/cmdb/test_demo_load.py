"""The demo province as loaded into SQLite and PostgreSQL: counts and realism invariants.

One load per backend (module fixture ``demo``); every test only reads.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import (
    PROTECTION_EFFICIENCY,
    AdminLevel,
    Metric,
    Network,
    RequestStatus,
    ResourceKind,
    SiteKind,
    Source,
)
from cmdb.demo import DemoSummary
from cmdb.demo.context import HISTORY_DAYS
from cmdb.models import (
    AdminUnit,
    Cluster,
    Device,
    Link,
    RecordSource,
    ResourceRequest,
    SampleDaily,
    Series,
    Site,
    StoragePool,
    Workload,
)
from cmdb.schemas.request import load_request
from tests.demo_databases import DEMO_TODAY

Demo = tuple[Session, DemoSummary]


def _count(session: Session, stmt: sa.Select) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0


def test_admin_units_are_the_province_18_districts_and_241_communes(demo: Demo) -> None:
    session, summary = demo
    levels = dict(
        session.execute(sa.select(AdminUnit.level, sa.func.count()).group_by(AdminUnit.level)).all()
    )
    assert levels == {AdminLevel.PROVINCE: 1, AdminLevel.DISTRICT: 18, AdminLevel.COMMUNE: 241}
    assert summary.admin_units == 260
    orphans = sa.select(AdminUnit).where(
        AdminUnit.parent_id.is_(None), AdminUnit.level != AdminLevel.PROVINCE
    )
    assert _count(session, orphans) == 0


def test_one_office_per_district_and_commune_each_with_one_tslcd_link_toward_the_dc(
    demo: Demo,
) -> None:
    session, _ = demo
    dc = session.scalars(sa.select(Site).where(Site.kind == SiteKind.DATA_CENTRE)).one()
    offices = session.scalars(
        sa.select(Site).where(Site.kind.in_([SiteKind.DISTRICT_OFFICE, SiteKind.COMMUNE_OFFICE]))
    ).all()
    # A district office sits in a commune-level unit of its district.
    district_office_of = {
        s.admin_unit.parent_id: s for s in offices if s.kind == SiteKind.DISTRICT_OFFICE
    }
    assert sum(s.kind == SiteKind.DISTRICT_OFFICE for s in offices) == 18
    assert sum(s.kind == SiteKind.COMMUNE_OFFICE for s in offices) == 241
    for office in offices:
        tslcd = [link for link in office.links_a if link.network == Network.TSLCD]
        assert len(tslcd) == 1, office.slug
        if office.kind == SiteKind.DISTRICT_OFFICE:
            assert tslcd[0].b_site_id == dc.id
        else:
            district_id = office.admin_unit.parent_id
            assert tslcd[0].b_site is district_office_of[district_id], office.slug


def test_every_site_sits_in_a_commune_level_unit(demo: Demo) -> None:
    """A site's admin unit is the smallest that contains it (DC and POPs in Tam Kỳ wards)."""
    session, _ = demo
    levels = session.scalars(
        sa.select(AdminUnit.level).join(Site, Site.admin_unit_id == AdminUnit.id).distinct()
    ).all()
    assert set(levels) == {AdminLevel.COMMUNE}
    district_offices = session.scalars(
        sa.select(Site).where(Site.kind == SiteKind.DISTRICT_OFFICE)
    ).all()
    for office in district_offices:
        assert office.admin_unit.parent is not None
        assert office.agency is not None
        assert office.agency.admin_unit is office.admin_unit.parent  # its own district


def test_three_clusters_with_their_certifications(demo: Demo) -> None:
    session, summary = demo
    clusters = {c.name: c for c in session.scalars(sa.select(Cluster))}
    assert summary.clusters == 3
    assert (clusters["PROD-CL01"].max_security_level, set(clusters["PROD-CL01"].zones)) == (
        3,
        {"internal", "tslcd"},
    )
    assert (clusters["DMZ-CL01"].max_security_level, clusters["DMZ-CL01"].zones) == (
        2,
        ["internet"],
    )
    assert (clusters["MGMT-CL01"].max_security_level, clusters["MGMT-CL01"].zones) == (
        3,
        ["internal"],
    )


def test_every_workload_sits_on_a_cluster_certified_for_its_system(demo: Demo) -> None:
    session, _ = demo
    for workload in session.scalars(sa.select(Workload)):
        system, cluster = workload.information_system, workload.cluster
        assert system.security_level <= cluster.max_security_level, workload.name
        assert set(system.zones) <= set(cluster.zones), workload.name


def test_every_series_has_730_days_ending_yesterday(demo: Demo) -> None:
    session, summary = demo
    rows = session.execute(
        sa.select(
            SampleDaily.series_id,
            sa.func.count(),
            sa.func.min(SampleDaily.day),
            sa.func.max(SampleDaily.day),
        ).group_by(SampleDaily.series_id)
    ).all()
    assert len(rows) == summary.series
    first = DEMO_TODAY - timedelta(days=HISTORY_DAYS)
    assert {(n, lo, hi) for _, n, lo, hi in rows} == {
        (HISTORY_DAYS, first, DEMO_TODAY - timedelta(days=1))
    }
    expected = 2 * summary.clusters + summary.storage_pools + 2 * summary.links
    assert summary.series == expected


def test_rollups_are_ordered_avg_p95_max(demo: Demo) -> None:
    session, _ = demo
    bad = sa.select(SampleDaily).where(
        (SampleDaily.avg > SampleDaily.p95) | (SampleDaily.p95 > SampleDaily.max)
    )
    assert _count(session, bad) == 0


def _last(session: Session, kind: ResourceKind, object_id: int, metric: Metric) -> float:
    return session.scalar(
        sa.select(SampleDaily.avg)
        .join(Series, Series.id == SampleDaily.series_id)
        .where(Series.object_type == kind, Series.object_id == object_id, Series.metric == metric)
        .order_by(SampleDaily.day.desc())
        .limit(1)
    )


def test_cluster_allocation_today_is_the_sum_of_its_vms(demo: Demo) -> None:
    session, _ = demo
    for cluster in session.scalars(sa.select(Cluster)):
        vcpu = sum(w.vcpu for w in cluster.workloads)
        ram = sum(w.ram_gb for w in cluster.workloads)
        last_vcpu = _last(session, ResourceKind.CLUSTER, cluster.id, Metric.VCPU_ALLOCATED)
        last_ram = _last(session, ResourceKind.CLUSTER, cluster.id, Metric.RAM_ALLOCATED_GB)
        assert last_vcpu == pytest.approx(vcpu, rel=0.03), cluster.name
        assert last_ram == pytest.approx(ram, rel=0.03), cluster.name


def _slope_per_year(session: Session, kind: ResourceKind, object_id: int, metric: Metric) -> float:
    """Least-squares slope of the daily average over the last year."""
    values = session.scalars(
        sa.select(SampleDaily.avg)
        .join(Series, Series.id == SampleDaily.series_id)
        .where(Series.object_type == kind, Series.object_id == object_id, Series.metric == metric)
        .order_by(SampleDaily.day.desc())
        .limit(365)
    ).all()[::-1]
    n = len(values)
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    cov = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values))
    var = sum((i - mean_x) ** 2 for i in range(n))
    return cov / var * 365


def _years_to_ceiling(used: float, ceiling: float, slope: float) -> float:
    return (ceiling - used) / slope if slope > 0 else float("inf")


def test_production_ram_and_the_san_run_out_within_two_years_the_dmz_does_not(
    demo: Demo,
) -> None:
    session, _ = demo
    clusters = {c.name: c for c in session.scalars(sa.select(Cluster))}

    def ram_years(cluster: Cluster) -> float:
        rams = [h.ram_gb or 0 for h in cluster.hosts]
        ceiling = (sum(rams) - max(rams)) * cluster.ram_ratio * cluster.ceiling_pct / 100
        used = _last(session, ResourceKind.CLUSTER, cluster.id, Metric.RAM_ALLOCATED_GB)
        slope = _slope_per_year(session, ResourceKind.CLUSTER, cluster.id, Metric.RAM_ALLOCATED_GB)
        return _years_to_ceiling(used, ceiling, slope)

    assert 0 < ram_years(clusters["PROD-CL01"]) < 2
    assert ram_years(clusters["DMZ-CL01"]) > 3
    san = session.scalars(sa.select(StoragePool).where(StoragePool.name == "SAN-01")).one()
    ceiling = san.raw_tb * PROTECTION_EFFICIENCY[san.protection] * san.ceiling_pct / 100
    used = _last(session, ResourceKind.STORAGE_POOL, san.id, Metric.STORAGE_USED_TB)
    slope = _slope_per_year(session, ResourceKind.STORAGE_POOL, san.id, Metric.STORAGE_USED_TB)
    assert 0 < _years_to_ceiling(used, ceiling, slope) < 2


def test_some_commune_links_are_slow_and_some_are_near_their_ceiling(demo: Demo) -> None:
    session, _ = demo
    commune_links = session.scalars(
        sa.select(Link)
        .join(Site, Site.id == Link.a_site_id)
        .where(Site.kind == SiteKind.COMMUNE_OFFICE)
    ).all()
    assert sum(link.capacity_mbps < 20 for link in commune_links) == 8
    assert min(link.capacity_mbps for link in commune_links) >= 4
    recent = DEMO_TODAY - timedelta(days=56)
    peak_share = dict(
        session.execute(
            sa.select(Link.id, sa.func.max(SampleDaily.p95) / Link.commit_rate_mbps)
            .join(Series, (Series.object_id == Link.id) & (Series.object_type == "link"))
            .join(SampleDaily, SampleDaily.series_id == Series.id)
            .where(Series.metric == Metric.IN_MBPS, SampleDaily.day >= recent)
            .group_by(Link.id, Link.commit_rate_mbps)
        ).all()
    )
    busy = [link for link in commune_links if peak_share[link.id] >= 0.55]
    assert 3 <= len(busy) <= 40
    assert max(peak_share.values()) <= 0.97


def test_pending_requests_carry_their_request_documents(demo: Demo) -> None:
    session, summary = demo
    requests = session.scalars(sa.select(ResourceRequest).order_by(ResourceRequest.id)).all()
    assert summary.requests == len(requests) == 4
    assert {r.status for r in requests} == {RequestStatus.SUBMITTED}
    video, land, ioc, modest = (r.spec for r in requests)
    assert video["sites"]["admin_units"] == ["49"]
    assert video["sites"]["levels"] == ["commune"]
    assert 4 <= video["sites"]["per_site_mbps"] <= 6
    assert 70 <= land["storage_tb"] <= 90
    assert ioc["storage_tb"] >= 100
    assert modest["storage_tb"] < 1
    assert all(r.go_live > DEMO_TODAY for r in requests)


def test_request_documents_pass_the_request_schema(demo: Demo) -> None:
    session, _ = demo
    requests = session.scalars(sa.select(ResourceRequest)).all()
    assert requests, "the demo has no resource requests to check"
    for request in requests:
        load_request(request.spec, today=DEMO_TODAY)


def test_demo_records_say_they_come_from_the_demo(demo: Demo) -> None:
    session, summary = demo
    marked = dict(
        session.execute(
            sa.select(RecordSource.object_type, sa.func.count())
            .where(RecordSource.source == Source.DEMO)
            .group_by(RecordSource.object_type)
        ).all()
    )
    assert marked["admin_unit"] == summary.admin_units
    assert marked["site"] == summary.sites
    assert marked["device"] == summary.devices


def test_devices_have_unique_serials_and_management_addresses(demo: Demo) -> None:
    session, summary = demo
    devices = session.scalars(sa.select(Device)).all()
    assert len({d.serial for d in devices}) == summary.devices
    addresses = [d.management_address for d in devices if d.management_address]
    assert len(addresses) == len(set(addresses))
    assert all(a.startswith("10.") for a in addresses)
