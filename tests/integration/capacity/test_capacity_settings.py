"""The capacity settings a planner keeps (DESIGN §6): which site is "the DC", and per
network which links from it are its DC uplinks (the far end's site kind; a point of
presence by default) and whether those uplinks are active/standby or load-sharing."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from capacity import actions, inputs
from cmdb.choices import Network, Redundancy, SiteKind
from cmdb.models import NetworkSetting
from tests import factories as f
from tests.integration.capacity.builders import SmallProvince, build_small_province, request_doc

TODAY = date(2026, 6, 1)


def _with_two_uplinks(session: Session) -> SmallProvince:
    """The small province with two TSLCD uplinks from the DC: to a provider's POP
    (1000 Mbps) and to a second data centre (500 Mbps, a DR site)."""
    p = build_small_province(session)
    pop = f.site(session, kind=SiteKind.POP, admin_unit=p.province)
    dr = f.site(session, kind=SiteKind.DATA_CENTRE, admin_unit=p.province)
    p.extra["pop_uplink"] = f.link(
        session, a_site=p.dc, b_site=pop, network=Network.TSLCD, commit_rate_mbps=1000
    )
    p.extra["dr_uplink"] = f.link(
        session, a_site=p.dc, b_site=dr, network=Network.TSLCD, commit_rate_mbps=500
    )
    p.extra["dr"] = dr
    session.flush()
    return p


def _ids(*links: object) -> tuple[str, ...]:
    return tuple(str(link.id) for link in links)  # type: ignore[attr-defined]


def test_by_default_only_a_link_to_a_point_of_presence_is_an_uplink(session: Session) -> None:
    p = _with_two_uplinks(session)
    inventory = inputs.load_inventory(session, today=TODAY)
    assert inventory.dc_uplinks["tslcd"] == _ids(p.extra["pop_uplink"])
    assert inventory.load_sharing == frozenset()


def test_a_network_setting_names_the_far_end_kinds_and_the_redundancy(session: Session) -> None:
    p = _with_two_uplinks(session)
    session.add(
        NetworkSetting(
            network=Network.TSLCD,
            redundancy=Redundancy.LOAD_SHARING,
            uplink_site_kinds=["pop", "data_centre"],
        )
    )
    session.flush()

    inventory = inputs.load_inventory(session, today=TODAY)

    assert inventory.dc_uplinks["tslcd"] == _ids(p.extra["pop_uplink"], p.extra["dr_uplink"])
    assert inventory.load_sharing == frozenset({"tslcd"})
    # 300 Mbps at the DC split 1000 : 500 between the two.
    doc = request_doc(dc_bandwidth=[{"network": "tslcd", "mbps": 300}])
    ev = actions.evaluate_document(session, doc, today=TODAY)
    demand = {row.resource: row.demand for row in ev.links}
    assert demand == {
        f"link:{p.extra['pop_uplink'].id}": 200.0,
        f"link:{p.extra['dr_uplink'].id}": 100.0,
    }


def test_the_dc_is_the_site_the_planner_sets(session: Session) -> None:
    """Set the DR site as the DC: paths now lead there (the small province's district
    link ends at the old DC, so no commune reaches the new one), and the link between
    the two data centres is no uplink of a POP."""
    p = _with_two_uplinks(session)
    before = inputs.load_inventory(session, today=TODAY)
    assert str(p.commune_sites[0].id) in before.paths["tslcd"]

    p.extra["dr"].is_dc = True
    session.flush()
    after = inputs.load_inventory(session, today=TODAY)

    assert after.dc_uplinks.get("tslcd", ()) == ()
    reached_via_dc_link = after.paths["tslcd"][str(p.dc.id)]
    assert reached_via_dc_link == _ids(p.extra["dr_uplink"])
