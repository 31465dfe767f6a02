"""Plain records of a NetBox sync: what NetBox said, as Headroom columns (no database).

A ``NbRecord`` is one NetBox object mapped to one Headroom row. Its ``fields`` are
what NetBox states; ``defaults`` fill the columns Headroom needs and NetBox lacks,
and are used only when the row is created (a default never overwrites a value);
``refs`` name other records by (kind, external id) and are turned into row ids by
the planner. ``observed`` is the canonical dict of the Observation contract.
``error`` says why a record cannot be mapped (it fails); ``incomplete`` why one that
is kept lacks something Headroom counts with (a VM without size: stored, marked, and
left out of capacity) — it is synced, so it never fails the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The tag ``--push`` puts on what it creates in NetBox; it touches nothing without it.
HEADROOM_TAG = "headroom"

# The kinds in the order they are planned and applied: a kind refers only to earlier ones.
KINDS: tuple[str, ...] = (
    "admin_units",
    "agencies",
    "sites",
    "racks",
    "clusters",
    "devices",
    "interfaces",
    "links",
    "information_systems",
    "workloads",
)

# The kinds the CLI's summary and JSON report (information systems ride with workloads).
REPORTED_KINDS: tuple[str, ...] = (
    "admin_units",
    "agencies",
    "sites",
    "racks",
    "devices",
    "interfaces",
    "links",
    "clusters",
    "workloads",
)

# Observation contract: the object_type each kind is observed as.
OBSERVED_AS: Mapping[str, str] = {
    "devices": "device",
    "interfaces": "interface",
    "workloads": "workload",
    "links": "link",
}


@dataclass(frozen=True)
class Ref:
    """Another record by kind and external id; ``code`` names an admin unit by its code."""

    kind: str
    external_id: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class NbRecord:
    kind: str
    external_id: str
    label: str
    fields: Mapping[str, Any] = field(default_factory=dict)
    defaults: Mapping[str, Any] = field(default_factory=dict)
    refs: Mapping[str, Ref | None] = field(default_factory=dict)
    observed: Mapping[str, Any] = field(default_factory=dict)
    error: str | None = None
    incomplete: str | None = None


@dataclass(frozen=True)
class Skipped:
    """A NetBox object Headroom deliberately does not store, and why: not a failure (the
    run stays succeeded), but listed on the run like one, never dropped silently."""

    kind: str
    external_id: str
    reason: str
    label: str = ""  # as a person names it ("con0 – ttyS1"); empty: the external id


@dataclass
class Mapped:
    """Everything one sync fetched, mapped; ``seen_ids`` are every id NetBox still has,
    ``deleted_ids`` the ids its change log says it deleted (see ``Fetched``)."""

    records: dict[str, list[NbRecord]] = field(default_factory=lambda: {k: [] for k in KINDS})
    skipped: list[Skipped] = field(default_factory=list)
    seen_ids: dict[str, set[str]] | None = None
    deleted_ids: dict[str, set[str]] | None = None
    deletions: str = "full read"
    warnings: list[str] = field(default_factory=list)  # what was kept, but not as NetBox says

    def add(self, record: NbRecord) -> None:
        self.records[record.kind].append(record)


# The NetBox endpoints a sync reads, by the name the mapping uses.
ENDPOINTS: tuple[str, ...] = (
    "regions",
    "site_groups",
    "tenants",
    "sites",
    "locations",
    "racks",
    "clusters",
    "device_types",
    "devices",
    "interfaces",
    "ip_addresses",
    "cables",
    "circuit_types",
    "circuits",
    "circuit_terminations",
    "virtual_machines",
)


@dataclass
class Fetched:
    """NetBox's answers as plain JSON dicts, per endpoint.

    ``device_sites`` maps every device id NetBox has to its site id (cables name a
    device, not a site). ``all_ids`` is set by an incremental fetch: the ids of every
    object NetBox still has, per kind, so deletions show even when only changes
    were fetched; a full fetch leaves it ``None`` (the fetched lists are complete).
    ``deleted_ids`` is set instead when NetBox's change log told what was deleted
    since the last sync; ``deletions`` says which of the three ways was taken.
    ``deleted_at`` dates the deletions the change log holds (a full fetch reads them too,
    since the last sync, when it can): "deleted in NetBox on …". ``far_ends``: for every
    interface of a fetched cable whose other end is a patch panel's port, the interface
    at the far end of the path through the panels (read for those interfaces only: the
    path costs NetBox a query per interface).
    """

    data: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {e: [] for e in ENDPOINTS}
    )
    device_sites: dict[int, int] = field(default_factory=dict)
    all_ids: dict[str, set[str]] | None = None
    deleted_ids: dict[str, set[str]] | None = None
    deletions: str = "full read"
    # When NetBox's change log says each deleted object went: (kind, external id) → ISO time.
    deleted_at: dict[tuple[str, str], str] = field(default_factory=dict)
    # An interface cabled to a patch panel → the interface NetBox traces at the path's far
    # end (its ``connected_endpoints``: NetBox's brief interface, with device and cable).
    far_ends: dict[int, dict[str, Any]] = field(default_factory=dict)
