# Headroom inventory: the pure part of the plugin (API JSON -> host names, variables, groups).
"""Turn the hosts of Headroom's ``/api/v1/ansible/hosts/`` into an inventory.

Pure functions over plain JSON, with no Ansible import, so they are tested with
golden outputs from the project's pytest and the plugin itself stays short.
Group names are made of lowercase ASCII letters, digits and ``_`` (Vietnamese
names are transliterated: ``Huyện Thăng Bình`` -> ``huyen_thang_binh``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

Host = dict[str, Any]

GROUP_BY_CHOICES = (
    "site",
    "district",
    "commune",
    "role",
    "cluster",
    "agency",
    "information_system",
    "security_level",
    "network",
)
PREFIX = "headroom_"


# Memoised: 10,000 hosts share a few dozen sites, clusters and units, and this was most of
# build_inventory's time (BENCHMARKS.md, issue 8).
@functools.lru_cache(maxsize=4096)
def slug(text: object) -> str:
    """ASCII, lowercase, ``_`` between words: a safe part of a group name."""
    text = str(text).replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def host_names(hosts: list[Host]) -> list[str]:
    """An inventory name per host: its Headroom name, made unique when two hosts share it.

    Device names are unique per site and VM names per system, so a name can
    repeat; every host that shares it then gets ``<name>-<kind>-<id>``.
    """
    counts: dict[str, int] = {}
    for host in hosts:
        counts[host["name"]] = counts.get(host["name"], 0) + 1
    return [
        host["name"]
        if counts[host["name"]] == 1
        else "{}-{}-{}".format(host["name"], host["kind"], host["id"])
        for host in hosts
    ]


def host_vars(host: Host) -> dict[str, Any]:
    """The variables of one host: ``ansible_host`` and ``headroom_*``."""
    units = host.get("admin_units") or []
    agency = host.get("agency") or {}
    system = host.get("information_system") or {}
    cluster = host.get("cluster") or {}
    site = host.get("site") or {}
    return {
        "ansible_host": host["management_address"],
        PREFIX + "id": host["id"],
        PREFIX + "kind": host["kind"],
        PREFIX + "name": host["name"],
        PREFIX + "url": host.get("url"),
        PREFIX + "status": host.get("status"),
        PREFIX + "role": host.get("role"),
        PREFIX + "site": site.get("slug"),
        PREFIX + "site_name": site.get("name"),
        PREFIX + "admin_units": [u["name"] for u in units],
        PREFIX + "admin_unit_codes": [u["code"] for u in units],
        PREFIX + "district": _unit_name(units, "district"),
        PREFIX + "commune": _unit_name(units, "commune"),
        PREFIX + "cluster": cluster.get("name"),
        PREFIX + "agency": agency.get("short_name") or agency.get("name"),
        PREFIX + "information_system": system.get("name"),
        PREFIX + "security_level": host.get("security_level"),
        PREFIX + "networks": list(host.get("networks") or []),
        PREFIX + "manufacturer": host.get("manufacturer"),
        PREFIX + "model": host.get("model"),
        PREFIX + "serial": host.get("serial"),
        PREFIX + "specs": dict(host.get("specs") or {}),
    }


def host_groups(host: Host, group_by: list[str]) -> list[str]:
    """The groups ``group_by`` puts one host in (a list: a host may have several networks)."""
    groups: list[str] = []
    for key in group_by:
        groups.extend(_groups_of(host, key))
    return groups


def build_inventory(hosts: list[Host], group_by: list[str]) -> dict[str, Any]:
    """``{"hosts": {name: vars}, "groups": {group: [names]}}`` for every host, in order."""
    unknown = sorted(set(group_by) - set(GROUP_BY_CHOICES))
    if unknown:
        raise ValueError(
            "unknown group_by: {} (choose from {})".format(
                ", ".join(unknown), ", ".join(GROUP_BY_CHOICES)
            )
        )
    inventory: dict[str, Any] = {"hosts": {}, "groups": {}}
    for name, host in zip(host_names(hosts), hosts, strict=True):
        inventory["hosts"][name] = host_vars(host)
        for group in host_groups(host, group_by):
            inventory["groups"].setdefault(group, []).append(name)
    return inventory


def _unit_name(units: list[dict[str, str]], level: str) -> str | None:
    return next((u["name"] for u in units if u.get("level") == level), None)


def _unit_group(units: list[dict[str, str]], level: str) -> list[str]:
    unit = next((u for u in units if u.get("level") == level), None)
    # The code keeps two communes of the same name (in different districts) apart.
    return ["{}_{}_{}".format(level, slug(unit["name"]), slug(unit["code"]))] if unit else []


def _groups_of(host: Host, key: str) -> list[str]:
    if key in ("district", "commune"):
        return _unit_group(host.get("admin_units") or [], key)
    if key == "network":
        return [f"network_{slug(n)}" for n in host.get("networks") or []]
    if key == "security_level":
        level = host.get("security_level")
        return [f"security_level_{level}"] if level is not None else []
    if key == "role":
        return ["role_{}".format(slug(host["role"]))] if host.get("role") else []
    value = host.get(key) or {}
    label = {
        "site": value.get("slug"),
        "cluster": value.get("name"),
        "agency": value.get("short_name") or value.get("name"),
        "information_system": value.get("code") or value.get("name"),
    }[key]
    return [f"{key}_{slug(label)}"] if label else []
