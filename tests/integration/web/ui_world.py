"""A small inventory with one of everything the UI pages show, and a user per role.

Shared by the page × role tests and the language tests; built once per module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from cmdb.choices import (
    DiscrepancyKind,
    Metric,
    RequestStatus,
    ResourceKind,
    Role,
    SiteKind,
    Source,
    Zone,
)
from cmdb.models import (
    ChangeLog,
    DiscoveryRun,
    Discrepancy,
    RecordSource,
    ResourceRequest,
    SampleDaily,
    Series,
)
from cmdb.services.samples import refresh_daily_marks
from cmdb.services.users import create_user
from tests import factories as f

TODAY = date(2026, 1, 15)
ROLES = tuple(Role)
PASSWORD = "correct horse battery"


@dataclass
class World:
    """Ids of what was made, for the page URLs and the assertions."""

    site: int
    device: int
    cluster: int
    pool: int
    link: int
    system: int
    workload: int
    request: int
    users: dict[str, int]


def build_world(session: Session) -> World:
    dc = f.site(session, name="TTDL tỉnh", slug="dc", kind=SiteKind.DATA_CENTRE)
    commune = f.site(session, name="UBND xã Tam Thăng", slug="tam-thang")
    cluster = f.cluster(session, site=dc, name="CL-PROD")
    host = f.server(session, site=dc, name="esx-01", cluster=cluster, serial="CZ001")
    f.server(session, site=dc, name="esx-02", cluster=cluster)
    pool = f.storage_pool(session, site=dc, name="SAN-01")
    agency = f.agency(session, name="Sở Thông tin và Truyền thông", short_name="STTTT")
    system = f.information_system(session, name="Cổng dịch vụ công", code="DVC", agency=agency)
    vm = f.workload(session, name="dvc-web-01", information_system=system, cluster=cluster,
                    storage_pool=pool, vcpu=8, ram_gb=16.0)  # fmt: skip
    link = f.link(session, name="TSLCD Tam Thăng", a_site=commune, b_site=dc,
                  commit_rate_mbps=1000.0, provider="VNPT")  # fmt: skip
    _traffic(session, link.id, mbps=450.0)
    _provenance(session, host.id)
    session.add(Discrepancy(kind=DiscrepancyKind.MISMATCH, object_type="device",
                            object_id=host.id, field="serial",
                            values={"netbox": "CZ001", "snmp": "CZ00X"}))  # fmt: skip
    request = ResourceRequest(name="Hội nghị truyền hình", status=RequestStatus.SUBMITTED,
                              security_level=2, zone=Zone.TSLCD, go_live=TODAY, horizon_years=5,
                              agency=agency)  # fmt: skip
    session.add(request)
    users = {
        role.value: create_user(
            session, f"u-{role.value}", role, password=PASSWORD,
            agency="STTTT" if role is Role.REQUESTER else None,
        ).id
        for role in ROLES
    }  # fmt: skip
    session.flush()
    return World(dc.id, host.id, cluster.id, pool.id, link.id, system.id, vm.id, request.id, users)


def _traffic(session: Session, link_id: int, mbps: float) -> None:
    """Sixty days of daily peaks on the link's inbound series, so its chart has history."""
    series = Series(object_type=ResourceKind.LINK, object_id=link_id, metric=Metric.IN_MBPS,
                    unit="Mbps")  # fmt: skip
    session.add(series)
    session.flush()
    for k in range(60):
        day = TODAY - timedelta(days=60 - k)
        value = mbps + k
        session.add(SampleDaily(series_id=series.id, day=day, avg=value / 2, max=value,
                                p95=value, count=288))  # fmt: skip
    session.flush()
    refresh_daily_marks(session, [series.id])


def _provenance(session: Session, device_id: int) -> None:
    """NetBox saw the device recently; SNMP saw it once, then a complete run missed it."""
    seen = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)
    session.add_all([
        RecordSource(object_type="device", object_id=device_id, source=Source.NETBOX,
                     external_id="17", first_seen_at=seen, last_seen_at=seen),
        RecordSource(object_type="device", object_id=device_id, source=Source.SNMP,
                     external_id=None, first_seen_at=seen - timedelta(days=30),
                     last_seen_at=seen - timedelta(days=20)),
        DiscoveryRun(source=Source.SNMP, status="succeeded", started_at=seen,
                     finished_at=seen + timedelta(minutes=5)),
        ChangeLog(actor="netbox-sync", action="update", object_type="device",
                  object_id=device_id, object_repr="esx-01",
                  before={"serial": "CZ000"}, after={"serial": "CZ001"}),
    ])  # fmt: skip
