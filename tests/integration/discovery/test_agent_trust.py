"""Identity before trust, and honest host figures, on real agents (issue 20, items 3 and 4).

One snmpsim process serves several snmpsim-data recordings at one address and port;
the community picks the recording. A poll with another community than the one the
device was discovered with is therefore a different agent answering at the device's
address — to the poller exactly what a swapped box is: the same ``host:port``,
another device's answers. The swaps: another model (a Cisco 3750 where an Arista
was), and the same Arista recording with only its chassis serial changed (an RMA
replacement with the configuration restored: same sysName, sysObjectID and LLDP
chassis id). net-snmp's snmpd is the real host for RAM.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import (
    DiscrepancyKind,
    DiscrepancyStatus,
    Metric,
    ResourceKind,
    RunStatus,
    SiteKind,
)
from cmdb.models import Device, DiscoveryResult, Discrepancy, PollState, Sample, Series, Site
from discovery.credentials import SnmpProfile, assign_profiles, community_profile
from discovery.discover import DiscoveryReport, PlanDefaults, collect, reconcile_outcomes
from discovery.poll import PollReport, poll_targets, run_poll
from discovery.records import Target
from discovery.snmp.collector import Limits
from tests import factories
from tests.integration.discovery import agents
from tests.integration.discovery.conftest import FLEET

pytestmark = pytest.mark.slow  # real agents

LIMITS = Limits(concurrency=2, deadline_s=30, timeout_s=1.0, retries=0)
HOST = "127.0.0.50"
SERIAL = "1.3.6.1.2.1.47.1.1.1.1.11.1"  # the Arista chassis' entPhysicalSerialNum
ROOT_USED = "1.3.6.1.2.1.25.2.3.1.6.31"  # the Linux host's "/" hrStorageUsed (size 3929600)


@dataclass
class Agents:
    port: int

    def target(self) -> Target:
        return Target(HOST, self.port)


def _edited(top: Path, relative: str, changes: dict[str, str]) -> list[str]:
    source = agents.copy_recording(relative, top / "source.snmprec")
    lines = source.read_text("latin-1").splitlines()
    source.unlink()
    return [f"{o}|{changes[o]}" if (o := x.split("|", 1)[0]) in changes else x for x in lines]


@pytest.fixture(scope="module")
def served() -> Iterator[Agents]:
    top = agents.shared_dir("trust")
    data = top / "data"
    data.mkdir()
    recordings = {
        "orig": _edited(top, FLEET["arista"], {}),
        "rma": _edited(top, FLEET["arista"], {SERIAL: "4|JPE99999999"}),
        "other": _edited(top, FLEET["c3750"], {}),
        "overfull": _edited(top, FLEET["linux"], {ROOT_USED: "2|5000000"}),
    }
    for community, lines in recordings.items():
        (data / f"{community}.snmprec").write_text("\n".join(lines) + "\n", encoding="latin-1")
    sim = agents.start_snmpsim(data, [HOST], list(recordings))
    yield Agents(sim.port)
    agents.stop(sim.proc)
    shutil.rmtree(top, ignore_errors=True)


def _discover(session: Session, target: Target, *profiles: SnmpProfile) -> DiscoveryReport:
    site = session.scalars(sa.select(Site)).first() or factories.site(
        session, kind=SiteKind.DATA_CENTRE
    )
    outcomes = collect([(target, profiles)], LIMITS)
    return reconcile_outcomes(session, outcomes, PlanDefaults(site_id=site.id))


def _poll(session: Session, community: str) -> PollReport:
    targets = poll_targets(session)
    return run_poll(session, targets, dict.fromkeys(targets, community_profile(community)), LIMITS)


def _samples(session: Session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(Sample)) or 0


def _identity(session: Session, device: Device) -> Discrepancy | None:
    return session.scalars(
        sa.select(Discrepancy).where(
            Discrepancy.kind == DiscrepancyKind.IDENTITY, Discrepancy.object_id == device.id
        )
    ).one_or_none()


def _result(session: Session, report: PollReport) -> DiscoveryResult:
    return session.scalars(
        sa.select(DiscoveryResult).where(DiscoveryResult.run_id == report.run_id)
    ).one()


@pytest.mark.long(reason="discovers and polls a 400-port Arista recording three times (8-11 s)")
@pytest.mark.parametrize(
    ("swapped", "reason"),
    [
        ("other", "sysObjectID 1.3.6.1.4.1.9.1.516"),  # another model, another name
        ("rma", "serial JPE99999999, the record's JPE15151458"),  # only the serial differs
    ],
)
def test_a_swapped_agent_at_the_address_stores_no_sample_and_opens_a_discrepancy(
    session: Session, served: Agents, swapped: str, reason: str
) -> None:
    _discover(session, served.target(), community_profile("orig"))
    device = session.scalars(sa.select(Device)).one()
    first = _poll(session, "orig")
    assert first.samples > 0 and first.verdict.status == RunStatus.SUCCEEDED
    state = session.get(PollState, device.id)
    before = (_samples(session), state.polled_at, state.uptime_ticks)

    report = _poll(session, swapped)

    assert report.samples == 0 and report.impostors == [served.target().address]
    session.expire_all()
    state = session.get(PollState, device.id)
    assert (_samples(session), state.polled_at, state.uptime_ticks) == before
    result = _result(session, report)
    assert (result.status, result.device_id) == (RunStatus.FAILED, device.id)
    assert reason in result.error and "nothing stored" in result.error
    found = _identity(session, device)
    assert found is not None and found.status == DiscrepancyStatus.OPEN
    assert (
        "JPE15151458" in found.values["record"] and served.target().address in found.values["snmp"]
    )

    # The device on record answers there again: it is trusted, the discrepancy resolved.
    again = _poll(session, "orig")
    assert again.verdict.status == RunStatus.SUCCEEDED and again.samples > 0
    session.expire_all()
    assert _identity(session, device).status == DiscrepancyStatus.RESOLVED


@pytest.mark.long(reason="discovers and polls a 400-port Arista recording three times (8-11 s)")
def test_a_frozen_clock_s_serial_is_walked_once_then_asked_where_it_was(
    session: Session, served: Agents
) -> None:
    """A recording's sysUpTime never moves, so every poll wants the serial: the first walks
    ENTITY-MIB and keeps where the serial was; the next ask that OID in their first GET."""
    _discover(session, served.target(), community_profile("orig"))
    device = session.scalars(sa.select(Device)).one()
    first = _poll(session, "orig")
    assert session.get(PollState, device.id).serial_oid == SERIAL
    second, third = _poll(session, "orig"), _poll(session, "orig")
    assert second.verdict.status == third.verdict.status == RunStatus.SUCCEEDED
    [walked], [asked], [again] = (r.outcomes for r in (first, second, third))
    assert asked.requests == again.requests < walked.requests
    assert second.samples > 0 and not second.impostors


def test_discovery_of_a_swapped_agent_opens_a_discrepancy_on_the_device_it_replaced(
    session: Session, served: Agents
) -> None:
    _discover(session, served.target(), community_profile("orig"))
    report = _discover(session, served.target(), community_profile("other"))
    first, second = session.scalars(sa.select(Device).order_by(Device.id)).all()
    assert (first.serial, second.serial) == ("JPE15151458", "FDO1622Y10H")
    [outcome] = report.outcomes
    assert outcome.status == RunStatus.SUCCEEDED
    assert any(f"answers here: device #{second.id}" in w for w in outcome.warnings)
    found = _identity(session, first)
    assert found is not None and found.status == DiscrepancyStatus.OPEN
    assert "FDO1622Y10H" in found.values["snmp"]
    assert _identity(session, second) is None


def test_storage_used_above_its_size_is_refused_with_a_warning(
    session: Session, served: Agents
) -> None:
    _discover(session, served.target(), community_profile("overfull"))
    device = session.scalars(sa.select(Device)).one()
    report = _poll(session, "overfull")
    assert report.verdict.status == RunStatus.SUCCEEDED
    result = _result(session, report)
    assert "storage '/'" in result.error and "not possible" in result.error
    metrics = set(
        session.scalars(
            sa.select(Series.metric).where(
                Series.object_type == ResourceKind.DEVICE, Series.object_id == device.id
            )
        )
    )
    assert Metric.STORAGE_USED_TB not in metrics
    # RAM of this net-snmp recording without memSysAvail: total − free − buffers − cached
    ram = session.scalars(
        sa.select(Sample.value).join(Series).where(Series.metric == Metric.RAM_USED_GB)
    ).one()
    assert ram == pytest.approx((3882052 - 2364036 - 1812 - 1211092) / 2**20, abs=1e-3)


def test_profiles_are_tried_in_order_and_the_one_that_answered_is_remembered(
    session: Session, served: Agents
) -> None:
    wrong, right = community_profile("nope"), SnmpProfile("overfull", community="overfull")
    report = _discover(session, served.target(), wrong, right)
    [outcome] = report.outcomes
    assert outcome.status == RunStatus.SUCCEEDED and outcome.profile == "overfull"
    assert any("answered the credential profile overfull" in w for w in outcome.warnings)
    device = session.scalars(sa.select(Device)).one()
    assert device.snmp_profile == "overfull"
    known = {"community": wrong, "overfull": right}
    remembered = {served.target(): device.snmp_profile}
    [(_, order)] = assign_profiles([served.target()], known, [wrong, right], remembered)
    assert order == (right, wrong)


def _meminfo_used_gib() -> float:
    """What ``free`` (procps-ng 4) shows as used: MemTotal − MemAvailable."""
    info = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        key, value = line.split(":", 1)
        info[key] = int(value.split()[0])
    return (info["MemTotal"] - info["MemAvailable"]) / 2**20


def test_ram_used_on_snmpd_matches_free_without_the_cache(session: Session, snmpd) -> None:
    target = Target(snmpd.host, snmpd.port)
    _discover(session, target, community_profile(snmpd.community))
    device = session.scalars(sa.select(Device)).one()
    assert (device.sys_location, device.sys_contact) == ("lab-snmpd", "noc@example.invalid")
    expected_before = _meminfo_used_gib()
    report = _poll(session, snmpd.community)
    expected = (expected_before + _meminfo_used_gib()) / 2
    assert report.verdict.status == RunStatus.SUCCEEDED
    ram = session.scalars(
        sa.select(Sample.value).join(Series).where(Series.metric == Metric.RAM_USED_GB)
    ).one()
    assert ram == pytest.approx(expected, rel=0.05)


def test_an_snmpv3_context_name_travels_with_the_requests(session: Session, snmpd) -> None:
    """snmpd knows the default context only: a profile naming another is refused by it."""
    v3 = {"user": snmpd.v3_user, "auth_protocol": "sha", "auth_key": snmpd.v3_auth_key}
    v3 |= {"priv_protocol": "aes", "priv_key": snmpd.v3_priv_key}
    good = SnmpProfile("v3", version="3", **v3)
    other = SnmpProfile("v3-vlan", version="3", context="vlan-10", **v3)
    target = Target(snmpd.host, snmpd.port)
    [refused, answered] = collect([(target, other), (target, good)], LIMITS)
    assert refused.status == RunStatus.FAILED and answered.status == RunStatus.SUCCEEDED


@pytest.mark.long(reason="starts net-snmp's snmpd twice and waits 2 s (9-12 s under load)")
def test_an_snmpd_restart_is_not_another_device_and_its_counters_run_on(
    session: Session, tmp_path: Path
) -> None:
    """The agent process restarts (sysUpTime starts again), the kernel's interface
    counters run on: the same device, and no interval lost."""
    agent = agents.start_snmpd(tmp_path)
    try:
        target = Target(agent.host, agent.port)
        _discover(session, target, community_profile(agent.community))
        device = session.scalars(sa.select(Device)).one()
        time.sleep(2)  # so that the restarted agent's sysUpTime is below this one's
        assert _poll(session, agent.community).verdict.status == RunStatus.SUCCEEDED
        before = session.get(PollState, device.id).uptime_ticks
        agents.stop(agent.proc)
        agent = agents.start_snmpd(tmp_path, agent.port)
        report = _poll(session, agent.community)
    finally:
        agents.stop(agent.proc)
    assert report.verdict.status == RunStatus.SUCCEEDED and report.resets == []
    session.expire_all()
    assert session.get(PollState, device.id).uptime_ticks < before  # it did restart
    assert _identity(session, device) is None
    rates = session.scalars(
        sa.select(Sample.value).join(Series).where(Series.metric == Metric.IN_MBPS)
    ).all()
    assert rates and all(r >= 0 for r in rates)
