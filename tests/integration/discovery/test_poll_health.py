"""An interface's health polled beside its octets, on real agents: errors and discards a
second (IF-MIB Counter32, with the octets' wrap and discontinuity care) and whether it is
up (ifOperStatus, ifAdminStatus), as series — against the recording whose counters grow
at configured rates (snmpsim ``numeric``) and against net-snmp's snmpd. On SQLite and
PostgreSQL."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import Metric, ResourceKind, SiteKind
from cmdb.models import Device, Sample, Series
from discovery.credentials import SnmpProfile
from discovery.discover import PlanDefaults, collect, reconcile_outcomes
from discovery.poll import poll_targets, run_poll
from discovery.records import Target
from discovery.snmp.collector import Limits
from tests import factories
from tests.integration.discovery.conftest import IN_ERRORS_PPS, OUT_DISCARDS_PPS

pytestmark = pytest.mark.slow  # real agents: snmpsim takes seconds to start and answer

LIMITS = Limits(concurrency=4, deadline_s=20, timeout_s=2.0, retries=1)
INTERFACE = ResourceKind.INTERFACE


def _discover(session: Session, target: Target, profile: SnmpProfile) -> Device:
    dc = factories.site(session, kind=SiteKind.DATA_CENTRE)
    reconcile_outcomes(session, collect([(target, profile)], LIMITS), PlanDefaults(site_id=dc.id))
    return session.scalars(sa.select(Device)).one()


def _poll_twice(session: Session, profile: SnmpProfile) -> None:
    for pause in (2, 0):
        targets = poll_targets(session)
        run_poll(session, targets, dict.fromkeys(targets, profile), LIMITS)
        time.sleep(pause)


def _values(session: Session, interface_id: int, metric: Metric) -> list[float]:
    return list(
        session.scalars(
            sa.select(Sample.value)
            .join(Series, Series.id == Sample.series_id)
            .where(
                Series.object_type == INTERFACE,
                Series.object_id == interface_id,
                Series.metric == metric,
            )
            .order_by(Sample.ts)
        )
    )


def test_errors_discards_and_status_are_series_of_the_interface(session, poll_agent) -> None:
    device = _discover(session, poll_agent.target, poll_agent.profile)
    ports = {i.name: i.id for i in device.interfaces}
    _poll_twice(session, poll_agent.profile)
    [in_errors] = _values(session, ports["ens32"], Metric.IN_ERRORS_PPS)
    [out_discards] = _values(session, ports["ens32"], Metric.OUT_DISCARDS_PPS)
    assert in_errors == pytest.approx(IN_ERRORS_PPS, rel=0.1)
    assert out_discards == pytest.approx(OUT_DISCARDS_PPS, rel=0.1)
    assert _values(session, ports["ens32"], Metric.OUT_ERRORS_PPS) == [0.0]
    # ens32 is up, ens33's link is down though it is enabled: a sample each poll
    assert _values(session, ports["ens32"], Metric.OPER_UP) == [1.0, 1.0]
    assert _values(session, ports["ens33"], Metric.OPER_UP) == [0.0, 0.0]
    assert _values(session, ports["ens33"], Metric.ADMIN_UP) == [1.0, 1.0]
    units = session.scalars(
        sa.select(Series.unit).where(Series.metric == Metric.IN_ERRORS_PPS).distinct()
    ).all()
    assert units == ["pps"]


def test_snmpd_reports_its_loopback_up_without_errors(session, snmpd) -> None:
    profile = SnmpProfile(name="snmpd", version="2c", community=snmpd.community)
    device = _discover(session, Target(snmpd.host, snmpd.port, "snmpd"), profile)
    lo = next(i for i in device.interfaces if i.name == "lo")
    _poll_twice(session, profile)
    assert _values(session, lo.id, Metric.OPER_UP) == [1.0, 1.0]
    assert _values(session, lo.id, Metric.ADMIN_UP) == [1.0, 1.0]
    [errors] = _values(session, lo.id, Metric.IN_ERRORS_PPS)
    assert errors == 0.0  # the loopback takes no input errors
