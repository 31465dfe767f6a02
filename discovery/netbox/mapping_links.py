"""Cables and circuits → links (pure).

A cable between two interfaces is a link: between two sites it is an edge of the
graph through which a commune reaches the DC; inside one site (a server to its
switch, the core switch to the DC router) it joins two interfaces of that site
and is a capacity of its own, on no path to the DC. Its network is the cable's
``network`` custom field, else ``lan``; its capacity the slower end's speed
(NetBox's kbps, else the interface type's nominal rate). Cables that end on a
circuit termination are the circuit's own tail (the circuit is the link); front
and rear ports are patch-panel segments (the interfaces' link is their cable
to the panel); console and power cables carry no data.

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

from collections.abc import Mapping
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


def map_cable(
    cable: dict[str, Any], device_sites: Mapping[int, int], speeds: Mapping[int, int | None]
) -> NbRecord | Skipped:
    """A cable between two interfaces → a link; ``speeds`` are the interfaces' Mbps
    as far as this fetch read them (an incremental one reads only changed ones)."""
    ext = f"cable:{cable['id']}"
    terminations = [cable.get(f"{side}_terminations") or [] for side in ("a", "b")]
    reason = _not_an_interface_cable(terminations)
    if reason is not None:
        return Skipped("links", ext, reason)
    a_end, b_end = (_interface_end(t[0]) for t in terminations)
    assert a_end is not None and b_end is not None  # _not_an_interface_cable checked both
    (a_if, a_dev), (b_if, b_dev) = a_end, b_end
    a_site, b_site = device_sites.get(a_dev), device_sites.get(b_dev)
    label = cable.get("label") or _ends_label(terminations) or ext
    if a_site is None or b_site is None:
        return NbRecord("links", ext, label, error="a cable end's device has no site in NetBox")
    if a_if == b_if:
        return NbRecord("links", ext, label, error="both ends of the cable are one interface")
    fields: dict[str, Any] = {
        "name": label,
        "network": map_network(custom(cable, "network")) or Network.LAN,
        "status": _status(cable),
    }
    known = [speed for speed in (speeds.get(a_if), speeds.get(b_if)) if speed]
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
            "a_interface_id": Ref("interfaces", str(a_if)),
            "b_interface_id": Ref("interfaces", str(b_if)),
        },
        observed={k: fields[k] for k in ("port_speed_mbps",) if k in fields},
    )


def _not_an_interface_cable(terminations: list[list[dict[str, Any]]]) -> str | None:
    """Why a cable is not one interface to one interface, ``None`` when it is."""
    types = {t.get("object_type") for ends in terminations for t in ends}
    for kind, reason in _NOT_A_LINK.items():
        if kind in types:
            return reason
    if any(len(ends) != 1 for ends in terminations):
        return "not one interface at each end (a breakout or an unterminated cable)"
    if types != {INTERFACE} or any(_interface_end(ends[0]) is None for ends in terminations):
        return f"not a cable between two device interfaces ({', '.join(sorted(map(str, types)))})"
    return None


def _ends_label(terminations: list[list[dict[str, Any]]]) -> str:
    """An unlabelled cable's name from its ends: "esx-01 vmnic0 – core-sw-01 Te1/1/1"."""
    ends = []
    for term in (t[0] for t in terminations):
        obj = term.get("object") or {}
        ends.append(f"{(obj.get('device') or {}).get('name', '?')} {obj.get('name', '?')}")
    return " – ".join(ends)[:LABEL_MAX]


def _interface_end(term: dict[str, Any]) -> tuple[int, int] | None:
    """(interface id, device id) of a cable end on a device's interface."""
    obj = term.get("object") or {}
    if term.get("object_type") != INTERFACE or not obj.get("device"):
        return None
    return int(term["object_id"]), int(obj["device"]["id"])


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
