"""A request on the units of a reform, evaluated by hand, on SQLite and PostgreSQL.

Before (province 91): district 911 with communes 91101 and 91102, district 912
with commune 91201. The commune offices o1 (91101) and o2 (91102) reach the DC
through the district 911 office (standing in 91101); o3 (91201) has its own
link straight to the DC. Every link is TSLCD with a 100 % ceiling:

    o1 ──20── D911 ──100── DC        o3 ──50── DC
    o2 ──20──┘

The reform, effective 2026-07-01 (recorded in advance: today is 2026-06-01):
city 92 with communes 92001 (← 91101 + 91102) and 92002 (← 91201) — no district
level. 92001's committee is seated in o1 (the lowest old code; no old code is
kept), o2 becomes an agency office, the district office too; 92002 is seated in
o3. The links do not change: the paths still come from the link graph.

The request: 15 Mbps per target site, no growth, no samples (baselines 0).

- ``["92"]``, communes, going live 2026-08-01 → the two seats o1 and o3:
  o1 → D911: 15 ≤ 20 (headroom 5); D911 → DC: 15 ≤ 100 (85); o3 → DC: 15 ≤ 50 (35);
  o2's link carries nothing. HOST.
- ``["91"]`` (the old province) going live after the reform → followed to 92001
  and 92002: the same two sites, the same numbers.
- ``["91"]`` going live 2026-06-15, before the reform → the three old committees'
  offices: D911 → DC carries o1 + o2 = 30 ≤ 100 (70).
- 21 Mbps per site after the reform: o1 → D911 needs 21 > 20 → CANNOT HOST there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from capacity import actions
from capacity.evaluate import Evaluation
from cmdb.choices import AdminLevel, AgencyKind, Network, Protection, SiteKind
from cmdb.models import Link, Site
from cmdb.services.import_rows import Format, parse_table
from cmdb.services.reorganise import reorganise
from tests import factories as f

TODAY = date(2026, 6, 1)
EFFECTIVE = date(2026, 7, 1)
UNITS = """level,code,name,parent_code,kind
province,92,Thành phố Mới,,Thành phố
commune,92001,Phường Một,92,Phường
commune,92002,Xã Hai,92,Xã
"""
MAPPING = "old_code,new_code\n91101,92001\n91102,92001\n91201,92002\n"


@dataclass
class Net:
    o1: Site
    o2: Site
    o3: Site
    o1_link: Link
    o2_link: Link
    district_link: Link
    o3_link: Link


def build(session: Session) -> Net:
    province = f.admin_unit(session, code="91", name="Tỉnh Cũ", level=AdminLevel.PROVINCE,
                            kind="Tỉnh")  # fmt: skip
    d911, d912 = (
        f.admin_unit(session, code=code, name=f"Huyện {code}", level=AdminLevel.DISTRICT,
                     kind="Huyện", parent=province)
        for code in ("911", "912")
    )  # fmt: skip
    c1 = f.admin_unit(session, code="91101", name="Thị trấn Một", kind="Thị trấn", parent=d911)
    c2 = f.admin_unit(session, code="91102", name="Xã Một Hai", parent=d911)
    c3 = f.admin_unit(session, code="91201", name="Xã Hai Một", parent=d912)
    dc = f.site(session, slug="dc", name="DC", kind=SiteKind.DATA_CENTRE, admin_unit=c1)
    district = f.site(
        session, slug="ubnd-911", kind=SiteKind.DISTRICT_OFFICE, admin_unit=c1,
        agency=f.agency(session, name="UBND huyện 911", kind=AgencyKind.DISTRICT_COMMITTEE,
                        admin_unit=d911),
    )  # fmt: skip
    o1, o2, o3 = (
        f.site(
            session, slug=f"ubnd-{unit.code}", kind=SiteKind.COMMUNE_OFFICE, admin_unit=unit,
            agency=f.agency(session, name=f"UBND {unit.name}",
                            kind=AgencyKind.COMMUNE_COMMITTEE, admin_unit=unit),
        )
        for unit in (c1, c2, c3)
    )  # fmt: skip

    def link(a: Site, b: Site, mbps: float) -> Link:
        return f.link(session, a_site=a, b_site=b, network=Network.TSLCD, commit_rate_mbps=mbps,
                      ceiling_pct=100.0)  # fmt: skip

    net = Net(o1, o2, o3, link(o1, district, 20), link(o2, district, 20),
              link(district, dc, 100), link(o3, dc, 50))  # fmt: skip
    cluster = f.cluster(
        session, name="CL", site=dc, cpu_ratio=1.0, ram_ratio=1.0, ha_reserve_hosts=0,
        ceiling_pct=100.0, zones=["internal", "tslcd"],
    )  # fmt: skip
    for i in range(2):
        f.server(session, name=f"h{i}", site=dc, cluster=cluster, cores=10, ram_gb=64.0)
    f.storage_pool(session, name="POOL", site=dc, raw_tb=10.0, protection=Protection.NONE,
                   ceiling_pct=100.0)  # fmt: skip
    f.agency(session, name="Sở Thử", short_name="STH")
    reorganise(session, parse_table(UNITS, Format.CSV), parse_table(MAPPING, Format.CSV),
               EFFECTIVE)  # fmt: skip
    session.flush()
    return net


def evaluate(session: Session, admin_units: list[str], go_live: str, mbps: float) -> Evaluation:
    doc: dict[str, Any] = {
        "name": "Hệ thống thử", "agency": "Sở Thử", "security_level": 2, "zone": "internal",
        "go_live": go_live, "horizon_years": 2, "growth_pct_per_year": 0,
        "workloads": [{"name": "app", "count": 1, "vcpu": 2, "ram_gb": 8, "disk_gb": 100}],
        "sites": {"network": "tslcd", "per_site_mbps": mbps, "admin_units": admin_units,
                  "levels": ["commune"]},
    }  # fmt: skip
    return actions.evaluate_document(session, doc, today=TODAY)


def link_rows(result: Evaluation) -> dict[str, tuple[float, float, set[str]]]:
    return {r.resource: (r.demand, r.headroom, set(r.sites)) for r in result.links}


def key(link: Link) -> str:
    return f"link:{link.id}"


def test_the_new_city_is_targeted_through_its_two_seats_without_a_district_level(
    session: Session,
) -> None:
    n = build(session)
    result = evaluate(session, ["92"], "2026-08-01", 15)
    assert result.verdict == "host"
    rows = link_rows(result)
    o1, o3 = str(n.o1.id), str(n.o3.id)
    assert rows[key(n.o1_link)] == (pytest.approx(15.0), pytest.approx(5.0), {o1})
    assert rows[key(n.district_link)] == (pytest.approx(15.0), pytest.approx(85.0), {o1})
    assert rows[key(n.o3_link)] == (pytest.approx(15.0), pytest.approx(35.0), {o3})
    assert key(n.o2_link) not in rows  # o2 is an agency office now: not a target


def test_the_old_province_code_is_followed_to_the_units_that_took_it_over(
    session: Session,
) -> None:
    n = build(session)
    after = link_rows(evaluate(session, ["91"], "2026-08-01", 15))
    assert after[key(n.district_link)][0] == pytest.approx(15.0)
    assert set().union(*(sites for _, _, sites in after.values())) == {
        str(n.o1.id), str(n.o3.id),
    }  # fmt: skip


def test_a_request_going_live_before_the_reform_still_reaches_the_three_old_offices(
    session: Session,
) -> None:
    n = build(session)
    rows = link_rows(evaluate(session, ["91"], "2026-06-15", 15))
    assert rows[key(n.district_link)] == (
        pytest.approx(30.0), pytest.approx(70.0), {str(n.o1.id), str(n.o2.id)},
    )  # fmt: skip


def test_one_mbps_over_a_commune_link_cannot_be_hosted_after_the_reform(
    session: Session,
) -> None:
    n = build(session)
    result = evaluate(session, ["92001", "92002"], "2026-08-01", 21)
    assert result.verdict == "cannot_host"
    assert result.first_shortfall is not None
    assert result.first_shortfall.resource == key(n.o1_link)
