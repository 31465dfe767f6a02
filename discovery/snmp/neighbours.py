"""LLDP and CDP neighbours → link observations of the discovery core. Pure.

A neighbour is found by its chassis id (the device's own LLDP chassis id, or a MAC of
one of its interfaces), by the serial CDP gives, else by its system name; its port by
name, description or MAC. Between two sites, a declared circuit that has no
interfaces yet gets them (that is what lets its utilisation be polled); otherwise a
link is observed, with the slower port's speed as its port speed. Inside one site, an
adjacency is a cable (network ``lan``: on no path to the DC) when both its ports are
known — such a link is defined by its two interfaces. A device that hears one
neighbour over both LLDP and CDP gives one link, as do both ends hearing each other.

The link observations go through the core like every other record (identity by the
two interfaces, ``keys.NATURAL_KEYS``; the one writer; discrepancies where SNMP and the
record disagree on a link's sites or port speed). Which device each answering agent
is, the core decides: these are built from the plan of the run's hosts
(``discover.reconcile_outcomes`` plans the hosts, then plans hosts and links as one).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from cmdb.choices import Network, SiteKind, Source
from discovery.core import observations as ob
from discovery.core.known import Snapshot
from discovery.core.normalize import clean_serial, normalize_hostname
from discovery.core.plan import Plan, Ref
from discovery.records import DeviceObservation, Neighbour, TargetOutcome
from discovery.snmp.parsers import is_null_chassis_id, parse_mac

MAX_NAME = 200  # the link name column
DEVICE, INTERFACE, LINK = ob.RecordKind.DEVICE, ob.RecordKind.INTERFACE, ob.RecordKind.LINK


@dataclass(frozen=True)
class Port:
    """One interface of a device: its id when known, its speed, and the label of this
    run's observation of it (what a link to a port not yet written names)."""

    name: str
    id: int | None = None
    speed_mbps: int | None = None
    label: str | None = None


@dataclass
class DeviceView:
    """One device as the link planner needs it, known or about to be created."""

    ref: Ref
    name: str
    site_id: int
    chassis_id: str | None = None
    serial: str | None = None
    names: set[str] = field(default_factory=set)
    addresses: set[str] = field(default_factory=set)
    ports: dict[str, Port] = field(default_factory=dict)
    by_label: dict[str, str] = field(default_factory=dict)  # name/descr/MAC (lower) → name


@dataclass(frozen=True)
class Heard:
    """A device of this run's plan and what its agent said (its neighbours among it)."""

    ref: Ref
    observation: DeviceObservation
    site_id: int
    name: str


@dataclass(frozen=True)
class KnownLink:
    id: int
    a_site_id: int | None
    b_site_id: int | None
    a_interface_id: int | None
    b_interface_id: int | None


End = tuple[Ref, str | None]  # a device and its port's name (None: not found)


def heard_of(plan: Plan, outcomes: Sequence[TargetOutcome], snapshot: Snapshot) -> list[Heard]:
    """Each answering agent as the device the plan made of it (by the target's address)."""
    refs = {s.label: s.ref for s in plan.seen if s.ref.kind is DEVICE}
    created = {c.ref: c.values for c in plan.creates}
    known = {r.id: r for r in snapshot.of_kind(DEVICE)}
    heard = []
    for o in outcomes:
        ref = refs.get(o.target.address)
        if o.observation is None or ref is None:
            continue
        values = known[ref.id].values if ref.id is not None else created[ref]
        name = known[ref.id].name if ref.id is not None else values.get("name")
        heard.append(Heard(ref, o.observation, _int(values.get("site_id")) or 0, str(name or "")))
    return heard


def link_observations(
    snapshot: Snapshot, heard: Sequence[Heard], network: str, seen_at: datetime
) -> tuple[ob.Observation, ...]:
    """The links the run's neighbour tables show, one observation per adjacency."""
    views = build_views(snapshot, heard)
    links = _known_links(snapshot)
    dc_sites = {
        r.id
        for r in snapshot.of_kind(ob.RecordKind.SITE)
        if r.values.get("kind") == SiteKind.DATA_CENTRE.value
    }
    found: list[tuple[End, End]] = []
    for one in heard:
        me = views[one.ref]
        by_index = {i.if_index: i.name for i in one.observation.interfaces}
        for n in _neighbours(one.observation):
            other = find_neighbour(views, n, me.ref)
            local = by_index.get(n.local_if_index) if n.local_if_index is not None else None
            if other is None or local is None:
                continue
            ends: tuple[End, End] = ((me.ref, local), (other.ref, remote_interface(other, n)))
            _add(found, ends)
    observations = []
    for ends in found:
        same_site = views[ends[0][0]].site_id == views[ends[1][0]].site_id
        made = (
            _cable(views, links, ends, seen_at)
            if same_site
            else _link(views, links, ends, dc_sites, network, seen_at)
        )
        observations += [made] if made is not None else []
    return tuple(observations)


def _neighbours(obs: DeviceObservation) -> Iterable[Neighbour]:
    """LLDP's rows then CDP's, each only when its table was read."""
    if "lldpRemTable" not in obs.missing:
        yield from obs.neighbours
    if "cdpCacheTable" not in obs.missing:
        yield from obs.cdp_neighbours


def build_views(snapshot: Snapshot, heard: Iterable[Heard]) -> dict[Ref, DeviceView]:
    """Every known device with its ports, then what the run's agents said of themselves."""
    views: dict[Ref, DeviceView] = {}
    for r in snapshot.of_kind(DEVICE):
        chassis = _text(r.values.get("chassis_id"))
        view = DeviceView(Ref(DEVICE, r.id), r.name or "", _int(r.values.get("site_id")) or 0)
        view.chassis_id = None if is_null_chassis_id(chassis) else chassis
        view.serial = clean_serial(r.serial)
        view.names.add(normalize_hostname(r.name) or "")
        view.addresses.add(str(r.values.get("management_address") or ""))
        views[view.ref] = view
    for r in snapshot.of_kind(INTERFACE):
        owner = views.get(Ref(DEVICE, r.parent_id)) if r.parent_id is not None else None
        if owner is None or not r.name:
            continue
        owner.ports[r.name] = Port(r.name, r.id, _int(r.values.get("speed_mbps")))
        _labels(owner, r.name, _text(r.values.get("description")), r.values.get("mac_address"))
    for one in heard:
        _hear(views, one)
    return views


def _hear(views: dict[Ref, DeviceView], one: Heard) -> None:
    obs = one.observation
    view = views.get(one.ref) or DeviceView(one.ref, one.name, one.site_id)
    view.chassis_id = obs.lldp_chassis_id or view.chassis_id
    view.serial = (clean_serial(obs.chassis.serial) if obs.chassis else None) or view.serial
    names = (normalize_hostname(obs.system.name), normalize_hostname(obs.lldp_sys_name))
    view.names.update(n for n in names if n)
    view.addresses.add(obs.target.host)
    listed = "ifTable" not in obs.missing  # the adapter observed each interface
    for itf in obs.interfaces:
        known = view.ports.get(itf.name)
        if known is not None and known.label is not None:
            continue  # a second row of one name: the first is the one observed
        label = f"{obs.target.address}/{itf.name}" if listed else None
        known_id = known.id if known is not None else None
        view.ports[itf.name] = Port(itf.name, known_id, itf.speed_mbps, label)
        _labels(view, itf.name, itf.descr, itf.mac_address)
    views[one.ref] = view


def _labels(view: DeviceView, name: str, *labels: ob.FactValue) -> None:
    for label in (name, *labels):
        if isinstance(label, str) and label:
            view.by_label.setdefault(label.strip().lower(), name)


def find_neighbour(views: Mapping[Ref, DeviceView], n: Neighbour, me: Ref) -> DeviceView | None:
    """The device a neighbour row names: chassis id, an interface's MAC, serial, name,
    then (CDP) the address it gave; never the device that heard it."""
    others = [v for v in views.values() if v.ref != me]
    chassis = n.remote_chassis_id.lower() if n.remote_chassis_id else None
    serial = clean_serial(n.remote_serial)
    name = normalize_hostname(n.remote_sys_name)
    tests = (
        lambda v: chassis is not None and chassis == (v.chassis_id or "").lower(),
        lambda v: chassis is not None and chassis in v.by_label,
        lambda v: serial is not None and serial == v.serial,
        lambda v: bool(name) and name in v.names,
        lambda v: n.remote_address is not None and n.remote_address in v.addresses,
    )
    for test in tests:
        found = [v for v in others if test(v)]
        if found:
            return found[0]
    return None


def remote_interface(view: DeviceView, n: Neighbour) -> str | None:
    for label in (n.remote_port_id, n.remote_port_descr, parse_mac(n.remote_port_id)):
        if label and label.strip().lower() in view.by_label:
            return view.by_label[label.strip().lower()]
    return None


def _add(found: list[tuple[End, End]], ends: tuple[End, End]) -> None:
    """One adjacency once: the other side (or the other protocol) may already have given
    it, maybe without knowing one of the ports — then the one that knows more stays."""
    mine = dict(ends)
    for position, link in enumerate(found):
        theirs = dict(link)
        if theirs.keys() == mine.keys() and all(
            theirs[k] is None or mine[k] is None or theirs[k] == mine[k] for k in mine
        ):
            if sum(p is not None for p in mine.values()) > sum(
                p is not None for p in theirs.values()
            ):
                found[position] = ends
            return
    found.append(ends)


def _known_links(snapshot: Snapshot) -> tuple[KnownLink, ...]:
    return tuple(
        KnownLink(
            r.id,
            _int(r.values.get("a_site_id")),
            _int(r.values.get("b_site_id")),
            _int(r.values.get("a_interface_id")),
            _int(r.values.get("b_interface_id")),
        )
        for r in snapshot.of_kind(LINK)
    )


def _cable(
    views: Mapping[Ref, DeviceView],
    links: Sequence[KnownLink],
    ends: tuple[End, End],
    seen_at: datetime,
) -> ob.Observation | None:
    """A cable inside one site, when both ports are known."""
    if any(port is None for _, port in ends):
        return None  # a link inside one site is defined by its two interfaces
    a, b = sorted(ends, key=lambda e: (views[e[0]].name, e[1] or ""))
    a, b = _as_known(views, links, a, b)
    return _observation(views, (a, b), Network.LAN.value, None, seen_at)


def _link(
    views: Mapping[Ref, DeviceView],
    links: Sequence[KnownLink],
    ends: tuple[End, End],
    dc_sites: set[int],
    network: str,
    seen_at: datetime,
) -> ob.Observation | None:
    """A link between two sites: b is the end nearer the DC."""
    a, b = ends
    if views[a[0]].site_id in dc_sites:
        a, b = b, a
    ids = {_port(views, e).id for e in (a, b)} - {None}
    for known in links:
        pair = {known.a_interface_id, known.b_interface_id}
        if ids and ids <= pair and len(ids) < 2:
            return None  # one port known and already on a link: nothing new is known
    a, b = _as_known(views, links, a, b)
    sites = {views[a[0]].site_id, views[b[0]].site_id}
    declared = [
        k
        for k in links
        if {k.a_site_id, k.b_site_id} == sites
        and k.a_interface_id is None
        and k.b_interface_id is None
    ]
    joined = len(ids) == 2 and any(ids == {k.a_interface_id, k.b_interface_id} for k in links)
    if not joined and len(declared) == 1:  # the circuit this adjacency runs over
        if declared[0].a_site_id != views[a[0]].site_id:
            a, b = b, a
        return _observation(views, (a, b), network, declared[0].id, seen_at)
    return _observation(views, (a, b), network, None, seen_at)


def _as_known(
    views: Mapping[Ref, DeviceView], links: Sequence[KnownLink], a: End, b: End
) -> tuple[End, End]:
    """The ends in the order of the known link that joins the same two ports."""
    ia, ib = _port(views, a).id, _port(views, b).id
    for known in links:
        if ia is not None and (known.a_interface_id, known.b_interface_id) == (ib, ia):
            return b, a
    return a, b


def _port(views: Mapping[Ref, DeviceView], end: End) -> Port:
    device, name = end
    return views[device].ports.get(name or "", Port(name or ""))


def _observation(
    views: Mapping[Ref, DeviceView],
    ends: tuple[End, End],
    network: str,
    circuit_id: int | None,
    seen_at: datetime,
) -> ob.Observation:
    """The link SNMP observed: its sites and ports (known ids, else the ports' labels in
    this run), the slower port's speed; a new link's name and network as defaults."""
    (a, a_port), (b, b_port) = ends
    va, vb = views[a], views[b]
    name = f"{va.name} {a_port or '?'} - {vb.name} {b_port or '?'}"[:MAX_NAME]
    observed: dict[str, ob.FactValue] = {"a_site_id": va.site_id, "b_site_id": vb.site_id}
    refs: dict[str, ob.SourceRef | None] = {}
    speeds = []
    for column, view, port_name in (("a_interface_id", va, a_port), ("b_interface_id", vb, b_port)):
        port = view.ports.get(port_name or "")
        if port is None:
            continue
        if port.id is not None:
            observed[column] = port.id
        elif port.label is not None:
            refs[column] = ob.SourceRef(INTERFACE, label=port.label)
        speeds += [port.speed_mbps] if port.speed_mbps else []
    observed["port_speed_mbps"] = min(speeds) if speeds else None
    defaults: ob.Facts = {"name": name, "network": network}
    return ob.Observation(
        Source.SNMP,
        LINK,
        ob.Identity(record_id=circuit_id),
        seen_at,
        f"link {name}",
        observed=observed,
        defaults=defaults,
        refs=refs,
    )


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
