"""Cables and circuits → links (pure).

A Headroom link joins two *sites* (its ends must differ: it is an edge of the
graph through which a commune reaches the DC). A cable between two devices of one
site is therefore not a link — it is reported as skipped, like an LLDP adjacency
inside one site in SNMP discovery. A circuit needs two site terminations; its
network comes from the circuit type, its capacity from the commit rate (kbps).
"""

from __future__ import annotations

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


def map_cable(cable: dict[str, Any], device_sites: dict[int, int]) -> NbRecord | Skipped:
    ext = f"cable:{cable['id']}"
    ends = [_interface_end(cable.get(f"{side}_terminations") or []) for side in ("a", "b")]
    if ends[0] is None or ends[1] is None:
        return Skipped("links", ext, "not a cable between two interfaces")
    (a_if, a_dev), (b_if, b_dev) = ends[0], ends[1]
    a_site, b_site = device_sites.get(a_dev), device_sites.get(b_dev)
    if a_site is None or b_site is None:
        return NbRecord("links", ext, ext, error="a cable end's device has no site in NetBox")
    if a_site == b_site:
        return Skipped("links", ext, "both ends in one site (a link joins two sites)")
    network = map_network(custom(cable, "network")) or Network.LAN
    label = cable.get("label") or ext
    return NbRecord(
        "links",
        ext,
        label,
        fields={"name": label, "network": network, "status": _status(cable)},
        refs={
            "a_site_id": Ref("sites", str(a_site)),
            "b_site_id": Ref("sites", str(b_site)),
            "a_interface_id": Ref("interfaces", str(a_if)),
            "b_interface_id": Ref("interfaces", str(b_if)),
        },
        observed={},
    )


def _interface_end(terminations: list[dict[str, Any]]) -> tuple[int, int] | None:
    """(interface id, device id) of a single-interface cable end."""
    if len(terminations) != 1:
        return None
    term = terminations[0]
    obj = term.get("object") or {}
    if term.get("object_type") != "dcim.interface" or not obj.get("device"):
        return None
    return int(term["object_id"]), int(obj["device"]["id"])


def map_circuit(
    circuit: dict[str, Any],
    types: dict[int, dict[str, Any]],
    terminations: list[dict[str, Any]],
) -> NbRecord:
    """A circuit → a link between the sites of its A and Z terminations."""
    ext = f"circuit:{circuit['id']}"
    cid = str(circuit.get("cid") or ext)
    ctype = types.get(nested_id(circuit, "type") or 0) or circuit.get("type") or {}
    network = map_network(custom(ctype, "network"), ctype.get("slug"), ctype.get("name"))
    if network is None:
        return NbRecord(
            "links", ext, cid, error=f"circuit type {ctype.get('name')!r} names no network"
        )
    sites = {t.get("term_side"): _termination_site(t) for t in terminations}
    a_site, z_site = sites.get("A"), sites.get("Z")
    if a_site is None or z_site is None:
        return NbRecord("links", ext, cid, error=f"circuit {cid} needs two site terminations")
    if a_site == z_site:
        return NbRecord("links", ext, cid, error=f"circuit {cid} ends twice in one site")
    speeds = [t.get("port_speed") for t in terminations if t.get("port_speed")]
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
        refs={"a_site_id": Ref("sites", str(a_site)), "b_site_id": Ref("sites", str(z_site))},
        observed=observed,
    )


def _termination_site(term: dict[str, Any]) -> int | None:
    """The site of a termination (NetBox ≥ 4.2: ``termination_type``; older: ``site``)."""
    if term.get("termination_type") == "dcim.site":
        return term.get("termination_id")
    return nested_id(term, "site")


def _status(obj: dict[str, Any]) -> Status:
    return map_status(obj.get("status")) or Status.ACTIVE
