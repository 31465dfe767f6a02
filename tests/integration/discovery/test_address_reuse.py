"""An address reused by another device, on real agents (issue 17's "done when").

snmpsim serves one recording at 127.0.0.1:P; it is stopped and another recording is
served at the same address and port, with the same community, as when a switch is
swapped or an address is given to another box. Discovering again gives a second
device: the first keeps its interfaces and its SNMP mark stops moving ("not seen
since"), and polls ask the endpoint for the second. With serials (another serial) and
without (another hostname). The agents are asked once per module; each test plans and
applies their answers against its own database, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import RunStatus, SiteKind, Source
from cmdb.models import Device, Interface, RecordSource
from discovery.core.observations import RecordKind
from discovery.credentials import community_profile
from discovery.discover import PlanDefaults, collect, reconcile_outcomes
from discovery.poll import poll_targets
from discovery.records import Target, TargetOutcome
from discovery.snmp.collector import Limits
from tests import factories
from tests.integration.discovery import agents
from tests.integration.discovery.conftest import FLEET

pytestmark = [
    pytest.mark.slow,  # real agents
    pytest.mark.long(reason="snmpsim started and stopped four times at one port (12 s set-up)"),
]

LIMITS = Limits(concurrency=1, deadline_s=30, timeout_s=2.0, retries=1)
HOST, COMMUNITY = "127.0.0.1", "reuse"
SYS_NAME = "1.3.6.1.2.1.1.5.0"
ARISTA, C3750 = ("JPE15151458", "DUMSYS-87", 59), ("FDO1622Y10H", "DUMSYS-5", 19)


@dataclass
class Reuse:
    """What answered at one endpoint before and after the swap."""

    target: Target
    before: list[TargetOutcome]
    after: list[TargetOutcome]


def _serve(top: Path, name: str, lines: list[str], port: int) -> list[TargetOutcome]:
    """Serve one recording at HOST:port, ask it once, stop it."""
    data = top / name
    data.mkdir()
    (data / f"{COMMUNITY}.snmprec").write_text("\n".join(lines) + "\n", encoding="latin-1")
    sim = agents.start_snmpsim(data, [HOST], [COMMUNITY], port)
    try:
        target = Target(HOST, port, COMMUNITY)
        return collect([(target, community_profile(COMMUNITY))], LIMITS)
    finally:
        agents.stop(sim.proc)


def _recording(top: Path, relative: str, sys_name: str | None = None) -> list[str]:
    lines = agents.copy_recording(relative, top / "copy.snmprec").read_text("latin-1").splitlines()
    if sys_name is not None:
        lines = [f"{SYS_NAME}|4|{sys_name}" if x.startswith(f"{SYS_NAME}|") else x for x in lines]
    return lines


@pytest.fixture(scope="module")
def agents_at_one_address() -> Iterator[dict[str, Reuse]]:
    top = agents.shared_dir("reuse")
    port = agents.free_udp_port(HOST)
    target = Target(HOST, port, COMMUNITY)
    linux = FLEET["linux"]  # a host with no ENTITY-MIB: no serial
    found = {
        "serial": Reuse(
            target,
            _serve(top, "arista", _recording(top, FLEET["arista"]), port),
            _serve(top, "c3750", _recording(top, FLEET["c3750"]), port),
        ),
        "hostname": Reuse(
            target,
            _serve(top, "linux", _recording(top, linux), port),
            _serve(top, "other", _recording(top, linux, sys_name="other-box"), port),
        ),
    }
    yield found
    shutil.rmtree(top, ignore_errors=True)


def _discover(session: Session, outcomes: list[TargetOutcome], site_id: int):
    assert [o.status for o in outcomes] == [RunStatus.SUCCEEDED], [o.error for o in outcomes]
    return reconcile_outcomes(session, outcomes, PlanDefaults(site_id=site_id))


def _interfaces(session: Session, device: Device) -> set[tuple[int, str, int]]:
    rows = session.scalars(sa.select(Interface).where(Interface.device_id == device.id))
    return {(i.id, i.name, i.device_id) for i in rows}


def _snmp_seen(session: Session, device: Device) -> datetime:
    seen = session.scalars(
        sa.select(RecordSource.last_seen_at).where(
            RecordSource.object_type == "device",
            RecordSource.object_id == device.id,
            RecordSource.source == Source.SNMP,
        )
    ).one()
    return seen if seen.tzinfo else seen.replace(tzinfo=UTC)


def _swap(session: Session, reuse: Reuse) -> tuple[Device, Device, object]:
    """Discover, swap, discover again: the first device, the second, the second report."""
    site = factories.site(session, kind=SiteKind.DATA_CENTRE)
    _discover(session, reuse.before, site.id)
    [first] = session.scalars(sa.select(Device)).all()
    before = _interfaces(session, first), _snmp_seen(session, first)
    report = _discover(session, reuse.after, site.id)
    session.expire_all()
    devices = session.scalars(sa.select(Device).order_by(Device.id)).all()
    assert len(devices) == 2 and devices[0].id == first.id
    second = devices[1]
    # Nothing of the first moved: its interfaces, and its SNMP mark ("not seen since").
    assert (_interfaces(session, first), _snmp_seen(session, first)) == before
    assert _snmp_seen(session, second) > before[1]
    assert _gone(report) == [first.id]
    # Polls ask the endpoint for the device that answers there now.
    assert poll_targets(session) == {Target(HOST, reuse.target.port): second.id}
    again = _discover(session, reuse.after, site.id)
    assert again.plan.is_empty and _gone(again) == [first.id]  # still, and nothing else
    return first, second, report


def _gone(report) -> list[int | None]:
    """The devices a run reported "not seen since"."""
    return [n.ref.id for n in report.plan.core.not_seen if n.ref.kind is RecordKind.DEVICE]


def test_another_serial_at_the_same_address_and_port_is_a_second_device(
    session: Session, agents_at_one_address: dict[str, Reuse]
) -> None:
    first, second, report = _swap(session, agents_at_one_address["serial"])
    assert (first.serial, first.name, len(first.interfaces)) == ARISTA
    assert (second.serial, len(second.interfaces)) == (C3750[0], C3750[2])
    assert report.counts == {"found": 1, "new": 1, "changed": 0, "failed": 0, "links": 0}


def test_without_serials_another_hostname_at_the_same_address_is_a_second_device(
    session: Session, agents_at_one_address: dict[str, Reuse]
) -> None:
    first, second, _ = _swap(session, agents_at_one_address["hostname"])
    assert (first.serial, second.serial) == (None, None)
    assert (first.name, second.name) == ("DUMSYS-12", "other-box")
    assert {i.name for i in first.interfaces} == {i.name for i in second.interfaces}
    assert not {i.id for i in first.interfaces} & {i.id for i in second.interfaces}
