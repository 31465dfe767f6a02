"""Is the agent that answers at a device's address the device on record? Pure.

A poll trusts nothing it cannot tie to the record: another box at the same address
(a switch swapped, an address given to another host, a NAT rule moved) would turn
its counters into a spike on the old device's series. What tells two boxes apart,
strongest first:

- the chassis serial, where the record has one: two boxes never share it;
- the LLDP chassis id (the base MAC, ``lldpLocChassisId``): per box, as a serial,
  and a scalar every poll can ask (an all-zero or empty one says nothing);
- sysObjectID: the platform; another value is another model (or another OS);
- sysName, which people change: a new name is a rename while the agent's sysUpTime
  ran on since the last poll (the same agent kept running: nothing was swapped), and
  another device only when the agent's clock did not run on.

sysUpTime alone never tells: one that went back is a restart (counters start again,
so that interval has no rate), one that jumped ahead is an agent whose clock cannot
be trusted for that interval. Either way the box may have been swapped meanwhile, so
the poll then reads the serial too (``wants_serial``): a walk of three ENTITY-MIB
columns that a running agent is never asked for. An agent whose clock never moves
would be walked on every poll, so where it answered the serial on record is kept
(``poll_state.serial_oid``) and that one OID is asked in each poll's first GET: while
it answers the record's serial, nothing more is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from discovery.core.normalize import clean_serial, normalize_hostname
from discovery.records import AgentIdentity
from discovery.snmp.parsers import is_null_chassis_id

# The agent's clock "runs on" when it advanced like ours, within these bounds (agents
# tick at 100 Hz but answer a little late or early; a few seconds of slack for polls
# seconds apart, as tests make them).
RUNS_ON_LOW, RUNS_ON_HIGH, SLACK_S = 0.5, 1.5, 5.0


class Uptime(StrEnum):
    """What the agent's sysUpTime did since the last poll."""

    RAN_ON = "ran on"  # the same agent kept running
    WENT_BACK = "went back"  # a restart (or another box)
    JUMPED = "jumped ahead"  # further than our clock: not the same running agent
    UNKNOWN = "unknown"  # no previous poll, or a frozen clock (recordings, some agents)


@dataclass(frozen=True)
class OnRecord:
    """What the inventory knows of the device expected at an address."""

    device_id: int
    serial: str | None = None
    sys_object_id: str | None = None
    chassis_id: str | None = None
    names: tuple[str, ...] = ()  # its name, and what SNMP last called it
    profile: str | None = None  # the credential profile its agent last answered


@dataclass(frozen=True)
class IdentityCheck:
    """Why the agent is another device (empty: it is the one on record), and notes."""

    differs: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def same(self) -> bool:
        return not self.differs


def compute_uptime(
    previous_at: datetime | None, previous_ticks: int | None, ticks: int, at: datetime
) -> Uptime:
    """How sysUpTime moved between the previous poll and this one."""
    if previous_at is None or previous_ticks is None:
        return Uptime.UNKNOWN
    if ticks < previous_ticks:
        return Uptime.WENT_BACK
    wall = (at - previous_at).total_seconds()
    agent = (ticks - previous_ticks) / 100
    if agent == 0:
        return Uptime.UNKNOWN
    if agent > RUNS_ON_HIGH * wall + SLACK_S:
        return Uptime.JUMPED
    if agent >= RUNS_ON_LOW * wall - SLACK_S:
        return Uptime.RAN_ON
    return Uptime.UNKNOWN  # a clock that runs slow: no word either way


def wants_serial(record: OnRecord, uptime: Uptime, answered: str | None = None) -> bool:
    """The serial is read when the record has one and the agent may have been swapped —
    unless the poll's first GET already answered it (``answered``: the value at the OID
    where this agent gave the serial before) and it is the record's. Another value there
    is no verdict (a stack may renumber its members): the serial is read in full."""
    known = clean_serial(record.serial)
    if known is None:
        return False
    if answered is not None:
        return clean_serial(answered) != known
    return uptime is not Uptime.RAN_ON


def check_identity(record: OnRecord, agent: AgentIdentity, uptime: Uptime) -> IdentityCheck:
    """The module docstring's rule: each key known on both sides that differs."""
    differs: list[str] = []
    warnings: list[str] = []
    serial, known_serial = clean_serial(agent.serial), clean_serial(record.serial)
    if serial and known_serial and serial != known_serial:
        differs.append(f"serial {agent.serial}, the record's {record.serial}")
    chassis, known_chassis = (
        meaningful_chassis_id(agent.chassis_id),
        meaningful_chassis_id(record.chassis_id),
    )
    if chassis and known_chassis and chassis != known_chassis:
        differs.append(f"LLDP chassis id {chassis}, the record's {known_chassis}")
    if agent.sys_object_id and record.sys_object_id and agent.sys_object_id != record.sys_object_id:
        differs.append(f"sysObjectID {agent.sys_object_id}, the record's {record.sys_object_id}")
    renamed = _renamed(record, agent)
    if renamed and uptime is Uptime.RAN_ON:
        warnings.append(f"{renamed}; its sysUpTime ran on, so it was renamed, not swapped")
    elif renamed:
        differs.append(renamed)
    if uptime is Uptime.JUMPED and not differs:
        warnings.append("sysUpTime jumped ahead of our clock: no rate for this interval")
    return IdentityCheck(tuple(differs), tuple(warnings))


def _renamed(record: OnRecord, agent: AgentIdentity) -> str | None:
    name = normalize_hostname(agent.name)
    known = {n for n in (normalize_hostname(x) for x in record.names) if n}
    if name is None or not known or name in known:
        return None
    return f"sysName {agent.name}, the record's {record.names[0]}"


def meaningful_chassis_id(value: str | None) -> str | None:
    """A chassis id that names a box: all-zero or blank ones (some agents) name none."""
    return None if is_null_chassis_id(value) else (value or "").strip().casefold()


def describe(agent: AgentIdentity) -> str:
    """What an agent said it is, for a discrepancy's values (flat text)."""
    parts = [
        f"sysName {agent.name or '—'}",
        f"sysObjectID {agent.sys_object_id or '—'}",
    ]
    if agent.serial:
        parts.append(f"serial {agent.serial}")
    if meaningful_chassis_id(agent.chassis_id):
        parts.append(f"chassis id {agent.chassis_id}")
    return ", ".join(parts)


def describe_record(record: OnRecord) -> str:
    return describe(
        AgentIdentity(
            sys_object_id=record.sys_object_id,
            name=record.names[0] if record.names else None,
            serial=record.serial,
            chassis_id=record.chassis_id,
        )
    )
