"""Discovery against real agents (snmpsim recordings of real devices, net-snmp's snmpd),
reconciled into the inventory on SQLite and PostgreSQL.

The agents are asked once per module; every test plans and applies those answers
against its own (rolled back) database.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import DeviceRole, Network, RunStatus, SiteKind
from cmdb.models import (
    ChangeLog,
    Device,
    DiscoveryResult,
    DiscoveryRun,
    Discrepancy,
    Interface,
    Link,
    RecordSource,
)
from discovery.discover import PlanDefaults, collect, reconcile_outcomes
from discovery.records import Target, TargetOutcome
from discovery.snmp.collector import Limits
from tests import factories
from tests.integration.discovery import agents

pytestmark = pytest.mark.slow  # real agents: snmpsim takes seconds to start and answer

LIMITS = Limits(concurrency=8, deadline_s=30, timeout_s=2.0, retries=1)

# What the recordings really carry (ENTITY-MIB chassis: model and serial; the maker is
# the vendor their sysObjectID's enterprise number names: discovery/snmp/data).
EXPECTED = {
    "arista": ("DCS-7150S-52-CL", "JPE15151458", "Arista", DeviceRole.SWITCH, 59),
    "n5000": ("N5K-C5548UP", "SSI183706KP", "Cisco", DeviceRole.SWITCH, 61),
    # 42 ifTable rows, two of them named lo0: an interface name is unique per device
    "procurve": ("516733-B21", "3C421900TX", "HPE", DeviceRole.SWITCH, 41),
    "pa5000": ("PA-5050", "0009C100761", "Palo Alto Networks", DeviceRole.FIREWALL, 46),
    "c3750": ("WS-C3750G-12S-S", "FDO1622Y10H", "Cisco", DeviceRole.SWITCH, 19),
}


@pytest.fixture(scope="module")
def outcomes(fleet, snmpd) -> list[TargetOutcome]:
    closed = Target("127.0.0.1", agents.free_udp_port(), "snmpd")
    v2c = Target(snmpd.host, snmpd.port, "snmpd")
    profiles = {**fleet.profiles, "snmpd": _snmpd_profile(snmpd)}
    pairs = [(t, profiles[t.profile]) for t in [*fleet.targets, v2c, closed]]
    return collect(pairs, LIMITS)


def _snmpd_profile(snmpd):
    from discovery.credentials import SnmpProfile

    return SnmpProfile(name="snmpd", version="2c", community=snmpd.community)


def _dc(session: Session):
    return factories.site(session, kind=SiteKind.DATA_CENTRE, slug="ttdl", name="TTDL")


def _by_serial(session: Session) -> dict[str, Device]:
    return {d.serial: d for d in session.scalars(sa.select(Device)) if d.serial}


def test_every_answering_agent_is_observed_and_the_closed_port_fails(outcomes) -> None:
    statuses = [o.status for o in outcomes]
    assert statuses[:-1] == [RunStatus.SUCCEEDED] * (len(outcomes) - 1), [
        (o.target.address, o.error) for o in outcomes
    ]
    closed = outcomes[-1]
    assert closed.status == RunStatus.FAILED and closed.observation is None
    assert closed.error.startswith("timeout")


def test_discovery_builds_devices_with_the_recorded_models_and_serials(session, outcomes):
    dc = _dc(session)
    report = reconcile_outcomes(session, outcomes, PlanDefaults(site_id=dc.id))
    devices = _by_serial(session)
    for model, serial, maker, role, n_ifs in EXPECTED.values():
        d = devices[serial]
        assert (d.model, d.manufacturer, d.role, d.site_id) == (model, maker, role, dc.id)
        assert len(d.interfaces) == n_ifs
    arista = devices["JPE15151458"]
    assert arista.name == "DUMSYS-87" and arista.firmware == "4.20.5F"
    assert arista.chassis_id == "00:1c:73:b4:fd:69"
    eth1 = next(i for i in arista.interfaces if i.name == "Ethernet1")
    assert (eth1.if_index, eth1.speed_mbps, eth1.if_type) == (1, 10000, "ethernetCsmacd")
    assert eth1.mac_address == "00:1c:73:b4:fd:6a"
    host = session.scalar(sa.select(Device).where(Device.name == "headroom-snmpd.test.local"))
    assert host.role == DeviceRole.SERVER and host.ram_gb and host.cores
    assert report.counts == {"found": 7, "new": 7, "changed": 0, "failed": 1, "links": 1}
    # The Nexus heard the ProCurve on Ethernet1/19, both in the DC: a cable inside the site.
    [cable] = session.scalars(sa.select(Link)).all()
    ends = {(i.device.name, i.name) for i in (cable.a_interface, cable.b_interface)}
    assert ends == {("DUMSYS-52", "Ethernet1/19"), ("DUMSYS-64", "17")}
    assert (cable.network, cable.a_site_id, cable.b_site_id) == (Network.LAN, dc.id, dc.id)
    assert cable.port_speed_mbps == 10000


def test_neighbours_are_read_from_lldp(outcomes) -> None:
    n5000 = next(o.observation for o in outcomes if o.target.profile == "n5000")
    names = {n.remote_sys_name for n in n5000.neighbours}
    assert "ProCurve 6120XG Blade Switch" in names and len(n5000.neighbours) == 9
    procurve_port = next(n for n in n5000.neighbours if n.remote_sys_name.startswith("ProCurve"))
    assert procurve_port.remote_chassis_id == "ac:16:2d:92:7d:21"
    local = next(i for i in n5000.interfaces if i.if_index == procurve_port.local_if_index)
    assert local.name == "Ethernet1/19"


def test_running_the_same_discovery_twice_changes_nothing_the_second_time(session, outcomes):
    dc = _dc(session)
    reconcile_outcomes(session, outcomes, PlanDefaults(site_id=dc.id))
    counts = _counts(session)
    again = reconcile_outcomes(session, outcomes, PlanDefaults(site_id=dc.id))
    assert again.plan.is_empty
    assert again.counts["new"] == 0 and again.counts["changed"] == 0
    assert _counts(session) == {
        **counts,
        DiscoveryRun: 2,
        DiscoveryResult: 2 * counts[DiscoveryResult],
    }


def _counts(session: Session) -> dict:
    models = (Device, Interface, Link, Discrepancy, ChangeLog, DiscoveryRun, DiscoveryResult)
    return {m: session.scalar(sa.select(sa.func.count()).select_from(m)) for m in models}


def test_lldp_neighbours_in_two_sites_become_a_link(session, outcomes):
    """The blade switch is declared at a commune; the Nexus it is cabled to is in the DC."""
    dc = _dc(session)
    commune = factories.site(session, kind=SiteKind.COMMUNE_OFFICE)
    factories.server(
        session,
        site=commune,
        name="procurve-xa",
        serial="3C421900TX",
        role=DeviceRole.SWITCH,
        cores=None,
        ram_gb=None,
    )
    report = reconcile_outcomes(session, outcomes, PlanDefaults(site_id=dc.id))
    link = session.scalars(sa.select(Link)).one()
    assert (link.a_site_id, link.b_site_id, link.network) == (commune.id, dc.id, Network.WAN)
    assert (link.a_interface.name, link.b_interface.name) == ("17", "Ethernet1/19")
    assert link.a_interface.device.serial == "3C421900TX"
    assert link.b_interface.device.serial == "SSI183706KP"
    assert link.port_speed_mbps == 10000
    assert report.counts["links"] == 1
    again = reconcile_outcomes(session, outcomes, PlanDefaults(site_id=dc.id))
    assert again.plan.links == 0 and again.plan.is_empty


def test_a_declared_circuit_gets_the_interfaces_lldp_found(session, outcomes):
    dc = _dc(session)
    commune = factories.site(session, kind=SiteKind.COMMUNE_OFFICE)
    factories.server(
        session,
        site=commune,
        name="procurve-xa",
        serial="3C421900TX",
        role=DeviceRole.SWITCH,
        cores=None,
        ram_gb=None,
    )
    circuit = factories.link(session, a_site=commune, b_site=dc, commit_rate_mbps=100.0)
    reconcile_outcomes(session, outcomes, PlanDefaults(site_id=dc.id))
    assert session.scalars(sa.select(Link)).all() == [circuit]
    assert circuit.a_interface.name == "17" and circuit.b_interface.name == "Ethernet1/19"


def test_disagreements_with_the_inventory_open_discrepancies(session, outcomes):
    dc = _dc(session)
    declared = factories.server(
        session,
        site=dc,
        name="core-sw-01",
        serial="JPE15151458",
        model="DCS-7050",
        role=DeviceRole.SWITCH,
    )
    session.add(Interface(device=declared, name="Ethernet1", speed_mbps=1000))
    session.flush()
    reconcile_outcomes(session, outcomes, PlanDefaults(site_id=dc.id))
    rows = session.scalars(sa.select(Discrepancy)).all()
    found = {(d.object_type, d.field): d.values for d in rows if d.kind == "mismatch"}
    # The record's own value is "record" (the discovery core's key; migration 0012 renames
    # SNMP's older "inventory" in unsettled rows).
    assert found == {
        ("device", "name"): {"record": "core-sw-01", "snmp": "DUMSYS-87"},
        ("device", "model"): {"record": "DCS-7050", "snmp": "DCS-7150S-52-CL"},
        ("interface", "speed_mbps"): {"record": 1000, "snmp": 10000},
    }
    # The factory's 32 cores / 512 GB against the switch's own 3 cores / 3.77 GB: the core
    # opens host-sizing discrepancies too (their own kind, filtered apart by the audit).
    sizing = {(d.object_type, d.field): d.values for d in rows if d.kind == "host_sizing"}
    assert sizing == {
        ("device", "cores"): {"record": 32, "snmp": 3},
        ("device", "ram_gb"): {"record": 512.0, "snmp": 3.77},
    }
    assert (declared.name, declared.model) == ("core-sw-01", "DCS-7050")  # the inventory keeps its
    assert declared.firmware == "4.20.5F"  # technical facts follow SNMP
    again = reconcile_outcomes(session, outcomes, PlanDefaults(site_id=dc.id))
    assert again.plan.is_empty
    assert session.scalar(sa.select(sa.func.count()).select_from(Discrepancy)) == 3 + 2


def test_a_failed_device_changes_nothing_and_is_recorded(session, outcomes):
    dc = _dc(session)
    closed = outcomes[-1]
    kept = factories.server(
        session,
        site=dc,
        name="old-router",
        serial="X1",
        management_address=closed.target.host,
        model="M",
    )
    report = reconcile_outcomes(session, outcomes, PlanDefaults(site_id=dc.id))
    session.refresh(kept)
    assert (kept.name, kept.serial, kept.model) == ("old-router", "X1", "M")
    result = session.scalars(
        sa.select(DiscoveryResult).where(DiscoveryResult.address == closed.target.address)
    ).one()
    assert result.status == RunStatus.FAILED and result.error.startswith("timeout")
    assert result.device_id is None
    run = session.get(DiscoveryRun, report.run_id)
    assert run.status == RunStatus.PARTIAL and run.stats["failed"] == 1


def test_seen_marks_keep_the_agent_endpoint(session, outcomes):
    dc = _dc(session)
    reconcile_outcomes(session, outcomes, PlanDefaults(site_id=dc.id))
    endpoints = set(
        session.scalars(
            sa.select(RecordSource.external_id).where(RecordSource.object_type == "device")
        )
    )
    assert {o.target.address for o in outcomes[:-1]} == endpoints
