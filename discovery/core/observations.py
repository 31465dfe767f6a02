"""One observation shape for every source: what a source said of one record, and when.

An adapter (SNMP, NetBox, Ansible facts) fills these and nothing else; the planner
reads them. The identity keys are kept apart from the facts because they decide
*which* record the facts are about (``identity.resolve_identity``); the facts are split
into what the source *declares* (it is the authority: NetBox's site, role, status)
and what it *observes* (serial, model, speeds, addresses: any source may state them,
and on disagreement the record keeps its value and a discrepancy holds every
source's word, DESIGN.md §5).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cached_property

from cmdb.choices import Source
from discovery.core.normalize import clean_serial

FactValue = str | int | float | bool | tuple[str, ...] | None
"""One fact as a plain value: text, a number, a flag or a list of texts (addresses)."""

Facts = Mapping[str, FactValue]
"""Facts by the record's column name (``serial``, ``speed_mbps``); a fact the source did
not state is absent (or None): it never erases a value."""

Details = Mapping[str, object]
"""What else a source says of an object, kept with its observation as JSON (Ansible's
disks and distribution): never compared, never written to the record."""


class RecordKind(StrEnum):
    """The kinds of record an observation may be about; values are the table names, as
    the change log and record sources name them."""

    DEVICE = "device"
    WORKLOAD = "workload"
    INTERFACE = "interface"
    LINK = "link"
    SITE = "site"
    RACK = "rack"
    CLUSTER = "cluster"
    AGENCY = "agency"
    ADMIN_UNIT = "admin_unit"
    INFORMATION_SYSTEM = "information_system"


# Hosts are identified by DESIGN §5's rule; parts (interfaces) within their host; the
# other kinds by the source's id, else their natural key (``keys.natural_keys``).
HOST_KINDS = frozenset({RecordKind.DEVICE, RecordKind.WORKLOAD})
PART_KINDS = frozenset({RecordKind.INTERFACE})
# The kinds identified by a natural key, in the order a run plans them: each names
# only kinds before it (an admin unit its parent unit, a rack its site); links come
# after the hosts and parts, as they end on interfaces.
KEYED_KINDS = (
    RecordKind.ADMIN_UNIT,
    RecordKind.AGENCY,
    RecordKind.SITE,
    RecordKind.RACK,
    RecordKind.CLUSTER,
    RecordKind.INFORMATION_SYSTEM,
    RecordKind.LINK,
)


@dataclass(frozen=True)
class Endpoint:
    """A management address, with the SNMP port when the source knows it.

    A port of None matches any port: NetBox and Ansible know a device's address but
    not the port its agent answers on; SNMP knows both (test agents share 127.0.0.1).
    """

    host: str
    port: int | None = None

    @property
    def text(self) -> str:
        """``host`` or ``host:port`` (``[v6]:port``): how a run names a target."""
        if self.port is None:
            return self.host
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


@dataclass(frozen=True)
class Identity:
    """The keys that say which record an observation is about, most trusted first.

    ``record_id``: Headroom's own id, when the source was handed it (the Ansible
    inventory plugin gives each host ``headroom_id``). ``source_id``: the id the
    source gives the object itself (a NetBox id, an Ansible inventory name) — never
    an address: an address is reused by another device, an id is not, which is why
    SNMP observations carry none and state their agent's ``address`` instead.
    ``name``: a host's hostname (compared case-insensitively, domain stripped) or a
    part's name within its host (compared exactly).
    """

    record_id: int | None = None
    source_id: str | None = None
    serial: str | None = None
    address: Endpoint | None = None
    name: str | None = None


@dataclass(frozen=True)
class SourceRef:
    """Another record, as the source names it: by the id it has there (``source_id``: a
    device's NetBox site id), by its natural key (``key``: an admin unit's code), or as
    the record another observation of the same run is about (``label``: the interface
    an SNMP agent listed, at the end of a link its LLDP or CDP neighbour table found —
    SNMP gives interfaces no id of their own, and a new device's have none yet)."""

    kind: RecordKind
    source_id: str | None = None
    key: str | None = None
    label: str | None = None

    def __str__(self) -> str:
        named = next((n for n in (self.source_id, self.key, self.label) if n is not None), None)
        return f"{str(self.kind).replace('_', ' ')} {named}"


@dataclass(frozen=True)
class Observation:
    """What one source said of one record at one moment.

    ``parent``: a part's host, by the identity its own observation carries (an
    interface names its device). ``parts_read``: the source listed every part of
    this host (SNMP read the whole ifTable), so a part it did not list is absent;
    False when the table could not be read or the source lists parts apart.
    ``label``: how a person names the object in a report (``10.0.0.1:1161``,
    ``netbox device 12``); also the key of the record the plan creates for it.
    ``defaults``: what a new record needs and the source does not state (the role
    SNMP guesses from sysDescr, the site its sysLocation names): used only when the
    plan creates the record, never compared with a known one.
    ``refs``: columns that name another record (a device's site, rack and cluster, a
    link's ends), as the source names it; None: the source declares there is none (not
    racked). The planner resolves them to records: known, or created by the same plan.
    ``unmapped``: the source read the object and could not map it, and why: the plan
    refuses it (and what names it), and nothing of its kind is concluded absent for it.
    ``recorded``: what the run's observation row keeps as the source's word, when not
    every stated fact (None: every one); ``unrecorded``: no row at all (what a source
    only declares — NetBox's sites, racks, tenants — has nothing for an audit to compare).
    ``reported``: facts the source reports under a column's name but does not vouch
    for as the record's (Ansible's hostname and default-route address: the record's
    name and management address are NetBox's or a person's): kept in the observation
    as that source's word, never compared or written. ``details``: see ``Details``.
    """

    source: Source
    kind: RecordKind
    identity: Identity
    seen_at: datetime
    label: str
    declared: Facts = field(default_factory=dict)
    observed: Facts = field(default_factory=dict)
    parent: Identity | None = None
    parts_read: bool = False
    defaults: Facts = field(default_factory=dict)
    refs: Mapping[str, SourceRef | None] = field(default_factory=dict)
    unmapped: str | None = None
    recorded: Facts | None = None
    unrecorded: bool = False
    reported: Facts = field(default_factory=dict)
    details: Details = field(default_factory=dict)

    @cached_property
    def stated(self) -> dict[str, FactValue]:
        """Every fact it states (declared over observed). An observed fact that says
        nothing — None, blank text, a placeholder serial — is left out: it never erases
        a value. A declared None is stated: the authority says there is none. Computed
        once (the planner asks it for every field)."""
        observed = {n: v for n, v in self.observed.items() if _says_something(n, v)}
        declared = {n: None if _blank(v) else v for n, v in self.declared.items()}
        return {**observed, **declared}

    @property
    def mark_id(self) -> str | None:
        """The id the source's mark on the record keeps: its own id, else the address
        it answered at (what a poll asks next)."""
        if self.identity.source_id is not None:
            return self.identity.source_id
        return self.identity.address.text if self.identity.address else None


def _blank(value: FactValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _says_something(name: str, value: FactValue) -> bool:
    if _blank(value):
        return False
    return not (name == "serial" and isinstance(value, str) and clean_serial(value) is None)
