"""CDP neighbours (CISCO-CDP-MIB cdpCacheTable) become links as LLDP's do, through the
discovery core, against real recordings served by snmpsim: the Catalyst 3750 hears its
access points over CDP only; the Nexus 5548 hears its peer over LLDP *and* CDP, which
gives one link per cable, not two. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import DeviceRole, Network, SiteKind
from cmdb.models import Device, Interface, Link
from discovery.discover import PlanDefaults, collect, reconcile_outcomes
from discovery.records import TargetOutcome
from discovery.snmp.collector import Limits
from tests import factories

pytestmark = pytest.mark.slow  # real agents: snmpsim takes seconds to start and answer

LIMITS = Limits(concurrency=4, deadline_s=30, timeout_s=2.0, retries=1)


@pytest.fixture(scope="module")
def outcomes(fleet) -> list[TargetOutcome]:
    wanted = [fleet.target("c3750"), fleet.target("n5000")]
    return collect([(t, fleet.profiles[t.profile]) for t in wanted], LIMITS)


def _declared(session: Session, site, name: str, ports: dict[str, int], **kw) -> Device:
    device = factories.server(
        session, site=site, name=name, role=DeviceRole.SWITCH, cores=None, ram_gb=None, **kw
    )
    for port, speed in ports.items():
        session.add(Interface(device=device, name=port, speed_mbps=speed))
    session.flush()
    return device


def _ends(link: Link) -> set[tuple[str, str]]:
    return {(i.device.name, i.name) for i in (link.a_interface, link.b_interface) if i}


def _links_of(session: Session, device: Device) -> list[Link]:
    ports = {i.id for i in device.interfaces}
    links = session.scalars(sa.select(Link)).all()
    return [lk for lk in links if {lk.a_interface_id, lk.b_interface_id} & ports]


def test_an_access_point_heard_over_cdp_only_becomes_a_cable(session, outcomes) -> None:
    c3750 = outcomes[0].observation
    assert c3750 is not None and len(c3750.cdp_neighbours) == 125
    assert not [n for n in c3750.neighbours if n.remote_sys_name == "E-DJ-1F-101indoor"]
    dc = factories.site(session, kind=SiteKind.DATA_CENTRE)
    ap = _declared(session, dc, "E-DJ-1F-101indoor", {"GigabitEthernet0": 1000})
    report = reconcile_outcomes(session, outcomes, PlanDefaults(site_id=dc.id))
    [cable] = _links_of(session, ap)
    assert _ends(cable) == {("E-DJ-1F-101indoor", "GigabitEthernet0"), ("DUMSYS-90", "Gi1/0/1")}
    assert (cable.network, cable.port_speed_mbps) == (Network.LAN, 1000)
    assert report.counts["links"] >= 1
    assert reconcile_outcomes(session, outcomes, PlanDefaults(site_id=dc.id)).plan.is_empty


def test_a_cdp_neighbour_is_found_by_the_address_it_gives(session, outcomes) -> None:
    dc = factories.site(session, kind=SiteKind.DATA_CENTRE)
    renamed = _declared(
        session, dc, "ap-101", {"GigabitEthernet0": 1000}, management_address="172.28.2.68"
    )
    reconcile_outcomes(session, outcomes, PlanDefaults(site_id=dc.id))
    [cable] = _links_of(session, renamed)
    assert ("ap-101", "GigabitEthernet0") in _ends(cable)


def test_a_peer_heard_over_lldp_and_cdp_gives_one_link_per_cable(session, outcomes) -> None:
    n5000 = outcomes[1].observation
    assert n5000 is not None
    lldp = {n.local_if_index for n in n5000.neighbours if n.remote_sys_name == "NWPU-CA-5548-02"}
    cdp = {n.local_if_index for n in n5000.cdp_neighbours if n.remote_serial == "SSI183706KA"}
    assert lldp == cdp and len(lldp) == 3  # the same three ports, both protocols
    dc = factories.site(session, kind=SiteKind.DATA_CENTRE)
    ports = {"mgmt0": 1000, "Ethernet1/21": 10000, "Ethernet1/22": 10000}
    peer = _declared(session, dc, "NWPU-CA-5548-02", ports, serial="SSI183706KA")
    reconcile_outcomes(session, outcomes, PlanDefaults(site_id=dc.id))
    links = _links_of(session, peer)
    pairs = {frozenset(port for _, port in _ends(lk)) for lk in links}
    assert len(links) == 3
    assert pairs == {frozenset({p}) for p in ports}  # mgmt0–mgmt0, Ethernet1/21–Ethernet1/21, …
    assert reconcile_outcomes(session, outcomes, PlanDefaults(site_id=dc.id)).plan.is_empty
