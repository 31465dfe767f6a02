"""The read services on SQLite and PostgreSQL (recursive CTEs, ILIKE, GROUP BY)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capacity.inputs import load_inventory
from cmdb.choices import AgencyKind, DeviceRole
from cmdb.models import AdminUnit, Agency, Link
from cmdb.services.admin_tree import MAX_DEPTH, get_unit_path, load_admin_tree
from cmdb.services.inventory import load_inventory_counts, load_link_capacity_counts
from cmdb.services.listing import Criterion, ListQuery, Lookup, load_page
from tests import factories as f
from tests.integration.web.conftest import build_province


def test_tree_and_subtree_on_each_backend(session: Session) -> None:
    province = build_province(session, districts=2, communes_per_district=2)
    district = province.districts[1]

    (root,) = load_admin_tree(session)
    (sub,) = load_admin_tree(session, root_id=district.id)
    path = get_unit_path(session, province.communes[-1].code)

    assert root.unit.code == "49" and root.unit_count == 1 + 2 + 2 * 3
    assert [c.unit.code for c in sub.children] == sorted(
        c.code for c in province.communes if c.parent_id == district.id
    )
    assert [u.code for u in path] == ["49", district.code, province.communes[-1].code]
    assert get_unit_path(session, "nope") == []


def test_subtree_includes_links_leaving_it(session: Session) -> None:
    province = build_province(session, districts=1, communes_per_district=1)
    (sub,) = load_admin_tree(session, root_id=province.districts[0].id)

    town = sub.children[0]
    (office,) = town.sites
    assert [(e.uplink, e.other.name) for e in office.links] == [
        (True, "TTDL tỉnh"),
        (False, province.commune_sites[0].name),
    ]


def test_counts_and_capacity_rows_on_each_backend(session: Session) -> None:
    build_province(session, districts=1, communes_per_district=3, commune_mbps=8.0)

    counts = load_inventory_counts(session, date(2026, 1, 15))
    rows = load_link_capacity_counts(session)

    assert counts.admin_units_by_level == {"province": 1, "district": 1, "commune": 5}
    assert counts.links_by_network["tslcd"] == 4
    assert rows == [("tslcd", 8.0, 3), ("tslcd", 100.0, 1)]


def test_device_search_is_case_insensitive_and_literal(session: Session) -> None:
    dc = f.site(session)
    f.server(session, site=dc, name="ESX-01", serial="ab_1")
    f.server(session, site=dc, name="esx-02", serial="abx1", role=DeviceRole.STORAGE)

    def names(q: str | None = None, *criteria: Criterion) -> list[str]:
        query = ListQuery(criteria, q, ("name", "serial"), ("name",), limit=10)
        return [d.name for d in load_page(session, f.Device, query)[1]]

    assert names("esx") == ["ESX-01", "esx-02"]
    assert names("ab_") == ["ESX-01"]  # "_" is not a wildcard
    assert names(None, Criterion("role", Lookup.EXACT, DeviceRole.STORAGE)) == ["esx-02"]


def test_a_corrupt_parent_cycle_does_not_hang_the_tree(session: Session) -> None:
    first = f.admin_unit(session)
    second = f.admin_unit(session, parent=first)
    session.execute(  # an UPDATE: the ORM itself refuses to flush a cycle
        sa.update(AdminUnit).where(AdminUnit.id == first.id).values(parent_id=second.id)
    )

    assert len(get_unit_path(session, first.code)) <= 1 + MAX_DEPTH
    assert load_admin_tree(session, root_id=first.id) == []  # no root to hang it from


def test_dated_units_links_and_agencies_count_and_show_only_while_in_force(
    session: Session,
) -> None:
    """A link commissioned later, a link and a committee a reform ended, a dissolved
    commune: the overview's counts, the tree as of a day and today's capacity paths
    leave out what was not in force that day."""
    province = build_province(session, districts=1, communes_per_district=3, commune_mbps=8.0)
    later, ended = session.scalars(sa.select(Link).order_by(Link.id).limit(2)).all()
    later.valid_from = date(2026, 2, 1)
    ended.valid_to = date(2025, 7, 1)
    f.admin_unit(session, parent=province.communes[0].parent, valid_to=date(2025, 7, 1))
    f.agency(session, kind=AgencyKind.COMMUNE_COMMITTEE, valid_to=date(2025, 7, 1))
    session.flush()
    today = date(2026, 1, 15)

    counts = load_inventory_counts(session, today)
    assert counts.admin_units_by_level == {"province": 1, "district": 1, "commune": 5}
    assert counts.links_by_network["tslcd"] == 2
    assert counts.agencies == session.scalar(sa.select(sa.func.count(Agency.id))) - 1

    def links_on(day: date) -> set[int]:
        shown: set[int] = set()
        pending = list(load_admin_tree(session, as_of=day))
        while pending:
            node = pending.pop()
            pending += node.children
            shown |= {end.link.id for site in node.sites for end in site.links}
        return shown

    every = set(session.scalars(sa.select(Link.id)))
    assert links_on(today) == every - {later.id, ended.id}
    assert links_on(date(2025, 6, 30)) == every - {later.id}
    assert links_on(date(2026, 2, 1)) == every - {ended.id}
    capacity = {s.spec.id for s in load_inventory(session, today=today).links}
    assert capacity == {str(i) for i in every - {later.id, ended.id}}
