"""The objects a sync could not map: where they are in NetBox, and what to read again (pure).

A failed object is listed with its NetBox page, so a person can open it and mend it.
An incremental sync reads only what NetBox changed, so an object that failed last
time and was not touched since would never be tried again — nor would what hangs on
it (a device whose site failed fails too, and is listed with it). The next
incremental sync therefore reads every object the last run listed as failed again,
by id, beside what changed: what maps now is written, what still fails is listed
again. (The small organisational endpoints are read whole every time; only the
large, incremental ones need asking.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# A Headroom kind and its external-id prefix → NetBox's UI path of the object.
_PAGES: Mapping[tuple[str, str], str] = {
    ("admin_units", "region:"): "dcim/regions",
    ("admin_units", "site-group:"): "dcim/site-groups",
    ("agencies", ""): "tenancy/tenants",
    ("sites", ""): "dcim/sites",
    ("racks", ""): "dcim/racks",
    ("clusters", ""): "virtualization/clusters",
    ("devices", ""): "dcim/devices",
    ("interfaces", ""): "dcim/interfaces",
    ("links", "cable:"): "dcim/cables",
    ("links", "circuit:"): "circuits/circuits",
    ("workloads", ""): "virtualization/virtual-machines",
}
# The incremental endpoints (``client._ENDPOINTS``) by the kind and prefix they map to.
_RETRIED: Mapping[tuple[str, str], str] = {
    ("racks", ""): "racks",
    ("devices", ""): "devices",
    ("interfaces", ""): "interfaces",
    ("links", "cable:"): "cables",
    ("workloads", ""): "virtual_machines",
}


def _split(kind: str, external_id: str) -> tuple[tuple[str, str], int] | None:
    """(kind, prefix) and NetBox's numeric id of an external id; ``None`` if it has none."""
    prefix, _, number = external_id.rpartition(":")
    prefix = f"{prefix}:" if prefix else ""
    if not number.isdigit():
        return None  # an information system ("system:<name>") is no NetBox object
    return (kind, prefix), int(number)


def object_url(base_url: str, kind: str, external_id: str) -> str | None:
    """The NetBox page of a mapped object, ``None`` for what NetBox has no page of."""
    split = _split(kind, external_id)
    if split is None or split[0] not in _PAGES:
        return None
    return f"{base_url.rstrip('/')}/{_PAGES[split[0]]}/{split[1]}/"


def retry_ids(failures: Iterable[Mapping[str, Any]]) -> dict[str, set[int]]:
    """The last run's failures (its stats' rows) → NetBox ids to read again, per endpoint."""
    retry: dict[str, set[int]] = {}
    for row in failures:
        split = _split(str(row.get("kind")), str(row.get("external_id")))
        if split is not None and split[0] in _RETRIED:
            retry.setdefault(_RETRIED[split[0]], set()).add(split[1])
    return retry
