"""A small inventory in the database whose numbers are easy to work out by hand.

DC ── district link (100 Mbps) ── district office ── 3 commune links (20 Mbps each)
One cluster of 2 hosts × 10 cores / 64 GB, ratios 1, no HA reserve, ceiling 100 %:
20 vCPU and 128 GB. One storage pool of 10 TB raw, no protection, ceiling 100 %.
No samples: every baseline is the current allocation (no workloads: 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from cmdb.choices import AdminLevel, AgencyKind, Network, Protection, SiteKind
from cmdb.models import AdminUnit, Agency, Cluster, Link, Site, StoragePool
from tests import factories as f


@dataclass
class SmallProvince:
    province: AdminUnit
    district: AdminUnit
    communes: list[AdminUnit]
    dc: Site
    district_site: Site
    commune_sites: list[Site]
    district_link: Link
    commune_links: list[Link]
    cluster: Cluster
    pool: StoragePool
    agency: Agency
    extra: dict[str, Any] = field(default_factory=dict)


def build_small_province(session: Session) -> SmallProvince:
    province = f.admin_unit(
        session, code="91", name="Tỉnh Thử", level=AdminLevel.PROVINCE, kind="Tỉnh"
    )
    district = f.admin_unit(
        session,
        code="911",
        name="Huyện Thử",
        level=AdminLevel.DISTRICT,
        kind="Huyện",
        parent=province,
    )
    communes = [
        f.admin_unit(session, code=f"9110{i}", name=f"Xã Thử {i}", parent=district)
        for i in range(1, 4)
    ]
    dc = f.site(session, name="DC", slug="dc", kind=SiteKind.DATA_CENTRE, admin_unit=communes[0])
    district_agency = f.agency(
        session, name="UBND Huyện Thử", kind=AgencyKind.DISTRICT_COMMITTEE, admin_unit=district
    )
    district_site = f.site(
        session,
        slug="ubnd-911",
        kind=SiteKind.DISTRICT_OFFICE,
        admin_unit=communes[0],
        agency=district_agency,
    )
    commune_sites = []
    for unit in communes:
        agency = f.agency(
            session, name=f"UBND {unit.name}", kind=AgencyKind.COMMUNE_COMMITTEE, admin_unit=unit
        )
        commune_sites.append(
            f.site(
                session,
                slug=f"ubnd-{unit.code}",
                kind=SiteKind.COMMUNE_OFFICE,
                admin_unit=unit,
                agency=agency,
            )
        )
    district_link = f.link(
        session,
        a_site=district_site,
        b_site=dc,
        network=Network.TSLCD,
        commit_rate_mbps=100.0,
        ceiling_pct=100.0,
    )
    commune_links = [
        f.link(
            session,
            a_site=s,
            b_site=district_site,
            network=Network.TSLCD,
            commit_rate_mbps=20.0,
            ceiling_pct=100.0,
        )
        for s in commune_sites
    ]
    cluster = f.cluster(
        session,
        name="CL",
        site=dc,
        cpu_ratio=1.0,
        ram_ratio=1.0,
        ha_reserve_hosts=0,
        ceiling_pct=100.0,
        max_security_level=3,
        zones=["internal", "tslcd"],
    )
    for i in range(2):
        f.server(session, name=f"h{i}", site=dc, cluster=cluster, cores=10, ram_gb=64.0)
    pool = f.storage_pool(
        session, name="POOL", site=dc, raw_tb=10.0, protection=Protection.NONE, ceiling_pct=100.0
    )
    agency = f.agency(session, name="Sở Thử", short_name="STH")
    session.flush()
    return SmallProvince(province, district, communes, dc, district_site, commune_sites,
                         district_link, commune_links, cluster, pool, agency)  # fmt: skip


def request_doc(**overrides: Any) -> dict[str, Any]:
    """A request of 4 VMs × 2 vCPU / 8 GB / 100 GB on the small province."""
    doc: dict[str, Any] = {
        "name": "Hệ thống thử",
        "agency": "Sở Thử",
        "security_level": 2,
        "zone": "internal",
        "go_live": "2027-01-01",
        "horizon_years": 2,
        "growth_pct_per_year": 0,
        "workloads": [{"name": "app", "count": 4, "vcpu": 2, "ram_gb": 8, "disk_gb": 100}],
    }
    doc.update(overrides)
    return doc
