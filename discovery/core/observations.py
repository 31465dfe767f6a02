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


# Hosts are identified by DESIGN §5's rule; parts (interfaces) within their host.
HOST_KINDS = frozenset({RecordKind.DEVICE, RecordKind.WORKLOAD})
PART_KINDS = frozenset({RecordKind.INTERFACE})


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
    reported: Facts = field(default_factory=dict)
    details: Details = field(default_factory=dict)

    @property
    def stated(self) -> dict[str, FactValue]:
        """Every fact it states (declared over observed). A fact that says nothing —
        None, blank text, a placeholder serial — is left out: it never erases a value."""
        merged = {**self.observed, **self.declared}
        return {name: value for name, value in merged.items() if _says_something(name, value)}

    @property
    def mark_id(self) -> str | None:
        """The id the source's mark on the record keeps: its own id, else the address
        it answered at (what a poll asks next)."""
        if self.identity.source_id is not None:
            return self.identity.source_id
        return self.identity.address.text if self.identity.address else None


def _says_something(name: str, value: FactValue) -> bool:
    if value is None or (isinstance(value, str) and not value.strip()):
        return False
    return not (name == "serial" and isinstance(value, str) and clean_serial(value) is None)
