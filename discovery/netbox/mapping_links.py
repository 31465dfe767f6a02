"""Cables and circuits → links (pure).

A cable between two interfaces is a link: between two sites it is an edge of the
graph through which a commune reaches the DC; inside one site (a server to its
switch, the core switch to the DC router) it joins two interfaces of that site
and is a capacity of its own, on no path to the DC. Its network is the cable's
``network`` custom field, else ``lan``; its capacity the slower end's speed
(NetBox's kbps, else the interface type's nominal rate). A cable from an interface
to a port that is no interface (a patch panel's front or rear port, a circuit's
termination) is kept with the ends that map: the interface, and the site of the
other end. A cable with no interface at either end is no link and is skipped with
its reason: between patch-panel ports a segment (the interfaces' link is their cable
to the panel), from a circuit termination the circuit's tail (the circuit is the
link), console and power cables carry no data.

Where an interface reaches another through patch panels (NetBox traces the path: the
interface's ``connected_endpoints``, ``Fetched.far_ends``), the two interfaces are one
link, not two half links to the panels: the cable at the interface with the lower
NetBox id carries it (its ends: the two interfaces), the cable at the other is skipped,
naming that one. A path NetBox cannot trace to one interface keeps the half link.

A circuit is a link between the sites of its A and Z terminations (a termination on a
location counts at the location's site). A circuit with one known end — a single
termination, or one on a provider network, a region or a site group — is stored with
the other end open (DESIGN §4); one with no end at a site cannot be placed and fails.
Its network comes from the circuit type where the type names one of Headroom's (its
``network`` custom field, slug or name), else from the DC's mapping of circuit types
(``CMDB_NETBOX_CIRCUIT_NETWORKS``, ``*`` for every other type), else ``wan``; its
capacity from the commit rate (kbps), else the terminations' port speed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cmdb.choices import Network, Status
from discovery.netbox.records import NbRecord, Ref, Skipped
from discovery.netbox.values import (
    custom,
    kbps_to_mbps_float,
    map_network,
    map_status,
    nested_id,
)

INTERFACE = "dcim.interface"
CIRCUIT_TERMINATION = "circuits.circuittermination"
PANEL_PORTS = frozenset({"dcim.frontport", "dcim.rearport"})  # a cable goes on through them
LABEL_MAX = 200  # Link.name
DEFAULT_CIRCUIT_NETWORK = Network.WAN  # a carrier's circuit between two places
ANY_TYPE = "*"  # in the circuit-type mapping: every type it does not name
_NOT_A_LINK = {
    "circuits.circuittermination": "a circuit's tail (the circuit itself is the link)",
    "dcim.frontport": "a patch-panel segment (front port)",
    "dcim.rearport": "a patch-panel segment (rear port)",
    "dcim.consoleport": "a console cable",
    "dcim.consoleserverport": "a console cable",
    "dcim.powerport": "a power cable",
    "dcim.poweroutlet": "a power cable",
    "dcim.powerfeed": "a power cable",
}


@dataclass(frozen=True)
class _End:
    """One end of a cable: its interface (when it ends on one) and its site."""

    kind: str | None
    interface: int | None
    site: int | None


def map_cable(
    cable: dict[str, Any],
    device_sites: Mapping[int, int],
    speeds: Mapping[int, int | None],
    termination_sites: Mapping[int, int] | None = None,
    far_ends: Mapping[int, Mapping[str, Any]] | None = None,
) -> NbRecord | Skipped:
    """A cable with an interface at one end at least → a link, with the ends that map.

    ``speeds`` are the interfaces' Mbps as far as this fetch read them (an incremental
    one reads only changed ones); ``termination_sites`` each circuit termination's site;
    ``far_ends`` the interface at the far end of a path through patch panels.
    An end on a port that is no interface (a patch panel's, a circuit's termination)
    keeps its site and no interface; an end with no site takes the other end's."""
    ext = f"cable:{cable['id']}"
    sides = [cable.get(f"{side}_terminations") or [] for side in ("a", "b")]
    traced = _through_panels(sides, far_ends or {})
    if isinstance(traced, str):
        return Skipped("links", ext, traced, cable.get("label") or _ends_label(sides) or ext)
    sides = traced
    a_end, b_end = (_cable_end(t, device_sites, termination_sites or {}) for t in sides)
    label = cable.get("label") or _ends_label(sides) or ext
    if a_end.interface is None and b_end.interface is None:
        return Skipped("links", ext, _not_a_link(sides), label)
    a_site, b_site = a_end.site or b_end.site, b_end.site or a_end.site
    if a_site is None or b_site is None:
        return NbRecord("links", ext, label, error="a cable end's device has no site in NetBox")
    if a_end.interface == b_end.interface:
        return NbRecord("links", ext, label, error="both ends of the cable are one interface")
    fields: dict[str, Any] = {
        "name": label,
        "network": map_network(custom(cable, "network")) or Network.LAN,
        "status": _status(cable),
    }
    ends = (a_end.interface, b_end.interface)
    known = [speed for i in ends if i is not None and (speed := speeds.get(i))]
    if known:
        fields["port_speed_mbps"] = float(min(known))
    return NbRecord(
        "links",
        ext,
        label,
        fields=fields,
        refs={
            "a_site_id": Ref("sites", str(a_site)),
            "b_site_id": Ref("sites", str(b_site)),
            "a_interface_id": _interface_ref(a_end.interface),
            "b_interface_id": _interface_ref(b_end.interface),
        },
        observed={k: fields[k] for k in ("port_speed_mbps",) if k in fields},
    )


def panel_interfaces(cables: Iterable[Mapping[str, Any]]) -> set[int]:
    """The interfaces cabled to a patch panel's port (whose far end ``far_ends`` asks)."""
    found: set[int] = set()
    for cable in cables:
        sides = [cable.get(f"{side}_terminations") or [] for side in ("a", "b")]
        for near, other in ((sides[0], sides[1]), (sides[1], sides[0])):
            if {t.get("object_type") for t in other} & PANEL_PORTS:
                found |= {int(t["object_id"]) for t in near if t.get("object_type") == INTERFACE}
    return found


def _through_panels(
    sides: list[list[dict[str, Any]]], far_ends: Mapping[int, Mapping[str, Any]]
) -> list[list[dict[str, Any]]] | str:
    """A cable from an interface to a patch panel, as the link NetBox traces through the
    panels: the panel's side replaced by the far interface — or why this cable is the
    path's other half (the far interface's id is the lower: its cable carries the link)."""
    for near, other in ((0, 1), (1, 0)):
        if not {t.get("object_type") for t in sides[other]} & PANEL_PORTS:
            continue
        ports = [t for t in sides[near] if t.get("object_type") == INTERFACE]
        far = far_ends.get(int(ports[0]["object_id"])) if len(ports) == 1 else None
        if far is None or int(far["id"]) == int(ports[0]["object_id"]):
            continue
        if int(far["id"]) < int(ports[0]["object_id"]):
            cable = far.get("cable")
            carried = cable.get("id") if isinstance(cable, Mapping) else cable
            return (
                "one half of a path through patch panels: its two interfaces are one link,"
                f" cable:{carried} (the cable at the other interface)"
            )
        traced = list(sides)
        traced[other] = [{"object_type": INTERFACE, "object_id": far["id"], "object": dict(far)}]
        return traced
    return sides


def _interface_ref(interface: int | None) -> Ref | None:
    return Ref("interfaces", str(interface)) if interface is not None else None


def _cable_end(
    terms: list[dict[str, Any]], device_sites: Mapping[int, int], term_sites: Mapping[int, int]
) -> _End:
    """A side of a cable: its first interface (a breakout has several), else its first
    termination; an unterminated side is an end with nothing known."""
    ordered = sorted(terms, key=lambda t: (t.get("object_type") != INTERFACE, t.get("object_id")))
    if not ordered:
        return _End(None, None, None)
    term = ordered[0]
    kind, obj = term.get("object_type"), term.get("object") or {}
    device = nested_id(obj, "device")
    site = device_sites.get(device) if device is not None else None
    if kind == CIRCUIT_TERMINATION:
        site = term_sites.get(int(term.get("object_id") or 0))
    interface = int(term["object_id"]) if kind == INTERFACE and device is not None else None
    return _End(kind, interface, site)


def _not_a_link(sides: list[list[dict[str, Any]]]) -> str:
    """Why a cable with no interface at either end is no link."""
    types = {t.get("object_type") for ends in sides for t in ends}
    for kind, reason in _NOT_A_LINK.items():
        if kind in types:
            return reason
    return f"no interface at either end ({', '.join(sorted(map(str, types))) or 'unterminated'})"


def _ends_label(sides: list[list[dict[str, Any]]]) -> str:
    """An unlabelled cable's name from its ends: "esx-01 vmnic0 – core-sw-01 Te1/1/1"."""
    ends = []
    for terms in sides:
        obj = (terms[0].get("object") or {}) if terms else {}
        circuit = (obj.get("circuit") or {}).get("cid")
        if circuit:
            ends.append(f"{circuit} {obj.get('term_side') or ''}".strip())
        else:
            ends.append(f"{(obj.get('device') or {}).get('name', '?')} {obj.get('name', '?')}")
    return " – ".join(ends)[:LABEL_MAX]


def termination_sites(
    terminations: list[dict[str, Any]], location_sites: Mapping[int, int] | None = None
) -> dict[int, int]:
    """Each circuit termination's site, where it ends at one (a cable's end takes it)."""
    sites = {int(t["id"]): _termination_site(t, location_sites or {}) for t in terminations}
    return {term: site for term, site in sites.items() if site is not None}


def map_circuit(
    circuit: dict[str, Any],
    types: dict[int, dict[str, Any]],
    terminations: list[dict[str, Any]],
    networks: Mapping[str, Network] | None = None,
    location_sites: Mapping[int, int] | None = None,
) -> NbRecord:
    """A circuit → a link between the sites of its A and Z terminations, one maybe open.

    ``networks``: the DC's mapping of circuit types (slug or name, lower case) to
    networks; ``location_sites``: each NetBox location's site."""
    ext = f"circuit:{circuit['id']}"
    cid = str(circuit.get("cid") or ext)
    ctype = types.get(nested_id(circuit, "type") or 0) or circuit.get("type") or {}
    network = circuit_network(ctype, networks or {})
    sites = {t.get("term_side"): _termination_site(t, location_sites or {}) for t in terminations}
    a_site, z_site = sites.get("A"), sites.get("Z")
    if a_site is None and z_site is None:
        return NbRecord("links", ext, cid, error=f"circuit {cid} has no termination at a site")
    if a_site == z_site:
        return NbRecord("links", ext, cid, error=f"circuit {cid} ends twice in one site")
    speeds = [t["port_speed"] for t in terminations if t.get("port_speed")]
    provider = (circuit.get("provider") or {}).get("name")
    fields: dict[str, Any] = {
        "name": f"{provider} {cid}" if provider else cid,
        "network": network,
        "status": _status(circuit),
        "commit_rate_mbps": kbps_to_mbps_float(circuit.get("commit_rate")),
        "port_speed_mbps": kbps_to_mbps_float(min(speeds)) if speeds else None,
        "provider": provider,
        "circuit_id": cid,
    }
    if fields["commit_rate_mbps"] is None and fields["port_speed_mbps"] is None:
        return NbRecord("links", ext, cid, error=f"circuit {cid} has no commit rate or port speed")
    observed = {k: fields[k] for k in ("commit_rate_mbps", "port_speed_mbps") if fields[k]}
    return NbRecord(
        "links",
        ext,
        cid,
        fields=fields,
        refs={"a_site_id": _site_ref(a_site), "b_site_id": _site_ref(z_site)},
        observed=observed,
    )


def circuit_network(ctype: Mapping[str, Any], networks: Mapping[str, Network]) -> Network:
    """The network of a circuit type: its own words, else the DC's mapping, else ``wan``."""
    named = map_network(custom(dict(ctype), "network"), ctype.get("slug"), ctype.get("name"))
    if named is not None:
        return named
    for key in (ctype.get("slug"), ctype.get("name"), ANY_TYPE):
        if key and str(key).lower() in networks:
            return networks[str(key).lower()]
    return DEFAULT_CIRCUIT_NETWORK


def _site_ref(site: int | None) -> Ref | None:
    return Ref("sites", str(site)) if site is not None else None


def _termination_site(term: dict[str, Any], location_sites: Mapping[int, int]) -> int | None:
    """The site of a termination, ``None`` for an open end (a provider network, a region).

    NetBox ≥ 4.2 names what it ends on (``termination_type``); older ones a ``site``."""
    kind, target = term.get("termination_type"), term.get("termination_id")
    if kind == "dcim.site":
        return int(target) if target else None
    if kind == "dcim.location":
        return location_sites.get(int(target)) if target else None
    if kind is not None:
        return None  # a provider network, a region or a site group: no one place
    return nested_id(term, "site")


def _status(obj: dict[str, Any]) -> Status:
    return map_status(obj.get("status")) or Status.ACTIVE
