"""Clusters, virtual machines and the information systems they run (pure).

NetBox has no information systems: a VM names its system in the custom field
``information_system`` with ``security_level`` (1–5) and ``zones``; a VM without
one belongs to "<tenant> (unclassified, NetBox)" at level 1 until a person
classifies it. VM memory and disk are MB in NetBox, vCPUs may be fractional.

A stock NetBox is kept whole (DESIGN §5): a cluster scoped to a location is at the
location's site; one with no scope, or scoped to a region or site group, is kept
with no site ("unplaced"). A VM without tenant belongs to the agency "Unassigned
(NetBox)"; one without vCPUs, memory or disk is kept and marked ``incomplete`` with
what it lacks — capacity leaves out those without vCPUs or memory, and counts them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from cmdb.choices import AgencyKind, Status
from discovery.netbox.records import NbRecord, Ref
from discovery.netbox.values import (
    address_only,
    custom,
    map_status,
    map_tags,
    map_zones,
    mb_to_gb,
    nested_id,
    whole_vcpus,
)

DEFAULT_MAX_SECURITY_LEVEL = 3  # a cluster NetBox does not certify: the DC's usual level
DEFAULT_SECURITY_LEVEL = 1  # an unclassified system
UNASSIGNED_AGENCY = "unassigned"  # the external id of the agency of VMs without tenant
UNASSIGNED_AGENCY_NAME = "Unassigned (NetBox)"
_CLUSTER_NUMBERS = {"cpu_ratio": float, "ram_ratio": float, "ha_reserve_hosts": int}


def map_cluster(obj: dict[str, Any], location_sites: Mapping[int, int] | None = None) -> NbRecord:
    """A cluster at the site NetBox scopes it to (or its location's), else unplaced."""
    ext, name = str(obj["id"]), str(obj["name"])
    site = _cluster_site(obj, location_sites or {})
    fields: dict[str, Any] = {"name": name, "description": obj.get("description") or None}
    for key, cast in _CLUSTER_NUMBERS.items():
        if custom(obj, key) is not None:
            fields[key] = cast(custom(obj, key))
    level = custom(obj, "max_security_level")
    if level is not None:
        fields["max_security_level"] = int(level)
    if custom(obj, "zones") is not None:
        fields["zones"] = map_zones(custom(obj, "zones"))
    return NbRecord(
        "clusters",
        ext,
        name,
        fields=fields,
        defaults={"max_security_level": DEFAULT_MAX_SECURITY_LEVEL, "zones": []},
        refs={"site_id": Ref("sites", str(site)) if site else None},
    )


def _cluster_site(obj: dict[str, Any], location_sites: Mapping[int, int]) -> int | None:
    """NetBox ≥ 4.2 scopes a cluster (``scope_type``/``scope_id``); older ones name a site."""
    scope, target = obj.get("scope_type"), obj.get("scope_id")
    if scope == "dcim.site" and target:
        return int(target)
    if scope == "dcim.location" and target:
        return location_sites.get(int(target))
    if scope is not None:
        return None  # a region or a site group: no one site, the cluster is unplaced
    return nested_id(obj, "site")


def map_virtual_machines(vms: list[dict[str, Any]]) -> Iterator[NbRecord]:
    """The systems the VMs name (once each), then the VMs as workloads."""
    systems: dict[str, NbRecord] = {}
    workloads = []
    if any(not (vm.get("tenant") or {}).get("id") for vm in vms):
        yield unassigned_agency()
    for vm in vms:
        system = _system(vm)
        if system.external_id not in systems:
            systems[system.external_id] = system
        else:
            systems[system.external_id] = _merge(systems[system.external_id], system)
        workloads.append(map_virtual_machine(vm, system))
    yield from systems.values()
    yield from workloads


def unassigned_agency() -> NbRecord:
    """The agency of the VMs NetBox gives no tenant, until a person assigns them."""
    return NbRecord(
        "agencies",
        UNASSIGNED_AGENCY,
        UNASSIGNED_AGENCY_NAME,
        fields={"name": UNASSIGNED_AGENCY_NAME},
        defaults={"kind": AgencyKind.OTHER},
        refs={"admin_unit_id": None},
    )


def map_virtual_machine(vm: dict[str, Any], system: NbRecord | None) -> NbRecord:
    ext, name = str(vm["id"]), str(vm["name"])
    if system is None:  # map_virtual_machines gives every VM one; a caller may not
        return NbRecord("workloads", ext, name, error=f"VM {name!r} has no system")
    cluster = nested_id(vm, "cluster")
    if not cluster:
        return NbRecord("workloads", ext, name, error=f"VM {name!r} is in no cluster")
    fields: dict[str, Any] = {
        "name": name,
        "status": map_status(vm.get("status")) or Status.ACTIVE,
        "vcpu": whole_vcpus(vm.get("vcpus")),
        "ram_gb": mb_to_gb(vm.get("memory")),
        "disk_gb": mb_to_gb(vm.get("disk")) or 0.0,
        "management_address": address_only(vm.get("primary_ip")),
        "tags": map_tags(vm),
    }
    fields["incomplete"] = _lacks(vm, fields)
    for unknown in [k for k in ("vcpu", "ram_gb") if fields[k] is None]:
        del fields[unknown]  # NetBox says nothing of it: a value Ansible saw is kept
    said = ("name", "vcpu", "ram_gb", "disk_gb", "management_address")
    observed = {k: fields[k] for k in said if k in fields}
    return NbRecord(
        "workloads",
        ext,
        name,
        fields=fields,
        refs={
            "cluster_id": Ref("clusters", str(cluster)),
            "information_system_id": Ref("information_systems", system.external_id),
        },
        observed={k: v for k, v in observed.items() if v is not None},
        incomplete=fields["incomplete"],
    )


def _lacks(vm: dict[str, Any], fields: dict[str, Any]) -> str | None:
    """What a VM lacks in NetBox, as its ``incomplete`` note; ``None`` when nothing."""
    lacking = [
        what
        for what, missing in (
            ("tenant", not (vm.get("tenant") or {}).get("id")),
            ("vCPUs", fields.get("vcpu") is None),
            ("memory", fields.get("ram_gb") is None),
            ("disk", not vm.get("disk")),
        )
        if missing
    ]
    return f"no {', '.join(lacking)} in NetBox" if lacking else None


def _system(vm: dict[str, Any]) -> NbRecord:
    tenant = vm.get("tenant") or {}
    agency = str(tenant["id"]) if tenant.get("id") else UNASSIGNED_AGENCY
    owner = tenant.get("name") if tenant.get("id") else UNASSIGNED_AGENCY_NAME
    named = custom(vm, "information_system")
    name = str(named) if named else f"{owner} (unclassified, NetBox)"
    fields: dict[str, Any] = {"name": name}
    level = custom(vm, "security_level")
    if level is not None:
        fields["security_level"] = int(level)
    if custom(vm, "zones") is not None:
        fields["zones"] = map_zones(custom(vm, "zones"))
    return NbRecord(
        "information_systems",
        f"system:{name}",
        name,
        fields=fields,
        defaults={"security_level": DEFAULT_SECURITY_LEVEL, "zones": []},
        refs={"agency_id": Ref("agencies", agency)},
    )


def _merge(first: NbRecord, other: NbRecord) -> NbRecord:
    """Two VMs of one system: the higher security level and every zone count."""
    fields = dict(first.fields)
    if "security_level" in other.fields:
        fields["security_level"] = max(
            int(fields.get("security_level", 0)), int(other.fields["security_level"])
        )
    if "zones" in other.fields:
        fields["zones"] = sorted(set(fields.get("zones", [])) | set(other.fields["zones"]))
    return NbRecord(first.kind, first.external_id, first.label, fields, first.defaults, first.refs)
