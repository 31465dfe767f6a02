"""The real 2025 reform applied to the demo province, on SQLite and PostgreSQL.

One load and one reorganisation per backend (module fixture); the tree, the
committee sites and the request targets are read before it, so every test
compares "after" with what was really there "before".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import AdminLevel, ChangeAction, SiteKind
from cmdb.demo import DemoSummary
from cmdb.demo.reform import REFORM_2025, reform_2025_tables
from cmdb.errors import ValidationError
from cmdb.models import AdminUnit, Agency, ChangeLog, Site, SiteHistory
from cmdb.schemas.request import load_request
from cmdb.services.admin_tree import UnitNode, load_admin_tree
from cmdb.services.reorganise import Reorganisation, reorganise
from cmdb.services.requests import COMMITTEE_AGENCY_KINDS, resolve_request_refs

LAST_DAY = date(2025, 6, 30)


@dataclass
class Reformed:
    session: Session
    result: Reorganisation
    tree_before: dict[str, Any]
    targets_before: list[int]


def tree_shape(roots: list[UnitNode]) -> dict[str, Any]:
    """Unit code → (level, its sites' slugs, each site's links) for a whole tree."""
    shape: dict[str, Any] = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        sites = {
            s.site.slug: sorted((e.link.id, e.uplink, e.other.slug) for e in s.links)
            for s in node.sites
        }
        shape[node.unit.code] = (str(node.unit.level), sites)
        stack.extend(node.children)
    return shape


def request_doc(admin_units: list[str], go_live: str, levels: list[str] | None = None) -> dict:
    return {
        "name": "Họp trực tuyến", "agency": "VP UBND tỉnh", "security_level": 2, "zone": "tslcd",
        "go_live": go_live, "horizon_years": 1, "growth_pct_per_year": 0,
        "workloads": [{"name": "mcu", "count": 1, "vcpu": 4, "ram_gb": 8, "disk_gb": 100}],
        "storage_tb": 0, "dc_bandwidth": [],
        "sites": {"network": "tslcd", "per_site_mbps": 2, "admin_units": admin_units,
                  "levels": levels or ["commune"]},
    }  # fmt: skip


def site_ids(session: Session, doc: dict, today: date) -> list[int]:
    return resolve_request_refs(session, load_request(doc, today=today)).site_ids


@pytest.fixture(scope="module")
def reformed(demo: tuple[Session, DemoSummary]) -> Reformed:
    session, _ = demo
    before = tree_shape(load_admin_tree(session, as_of=LAST_DAY))
    targets = site_ids(session, request_doc(["49"], "2025-03-01"), date(2025, 1, 15))
    result = reorganise(session, *reform_2025_tables(), REFORM_2025)
    session.flush()
    return Reformed(session, result, before, targets)


def test_the_reform_creates_95_units_dissolves_260_and_moves_every_site(
    reformed: Reformed,
) -> None:
    counts = reformed.result.plan.counts()
    assert reformed.result.applied
    # 48 and its 94 communes; 49, its 18 districts and 241 communes; 241 commune
    # offices, 18 district offices (they stand in communes), the DC and two POPs.
    assert (counts["units_created"], counts["units_dissolved"], counts["sites_moved"]) == (
        95, 260, 262,
    )  # fmt: skip


def test_all_241_commune_offices_now_stand_in_the_78_new_units(reformed: Reformed) -> None:
    s = reformed.session
    rows = s.execute(
        sa.select(AdminUnit.code, AdminUnit.valid_from, AdminUnit.parent_id)
        .join(Site, Site.admin_unit_id == AdminUnit.id)
        .join(SiteHistory, SiteHistory.site_id == Site.id)
        .where(SiteHistory.kind == SiteKind.COMMUNE_OFFICE)
    ).all()
    assert len(rows) == 241
    assert len({code for code, _, _ in rows}) == 78
    assert {valid_from for _, valid_from, _ in rows} == {REFORM_2025}
    city = s.scalar(sa.select(AdminUnit.id).where(AdminUnit.code == "48"))
    assert {parent for _, _, parent in rows} == {city}  # no district level


def test_no_site_stands_in_a_dissolved_unit_after_the_reform(reformed: Reformed) -> None:
    stranded = reformed.session.scalar(
        sa.select(sa.func.count())
        .select_from(Site)
        .join(AdminUnit, AdminUnit.id == Site.admin_unit_id)
        .where(AdminUnit.valid_to.is_not(None), AdminUnit.valid_to <= REFORM_2025)
    )
    assert stranded == 0


def test_old_units_are_kept_ending_on_the_reform_day_with_their_successor(
    reformed: Reformed,
) -> None:
    s = reformed.session
    old = s.scalars(sa.select(AdminUnit).where(AdminUnit.valid_to == REFORM_2025)).all()
    assert Counter(u.level for u in old) == {
        AdminLevel.PROVINCE: 1, AdminLevel.DISTRICT: 18, AdminLevel.COMMUNE: 241,
    }  # fmt: skip
    tan_thanh = next(u for u in old if u.code == "20335")
    assert tan_thanh.name == "Phường Tân Thạnh"
    assert tan_thanh.successor is not None and tan_thanh.successor.name == "Phường Bàn Thạch"
    assert all(u.successor is None for u in old if u.level != AdminLevel.COMMUNE)


def test_each_new_unit_has_one_committee_seated_in_the_office_of_its_own_code(
    reformed: Reformed,
) -> None:
    s = reformed.session
    seats = s.execute(
        sa.select(AdminUnit.code, Site.slug)
        .join(Agency, Agency.admin_unit_id == AdminUnit.id)
        .join(Site, Site.agency_id == Agency.id)
        .where(AdminUnit.valid_from == REFORM_2025, Site.kind == SiteKind.COMMUNE_OFFICE)
    ).all()
    assert len(seats) == 78
    assert all(slug.endswith(f"-{code}") for code, slug in seats)  # every code is one of its parts
    offices = s.scalar(
        sa.select(sa.func.count()).select_from(Site).where(Site.kind == SiteKind.COMMUNE_OFFICE)
    )
    assert offices == 78  # the 163 other former offices are now agency offices


def test_the_change_log_records_every_change(reformed: Reformed) -> None:
    rows = reformed.session.execute(
        sa.select(ChangeLog.object_type, ChangeLog.action, sa.func.count())
        .where(ChangeLog.actor == "reorganise")
        .group_by(ChangeLog.object_type, ChangeLog.action)
    ).all()
    ended = reformed.session.scalars(
        sa.select(Agency)
        .join(AdminUnit, AdminUnit.id == Agency.admin_unit_id)
        .where(Agency.kind.in_(COMMITTEE_AGENCY_KINDS), AdminUnit.valid_to == REFORM_2025)
    ).all()
    assert ended and all(a.valid_to == REFORM_2025 for a in ended)  # with their units
    assert {(t, a): n for t, a, n in rows} == {
        ("admin_unit", ChangeAction.CREATE): 95,
        ("admin_unit", ChangeAction.UPDATE): 260,
        ("agency", ChangeAction.CREATE): 78,
        ("agency", ChangeAction.UPDATE): len(ended),
        ("site", ChangeAction.UPDATE): 262,
    }


def test_running_the_same_mapping_again_changes_nothing(reformed: Reformed) -> None:
    s = reformed.session
    logged = s.scalar(sa.select(sa.func.count()).select_from(ChangeLog))
    again = reorganise(s, *reform_2025_tables(), REFORM_2025)
    s.flush()
    assert again.plan.is_empty and not again.applied
    assert s.scalar(sa.select(sa.func.count()).select_from(ChangeLog)) == logged


def test_the_tree_before_the_reform_still_has_18_districts_241_communes_and_its_links(
    reformed: Reformed,
) -> None:
    after = tree_shape(load_admin_tree(reformed.session, as_of=LAST_DAY))
    levels = Counter(level for level, _ in after.values())
    assert levels == {"province": 1, "district": 18, "commune": 241}
    assert after == reformed.tree_before


def test_the_tree_after_the_reform_has_no_district_level(reformed: Reformed) -> None:
    (root,) = load_admin_tree(reformed.session, as_of=REFORM_2025)
    assert (root.unit.code, len(root.children), root.site_count) == ("48", 94, 262)
    assert {c.unit.level for c in root.children} == {AdminLevel.COMMUNE}


def test_a_request_going_live_before_the_reform_still_reaches_the_241_old_offices(
    reformed: Reformed,
) -> None:
    doc = request_doc(["49"], "2025-03-01")
    assert site_ids(reformed.session, doc, date(2025, 1, 15)) == reformed.targets_before
    assert len(reformed.targets_before) == 241


def test_every_commune_that_was_quang_nam_is_targeted_after_the_reform(
    reformed: Reformed,
) -> None:
    """``["49"]`` after the reform: the 78 units that took it over, through their seats."""
    doc = request_doc(["49"], "2026-03-01")
    ids = site_ids(reformed.session, doc, date(2026, 1, 15))
    assert len(ids) == 78
    by_new_code = site_ids(reformed.session, request_doc(["20335", "20341"], "2026-03-01"),
                           date(2026, 1, 15))  # fmt: skip
    assert len(by_new_code) == 2 and set(by_new_code) <= set(ids)


def test_the_city_as_a_target_needs_offices_for_its_own_16_units(reformed: Reformed) -> None:
    with pytest.raises(ValidationError) as caught:
        site_ids(reformed.session, request_doc(["48"], "2026-03-01"), date(2026, 1, 15))
    assert "for 16 unit(s): 20194" in caught.value.errors["sites.admin_units"][0]


def test_there_is_no_district_to_target_after_the_reform(reformed: Reformed) -> None:
    with pytest.raises(ValidationError) as caught:
        site_ids(reformed.session, request_doc(["49"], "2026-03-01", ["district"]),
                 date(2026, 1, 15))  # fmt: skip
    assert "no unit at level district" in caught.value.errors["sites.admin_units"][0]
