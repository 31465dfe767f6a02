"""Opt-in write-back: create in NetBox what SNMP discovery found and NetBox lacks.

NetBox stays the documentation of record, so what the network shows and nobody
documented is proposed there, not kept only in Headroom: each device SNMP saw that
has no NetBox id is created with status ``planned`` and the tag ``headroom`` (with
its interfaces), and interfaces SNMP saw on documented devices are added, tagged.
It never modifies an object it did not create: an existing NetBox device of the
same name is left alone unless it carries the tag. What it creates comes back through
the discovery core as NetBox's observations of the records (``push_store``): each is
marked seen by NetBox under its new id, so a second push creates nothing more. The push
is a run of its own (``core.lifecycle``): every candidate device is an attempt.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pynetbox
from sqlalchemy.orm import Session

from cmdb.choices import RunKind, Source
from cmdb.db import transaction, utcnow
from cmdb.models import DiscoveryRun
from cmdb.services.job_runs import lock_running
from discovery.core.known import KnownRecord
from discovery.core.lifecycle import finish_run, new_run, start_run
from discovery.core.runs import Failure, RunVerdict, classify_run
from discovery.netbox.client import DEFAULT_TIMEOUT_S, connect, describe_error
from discovery.netbox.push_store import (
    Candidate,
    Pushed,
    load_push_candidates,
    pushed_observations,
    record_created,
    refusals_by_device,
)
from discovery.netbox.records import HEADROOM_TAG
from discovery.netbox.values import ascii_lower

TAG = HEADROOM_TAG
PLANNED = "planned"
INTERFACE_TYPE = "other"  # SNMP's ifType does not name NetBox's physical types reliably


@dataclass
class PushReport:
    devices: list[str] = field(default_factory=list)
    interfaces: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    error: str | None = None
    dry_run: bool = False
    run_id: int | None = None
    verdict: RunVerdict | None = None  # once the run ended

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "status": str(self.verdict.status) if self.verdict else None,
            "devices_created": len(self.devices),
            "interfaces_created": len(self.interfaces),
            "devices": self.devices,
            "interfaces": self.interfaces,
            "skipped": self.skipped,
            "error": self.error,
            "dry_run": self.dry_run,
        }

    def summary(self) -> str:
        verb = "would create" if self.dry_run else "created"
        text = f"push: {verb} {len(self.devices)} devices, {len(self.interfaces)} interfaces"
        text += f" in NetBox; skipped {len(self.skipped)}"
        return text + (f"; failed: {self.error}" if self.error else "")


def push_to_netbox(
    session_factory: Callable[[], Session],
    url: str,
    token: str,
    *,
    dry_run: bool = False,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> PushReport:
    """Push, as a run of its own (kind ``push``): every candidate device is an attempt;
    NetBox failing half-way fails the run (what was created before is still recorded)."""
    report = PushReport(dry_run=dry_run)
    with session_factory() as session:
        candidates = load_push_candidates(session)
    if dry_run:
        run = new_run(source=Source.NETBOX, kind=RunKind.PUSH, target=url)
    else:
        with transaction(session_factory) as session:  # type: ignore[arg-type]
            report.run_id = start_run(
                session, new_run(source=Source.NETBOX, kind=RunKind.PUSH, target=url)
            ).id
    api = connect(url, token, timeout_s)
    pushed = None if dry_run else Pushed()
    try:
        tag_id = _ensure_tag(api) if pushed is not None and candidates else 0
        for c in candidates:
            _push_one(api, c, report, tag_id, pushed)
    except Exception as exc:  # what was created before the failure is still recorded below
        reason = describe_error(exc, url)
        if reason is None:
            fatal = f"{type(exc).__name__}: {exc}"
            _end(session_factory, report, candidates, fatal, pushed)
            raise
        report.error = reason
    if dry_run:
        report.verdict = finish_run(run, classify_run(len(candidates), (), report.error))
    else:
        _end(session_factory, report, candidates, report.error, pushed)
    return report


def _end(
    session_factory: Callable[[], Session],
    report: PushReport,
    candidates: list[Candidate],
    fatal: str | None,
    pushed: Pushed | None,
) -> None:
    """What the push created, back through the core, and the run's end: one transaction."""
    with transaction(session_factory) as session:  # type: ignore[arg-type]
        run = lock_running(session, report.run_id or 0)
        refused: dict[int, str] = {}
        if pushed is not None and (pushed.devices or pushed.interfaces):
            owner = run or session.get_one(DiscoveryRun, report.run_id)
            created = pushed_observations(candidates, pushed, utcnow())
            plan = record_created(session, owner, [o for found in created.values() for o in found])
            refused = refusals_by_device(plan, created)
        if run is None:  # ended meanwhile (swept, cancelled): its end stands
            return
        failures = [
            Failure(c.name, refused[c.device.id]) for c in candidates if c.device.id in refused
        ]
        stats = {"devices": len(report.devices), "interfaces": len(report.interfaces)}
        stats["skipped"] = len(report.skipped)
        verdict = classify_run(len(candidates), failures, fatal)
        report.verdict = finish_run(run, verdict, stats=stats)


def _push_one(
    api: pynetbox.api, c: Candidate, report: PushReport, tag_id: int, pushed: Pushed | None
) -> None:
    """Create the device (unless documented) and its missing interfaces; ``pushed`` None = dry."""
    if c.netbox_id is None and c.site_netbox_id is None:
        report.skipped.append(f"{c.name}: its site is not in NetBox")
        return
    device_id = int(c.netbox_id) if c.netbox_id else None
    interfaces = c.interfaces
    if device_id is None:
        existing = api.dcim.devices.get(name=c.name, site_id=int(c.site_netbox_id or 0))
        if existing is not None and not _ours(existing):
            report.skipped.append(f"{c.name}: NetBox has a device of that name (not ours)")
            return
        interfaces = c.every_interface
        if existing is not None:
            device_id = int(existing.id)
        else:
            report.devices.append(c.name)
            if pushed is not None:
                device_id = _create_device(api, c, int(c.site_netbox_id or 0), tag_id)
        if pushed is not None and device_id is not None:
            pushed.devices[c.device.id] = str(device_id)
    names = _interface_names(api, device_id) if device_id else set()
    for i in interfaces:
        if i.name in names:
            continue
        report.interfaces.append(f"{c.name} {i.name}")
        if pushed is not None and device_id is not None:
            pushed.interfaces[i.id] = str(_create_interface(api, device_id, i, tag_id))


def _ours(record: Any) -> bool:
    return any(getattr(t, "slug", None) == TAG for t in (record.tags or []))


def _ensure_tag(api: pynetbox.api) -> int:
    tag = api.extras.tags.get(slug=TAG)
    if tag is None:
        tag = api.extras.tags.create(
            name=TAG, slug=TAG, description="Created by Headroom from SNMP discovery"
        )
    return int(tag.id)


def _get_or_create(endpoint: Any, lookup: dict[str, Any], extra: dict[str, Any]) -> int:
    found = endpoint.get(**lookup)
    if found is None:
        found = endpoint.create({**lookup, **extra})
    return int(found.id)


def _create_device(api: pynetbox.api, c: Candidate, site_id: int, tag_id: int) -> int:
    tags = [{"id": tag_id}]
    d = c.device.values
    maker = _text(d.get("manufacturer")) or "Unknown"
    manufacturer = _get_or_create(
        api.dcim.manufacturers, {"slug": _slug(maker)}, {"name": maker, "tags": tags}
    )
    model = _text(d.get("model")) or "Unknown (SNMP)"
    device_type = _get_or_create(
        api.dcim.device_types,
        {"manufacturer_id": manufacturer, "slug": _slug(model)},
        {"manufacturer": manufacturer, "model": model, "tags": tags},
    )
    role_name = _text(d.get("role")) or "other"
    role = _get_or_create(
        api.dcim.device_roles, {"slug": _slug(role_name)}, {"name": role_name, "tags": tags}
    )
    created = api.dcim.devices.create(
        name=c.name,
        site=site_id,
        device_type=device_type,
        role=role,
        status=PLANNED,
        serial=c.device.serial or "",
        tags=tags,
        description="Found by Headroom's SNMP discovery; not yet documented",
    )
    return int(created.id)


def _interface_names(api: pynetbox.api, device_id: int) -> set[str]:
    return {i.name for i in api.dcim.interfaces.filter(device_id=device_id)}


def _create_interface(api: pynetbox.api, device_id: int, i: KnownRecord, tag_id: int) -> int:
    speed = i.values.get("speed_mbps")
    enabled = i.values.get("enabled")
    created = api.dcim.interfaces.create(
        device=device_id,
        name=i.name,
        type=INTERFACE_TYPE,
        enabled=enabled if isinstance(enabled, bool) else True,
        speed=int(speed * 1000) if isinstance(speed, int | float) and speed else None,
        description=(_text(i.values.get("description")) or "")[:200],
        tags=[{"id": tag_id}],
    )
    return int(created.id)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_lower(text))
    return slug.strip("-")[:100] or "unknown"
