"""What NetBox deleted since a sync, from its change log (pure: no network, no database).

An incremental sync learns deletions from NetBox's change log (``core/object-changes``,
``action=delete``) instead of listing every id of every large endpoint: a no-change
re-sync then reads a handful of small pages. The change log covers an interval only
while NetBox keeps it: ``CHANGELOG_RETENTION`` days (NetBox's default 90). NetBox does
not expose the setting through its API, so the default is assumed; a NetBox configured
to keep its log for less must be synced with ``--full`` at least that often (the
weekly ``--full`` the README advises also catches deletions made outside the change
log, such as direct database work).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

# NetBox's default CHANGELOG_RETENTION; its API does not say the configured one.
CHANGELOG_RETENTION = timedelta(days=90)
# Keep clear of the retention's edge: NetBox's housekeeping runs once a day.
RETENTION_MARGIN = timedelta(days=2)

# Each endpoint whose objects are Headroom records, as NetBox's change log names its
# type (``app_label.model``), with the kind and external-id prefix the mapping gives it.
CHANGE_TYPES: Mapping[str, tuple[str, str]] = {
    "dcim.region": ("admin_units", "region:"),
    "dcim.sitegroup": ("admin_units", "site-group:"),
    "tenancy.tenant": ("agencies", ""),
    "dcim.site": ("sites", ""),
    "dcim.rack": ("racks", ""),
    "virtualization.cluster": ("clusters", ""),
    "dcim.device": ("devices", ""),
    "dcim.interface": ("interfaces", ""),
    "dcim.cable": ("links", "cable:"),
    "circuits.circuit": ("links", "circuit:"),
    "virtualization.virtualmachine": ("workloads", ""),
}


def changelog_covers(
    since: datetime, now: datetime, retention: timedelta = CHANGELOG_RETENTION
) -> bool:
    """Whether NetBox still holds every change made after ``since``."""
    return now - since <= retention - RETENTION_MARGIN


def map_deletions(changes: Iterable[Mapping[str, Any]]) -> dict[str, set[str]]:
    """Change-log entries → the external ids deleted in NetBox, per Headroom kind.

    Entries of other actions or types are ignored: the filter that asked for
    deletions is checked here too, since NetBox silently ignores a filter it does not
    know and would then answer every change it has.
    """
    deleted: dict[str, set[str]] = {kind: set() for kind, _ in CHANGE_TYPES.values()}
    for change in changes:
        where = CHANGE_TYPES.get(str(change.get("changed_object_type") or ""))
        if where is None or _action(change) != "delete":
            continue
        kind, prefix = where
        deleted[kind].add(f"{prefix}{change['changed_object_id']}")
    return deleted


def map_deletion_times(changes: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], str]:
    """Change-log entries → when NetBox deleted each object: (kind, external id) → the
    entry's ISO time (what "deleted in NetBox on …" shows)."""
    times: dict[tuple[str, str], str] = {}
    for change in changes:
        where = CHANGE_TYPES.get(str(change.get("changed_object_type") or ""))
        if where is None or _action(change) != "delete" or not change.get("time"):
            continue
        kind, prefix = where
        times[(kind, f"{prefix}{change['changed_object_id']}")] = str(change["time"])
    return times


def _action(change: Mapping[str, Any]) -> str | None:
    """NetBox gives the action as ``{"value": "delete", "label": "Deleted"}``."""
    action = change.get("action")
    return action.get("value") if isinstance(action, Mapping) else action
