"""Plain records of what a source said: no database, no protocol types.

The SNMP collector fills them from varbinds; reconciliation reads them. Keeping
them plain (frozen dataclasses of str/int/bool/tuple) is what lets the parsers and
the planner be pure functions tested over recorded data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cmdb.choices import RunStatus
from discovery.core.runs import Attempt

DEFAULT_SNMP_PORT = 161

SourceValues = dict[str, object]
"""What each source says of one field, by source name ("inventory", "snmp", "netbox",
"ansible", "manual", …): the values a discrepancy keeps. Keyed by the sources that
took part, so by design not a fixed set of keys; the values are whatever those
sources hold (text, numbers, lists)."""

ObservedFields = dict[str, object]
"""An observation's facts by canonical column name (the Observation contract's
``fields``): only what the source stated, so the keys differ by object type and by
source, and the values by column."""


@dataclass(frozen=True)
class Target:
    """An SNMP agent to ask, and the credential profile to ask it with (None: the run's)."""

    host: str
    port: int = DEFAULT_SNMP_PORT
    profile: str | None = None

    @property
    def address(self) -> str:
        """``host``, or ``host:port`` (``[v6]:port``) when the port is not SNMP's own."""
        if self.port == DEFAULT_SNMP_PORT:
            return self.host
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


@dataclass(frozen=True)
class SystemInfo:
    """SNMPv2-MIB system group."""

    descr: str | None = None
    object_id: str | None = None
    name: str | None = None
    uptime_ticks: int | None = None
    location: str | None = None
    contact: str | None = None


@dataclass(frozen=True)
class AgentIdentity:
    """What an agent says it is, as a poll reads it (the serial only when asked for)."""

    sys_object_id: str | None = None
    name: str | None = None
    serial: str | None = None
    chassis_id: str | None = None


@dataclass(frozen=True)
class Chassis:
    """The ENTITY-MIB chassis entry: what the box is and its serial number."""

    model: str | None = None
    serial: str | None = None
    firmware: str | None = None
    software: str | None = None
    manufacturer: str | None = None
    descr: str | None = None


@dataclass(frozen=True)
class InterfaceRecord:
    """One IF-MIB row (ifTable + ifXTable) with its IP addresses."""

    if_index: int
    name: str
    descr: str | None = None
    alias: str | None = None
    if_type: str | None = None
    speed_mbps: int | None = None
    admin_up: bool | None = None
    oper_up: bool | None = None
    mac_address: str | None = None
    ip_addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Neighbour:
    """One LLDP remote entry or CDP cache entry, with the local interface it was heard on
    (when known). CDP gives no chassis id but a serial (NX-OS's device id), an address
    and a platform."""

    local_port: int
    local_if_index: int | None
    remote_chassis_id: str | None
    remote_sys_name: str | None
    remote_port_id: str | None
    remote_port_descr: str | None
    protocol: str = "lldp"  # or "cdp"
    remote_serial: str | None = None
    remote_address: str | None = None
    remote_platform: str | None = None


@dataclass(frozen=True)
class StorageRecord:
    """One hrStorageTable row: RAM, a disk, or something else (swap, buffers)."""

    index: int
    kind: str  # "ram", "disk" or "other"
    descr: str
    size_bytes: int
    used_bytes: int


@dataclass(frozen=True)
class HostResources:
    """HOST-RESOURCES-MIB: processors, memory size and storage."""

    processors: int = 0
    cpu_load_pct: float | None = None
    memory_kb: int | None = None
    storage: tuple[StorageRecord, ...] = ()

    @property
    def ram_gb(self) -> float | None:
        if not self.memory_kb:
            return None
        return round(self.memory_kb / 1024 / 1024, 2)

    @property
    def disk_tb(self) -> float | None:
        disks = [s.size_bytes for s in self.storage if s.kind == "disk"]
        return round(sum(disks) / 1e12, 4) if disks else None


@dataclass(frozen=True)
class DeviceObservation:
    """Everything one discovery saw of one device."""

    target: Target
    system: SystemInfo
    chassis: Chassis | None = None
    interfaces: tuple[InterfaceRecord, ...] = ()
    neighbours: tuple[Neighbour, ...] = ()  # LLDP's
    cdp_neighbours: tuple[Neighbour, ...] = ()
    host: HostResources | None = None
    lldp_chassis_id: str | None = None
    lldp_sys_name: str | None = None
    missing: tuple[str, ...] = ()  # tables that could not be read: their facts are unknown
    vendor: str | None = None  # whom sysObjectID's enterprise number names


@dataclass(frozen=True)
class CounterReading:
    """One poll of one device: raw counters keyed ``if.<ifIndex>.in|out`` (octets) and
    ``if.<ifIndex>.in_errors|out_errors|in_discards|out_discards`` (packets), gauges, and
    each interface's status keyed ``if.<ifIndex>.admin|oper`` (IF-MIB's codes: 1 up).

    ``widths`` gives each counter's width in bits (32 or 64): a wrap is only
    plausible within the width the agent serves. ``ticks`` gives, per counter, the
    agent's sysUpTime in the answer that carried it (``uptime_ticks`` is the poll's
    first answer's): the time base of its rate.
    """

    target: Target
    uptime_ticks: int
    counters: dict[str, int] = field(default_factory=dict)
    widths: dict[str, int] = field(default_factory=dict)
    ticks: dict[str, int] = field(default_factory=dict)  # the agent's sysUpTime at each read
    statuses: dict[str, int] = field(default_factory=dict)
    cpu_load_pct: float | None = None
    ram_used_gb: float | None = None
    storage_used_tb: float | None = None
    identity: AgentIdentity = field(default_factory=AgentIdentity)
    refused: tuple[str, ...] = ()  # figures not stored, and why (used above size, …)
    serial_oid: str | None = None  # where the agent answered ``identity.serial``


@dataclass(frozen=True)
class TargetOutcome:
    """How asking one target went: status, error, time and requests, and what it gave."""

    target: Target
    status: str  # a RunStatus value: succeeded, partial, failed
    duration_s: float
    requests: int
    error: str | None = None
    observation: DeviceObservation | None = None
    reading: CounterReading | None = None
    warnings: tuple[str, ...] = ()  # what the agent did that was worked around
    profile: str | None = None  # the credential profile the agent answered

    @property
    def attempt(self) -> Attempt:
        """What the run's verdict counts of it (``discovery.core.runs``); a warning is
        its result's note even when nothing failed, so no workaround goes unsaid."""
        notes = [self.error] if self.error else []
        notes += [f"warning: {w}" for w in self.warnings]
        return Attempt(self.target.address, RunStatus(self.status), "\n".join(notes) or None)
