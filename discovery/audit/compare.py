"""Each source's word on a record → the audit's findings. Pure: no database, no network.

Four questions, for devices, interfaces and links:

- ``mismatch``: a source (NetBox, SNMP, Ansible, a person) says of a record's name,
  serial, model or manufacturer, an interface's speed or MAC, or a circuit's commit
  something else than the record holds. The rule and the values are the discovery
  core's (``discovery.core.fields.standing_values``, the one every run's plan uses):
  ``{"record": …, "netbox": …, "snmp": …}``, values compared as DESIGN.md §5
  identifies things (hostnames without domain and case, serials without placeholders,
  MACs without separators). So a row a run opened and the audit's finding are the same.
- ``not_on_network``: NetBox still declares it (seen in its latest successful sync),
  it should answer, and SNMP has not seen it within the silence window.
- ``not_in_netbox``: SNMP saw it within the window, NetBox does not declare it —
  asked only once a NetBox sync has ever succeeded, else everything would be.
- ``speed_vs_commit``: a circuit committed faster than the slowest port it runs on.

Values are stable while the disagreement stays the same (addresses and the moment
a source fell silent, not "last seen" times that move every night), so an
acknowledged discrepancy is reopened only when what was acknowledged changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from cmdb.choices import DiscrepancyKind, Source
from discovery.audit.records import (
    DEVICE,
    INTERFACE,
    LINK,
    AuditContext,
    Finding,
    RecordView,
    Seen,
)
from discovery.audit.settings import AuditSettings
from discovery.core.fields import standing_values
from discovery.core.known import KnownRecord
from discovery.core.observations import RecordKind

MANUAL = Source.MANUAL.value
NETBOX = Source.NETBOX.value
SNMP = Source.SNMP.value
INVENTORY = "inventory"  # the record itself, when no source vouches for the value
PRESENCE = "presence"  # the field of not_on_network / not_in_netbox findings

# The fields the audit sweeps for mismatches: every unsettled mismatch row on one of
# them is the audit's to confirm or resolve (the rule is the core's, so a run's row
# there is what the audit finds too); rows on other fields are left to the runs.
MISMATCH_FIELDS: dict[str, tuple[str, ...]] = {
    DEVICE: ("name", "serial", "model", "manufacturer"),
    INTERFACE: ("speed_mbps", "mac_address"),
    LINK: ("commit_rate_mbps",),
}


def compare_all(
    views: Iterable[RecordView], ctx: AuditContext, settings: AuditSettings
) -> list[Finding]:
    """Every finding over the whole inventory; interfaces are judged with their device."""
    views = list(views)
    devices = {v.object_id: v for v in views if v.object_type == DEVICE}
    findings: list[Finding] = []
    for view in views:
        parent = devices.get(view.parent_id) if view.parent_id is not None else None
        findings.extend(compare_record(view, ctx, settings, parent))
    return findings


def compare_record(
    view: RecordView,
    ctx: AuditContext,
    settings: AuditSettings,
    parent: RecordView | None = None,
) -> list[Finding]:
    """The findings of one record (an interface needs its device as ``parent``)."""
    found = list(find_mismatches(view))
    if view.object_type == DEVICE:
        found.extend(find_device_presence(view, ctx, settings))
    elif view.object_type == INTERFACE and parent is not None:
        found.extend(find_interface_presence(view, parent, ctx, settings))
    elif view.object_type == LINK:
        found.extend(find_link_presence(view, ctx, settings))
        found.extend(find_speed_below_commit(view))
    return found


def find_mismatches(view: RecordView) -> Iterable[Finding]:
    """One finding per audited field whose sources disagree with the record (the core's
    rule over each source's latest word and a person's, see the module docstring)."""
    fields = MISMATCH_FIELDS.get(view.object_type, ())
    record = KnownRecord(
        id=view.object_id,
        kind=RecordKind(view.object_type),
        values={f: view.record.get(f) for f in fields},
        said=_said(view, fields),
    )
    for field in fields:
        values = standing_values(record, field)
        if values is not None:
            yield Finding(
                DiscrepancyKind.MISMATCH.value, view.object_type, view.object_id, field, values
            )


def _said(view: RecordView, fields: tuple[str, ...]) -> dict[Source, dict[str, Any]]:
    """Each source's latest word on the audited fields, a person's under ``manual``."""
    said = {
        Source(source): {f: facts[f] for f in fields if f in facts}
        for source, facts in view.observed.items()
    }
    if view.manual:
        said[Source.MANUAL] = {f: view.manual[f] for f in fields if f in view.manual}
    return said


def declared_by_netbox(view: RecordView, ctx: AuditContext) -> bool:
    """NetBox still has it: its latest full sync saw it, or read it and could not map it
    (an object deleted there was not seen; see ``AuditContext``)."""
    seen = view.seen.get(NETBOX)
    if ctx.netbox_synced_at is None or seen is None:
        return False
    unmapped = (view.object_type, seen.external_id) in ctx.netbox_unmapped
    return seen.last_at >= ctx.netbox_synced_at or unmapped


def on_network(view: RecordView, ctx: AuditContext, settings: AuditSettings) -> bool:
    seen = view.seen.get(SNMP)
    return seen is not None and seen.last_at >= ctx.now - timedelta(days=settings.silent_after_days)


def _when(seen: Seen | None) -> str | None:
    return seen.last_at.isoformat() if seen is not None else None


def _presence(kind: DiscrepancyKind, view: RecordView, values: Mapping[str, object]) -> Finding:
    return Finding(kind.value, view.object_type, view.object_id, PRESENCE, dict(values))


def _not_in_netbox(view: RecordView, address: Any) -> Finding:
    """SNMP's value: where it answers; NetBox's: when NetBox last had it (None: never)."""
    values = {SNMP: address, NETBOX: _when(view.seen.get(NETBOX))}
    return _presence(DiscrepancyKind.NOT_IN_NETBOX, view, values)


def find_device_presence(
    view: RecordView, ctx: AuditContext, settings: AuditSettings
) -> Iterable[Finding]:
    if ctx.netbox_synced_at is None:
        return
    declared, answering = declared_by_netbox(view, ctx), on_network(view, ctx, settings)
    address = view.record.get("management_address")
    expected = view.record.get("status") in settings.answering_statuses
    if declared and address and expected and not answering:
        values = {NETBOX: address, SNMP: _when(view.seen.get(SNMP))}
        yield _presence(DiscrepancyKind.NOT_ON_NETWORK, view, values)
    if answering and not declared:
        yield _not_in_netbox(view, address or view.record.get("name"))


def find_interface_presence(
    view: RecordView, device: RecordView, ctx: AuditContext, settings: AuditSettings
) -> Iterable[Finding]:
    """Only on a device NetBox declares and SNMP reads: else the device's finding says it."""
    if not (declared_by_netbox(device, ctx) and on_network(device, ctx, settings)):
        return
    declared, answering = declared_by_netbox(view, ctx), on_network(view, ctx, settings)
    name = view.record.get("name")
    if declared and not answering:
        values = {NETBOX: name, SNMP: _when(view.seen.get(SNMP))}
        yield _presence(DiscrepancyKind.NOT_ON_NETWORK, view, values)
    if answering and not declared:
        yield _not_in_netbox(view, name)


def find_link_presence(
    view: RecordView, ctx: AuditContext, settings: AuditSettings
) -> Iterable[Finding]:
    """A cable LLDP shows that NetBox does not document (circuits SNMP cannot see)."""
    if ctx.netbox_synced_at is None:
        return
    if on_network(view, ctx, settings) and not declared_by_netbox(view, ctx):
        yield _not_in_netbox(view, view.record.get("name"))


def find_speed_below_commit(view: RecordView) -> Iterable[Finding]:
    """The slowest port of a circuit against its commit rate (NetBox's, else the record's).

    Port speeds: the end interfaces (SNMP's when SNMP saw them), else the link's port
    speed. Each source's values are grouped under it, e.g.
    ``{"netbox": {"commit_rate_mbps": 100}, "snmp": {"speed_mbps": 10}}``.
    """
    record = view.record
    netbox = view.observed.get(NETBOX, {})
    commit = netbox.get("commit_rate_mbps")
    commit_source = NETBOX if commit is not None else INVENTORY
    commit = commit if commit is not None else record.get("commit_rate_mbps")
    if commit is None:
        return
    speeds = [(s, INTERFACE_SOURCE[bool(record.get("ends_seen_by_snmp"))]) for s in _ends(record)]
    if not speeds:
        port = netbox.get("port_speed_mbps")
        port_source = NETBOX if port is not None else INVENTORY
        port = port if port is not None else record.get("port_speed_mbps")
        speeds = [(port, port_source)] if port is not None else []
    if not speeds:
        return
    slowest, speed_source = min(speeds, key=lambda pair: float(pair[0]))
    if float(slowest) >= float(commit):
        return
    values: dict[str, dict[str, Any]] = {commit_source: {"commit_rate_mbps": commit}}
    values.setdefault(speed_source, {})["speed_mbps"] = slowest
    yield Finding(
        DiscrepancyKind.SPEED_VS_COMMIT.value, LINK, view.object_id, "commit_rate_mbps", values
    )


INTERFACE_SOURCE = {True: SNMP, False: INVENTORY}


def _ends(record: Mapping[str, Any]) -> list[Any]:
    return [s for s in (record.get("a_speed_mbps"), record.get("b_speed_mbps")) if s is not None]
