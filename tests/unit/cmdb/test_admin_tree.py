"""Nesting flat rows into the admin-unit tree, without a database."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cmdb.services.admin_tree import (
    LinkRow,
    SiteRef,
    SiteRow,
    UnitNode,
    UnitRow,
    compute_admin_tree,
    find_unit,
)


def unit(uid: int, parent: int | None, code: str, level: str = "commune") -> UnitRow:
    return UnitRow(uid, parent, code, f"Unit {code}", level, "Xã")


def site(sid: int, unit_id: int, name: str) -> SiteRow:
    return SiteRow(sid, unit_id, name, f"s{sid}", "commune_office", "active")


def ref(s: SiteRow, unit_code: str = "x") -> SiteRef:
    return SiteRef(s.id, s.name, s.slug, unit_code)


def link(lid: int, a: SiteRow, b: SiteRow, mbps: float = 20.0, network: str = "tslcd") -> LinkRow:
    return LinkRow(lid, f"L{lid}", network, "active", mbps, ref(a), ref(b))


def codes(nodes: list[UnitNode]) -> list[str]:
    return [n.unit.code for n in nodes]


def walk(nodes: list[UnitNode]) -> list[UnitNode]:
    out: list[UnitNode] = []
    for node in nodes:
        out.append(node)
        out.extend(walk(node.children))
    return out


def test_three_levels_nest_province_district_commune() -> None:
    units = [
        unit(3, 2, "20001"),
        unit(1, None, "49", "province"),
        unit(2, 1, "502", "district"),
        unit(4, 2, "20000"),
    ]

    (province,) = compute_admin_tree(units, [], [])

    assert province.unit.code == "49" and province.depth == 0
    (district,) = province.children
    assert codes(district.children) == ["20000", "20001"]  # ordered by code
    assert [c.depth for c in district.children] == [2, 2]
    assert (province.unit_count, district.unit_count) == (3, 2)


def test_two_levels_after_the_reform_put_communes_under_the_province() -> None:
    units = [unit(1, None, "49", "province"), unit(2, 1, "20000"), unit(3, 1, "20003")]

    (province,) = compute_admin_tree(units, [], [])

    assert codes(province.children) == ["20000", "20003"]
    assert all(not c.children and c.depth == 1 for c in province.children)


def test_any_depth_works() -> None:
    units = [unit(i, i - 1 if i > 1 else None, f"{i:02d}") for i in range(1, 9)]

    (root,) = compute_admin_tree(units, [], [])

    assert root.unit_count == 7
    assert max(n.depth for n in walk([root])) == 7


def test_a_unit_whose_parent_is_not_given_is_a_root() -> None:
    (district,) = compute_admin_tree([unit(2, 1, "502"), unit(3, 2, "20000")], [], [])
    assert district.unit.code == "502" and codes(district.children) == ["20000"]


def test_sites_attach_to_their_unit_and_roll_up() -> None:
    units = [unit(1, None, "49", "province"), unit(2, 1, "20000"), unit(3, 1, "20001")]
    sites = [site(10, 2, "UBND B"), site(11, 2, "UBND A"), site(12, 3, "UBND C"), site(13, 99, "?")]

    (province,) = compute_admin_tree(units, sites, [])

    first = find_unit([province], "20000")
    assert first is not None
    assert [s.site.name for s in first.sites] == ["UBND A", "UBND B"]
    assert (province.site_count, first.site_count) == (3, 2)  # the orphan site is left out


def test_each_link_shows_at_both_ends_uplink_first() -> None:
    dc, district, commune = site(1, 1, "DC"), site(2, 1, "District"), site(3, 1, "Commune")
    links = [link(7, commune, district, 4.0), link(8, district, dc, 100.0)]

    (root,) = compute_admin_tree([unit(1, None, "49")], [dc, district, commune], links)

    by_name = {s.site.name: s for s in root.sites}
    ends = [(e.uplink, e.other.name, e.link.capacity_mbps) for e in by_name["District"].links]
    assert ends == [(True, "DC", 100.0), (False, "Commune", 4.0)]
    assert [(e.uplink, e.other.name) for e in by_name["DC"].links] == [(False, "District")]
    assert [(e.uplink, e.other.name) for e in by_name["Commune"].links] == [(True, "District")]


def test_a_link_to_a_site_outside_the_rows_shows_at_the_known_end() -> None:
    inside, outside = site(1, 1, "Inside"), site(2, 2, "Outside")

    (root,) = compute_admin_tree([unit(1, None, "49")], [inside], [link(5, inside, outside)])

    (only,) = root.sites
    assert [(e.uplink, e.other.name) for e in only.links] == [(True, "Outside")]


def test_find_unit_searches_every_level() -> None:
    roots = compute_admin_tree([unit(1, None, "49"), unit(2, 1, "502"), unit(3, 2, "7")], [], [])
    found = find_unit(roots, "7")
    assert found is not None and found.depth == 2
    assert find_unit(roots, "nope") is None


@st.composite
def forests(draw: st.DrawFn) -> tuple[list[UnitRow], list[SiteRow]]:
    """Random forests: each unit's parent is an earlier unit or none."""
    size = draw(st.integers(1, 40))
    parents = [
        draw(st.one_of(st.none(), st.integers(0, i - 1))) if i else None for i in range(size)
    ]
    units = [unit(i, p, f"{i:03d}") for i, p in enumerate(parents)]
    homes = draw(st.lists(st.integers(0, size - 1), max_size=30))
    return units, [site(100 + j, h, f"S{j}") for j, h in enumerate(homes)]


@given(forests())
def test_every_unit_and_site_appears_once_and_counts_add_up(
    forest: tuple[list[UnitRow], list[SiteRow]],
) -> None:
    units, sites = forest

    roots = compute_admin_tree(units, sites, [])

    seen = walk(roots)
    assert sorted(n.unit.id for n in seen) == sorted(u.id for u in units)
    assert sum(r.unit_count + 1 for r in roots) == len(units)
    assert sum(r.site_count for r in roots) == len(sites)
    assert all(n.depth == 0 for n in roots)
    assert all(c.depth == n.depth + 1 for n in seen for c in n.children)
