"""Clusters, virtual machines and the information systems they run (pure).

NetBox has no information systems: a VM names its system in the custom field
``information_system`` with ``security_level`` (1–5) and ``zones``; a VM without
one belongs to "<tenant> (unclassified, NetBox)" at level 1 until a person
classifies it. VM memory and disk are MB in NetBox, vCPUs may be fractional.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cmdb.choices import Status
from discovery.netbox.records import NbRecord, Ref
from discovery.netbox.values import (
    address_only,
    custom,
    map_status,
    map_zones,
    mb_to_gb,
    nested_id,
    whole_vcpus,
)

DEFAULT_MAX_SECURITY_LEVEL = 3  # a cluster NetBox does not certify: the DC's usual level
DEFAULT_SECURITY_LEVEL = 1  # an unclassified system
_CLUSTER_NUMBERS = {"cpu_ratio": float, "ram_ratio": float, "ha_reserve_hosts": int}


def map_cluster(obj: dict[str, Any]) -> NbRecord:
    ext, name = str(obj["id"]), str(obj["name"])
    site = obj.get("scope_id") if obj.get("scope_type") == "dcim.site" else None
    site = site or nested_id(obj, "site")
    if not site:
        return NbRecord("clusters", ext, name, error=f"cluster {name!r} is not scoped to a site")
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
        refs={"site_id": Ref("sites", str(site))},
    )


def map_virtual_machines(vms: list[dict[str, Any]]) -> Iterator[NbRecord]:
    """The systems the VMs name (once each), then the VMs as workloads."""
    systems: dict[str, NbRecord] = {}
    workloads = []
    for vm in vms:
        system = _system(vm)
        if system is not None and system.external_id not in systems:
            systems[system.external_id] = system
        elif system is not None:
            systems[system.external_id] = _merge(systems[system.external_id], system)
        workloads.append(map_virtual_machine(vm, system))
    yield from systems.values()
    yield from workloads


def map_virtual_machine(vm: dict[str, Any], system: NbRecord | None) -> NbRecord:
    ext, name = str(vm["id"]), str(vm["name"])
    if system is None:
        return NbRecord("workloads", ext, name, error=f"VM {name!r} has no tenant (agency)")
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
    }
    if fields["vcpu"] is None or fields["ram_gb"] is None:
        return NbRecord("workloads", ext, name, error=f"VM {name!r} has no vCPUs or memory")
    observed = {k: fields[k] for k in ("name", "vcpu", "ram_gb", "disk_gb", "management_address")}
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
    )


def _system(vm: dict[str, Any]) -> NbRecord | None:
    tenant = vm.get("tenant") or {}
    if not tenant.get("id"):
        return None
    named = custom(vm, "information_system")
    name = str(named) if named else f"{tenant.get('name')} (unclassified, NetBox)"
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
        refs={"agency_id": Ref("agencies", str(tenant["id"]))},
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
