"""NetBox JSON → Headroom records (pure: no database, no network).

One function per NetBox object type. Each returns a record whose ``fields`` are
what NetBox states, ``defaults`` what Headroom needs and NetBox lacks (used only
on creation), and ``refs`` the records it points to, by NetBox id. A record that
cannot be mapped carries an ``error``; it is counted as failed, never guessed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from cmdb.choices import AdminLevel, DeviceRole, Network, RackFace, Status
from discovery.core.known import KnownRecord
from discovery.netbox.mapping_links import map_cable, map_circuit, termination_sites
from discovery.netbox.mapping_virtual import map_cluster, map_virtual_machines
from discovery.netbox.records import HEADROOM_TAG, Fetched, Mapped, NbRecord, Ref
from discovery.netbox.units import UNASSIGNED_CODE, UNASSIGNED_ID, UNASSIGNED_NAME, place_units
from discovery.netbox.values import (
    address_only,
    admin_code,
    admin_kind,
    admin_level,
    agency_kind,
    custom,
    interface_speed_mbps,
    kbps_to_mbps,
    map_role,
    map_status,
    map_tags,
    nested_id,
    site_kind,
)


def map_all(
    fetched: Fetched,
    known_units: Iterable[KnownRecord] = (),
    circuit_networks: Mapping[str, Network] | None = None,
) -> Mapped:
    """Every fetched object as a record, in the order the planner needs them.

    ``known_units``: the admin units Headroom holds, which regions without a code are
    matched to by name (``units.place_units``); ``circuit_networks``: the DC's circuit
    types → networks (``mapping_links``)."""
    mapped = Mapped(
        seen_ids=fetched.all_ids, deleted_ids=fetched.deleted_ids, deletions=fetched.deletions
    )
    data = fetched.data
    units = map_admin_units(data["regions"], data["site_groups"])
    if any(_site_unit(site) is None for site in data["sites"]):
        units.append(unassigned_unit())
    placed = place_units(units, known_units)
    for record in placed.records:
        mapped.add(record)
    mapped.warnings.extend(placed.warnings)
    for tenant in data["tenants"]:
        mapped.add(map_tenant(tenant))
    for site in data["sites"]:
        mapped.add(map_site(site, placed.levels))
    locations = map_location_paths(data["locations"])
    for rack in data["racks"]:
        mapped.add(map_rack(rack, locations))
    location_sites = {o["id"]: s for o in data["locations"] if (s := nested_id(o, "site"))}
    for cluster in data["clusters"]:
        mapped.add(map_cluster(cluster, location_sites))
    # A type ``--push`` made for a model nobody documented has NetBox's default height, not
    # a measured one: its devices keep the height Headroom holds.
    heights = {
        t["id"]: t.get("u_height") for t in data.get("device_types", []) if not _tagged_ours(t)
    }
    for device in data["devices"]:
        mapped.add(map_device(device, locations, heights))
    addresses = _addresses_by_interface(data["ip_addresses"])
    for interface in data["interfaces"]:
        mapped.add(map_interface(interface, addresses.get(interface["id"], [])))
    speeds = {i["id"]: interface_speed_mbps(i) for i in data["interfaces"]}
    term_sites = termination_sites(data["circuit_terminations"], location_sites)
    for cable in data["cables"]:
        result = map_cable(cable, fetched.device_sites, speeds, term_sites, fetched.far_ends)
        mapped.skipped.append(result) if not isinstance(result, NbRecord) else mapped.add(result)
    types = {t["id"]: t for t in data["circuit_types"]}
    terminations = _terminations_by_circuit(data["circuit_terminations"])
    for circuit in data["circuits"]:
        ends = terminations.get(circuit["id"], [])
        mapped.add(map_circuit(circuit, types, ends, circuit_networks, location_sites))
    for record in map_virtual_machines(data["virtual_machines"]):
        mapped.add(record)
    return mapped


def map_admin_units(regions: list[dict[str, Any]], groups: list[dict[str, Any]]) -> list[NbRecord]:
    """Regions and site groups, parents first (NetBox's ``_depth``, then its id)."""
    units = [("region", r) for r in regions] + [("site-group", g) for g in groups]
    units.sort(key=lambda pair: (int(pair[1].get("_depth") or 0), pair[0], int(pair[1]["id"])))
    return [map_admin_unit(obj, prefix) for prefix, obj in units]


def map_admin_unit(obj: dict[str, Any], prefix: str) -> NbRecord:
    """A region or site group → an admin unit: by its code (custom field ``admin_unit_code``
    or a ``qn-<code>`` slug) when it has one, else by name (``units.place_units``)."""
    ext = f"{prefix}:{obj['id']}"
    name = str(obj.get("name") or "")
    code = admin_code(obj)
    level = admin_level(obj)
    parent_id = nested_id(obj, "parent")
    return NbRecord(
        "admin_units",
        ext,
        f"{code} {name}" if code else name,
        fields={"code": code} if code else {},
        defaults={"name": name, "level": level, "kind": admin_kind(name, level)},
        refs={"parent_id": Ref("admin_units", f"{prefix}:{parent_id}") if parent_id else None},
    )


def unassigned_unit() -> NbRecord:
    """The unit of the sites NetBox places in no region or group (one per NetBox)."""
    return NbRecord(
        "admin_units",
        UNASSIGNED_ID,
        f"{UNASSIGNED_CODE} {UNASSIGNED_NAME}",
        defaults={
            "code": UNASSIGNED_CODE,
            "name": UNASSIGNED_NAME,
            "level": AdminLevel.PROVINCE,
            "kind": "Chưa gán",
            "unmapped": True,
        },
        refs={"parent_id": None},
    )


def map_tenant(obj: dict[str, Any]) -> NbRecord:
    """A tenant → an agency; its kind from a custom field or the Vietnamese name."""
    name = str(obj["name"])
    fields: dict[str, Any] = {"name": name}
    if custom(obj, "agency_kind"):
        fields["kind"] = agency_kind(obj)
    if custom(obj, "short_name"):
        fields["short_name"] = str(custom(obj, "short_name"))
    code = custom(obj, "admin_unit_code")
    return NbRecord(
        "agencies",
        str(obj["id"]),
        name,
        fields=fields,
        defaults={"kind": agency_kind(obj)},
        refs={"admin_unit_id": Ref("admin_units", code=str(code)) if code else None},
    )


def map_site(obj: dict[str, Any], levels: Mapping[str, AdminLevel]) -> NbRecord:
    """A site → a site in the admin unit of its region, else its group, else a code field,
    else the unassigned unit (``unassigned_unit``)."""
    name = str(obj["name"])
    unit = _site_unit(obj) or Ref("admin_units", UNASSIGNED_ID)
    kind, declared = site_kind(obj, levels.get(unit.external_id or ""))
    fields: dict[str, Any] = {
        "name": name,
        "slug": str(obj["slug"]),
        "status": map_status(obj.get("status")) or Status.ACTIVE,
        "address": obj.get("physical_address") or None,
        "latitude": _float(obj.get("latitude")),
        "longitude": _float(obj.get("longitude")),
    }
    if declared:
        fields["kind"] = kind
    tenant = nested_id(obj, "tenant")
    return NbRecord(
        "sites",
        str(obj["id"]),
        name,
        fields=fields,
        defaults={"kind": kind},
        refs={
            "admin_unit_id": unit,
            "agency_id": Ref("agencies", str(tenant)) if tenant else None,
        },
    )


def _site_unit(obj: dict[str, Any]) -> Ref | None:
    region, group = nested_id(obj, "region"), nested_id(obj, "group")
    if region:
        return Ref("admin_units", f"region:{region}")
    if group:
        return Ref("admin_units", f"site-group:{group}")
    code = custom(obj, "admin_unit_code")
    return Ref("admin_units", code=str(code)) if code else None


LOCATION_SEPARATOR = " / "


def map_location_paths(locations: list[dict[str, Any]]) -> dict[int, str]:
    """NetBox location id → its path inside the site, outermost first ("Phòng máy 1 / Dãy A").

    Headroom keeps a rack's or device's location as this text: NetBox nests locations
    (rooms, rows, cages) under a site, and what a person needs is where to walk to.
    """
    by_id = {int(loc["id"]): loc for loc in locations}
    paths: dict[int, str] = {}
    for loc_id in by_id:
        names, seen, current = [], set(), by_id.get(loc_id)
        while current is not None and current["id"] not in seen:  # a cycle cannot hang us
            seen.add(current["id"])
            names.append(str(current["name"]))
            parent = nested_id(current, "parent")
            current = by_id.get(parent) if parent else None
        paths[loc_id] = LOCATION_SEPARATOR.join(reversed(names))
    return paths


def _location(obj: dict[str, Any], paths: dict[int, str]) -> str | None:
    """The object's location path; its own name when the location was not read."""
    loc_id = nested_id(obj, "location")
    if loc_id is None:
        return None
    return paths.get(loc_id) or (obj.get("location") or {}).get("name") or None


def map_rack(obj: dict[str, Any], locations: dict[int, str] | None = None) -> NbRecord:
    name = str(obj["name"])
    return NbRecord(
        "racks",
        str(obj["id"]),
        name,
        fields={
            "name": name,
            "u_height": int(obj.get("u_height") or 42),
            "location": _location(obj, locations or {}),
        },
        refs={"site_id": Ref("sites", str(nested_id(obj, "site")))},
    )


def map_device(
    obj: dict[str, Any],
    locations: dict[int, str] | None = None,
    heights: Mapping[int, Any] | None = None,
) -> NbRecord:
    """A device: declared facts (site, location, rack, role, status, cluster, its height
    from its device type's ``u_height`` in ``heights``, by device-type id), its platform
    and its specs.

    NetBox has no CPU or RAM fields on devices (netbox#4140, #3378): the custom
    fields ``cores``, ``ram_gb`` and ``raw_storage_tb`` carry them where a DC keeps
    them; absent, SNMP and Ansible supply them.
    """
    ext = str(obj["id"])
    device_type = obj.get("device_type") or {}
    name = obj.get("name") or generated_name(device_type, ext)
    role = map_role((obj.get("role") or {}).get("slug"))
    position = obj.get("position")
    fields: dict[str, Any] = {
        "name": str(name),
        "name_generated": not obj.get("name"),
        "status": map_status(obj.get("status")) or Status.ACTIVE,
        "serial": obj.get("serial") or None,
        "asset_tag": obj.get("asset_tag") or None,
        "manufacturer": (device_type.get("manufacturer") or {}).get("name"),
        "model": device_type.get("model"),
        "management_address": address_only(obj.get("primary_ip")),
        "rack_position_u": int(position) if position else None,
        "rack_face": _rack_face(obj.get("face")),
        "location": _location(obj, locations or {}),
        "platform": (obj.get("platform") or {}).get("name"),
        "tags": map_tags(obj),
        "cores": _int(custom(obj, "cores")),
        "ram_gb": _float(custom(obj, "ram_gb")),
        "raw_storage_tb": _float(custom(obj, "raw_storage_tb")),
    }
    if role is not None:
        fields["role"] = role
    if _proposed_by_headroom(obj):
        del fields["status"]  # Headroom's own proposal: "planned" until a person documents it
    # An empty rack position, location or asset tag is declared ("not racked"); empty specs
    # and platform are unknown.
    fields = {k: v for k, v in fields.items() if v is not None or k in _DECLARED_EMPTY}
    fields.update(_height(device_type, heights))
    observed = dict(fields)
    observed.pop("height_u", None)
    observed.pop("rack_position_u", None)
    observed.pop("rack_face", None)
    observed.pop("location", None)
    observed.pop("role", None)
    observed.pop("tags")  # declared, like the placement above: not an observed fact
    observed.pop("name_generated")
    rack, cluster = nested_id(obj, "rack"), nested_id(obj, "cluster")
    return NbRecord(
        "devices",
        ext,
        str(name),
        fields=fields,
        defaults={"role": DeviceRole.OTHER},
        refs={
            "site_id": Ref("sites", str(nested_id(obj, "site"))),
            "rack_id": Ref("racks", str(rack)) if rack else None,
            "cluster_id": Ref("clusters", str(cluster)) if cluster else None,
        },
        observed={k: v for k, v in observed.items() if v is not None},
    )


DEVICE_NAME_MAX = 100  # Device.name


def generated_name(device_type: dict[str, Any], ext: str) -> str:
    """An unnamed device's name: its model and NetBox id ("PowerEdge-R750-nb12"), unique
    in NetBox and stable across syncs; the device is flagged ``name_generated``."""
    model = "-".join(str(device_type.get("model") or device_type.get("slug") or "device").split())
    suffix = f"-nb{ext}"
    return model[: DEVICE_NAME_MAX - len(suffix)] + suffix


_DECLARED_EMPTY = frozenset({"rack_position_u", "rack_face", "location", "asset_tag"})
MAX_HEIGHT_U = 60  # Device.height_u


def _height(device_type: dict[str, Any], heights: Mapping[int, Any] | None) -> dict[str, Any]:
    """``height_u`` of the device type's height; nothing (Headroom's value kept) when the
    type was not read or its height is no height."""
    type_id = device_type.get("id")
    if heights is None or not isinstance(type_id, int) or type_id not in heights:
        return {}
    height = map_height_u(heights[type_id])
    return {} if height is False else {"height_u": height}


def map_height_u(u_height: Any) -> int | Literal[False] | None:
    """A device type's ``u_height`` (a decimal in NetBox: 0, 0.5, 1, 2 …) as the whole
    rack units the device is drawn over.

    A fraction takes the units it reaches into (0.5 U draws as 1 U, 1.5 U as 2 U: a
    unit is not shared in the elevation); 0 U (a PDU on the rack's side) takes none,
    None; a value that is no height at all (negative, absurd, not a number) is
    ``False``: left unmapped, whatever Headroom holds is kept."""
    try:
        value = float(u_height)
    except (TypeError, ValueError):
        return False
    if not math.isfinite(value) or value < 0 or value > MAX_HEIGHT_U:
        return False
    return math.ceil(value) or None


def _rack_face(face: Any) -> RackFace | None:
    """NetBox's ``face`` (``{"value": "front", …}``, null for an unracked device)."""
    value = face.get("value") if isinstance(face, dict) else face
    return RackFace(value) if value in {f.value for f in RackFace} else None


def _proposed_by_headroom(obj: dict[str, Any]) -> bool:
    """Created by ``--push`` and not yet reviewed: tagged ``headroom``, still planned."""
    return _tagged_ours(obj) and map_status(obj.get("status")) == Status.PLANNED


def _tagged_ours(obj: dict[str, Any]) -> bool:
    """Tagged ``headroom``: made by ``--push``."""
    return HEADROOM_TAG in {t.get("slug") for t in obj.get("tags") or [] if isinstance(t, dict)}


def map_interface(obj: dict[str, Any], addresses: list[str]) -> NbRecord:
    """An interface; NetBox's speed is in kbps, Headroom's in Mbps."""
    ext = str(obj["id"])
    device_id = nested_id(obj, "device")
    mac = obj.get("mac_address") or address_only(obj.get("primary_mac_address"))
    fields: dict[str, Any] = {
        "name": str(obj["name"]),
        "description": obj.get("description") or None,
        "enabled": bool(obj.get("enabled", True)),
        "speed_mbps": kbps_to_mbps(obj.get("speed")),
        "mac_address": str(mac).lower() if mac else None,
        "ip_addresses": sorted(addresses),
    }
    observed = {
        "device_id": device_id,
        "name": fields["name"],
        "speed_mbps": fields["speed_mbps"],
        "mac_address": fields["mac_address"],
        "ip_addresses": fields["ip_addresses"],
    }
    return NbRecord(
        "interfaces",
        ext,
        f"{(obj.get('device') or {}).get('name', device_id)} {fields['name']}",
        fields=fields,
        refs={"device_id": Ref("devices", str(device_id))},
        observed={k: v for k, v in observed.items() if v not in (None, [])},
    )


def _addresses_by_interface(addresses: list[dict[str, Any]]) -> dict[int, list[str]]:
    by_interface: dict[int, list[str]] = {}
    for ip in addresses:
        if ip.get("assigned_object_type") == "dcim.interface" and ip.get("assigned_object_id"):
            host = address_only(ip)
            if host:
                by_interface.setdefault(ip["assigned_object_id"], []).append(host)
    return by_interface


def _terminations_by_circuit(terms: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    by_circuit: dict[int, list[dict[str, Any]]] = {}
    for term in terms:
        circuit = nested_id(term, "circuit")
        if circuit:
            by_circuit.setdefault(circuit, []).append(term)
    return by_circuit


def _int(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


def _float(value: Any) -> float | None:
    return float(value) if value not in (None, "") else None
