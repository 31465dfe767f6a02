"""LLDP neighbours → links between devices. Pure.

A neighbour is found by its chassis id (the device's own LLDP chassis id, or a MAC
of one of its interfaces), else by its system name; its port by name,
description or MAC. Between two sites, a declared circuit that has no interfaces
yet gets them (that is what lets its utilisation be polled); otherwise a link is
created, with the slower port's speed as its capacity. Inside one site, an
adjacency is a cable (network ``lan``: on no path to the DC) when both its ports
are known — such a link is defined by its two interfaces.

Links are not yet observations of the discovery core (its planner refuses the LINK
kind until a link's ends are observations too): ``cmdb discover snmp`` plans them
here, over the core's snapshot, and writes them after the core's writer
(``discovery.links``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cmdb.choices import Network, SiteKind
from discovery.core.known import KnownRecord, Snapshot
from discovery.core.normalize import normalize_hostname
from discovery.core.observations import RecordKind
from discovery.known import Inventory, KnownDevice, KnownInterface, KnownLink, KnownSite
from discovery.records import DeviceObservation, Neighbour
from discovery.snmp.parsers import parse_mac

CREATE = "create"
UPDATE = "update"


@dataclass(frozen=True)
class Heard:
    """A device that answered this run, and what it heard: ``key`` is ``device:<id>`` for
    a known device, ``new:<label>`` for one the run creates."""

    key: str
    observation: DeviceObservation
    site_id: int
    name: str


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


def inventory_of(snapshot: Snapshot) -> Inventory:
    """The devices (with interfaces), links and sites of the core's snapshot, as LLDP's
    planner reads them."""
    interfaces: dict[int, list[KnownInterface]] = {}
    for r in snapshot.of_kind(RecordKind.INTERFACE):
        if r.parent_id is not None:
            interfaces.setdefault(r.parent_id, []).append(_interface(r))
    devices = tuple(
        KnownDevice(
            id=r.id,
            name=r.name or "",
            site_id=_int(r.values.get("site_id")) or 0,
            chassis_id=_text(r.values.get("chassis_id")),
            management_address=_text(r.values.get("management_address")),
            interfaces=tuple(interfaces.get(r.id, ())),
        )
        for r in snapshot.of_kind(RecordKind.DEVICE)
    )
    links = tuple(
        KnownLink(
            r.id,
            _int(r.values.get("a_site_id")) or 0,
            _int(r.values.get("b_site_id")) or 0,
            _int(r.values.get("a_interface_id")),
            _int(r.values.get("b_interface_id")),
        )
        for r in snapshot.of_kind(RecordKind.LINK)
    )
    sites = tuple(
        KnownSite(
            r.id,
            _text(r.values.get("slug")) or "",
            r.name or "",
            r.values.get("kind") == SiteKind.DATA_CENTRE.value,
        )
        for r in snapshot.of_kind(RecordKind.SITE)
    )
    return Inventory(devices=devices, links=links, sites=sites)


def _interface(r: KnownRecord) -> KnownInterface:
    return KnownInterface(
        id=r.id,
        name=r.name or "",
        if_index=_int(r.values.get("if_index")),
        description=_text(r.values.get("description")),
        speed_mbps=_int(r.values.get("speed_mbps")),
        mac_address=_text(r.values.get("mac_address")),
    )


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


@dataclass
class DeviceView:
    """One device as the link planner needs it, known or about to be created."""

    key: str
    name: str
    site_id: int
    chassis_id: str | None = None
    names: set[str] = field(default_factory=set)
    interfaces: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    by_label: dict[str, str] = field(default_factory=dict)  # name/descr/MAC (lower) → name


def _known_view(d: KnownDevice) -> DeviceView:
    view = DeviceView(f"device:{d.id}", d.name, d.site_id, d.chassis_id)
    view.names.add(normalize_hostname(d.name) or "")
    for i in d.interfaces:
        view.interfaces[i.name] = (i.id, i.speed_mbps)
        for label in (i.name, i.description, i.mac_address):
            if label:
                view.by_label.setdefault(label.lower(), i.name)
    return view


def build_views(inventory: Inventory, plans: Iterable[Heard]) -> dict[str, DeviceView]:
    views = {f"device:{d.id}": _known_view(d) for d in inventory.devices}
    for plan in plans:
        obs = plan.observation
        view = views.get(plan.key) or DeviceView(plan.key, plan.name, plan.site_id)
        view.chassis_id = obs.lldp_chassis_id or view.chassis_id
        view.names.update(
            n
            for n in (normalize_hostname(obs.system.name), normalize_hostname(obs.lldp_sys_name))
            if n
        )
        for itf in obs.interfaces:
            known_id = view.interfaces.get(itf.name, (None, None))[0]
            view.interfaces[itf.name] = (known_id, itf.speed_mbps)
            for label in (itf.name, itf.descr, itf.mac_address):
                if label:
                    view.by_label.setdefault(label.lower(), itf.name)
        views[plan.key] = view
    return views


def find_neighbour(views: dict[str, DeviceView], n: Neighbour, me: str) -> DeviceView | None:
    chassis = n.remote_chassis_id.lower() if n.remote_chassis_id else None
    for view in views.values():
        if view.key != me and chassis and (chassis == (view.chassis_id or "").lower()):
            return view
    for view in views.values():
        if view.key != me and chassis and chassis in view.by_label:
            return view
    name = normalize_hostname(n.remote_sys_name)
    for view in views.values():
        if view.key != me and name and name in view.names:
            return view
    return None


def remote_interface(view: DeviceView, n: Neighbour) -> str | None:
    for label in (n.remote_port_id, n.remote_port_descr, parse_mac(n.remote_port_id)):
        if label and label.strip().lower() in view.by_label:
            return view.by_label[label.strip().lower()]
    return None


def plan_links(inventory: Inventory, plans: Iterable[Heard], network: str) -> tuple[LinkPlan, ...]:
    plans = list(plans)
    views = build_views(inventory, plans)
    dc_sites = {s.id for s in inventory.sites if s.is_data_centre}
    out: dict[frozenset[tuple[str, str | None]], LinkPlan] = {}
    for plan in plans:
        if "lldpRemTable" in plan.observation.missing:
            continue
        me = views[plan.key]
        by_index = {i.if_index: i.name for i in plan.observation.interfaces}
        for n in plan.observation.neighbours:
            other = find_neighbour(views, n, me.key)
            local = by_index.get(n.local_if_index) if n.local_if_index is not None else None
            if other is None or local is None:
                continue
            ends = (LinkEnd(me.key, local), LinkEnd(other.key, remote_interface(other, n)))
            key = frozenset((e.device_key, e.interface_name) for e in ends)
            if _covered(out, ends):
                continue
            if other.site_id == me.site_id:
                link = _cable(inventory, views, ends)
            else:
                link = _link(inventory, views, ends, dc_sites, network)
            if link is not None:
                out[key] = link
    return tuple(out.values())


def _covered(out: dict[frozenset[tuple[str, str | None]], LinkPlan], ends: tuple) -> bool:
    """The other side already planned this adjacency (maybe without knowing our port)."""
    mine = {e.device_key: e.interface_name for e in ends}
    for link in out.values():
        theirs = {
            link.a.device_key: link.a.interface_name,
            link.b.device_key: link.b.interface_name,
        }
        if theirs.keys() == mine.keys() and all(
            theirs[k] is None or mine[k] is None or theirs[k] == mine[k] for k in mine
        ):
            return True
    return False


def _cable(
    inventory: Inventory, views: dict[str, DeviceView], ends: tuple[LinkEnd, LinkEnd]
) -> LinkPlan | None:
    """A cable inside one site, when both ports are known and no link joins them yet."""
    if any(e.interface_name is None for e in ends):
        return None  # a link inside one site is defined by its two interfaces
    a, b = sorted(ends, key=lambda e: (views[e.device_key].name, e.interface_name or ""))
    va, vb = views[a.device_key], views[b.device_key]
    ids = [v.interfaces.get(e.interface_name or "", (None, None)) for v, e in ((va, a), (vb, b))]
    pair = {ids[0][0], ids[1][0]}
    if None not in pair and any(
        pair == {k.a_interface_id, k.b_interface_id} for k in inventory.links
    ):
        return None  # already there
    speeds = [s for _, s in ids if s]
    if not speeds:
        return None  # a link needs a capacity, and neither port tells it
    name = f"{va.name} {a.interface_name} - {vb.name} {b.interface_name}"[:200]
    return LinkPlan(CREATE, name, a, b, va.site_id, vb.site_id, min(speeds), Network.LAN.value)


def _link(
    inventory: Inventory,
    views: dict[str, DeviceView],
    ends: tuple[LinkEnd, LinkEnd],
    dc_sites: set[int],
    network: str,
) -> LinkPlan | None:
    a, b = ends
    if views[a.device_key].site_id in dc_sites:  # b is the end nearer the DC
        a, b = b, a
    va, vb = views[a.device_key], views[b.device_key]
    ids = [v.interfaces.get(e.interface_name or "", (None, None)) for v, e in ((va, a), (vb, b))]
    id_pair = {ids[0][0], ids[1][0]} - {None}
    for known in inventory.links:
        if id_pair and id_pair <= {known.a_interface_id, known.b_interface_id}:
            return None  # already there
    speeds = [s for _, s in ids if s]
    name = f"{va.name} {a.interface_name or '?'} - {vb.name} {b.interface_name or '?'}"[:200]
    declared = [
        k
        for k in inventory.links
        if {k.a_site_id, k.b_site_id} == {va.site_id, vb.site_id}
        and k.a_interface_id is None
        and k.b_interface_id is None
    ]
    if len(declared) == 1:
        k = declared[0]
        if k.a_site_id != va.site_id:
            a, b = b, a
        return LinkPlan(UPDATE, name, a, b, k.a_site_id, k.b_site_id, None, network, k.id)
    if not speeds:
        return None  # a link needs a capacity, and neither port tells it
    return LinkPlan(CREATE, name, a, b, va.site_id, vb.site_id, min(speeds), network)
