"""A cable inside the DC (a link between two interfaces of one site) is a capacity of its
own and nothing else: no site's path to the DC, no DC uplink, not a commune's link on the
dashboard or in the admin tree; a request's verdict is the same with or without it."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from capacity import actions, inputs
from capacity.outlook import load_capacity_overview
from cmdb.choices import Network, SiteKind
from cmdb.services.admin_tree import load_admin_tree
from tests import factories as f
from tests.integration.capacity.builders import SmallProvince, build_small_province, request_doc

TODAY = date(2026, 6, 1)


def _with_uplink_and_cables(session: Session) -> tuple[SmallProvince, list[str]]:
    """The small province, a TSLCD uplink to a POP, and two cables inside the DC — one on
    TSLCD itself, the hardest case for the path search — on the slowest links of all."""
    p = build_small_province(session)
    pop = f.site(session, kind=SiteKind.POP, admin_unit=p.province)
    uplink = f.link(session, a_site=p.dc, b_site=pop, network=Network.TSLCD, ceiling_pct=100.0)
    p.extra["uplink"] = uplink
    cables = [
        f.cable_inside(session, p.dc, network=network, port_speed_mbps=1.0)
        for network in (Network.TSLCD, Network.LAN)
    ]
    session.flush()
    return p, [str(c.id) for c in cables]


def test_cables_inside_the_dc_are_on_no_path_and_no_uplink(session: Session) -> None:
    p, cables = _with_uplink_and_cables(session)
    inventory = inputs.load_inventory(session, today=TODAY)
    assert set(cables) <= {lk.spec.id for lk in inventory.links}  # still a capacity
    assert inventory.dc_uplinks == {"tslcd": (str(p.extra["uplink"].id),)}
    on_paths = {
        i for by_site in inventory.paths.values() for path in by_site.values() for i in path
    }
    assert on_paths.isdisjoint(cables)
    tslcd = inventory.paths["tslcd"]
    assert tslcd[str(p.commune_sites[0].id)] == (
        str(p.commune_links[0].id),
        str(p.district_link.id),
    )


def test_a_request_is_judged_without_the_cables_inside_the_dc(session: Session) -> None:
    """At 1 Mbps the cables would fail any demand; the verdict does not see them."""
    _, cables = _with_uplink_and_cables(session)
    doc = request_doc(
        sites={"network": "tslcd", "per_site_mbps": 5, "admin_units": ["911"]},
        dc_bandwidth=[{"network": "tslcd", "mbps": 5}],
    )
    result = actions.evaluate_document(session, doc, today=TODAY)
    assert result.verdict == "host"
    judged = {row.resource for row in result.links}
    assert judged and judged.isdisjoint({f"link:{c}" for c in cables})


def test_dashboard_sets_cables_inside_a_site_apart_from_uplinks(session: Session) -> None:
    p, cables = _with_uplink_and_cables(session)
    overview = load_capacity_overview(session, at=TODAY)
    assert overview.inside_site == {f"link:{c}" for c in cables}
    assert overview.dc_uplinks == {f"link:{p.extra['uplink'].id}"}
    assert {r.resource for r in overview.rows} >= overview.inside_site  # their status is kept


def test_admin_tree_lists_links_between_sites_only(session: Session) -> None:
    p, cables = _with_uplink_and_cables(session)
    (root,) = load_admin_tree(session, p.province.id)
    shown = {end.link.id for node in _units(root) for site in node.sites for end in site.links}
    assert str(p.district_link.id) in {str(i) for i in shown}
    assert {str(i) for i in shown}.isdisjoint(cables)


def _units(node):  # type: ignore[no-untyped-def]
    yield node
    for child in node.children:
        yield from _units(child)
