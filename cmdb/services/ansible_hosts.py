"""The hosts Ansible manages: devices and VMs (by default those with a management
address), in one pass.

The inventory plugin asks for everything it groups and sets as host variables —
site, admin-unit path (as of a date: before or after a reform), role, platform,
rack, cluster, agency, information system, security level, zones, tags, networks,
primary interfaces, specs — page by page. Each page costs a fixed number of
queries whatever its size (admin units and site placements once, counts, devices
with their joins, their networks and interfaces, workloads with theirs), so
10,000 hosts arrive in ten requests of 1,000.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from cmdb.choices import DeviceRole, Network, Status
from cmdb.errors import ValidationError
from cmdb.models import (
    AdminUnit,
    Agency,
    Cluster,
    Device,
    InformationSystem,
    Interface,
    Link,
    Site,
    Workload,
)
from cmdb.services.as_of import is_in_force, site_placement_at
from cmdb.services.tag_filter import has_tags

VM_ROLE = "vm"  # the role the inventory gives workloads
EDGE_ROLES = (DeviceRole.ROUTER, DeviceRole.FIREWALL)
KINDS = ("device", "workload")
ADDRESS_CHOICES = ("required", "any")  # only hosts with a management address, or every host
#: Interfaces a host lists: the one holding its management address first, then others
#: with an address; enough to pick a connection, not a copy of the interface table.
MAX_INTERFACES = 4


@dataclass(frozen=True)
class HostFilter:
    """Every filter is a list of accepted values; an empty list does not filter."""

    kinds: Sequence[str] = ()
    sites: Sequence[str] = ()  # slugs
    admin_units: Sequence[str] = ()  # codes; a unit takes everything below it
    roles: Sequence[str] = ()  # device roles, and "vm" for workloads
    clusters: Sequence[str] = ()  # names
    agencies: Sequence[str] = ()  # short names or names
    security_levels: Sequence[int] = ()
    statuses: Sequence[str] = ()
    tags: Sequence[str] = ()  # slugs; a host must carry every one
    address: str = "required"  # "any": hosts without a management address too
    as_of: date | None = None  # the admin tree of that day (sites' placements, units in force)


@dataclass
class _Scope:
    """The filter turned into ids, once per request."""

    site_ids: set[int] | None = None
    unit_ids: set[int] | None = None
    cluster_ids: set[int] | None = None
    agency_ids: set[int] | None = None
    placement: dict[int, int] = field(default_factory=dict)  # site id -> admin unit id
    errors: dict[str, list[str]] = field(default_factory=dict)


def load_hosts(
    session: Session, flt: HostFilter, *, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    """The number of matching hosts and one page of them: devices first, then workloads."""
    units = {u.id: u for u in session.scalars(sa.select(AdminUnit))}
    scope = _scope(session, flt, units)
    scope.placement = _placement(session, flt.as_of)
    if scope.unit_ids is not None:
        in_units = {s for s, u in scope.placement.items() if u in scope.unit_ids}
        scope.site_ids = in_units if scope.site_ids is None else scope.site_ids & in_units
    devices, workloads = _device_query(flt, scope), _workload_query(flt, scope)
    n_devices = _count(session, devices) if devices is not None else 0
    n_workloads = _count(session, workloads) if workloads is not None else 0
    hosts: list[dict[str, Any]] = []
    if devices is not None and offset < n_devices:
        rows = _page(session, devices, Device, limit, offset)
        hosts += _present_devices(session, rows, units, scope.placement)
    if workloads is not None and len(hosts) < limit:
        start = max(0, offset - n_devices)
        rows = _page(session, workloads, Workload, limit - len(hosts), start)
        hosts += [_present_workload(w, units, scope.placement) for w in rows]
    return n_devices + n_workloads, hosts


def _scope(session: Session, flt: HostFilter, units: dict[int, AdminUnit]) -> _Scope:
    scope = _Scope()
    if flt.sites:
        scope.site_ids = _ids_of(session, Site, Site.slug, flt.sites, "site", scope)
    if flt.clusters:
        scope.cluster_ids = _ids_of(session, Cluster, Cluster.name, flt.clusters, "cluster", scope)
    if flt.agencies:
        scope.agency_ids = _agency_ids(session, flt.agencies, scope)
    if flt.admin_units:
        scope.unit_ids = _units_below(units, flt.admin_units, scope, flt.as_of)
    unknown_roles = set(flt.roles) - {r.value for r in DeviceRole} - {VM_ROLE}
    if unknown_roles:
        scope.errors["role"] = [f"unknown role: {', '.join(sorted(unknown_roles))}"]
    unknown_kinds = set(flt.kinds) - set(KINDS)
    if unknown_kinds:
        scope.errors["kind"] = [f"unknown kind: {', '.join(sorted(unknown_kinds))}"]
    unknown_statuses = set(flt.statuses) - {s.value for s in Status}
    if unknown_statuses:
        scope.errors["status"] = [f"unknown status: {', '.join(sorted(unknown_statuses))}"]
    if scope.errors:
        raise ValidationError(scope.errors, "unknown filter values")
    return scope


def _ids_of(
    session: Session, model: Any, column: Any, values: Sequence[str], name: str, scope: _Scope
) -> set[int]:
    found: dict[str, int] = dict(
        session.execute(sa.select(column, model.id).where(column.in_(values))).all()
    )
    missing = sorted(set(values) - set(found))
    if missing:
        scope.errors[name] = [f"unknown {name}: {', '.join(missing)}"]
    return set(found.values())


def _agency_ids(session: Session, values: Sequence[str], scope: _Scope) -> set[int]:
    rows = session.execute(
        sa.select(Agency.id, Agency.name, Agency.short_name).where(
            sa.or_(Agency.name.in_(values), Agency.short_name.in_(values))
        )
    ).all()
    known = {r.name for r in rows} | {r.short_name for r in rows}
    missing = sorted(set(values) - known)
    if missing:
        scope.errors["agency"] = [f"unknown agency: {', '.join(missing)}"]
    return {r.id for r in rows}


def _placement(session: Session, on: date | None) -> dict[int, int]:
    """Every site's admin unit: today's, or the one it had on ``on`` (its history row)."""
    if on is None:
        stmt = sa.select(Site.id, Site.admin_unit_id)
    else:
        placed = site_placement_at(on)
        stmt = sa.select(placed.c.site_id, placed.c.admin_unit_id)
    return {site_id: unit_id for site_id, unit_id in session.execute(stmt)}


def _units_below(
    units: dict[int, AdminUnit], codes: Sequence[str], scope: _Scope, on: date | None
) -> set[int]:
    """The units with these codes (in force, today or on ``on``) and every unit below them."""
    roots = {
        u.id
        for u in units.values()
        if u.code in codes
        and (is_in_force(u.valid_from, u.valid_to, on) if on else u.valid_to is None)
    }
    missing = sorted(set(codes) - {units[i].code for i in roots})
    if missing:
        scope.errors["admin_unit"] = [f"unknown admin unit: {', '.join(missing)}"]
    children: dict[int | None, list[int]] = {}
    for unit in units.values():
        children.setdefault(unit.parent_id, []).append(unit.id)
    found, todo = set(roots), list(roots)
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _device_query(flt: HostFilter, scope: _Scope) -> sa.Select[Any] | None:
    if flt.kinds and "device" not in flt.kinds:
        return None
    roles = [r for r in flt.roles if r != VM_ROLE]
    if flt.roles and not roles:
        return None
    query = (
        sa.select(Device.id)
        .join(Site, Device.site_id == Site.id)
        .outerjoin(Cluster, Device.cluster_id == Cluster.id)
    )
    conditions = [
        (flt.address == "required", lambda: _has_address(Device.management_address)),
        (roles, lambda: Device.role.in_(roles)),
        (scope.site_ids is not None, lambda: Device.site_id.in_(scope.site_ids or ())),
        (scope.cluster_ids is not None, lambda: Device.cluster_id.in_(scope.cluster_ids or ())),
        (scope.agency_ids is not None, lambda: Site.agency_id.in_(scope.agency_ids or ())),
        (flt.security_levels, lambda: Cluster.max_security_level.in_(flt.security_levels)),
        (flt.statuses, lambda: Device.status.in_(flt.statuses)),
        (flt.tags, lambda: has_tags(Device.tags, flt.tags)),
    ]
    return query.where(*(make() for wanted, make in conditions if wanted))


def _workload_query(flt: HostFilter, scope: _Scope) -> sa.Select[Any] | None:
    if flt.kinds and "workload" not in flt.kinds:
        return None
    if flt.roles and VM_ROLE not in flt.roles:
        return None
    query = (
        sa.select(Workload.id)
        .join(InformationSystem, Workload.information_system_id == InformationSystem.id)
        .join(Cluster, Workload.cluster_id == Cluster.id)
        .outerjoin(Site, Cluster.site_id == Site.id)  # an unplaced cluster's VMs are hosts too
    )
    conditions = [
        (flt.address == "required", lambda: _has_address(Workload.management_address)),
        (scope.site_ids is not None, lambda: Cluster.site_id.in_(scope.site_ids or ())),
        (scope.cluster_ids is not None, lambda: Workload.cluster_id.in_(scope.cluster_ids or ())),
        (
            scope.agency_ids is not None,
            lambda: InformationSystem.agency_id.in_(scope.agency_ids or ()),
        ),
        (flt.security_levels, lambda: InformationSystem.security_level.in_(flt.security_levels)),
        (flt.statuses, lambda: Workload.status.in_(flt.statuses)),
        (flt.tags, lambda: has_tags(Workload.tags, flt.tags)),
    ]
    return query.where(*(make() for wanted, make in conditions if wanted))


def _has_address(column: Any) -> sa.ColumnElement[bool]:
    return sa.and_(column.is_not(None), column != "")


def _count(session: Session, ids: sa.Select[Any]) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(ids.subquery())) or 0


def _page(session: Session, ids: sa.Select[Any], model: Any, limit: int, offset: int) -> list[Any]:
    page_ids = ids.order_by(model.id).limit(limit).offset(offset).scalar_subquery()
    loads = {
        Device: (
            joinedload(Device.site).joinedload(Site.agency),
            joinedload(Device.cluster),
            joinedload(Device.rack),
        ),
        Workload: (
            joinedload(Workload.information_system).joinedload(InformationSystem.agency),
            joinedload(Workload.cluster).joinedload(Cluster.site),
        ),
    }[model]
    query = sa.select(model).where(model.id.in_(page_ids)).options(*loads).order_by(model.id)
    return list(session.scalars(query).unique())


def _present_devices(
    session: Session, devices: list[Device], units: dict[int, AdminUnit], placement: dict[int, int]
) -> list[dict[str, Any]]:
    networks = _device_networks(session, devices)
    interfaces = _device_interfaces(session, devices)
    return [
        {
            **_present_device(d, units, placement, sorted(networks.get(d.id, ()))),
            "interfaces": interfaces.get(d.id, []),
        }
        for d in devices
    ]


def _device_interfaces(session: Session, devices: list[Device]) -> dict[int, list[dict[str, Any]]]:
    """Each device's primary interfaces: the one holding its management address first,
    then enabled ones with an address, by name; at most ``MAX_INTERFACES``."""
    address = {d.id: d.management_address for d in devices}
    rows = session.execute(
        sa.select(
            Interface.device_id,
            Interface.name,
            Interface.ip_addresses,
            Interface.mac_address,
            Interface.speed_mbps,
        )
        .where(Interface.device_id.in_(list(address)), Interface.enabled.is_(True))
        .order_by(Interface.device_id, Interface.name)
    )
    found: dict[int, list[dict[str, Any]]] = {}
    for device_id, name, ips, mac, speed in rows:
        ips = list(ips or [])
        if not ips:
            continue
        management = _holds(ips, address[device_id])
        item = {
            "name": name,
            "ip_addresses": ips,
            "mac_address": mac,
            "speed_mbps": speed,
            "management": management,
        }
        listed = found.setdefault(device_id, [])
        listed.insert(0 if management else len(listed), item)
    return {d: items[:MAX_INTERFACES] for d, items in found.items()}


def _holds(ips: list[str], address: str | None) -> bool:
    """Whether ``address`` is one of ``ips`` (written with or without a prefix length)."""
    return bool(address) and any(ip.split("/")[0] == address for ip in ips)


def _device_networks(session: Session, devices: list[Device]) -> dict[int, set[str]]:
    """Networks of the links ending on a device's interfaces; for routers and firewalls,
    also of the links at their site (circuits are often declared site to site)."""
    ids = [d.id for d in devices]
    found: dict[int, set[str]] = {}
    for end in (Link.a_interface_id, Link.b_interface_id):
        rows = session.execute(
            sa.select(Interface.device_id, Link.network)
            .join(Link, end == Interface.id)
            .where(Interface.device_id.in_(ids))
        )
        for device_id, network in rows:
            found.setdefault(device_id, set()).add(Network(network).value)
    edge: dict[int, list[int]] = {}
    for d in devices:
        if d.role in EDGE_ROLES:
            edge.setdefault(d.site_id, []).append(d.id)
    if edge:
        for end in (Link.a_site_id, Link.b_site_id):
            rows = session.execute(sa.select(end, Link.network).where(end.in_(list(edge))))
            for site_id, network in rows:
                for device_id in edge[site_id]:
                    found.setdefault(device_id, set()).add(Network(network).value)
    return found


def _present_device(
    d: Device, units: dict[int, AdminUnit], placement: dict[int, int], networks: list[str]
) -> dict[str, Any]:
    cluster, rack = d.cluster, d.rack
    return {
        "kind": "device",
        "id": d.id,
        "name": d.name,
        "management_address": d.management_address,
        "status": d.status.value,
        "role": d.role.value,
        "site": _site(d.site),
        "admin_units": _path(units, placement.get(d.site_id, d.site.admin_unit_id)),
        "cluster": {"id": cluster.id, "name": cluster.name} if cluster else None,
        "agency": _agency(d.site.agency),
        "information_system": None,
        "security_level": cluster.max_security_level if cluster else None,
        "networks": networks,
        "zones": sorted(cluster.zones or []) if cluster else [],
        "tags": list(d.tags or []),
        "platform": d.platform,
        "rack": {"id": rack.id, "name": rack.name, "position_u": d.rack_position_u}
        if rack
        else None,
        "location": d.location,
        "manufacturer": d.manufacturer,
        "model": d.model,
        "serial": d.serial,
        "specs": {"cores": d.cores, "ram_gb": d.ram_gb, "raw_storage_tb": d.raw_storage_tb},
    }


def _present_workload(
    w: Workload, units: dict[int, AdminUnit], placement: dict[int, int]
) -> dict[str, Any]:
    system, site = w.information_system, w.cluster.site
    return {
        "kind": "workload",
        "id": w.id,
        "name": w.name,
        "management_address": w.management_address,
        "status": w.status.value,
        "role": VM_ROLE,
        "site": _site(site) if site is not None else None,
        "admin_units": _path(units, placement.get(site.id, site.admin_unit_id)) if site else [],
        "cluster": {"id": w.cluster.id, "name": w.cluster.name},
        "agency": _agency(system.agency),
        "information_system": {"id": system.id, "name": system.name, "code": system.code},
        "security_level": system.security_level,
        "networks": sorted(set(system.zones) & {Network.INTERNET.value, Network.TSLCD.value}),
        "zones": sorted(system.zones or []),
        "tags": list(w.tags or []),
        "platform": None,
        "rack": None,
        "location": None,
        "interfaces": [],
        "manufacturer": None,
        "model": None,
        "serial": None,
        "specs": {"vcpu": w.vcpu, "ram_gb": w.ram_gb, "disk_gb": w.disk_gb},
    }


def _site(site: Site) -> dict[str, Any]:
    return {"id": site.id, "slug": site.slug, "name": site.name}


def _agency(agency: Agency | None) -> dict[str, Any] | None:
    if agency is None:
        return None
    return {"id": agency.id, "name": agency.name, "short_name": agency.short_name}


def _path(units: dict[int, AdminUnit], unit_id: int | None) -> list[dict[str, Any]]:
    """The admin units from the top of the tree down to ``unit_id``."""
    path = []
    seen: set[int] = set()
    while unit_id is not None and unit_id in units and unit_id not in seen:
        seen.add(unit_id)
        unit = units[unit_id]
        path.append({"code": unit.code, "name": unit.name, "level": unit.level.value})
        unit_id = unit.parent_id
    return path[::-1]
