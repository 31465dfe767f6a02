"""Known inventory for the Ansible tests: a small province, its DC, a commune, hosts.

Every value the tests assert (groups, host variables) comes from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from cmdb.choices import AdminLevel, AgencyKind, DeviceRole, Network, SiteKind, Status
from tests import factories as f


@dataclass(frozen=True)
class Seeded:
    hv_id: int
    router_id: int
    local_id: int  # the controller itself (127.0.0.1): the fact-sync target
    vm_id: int
    hidden_ids: tuple[int, ...]  # no management address: never in the inventory


def seed(session: Session) -> Seeded:
    province = f.admin_unit(
        session, code="49", name="Tỉnh Quảng Nam", level=AdminLevel.PROVINCE, kind="Tỉnh"
    )
    district = f.admin_unit(
        session,
        code="503",
        name="Huyện Thăng Bình",
        level=AdminLevel.DISTRICT,
        kind="Huyện",
        parent=province,
    )
    commune = f.admin_unit(session, code="20470", name="Xã Bình Minh", parent=district)
    city = f.admin_unit(
        session,
        code="502",
        name="Thành phố Tam Kỳ",
        level=AdminLevel.DISTRICT,
        kind="Thành phố",
        parent=province,
    )
    ward = f.admin_unit(session, code="20299", name="Phường An Mỹ", kind="Phường", parent=city)
    ict = f.agency(session, name="Sở Thông tin và Truyền thông", short_name="STTTT")
    commune_committee = f.agency(
        session, name="UBND xã Bình Minh", short_name="UBND-BM", kind=AgencyKind.COMMUNE_COMMITTEE
    )
    dc = f.site(
        session,
        name="Trung tâm Dữ liệu tỉnh",
        slug="ttdl",
        kind=SiteKind.DATA_CENTRE,
        admin_unit=ward,
        agency=ict,
    )
    office = f.site(
        session,
        name="UBND xã Bình Minh",
        slug="xa-binh-minh",
        admin_unit=commune,
        agency=commune_committee,
    )
    prod = f.cluster(session, name="CL-PROD", site=dc, max_security_level=3)
    hv = f.server(
        session,
        name="hv-01",
        site=dc,
        cluster=prod,
        management_address="10.49.0.11",
        cores=32,
        ram_gb=512.0,
        serial="CZ2049X01",
        model="ProLiant DL380 Gen10",
        manufacturer="HPE",
        tags=["pci-dss", "backup"],
    )
    router = f.server(
        session,
        name="rt-binh-minh",
        role=DeviceRole.ROUTER,
        site=office,
        management_address="10.49.20.1",
        cores=None,
        ram_gb=None,
    )
    f.link(session, a_site=office, b_site=dc, network=Network.TSLCD, name="TSLCD Bình Minh")
    local = f.server(
        session,
        name="ansible-ctl",
        site=dc,
        cluster=prod,
        management_address="127.0.0.1",
        cores=None,
        ram_gb=64.0,
    )
    dark = f.server(session, name="hv-spare", site=dc, management_address=None)
    retired = f.server(
        session,
        name="hv-old",
        site=dc,
        status=Status.DECOMMISSIONED,
        management_address="10.49.0.99",
    )
    portal = f.information_system(
        session,
        name="Cổng thông tin điện tử",
        code="CTTĐT",
        agency=ict,
        security_level=2,
        zones=["internet", "internal"],
    )
    vm = f.workload(
        session,
        name="vm-portal-01",
        information_system=portal,
        cluster=prod,
        vcpu=4,
        ram_gb=8.0,
        disk_gb=100.0,
        management_address="10.49.1.21",
        tags=["backup"],
    )
    f.workload(session, name="vm-no-address", information_system=portal, cluster=prod)
    del retired
    return Seeded(hv.id, router.id, local.id, vm.id, (dark.id,))
