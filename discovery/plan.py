"""A plan of inventory changes: what ``reconcile`` decided and ``apply`` will write.

Devices are referred to by key — ``device:<id>`` for known ones, ``new:<address>``
for those the plan creates — so a plan (links between new devices included) can
be printed by ``--dry-run`` before anything has an id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from discovery.records import DeviceObservation

CREATE = "create"
UPDATE = "update"
NONE = "none"


@dataclass(frozen=True)
class FieldChange:
    field: str
    # Any, not object: the writer and the LLDP planner use a change as its column's own
    # type (a name, a role), which differs from field to field.
    old: Any
    new: Any


@dataclass(frozen=True)
class DiscrepancyPlan:
    """SNMP and the inventory disagree: the inventory keeps its value, the audit gets both."""

    object_type: str  # "device" or "interface"
    device_key: str
    interface_name: str | None
    field: str
    inventory: object
    snmp: object


@dataclass(frozen=True)
class InterfacePlan:
    name: str
    action: str
    interface_id: int | None = None
    changes: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class DevicePlan:
    key: str
    action: str
    observation: DeviceObservation
    device_id: int | None = None
    matched_by: str | None = None
    site_id: int | None = None
    changes: tuple[FieldChange, ...] = ()
    interfaces: tuple[InterfacePlan, ...] = ()
    discrepancies: tuple[DiscrepancyPlan, ...] = ()

    @property
    def changed(self) -> bool:
        """Anything to write beyond "seen": fields, interfaces or a new discrepancy."""
        return bool(
            self.action == CREATE
            or self.changes
            or any(i.action != NONE for i in self.interfaces)
            or self.discrepancies
        )


@dataclass(frozen=True)
class LinkEnd:
    device_key: str
    interface_name: str | None


@dataclass(frozen=True)
class LinkPlan:
    action: str  # create, or update: a declared circuit gets the interfaces it ends on
    name: str
    a: LinkEnd
    b: LinkEnd
    a_site_id: int
    b_site_id: int
    port_speed_mbps: int | None
    network: str
    link_id: int | None = None


@dataclass(frozen=True)
class Plan:
    devices: tuple[DevicePlan, ...] = ()
    links: tuple[LinkPlan, ...] = ()
    errors: dict[str, str] = field(default_factory=dict)  # address → why it was not planned

    @property
    def is_empty(self) -> bool:
        """Nothing to write but "seen" marks: what a second identical run must give."""
        return not self.links and not any(d.changed for d in self.devices)
