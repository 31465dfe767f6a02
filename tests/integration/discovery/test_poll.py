"""Polling against a recording whose counters grow at configured rates (snmpsim ``numeric``).

ens32 (ifIndex 2) carries 10 Mbps in and 20 Mbps out on 64-bit counters; ens33
(ifIndex 3) only has 32-bit counters, at 4 Gbps on a 5G port, so they wrap every
8.6 s. Rates are checked against that configured growth, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import Metric, ResourceKind, RunKind, RunStatus, SiteKind
from cmdb.models import (
    Device,
    DiscoveryResult,
    DiscoveryRun,
    PollState,
    Sample,
    SampleDaily,
    SampleHourly,
    Series,
)
from discovery.credentials import community_profile
from discovery.discover import PlanDefaults, collect, reconcile_outcomes
from discovery.poll import PollReport, poll_targets, run_poll
from discovery.snmp import collector
from discovery.snmp.collector import Limits
from tests import factories
from tests.integration.discovery.conftest import IN_RATE_BPS, OUT_RATE_BPS, WRAP_RATE_BPS

pytestmark = pytest.mark.slow  # real agents: snmpsim takes seconds to start and answer

LIMITS = Limits(concurrency=4, deadline_s=20, timeout_s=2.0, retries=1)
IN_MBPS, OUT_MBPS = IN_RATE_BPS * 8 / 1e6, OUT_RATE_BPS * 8 / 1e6


def _discover(session: Session, agent) -> Device:
    dc = factories.site(session, kind=SiteKind.DATA_CENTRE)
    outcomes = collect([(agent.target, agent.profile)], LIMITS)
    reconcile_outcomes(session, outcomes, PlanDefaults(site_id=dc.id))
    return session.scalars(sa.select(Device)).one()


def _poll(session: Session, profile) -> PollReport:
    targets = poll_targets(session)
    return run_poll(session, targets, dict.fromkeys(targets, profile), LIMITS)


def _values(session: Session, kind: ResourceKind, object_id: int, metric: Metric) -> list[float]:
    return list(
        session.scalars(
            sa.select(Sample.value)
            .join(Series, Series.id == Sample.series_id)
            .where(
                Series.object_type == kind, Series.object_id == object_id, Series.metric == metric
            )
            .order_by(Sample.ts)
        )
    )


def _interface(device: Device, name: str):
    return next(i for i in device.interfaces if i.name == name)


def test_two_polls_store_the_configured_rates_for_interfaces_and_links(session, poll_agent):
    device = _discover(session, poll_agent)
    ens32 = _interface(device, "ens32")
    commune = factories.site(session, kind=SiteKind.COMMUNE_OFFICE)
    link = factories.link(session, a_site=commune, b_site=device.site, a_interface_id=ens32.id)
    first = _poll(session, poll_agent.profile)
    assert _values(session, ResourceKind.INTERFACE, ens32.id, Metric.IN_MBPS) == []
    time.sleep(2)
    second = _poll(session, poll_agent.profile)
    [rate_in] = _values(session, ResourceKind.INTERFACE, ens32.id, Metric.IN_MBPS)
    [rate_out] = _values(session, ResourceKind.INTERFACE, ens32.id, Metric.OUT_MBPS)
    assert rate_in == pytest.approx(IN_MBPS, rel=0.05)
    assert rate_out == pytest.approx(OUT_MBPS, rel=0.05)
    # the link ends on ens32 at its a end: what ens32 receives travels towards a (in)
    assert _values(session, ResourceKind.LINK, link.id, Metric.IN_MBPS) == [rate_in]
    assert _values(session, ResourceKind.LINK, link.id, Metric.OUT_MBPS) == [rate_out]
    assert _values(session, ResourceKind.DEVICE, device.id, Metric.CPU_UTIL_PCT) == [1.25] * 2
    assert len(_values(session, ResourceKind.DEVICE, device.id, Metric.RAM_USED_GB)) == 2
    assert first.samples >= 3 and second.samples > first.samples
    run = session.get(DiscoveryRun, second.run_id)
    assert (run.kind, run.status) == (RunKind.POLL, RunStatus.SUCCEEDED)


def test_polls_are_rolled_up_hourly_and_daily_and_marks_refreshed(session, poll_agent):
    device = _discover(session, poll_agent)
    ens32 = _interface(device, "ens32")
    for _ in range(3):
        _poll(session, poll_agent.profile)
        time.sleep(1)
    series = session.scalars(
        sa.select(Series).where(
            Series.object_id == ens32.id,
            Series.metric == Metric.IN_MBPS,
            Series.object_type == ResourceKind.INTERFACE,
        )
    ).one()
    values = _values(session, ResourceKind.INTERFACE, ens32.id, Metric.IN_MBPS)
    daily = session.scalars(sa.select(SampleDaily).where(SampleDaily.series_id == series.id)).all()
    hourly = session.scalars(
        sa.select(SampleHourly).where(SampleHourly.series_id == series.id)
    ).all()
    assert len(values) == 2 and len(daily) == 1
    assert daily[0].count == 2 and sum(h.count for h in hourly) == 2
    assert daily[0].max == pytest.approx(max(values))
    assert daily[0].avg == pytest.approx(sum(values) / 2)
    assert min(values) <= daily[0].p95 <= max(values)
    assert series.daily_through == datetime.now(UTC).date() and series.daily_count == 1


def test_a_counter_s_rate_is_timed_by_its_own_answer_not_the_poll_s_first(
    session, poll_agent, monkeypatch
):
    """The first poll's counters are asked 1 s after its sysUpTime (a loaded poller, an
    identity check first), the second's at once: timed by the polls' first answers, the
    2.5 s (and the poll's start-up) between the counters would read as 1 s more — a rate
    over 20 % low, while the agent's clock still agrees with ours (it is believed)."""
    device = _discover(session, poll_agent)
    ens32 = _interface(device, "ens32")
    delays = iter([1.0, 0.0])
    read_counters = collector._counters

    async def late_counters(agent_session, if_indexes):
        await asyncio.sleep(next(delays))
        return await read_counters(agent_session, if_indexes)

    monkeypatch.setattr(collector, "_counters", late_counters)
    _poll(session, poll_agent.profile)
    time.sleep(2.5)
    _poll(session, poll_agent.profile)
    [rate_in] = _values(session, ResourceKind.INTERFACE, ens32.id, Metric.IN_MBPS)
    assert rate_in == pytest.approx(IN_MBPS, rel=0.05)
    state = session.get(PollState, device.id)
    assert state.counter_ticks["if.2.in"] >= state.uptime_ticks  # asked in a later request


def _counter(agent, oid: str) -> int:
    out = subprocess.run(
        ["snmpget", "-v2c", "-c", "poll", "-Oqv", f"{agent.target.host}:{agent.target.port}", oid],
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    )
    return int(out.stdout.strip())


@pytest.mark.long(reason="waits in real time for the agent's 32-bit counter to wrap (6.9 s)")
def test_a_32_bit_wrap_gives_the_true_rate_not_a_spike(session, poll_agent):
    """Polled about 3 s apart around the wrap: within the 6.9 s a 5G port needs to wrap a
    32-bit counter (a longer interval would be ambiguous, and is dropped).

    On a loaded machine the first poll can land after the wrap; then the attempt is
    forgotten (poll state and samples) and made again on the next wrap, at most 3 times.
    """
    device = _discover(session, poll_agent)
    ens33 = _interface(device, "ens33")
    for _attempt in range(3):
        before, after = _poll_around_the_wrap(session, poll_agent, device.id)
        if after < before:  # the counter did wrap between the polls
            break
        _forget_polls(session, device.id)
    assert after < before
    [rate] = _values(session, ResourceKind.INTERFACE, ens33.id, Metric.IN_MBPS)
    assert rate == pytest.approx(WRAP_RATE_BPS * 8 / 1e6, rel=0.05)


def _poll_around_the_wrap(session: Session, agent, device_id: int) -> tuple[int, int]:
    now = _counter(agent, "1.3.6.1.2.1.2.2.1.10.3")
    time.sleep(max(0.0, (2**32 - 1 - now) / WRAP_RATE_BPS - 2.5))  # poll before the wrap
    _poll(session, agent.profile)
    before = session.get(PollState, device_id).counters["if.3.in"]
    time.sleep(3)  # and after it
    _poll(session, agent.profile)
    session.expire_all()
    return before, session.get(PollState, device_id).counters["if.3.in"]


def _forget_polls(session: Session, device_id: int) -> None:
    session.execute(sa.delete(PollState).where(PollState.device_id == device_id))
    session.execute(sa.delete(Sample))
    session.flush()
    session.expire_all()


def test_a_restarted_agent_stores_no_spike_then_polls_on(session, poll_agent):
    device = _discover(session, poll_agent)
    ens32 = _interface(device, "ens32")
    _poll(session, poll_agent.profile)
    time.sleep(1)
    poll_agent.restart()  # sysUpTime and every counter start again from low values
    report = _poll(session, poll_agent.profile)
    assert report.resets == [poll_agent.target.address]
    assert _values(session, ResourceKind.INTERFACE, ens32.id, Metric.IN_MBPS) == []
    time.sleep(1.5)
    _poll(session, poll_agent.profile)
    [rate] = _values(session, ResourceKind.INTERFACE, ens32.id, Metric.IN_MBPS)
    assert rate == pytest.approx(IN_MBPS, rel=0.05)


def test_a_poll_that_times_out_stores_nothing_and_is_recorded(session, poll_agent):
    device = _discover(session, poll_agent)
    report = _poll(session, community_profile("not-the-community"))
    [outcome] = report.outcomes
    assert outcome.status == RunStatus.FAILED and outcome.error.startswith("timeout")
    assert report.samples == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(Sample)) == 0
    assert session.get(PollState, device.id) is None
    result = session.scalars(
        sa.select(DiscoveryResult).where(DiscoveryResult.run_id == report.run_id)
    ).one()
    assert (result.status, result.device_id) == (RunStatus.FAILED, device.id)
    assert session.get(DiscoveryRun, report.run_id).status == RunStatus.FAILED
