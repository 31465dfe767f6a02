"""LLDP links written by the discovery core's one writer: a declared circuit gets the
interfaces LLDP found, also on the end whose device did not answer this run; the
change log, the record's SNMP mark and its observation say so; ``--dry-run`` writes
nothing."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import RunStatus, SiteKind, Source
from cmdb.models import ChangeLog, Discrepancy, Link, Observation, RecordSource
from discovery.discover import PlanDefaults, reconcile_outcomes
from discovery.records import (
    Chassis,
    DeviceObservation,
    InterfaceRecord,
    Neighbour,
    SystemInfo,
    Target,
    TargetOutcome,
)
from tests import factories as f


def _answer(serial: str, heard: Neighbour) -> TargetOutcome:
    """What the DC router's agent said (the network phase is another test's)."""
    target = Target("127.0.0.1", 16161)
    obs = DeviceObservation(
        target=target,
        system=SystemInfo(name="core-1", descr="router"),
        chassis=Chassis(model="MX", serial=serial),
        interfaces=(InterfaceRecord(7, "xe-0/0/7", speed_mbps=10000),),
        neighbours=(heard,),
    )
    return TargetOutcome(target, RunStatus.SUCCEEDED, 0.1, 3, observation=obs)


def _world(session: Session):
    dc, commune = f.site(session, kind=SiteKind.DATA_CENTRE), f.site(session)
    switch = f.server(session, site=commune, name="sw-xa", cores=None, ram_gb=None)
    quiet = f.interface(session, device=switch, name="Gi0/1", speed_mbps=1000)
    core = f.server(session, site=dc, name="core-1", serial="JN1234", cores=None, ram_gb=None)
    heard = f.interface(session, device=core, name="xe-0/0/7", if_index=7)
    circuit = f.link(session, a_site=commune, b_site=dc)
    neighbour = Neighbour(7, 7, None, "sw-xa", "Gi0/1", None)
    return quiet, heard, circuit, _answer("JN1234", neighbour)


def test_a_circuit_gets_both_interfaces_though_one_device_did_not_answer(session: Session) -> None:
    quiet, heard, circuit, outcome = _world(session)
    report = reconcile_outcomes(session, [outcome], PlanDefaults())  # only the DC end answered
    assert (circuit.a_interface_id, circuit.b_interface_id) == (quiet.id, heard.id)
    assert report.counts["links"] == 1
    logged = session.scalars(
        sa.select(ChangeLog).where(
            ChangeLog.object_type == "link", ChangeLog.object_id == circuit.id
        )
    ).one()
    assert logged.actor == "snmp-discovery"
    assert (logged.before["a_interface_id"], logged.after["a_interface_id"]) == (None, quiet.id)
    mark = session.scalars(
        sa.select(RecordSource).where(
            RecordSource.object_type == "link", RecordSource.object_id == circuit.id
        )
    ).one()
    assert mark.source == Source.SNMP
    said = session.scalars(
        sa.select(Observation).where(
            Observation.object_type == "link", Observation.object_id == circuit.id
        )
    ).one()
    assert said.data["fields"]["b_interface_id"] == heard.id
    again = reconcile_outcomes(session, [outcome], PlanDefaults())
    assert again.plan.is_empty and again.counts["links"] == 0


def test_a_dry_run_plans_the_link_and_writes_nothing(session: Session) -> None:
    _, _, circuit, outcome = _world(session)
    report = reconcile_outcomes(session, [outcome], PlanDefaults(), dry_run=True)
    [update] = [u for u in report.plan.core.updates if u.ref.kind == "link"]
    assert update.ref.id == circuit.id
    assert circuit.a_interface_id is None and circuit.b_interface_id is None
    assert session.scalar(sa.select(sa.func.count()).select_from(Link)) == 1


def test_a_port_speed_snmp_sees_otherwise_is_kept_and_disputed(session: Session) -> None:
    quiet, heard, circuit, outcome = _world(session)
    circuit.a_interface_id, circuit.b_interface_id = quiet.id, heard.id
    circuit.port_speed_mbps = 100.0  # documented; the ports say 1000 and 10000
    session.flush()
    reconcile_outcomes(session, [outcome], PlanDefaults())
    assert circuit.port_speed_mbps == 100.0
    [row] = session.scalars(sa.select(Discrepancy).where(Discrepancy.object_type == "link")).all()
    assert (row.object_id, row.field, row.kind) == (circuit.id, "port_speed_mbps", "mismatch")
    assert row.values == {"record": 100.0, "snmp": 1000}
    again = reconcile_outcomes(session, [outcome], PlanDefaults())
    assert again.plan.is_empty  # the same disagreement found again opens nothing new
