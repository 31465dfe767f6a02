# Headroom inventory: the pure part of the plugin (API JSON -> host names, variables, groups).
"""Turn the hosts of Headroom's ``/api/v1/ansible/hosts/`` into an inventory.

Pure functions over plain JSON, with no Ansible import, so they are tested with
golden outputs from the project's pytest and the plugin itself stays short.
Group names are made of lowercase ASCII letters, digits and ``_`` (Vietnamese
names are transliterated: ``Huyện Thăng Bình`` -> ``huyen_thang_binh``), so no
group name can carry Jinja or a ``--limit`` pattern character.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from typing import Any

Host = dict[str, Any]

#: ``admin_unit`` nests the admin tree (province ⊃ district ⊃ commune, or province ⊃
#: commune after the 2025 reform) with each host in its site's unit; ``province``,
#: ``district`` and ``commune`` put a host straight into that level's group.
GROUP_BY_CHOICES = (
    "admin_unit",
    "province",
    "district",
    "commune",
    "site",
    "role",
    "platform",
    "cluster",
    "agency",
    "information_system",
    "security_level",
    "zone",
    "network",
    "status",
    "kind",
    "tag",
)
PREFIX = "headroom_"
UNIT_LEVELS = ("province", "district", "commune")

#: Platform -> (family, ansible_network_os), first match wins on the lowercased platform.
#: Servers' families (linux, windows, esxi) set no ``ansible_network_os``: they use ssh
#: or winrm. Comware has no cliconf of its own in any collection: netcommon's default.
#: The plugin's ``network_os`` option overrides the second column per family.
PLATFORMS: tuple[tuple[str, str, str | None], ...] = (
    (r"nx-?os|nexus", "nxos", "cisco.nxos.nxos"),
    (r"ios[ -_]?xr", "iosxr", "cisco.iosxr.iosxr"),
    (r"\bios\b|ios[ -_]?xe|catalyst", "ios", "cisco.ios.ios"),
    (r"\basa\b", "asa", "cisco.asa.asa"),
    (r"junos|juniper", "junos", "junipernetworks.junos.junos"),
    (r"\beos\b|arista", "eos", "arista.eos.eos"),
    (r"comware|h3c", "comware", "ansible.netcommon.default"),
    (r"\bvrp\b|huawei|cloudengine", "vrp", "community.network.ce"),
    (r"fortios|fortigate|fortinet", "fortios", "fortinet.fortios.fortios"),
    (r"pan-?os|palo ?alto", "panos", "paloaltonetworks.panos.panos"),
    (r"routeros|mikrotik", "routeros", "community.routeros.routeros"),
    (r"vyos", "vyos", "vyos.vyos.vyos"),
    (r"esxi|vmware", "esxi", None),
    (r"windows", "windows", None),
    (
        r"linux|ubuntu|debian|centos|red ?hat|rhel|rocky|alma|oracle linux|suse",
        "linux",
        None,
    ),
)
_PLATFORM_RES = tuple((re.compile(p), family, os_) for p, family, os_ in PLATFORMS)


# Memoised: 10,000 hosts share a few dozen sites, clusters and units, and this was most of
# build_inventory's time (BENCHMARKS.md, issue 8).
@functools.lru_cache(maxsize=4096)
def slug(text: object) -> str:
    """ASCII, lowercase, ``_`` between words: a safe part of a group name."""
    text = str(text).replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


@functools.lru_cache(maxsize=1024)
def platform_family(platform: str | None) -> tuple[str | None, str | None]:
    """``(family, ansible_network_os)`` of a platform from ``PLATFORMS``; Nones if unknown."""
    text = (platform or "").lower()
    for pattern, family, network_os in _PLATFORM_RES:
        if text and pattern.search(text):
            return family, network_os
    return None, None


def host_names(hosts: list[Host]) -> tuple[list[str], list[str]]:
    """An inventory name per host, and a warning per host not named as in Headroom.

    A name keeps letters (any script), digits, ``.``, ``-`` and ``_``; any other run of
    characters becomes ``_``: spaces, ``,`` ``:`` ``*`` ``!`` ``&`` ``~`` ``[`` are
    ``--limit`` pattern syntax and ``{{``/``{%`` Jinja, so ``lb-{{ 6 * 7 }}`` is
    ``lb-_6_7`` (``headroom_name`` keeps the original). Device names are unique per
    site and VM names per system, so a name can repeat: the first host with it keeps it
    — devices before VMs, then the lowest record id, so it stays put as records are
    added — and every other one becomes ``<name>-<kind>-<id>`` (``web01-workload-9``).
    """
    names, warnings = [], []
    for host in hosts:
        safe = _safe_name(str(host["name"])) or "{}-{}".format(host["kind"], host["id"])
        if safe != host["name"]:
            warnings.append(f"host name {host['name']!r} is not a safe inventory name: {safe!r}")
        names.append(safe)
    owner: dict[str, tuple[int, int]] = {}
    for name, host in zip(names, hosts, strict=True):
        rank = _rank(host)
        if name not in owner or rank < owner[name]:
            owner[name] = rank
    for index, (name, host) in enumerate(zip(names, hosts, strict=True)):
        if owner[name] != _rank(host):
            kind, record = host["kind"], host["id"]
            names[index] = renamed = f"{name}-{kind}-{record}"
            warnings.append(f"two hosts are named {name!r}: {kind} {record} is {renamed!r}")
    return names, warnings


_UNSAFE_NAME = re.compile(r"[^\w.\-]+")


def _safe_name(name: str) -> str:
    return _UNSAFE_NAME.sub("_", name).strip("_")


def _rank(host: Host) -> tuple[int, int]:
    return (0 if host["kind"] == "device" else 1, host["id"])


def host_vars(
    host: Host, network_os: dict[str, str] | None = None, only: list[str] | None = None
) -> dict[str, Any]:
    """The variables of one host: ``ansible_host`` (when it has an address),
    ``ansible_network_os`` (for a known network platform) and ``headroom_*``.

    A variable Headroom has no value for (None, an empty list or dict) is not set:
    ``--list`` costs ansible-core per value, and a VM's ten empty device fields were
    a quarter of them (BENCHMARKS.md, issue 23); playbooks use ``| default``.
    """
    units = host.get("admin_units") or []
    agency = host.get("agency") or {}
    system = host.get("information_system") or {}
    cluster = host.get("cluster") or {}
    site = host.get("site") or {}
    rack = host.get("rack") or {}
    family, default_os = platform_family(host.get("platform"))
    variables: dict[str, Any] = {}
    if host.get("management_address"):
        variables["ansible_host"] = host["management_address"]
    chosen_os = (network_os or {}).get(family or "", default_os)
    if chosen_os:
        variables["ansible_network_os"] = chosen_os
    variables.update(
        {
            PREFIX + "id": host["id"],
            PREFIX + "kind": host["kind"],
            PREFIX + "name": host["name"],
            PREFIX + "url": host.get("url"),
            PREFIX + "status": host.get("status"),
            PREFIX + "role": host.get("role"),
            PREFIX + "platform": host.get("platform"),
            PREFIX + "platform_family": family,
            PREFIX + "site": site.get("slug"),
            PREFIX + "site_name": site.get("name"),
            PREFIX + "rack": rack.get("name"),
            PREFIX + "rack_position": rack.get("position_u"),
            PREFIX + "location": host.get("location"),
            PREFIX + "admin_units": [u["name"] for u in units],
            PREFIX + "admin_unit_codes": [u["code"] for u in units],
            PREFIX + "district": _unit_name(units, "district"),
            PREFIX + "commune": _unit_name(units, "commune"),
            PREFIX + "cluster": cluster.get("name"),
            PREFIX + "agency": agency.get("short_name") or agency.get("name"),
            PREFIX + "information_system": system.get("name"),
            PREFIX + "security_level": host.get("security_level"),
            PREFIX + "zones": list(host.get("zones") or []),
            PREFIX + "networks": list(host.get("networks") or []),
            PREFIX + "tags": list(host.get("tags") or []),
            PREFIX + "interfaces": [dict(i) for i in host.get("interfaces") or []],
            PREFIX + "manufacturer": host.get("manufacturer"),
            PREFIX + "model": host.get("model"),
            PREFIX + "serial": host.get("serial"),
            PREFIX + "specs": {k: v for k, v in (host.get("specs") or {}).items() if v is not None},
        }
    )
    if only is not None:  # the plugin's host_vars option; id and kind always (the fact sync)
        keep = {PREFIX + n for n in (*only, "id", "kind")}
        variables = {k: v for k, v in variables.items() if k in keep or not k.startswith(PREFIX)}
    return {k: v for k, v in variables.items() if v is not None and v != [] and v != {}}


def host_groups(host: Host, group_by: list[str]) -> list[str]:
    """The groups ``group_by`` puts one host in (a list: a host may have several networks)."""
    groups: dict[str, None] = {}  # ordered, once each: admin_unit and commune may agree
    for key in group_by:
        groups.update(dict.fromkeys(_groups_of(host, key)))
    return list(groups)


def build_inventory(
    hosts: list[Host],
    group_by: list[str],
    *,
    keep_without_address: bool = True,
    network_os: dict[str, str] | None = None,
    only: list[str] | None = None,
) -> dict[str, Any]:
    """``{"hosts": {name: vars}, "groups": {group: [names]}, "children": {group: [groups]},
    "warnings": [text]}`` for every host, in order.

    ``children`` nests the admin tree's groups when ``group_by`` has ``admin_unit``.
    A host without a management address is kept without ``ansible_host`` (one
    warning names them), or dropped when ``keep_without_address`` is false.
    """
    unknown = sorted(set(group_by) - set(GROUP_BY_CHOICES))
    if unknown:
        raise ValueError(
            "unknown group_by: {} (choose from {})".format(
                ", ".join(unknown), ", ".join(GROUP_BY_CHOICES)
            )
        )
    if not keep_without_address:
        hosts = [h for h in hosts if h.get("management_address")]
    names, warnings = host_names(hosts)
    inventory: dict[str, Any] = {"hosts": {}, "groups": {}, "children": {}, "warnings": warnings}
    nested = "admin_unit" in group_by
    for name, host in zip(names, hosts, strict=True):
        inventory["hosts"][name] = host_vars(host, network_os, only)
        for group in host_groups(host, group_by):
            inventory["groups"].setdefault(group, []).append(name)
        if nested:
            _nest(inventory["children"], host.get("admin_units") or [])
    inventory["children"] = {k: sorted(v) for k, v in inventory["children"].items()}
    bare = [n for n, h in zip(names, hosts, strict=True) if not h.get("management_address")]
    if bare:
        shown = ", ".join(bare[:10]) + (f" and {len(bare) - 10} more" if len(bare) > 10 else "")
        warnings.append(
            f"{len(bare)} hosts have no management address and no ansible_host "
            f"(set drop_without_address to leave them out): {shown}"
        )
    return inventory


def unit_group(unit: dict[str, str]) -> str:
    """``commune_xa_binh_minh_20470``: the code keeps two units of one name apart."""
    return "{}_{}_{}".format(slug(unit["level"]), slug(unit["name"]), slug(unit["code"]))


def _nest(children: dict[str, set[str]], units: list[dict[str, str]]) -> None:
    for parent, child in itertools.pairwise(units):
        children.setdefault(unit_group(parent), set()).add(unit_group(child))


def _unit_name(units: list[dict[str, str]], level: str) -> str | None:
    return next((u["name"] for u in units if u.get("level") == level), None)


def _unit_groups(units: list[dict[str, str]], level: str) -> list[str]:
    unit = next((u for u in units if u.get("level") == level), None)
    return [unit_group(unit)] if unit else []


def _groups_of(host: Host, key: str) -> list[str]:
    units = host.get("admin_units") or []
    if key == "admin_unit":
        return [unit_group(units[-1])] if units else []  # the site's own unit; parents nest it
    if key in UNIT_LEVELS:
        return _unit_groups(units, key)
    if key in ("network", "zone", "tag"):
        return [f"{key}_{slug(n)}" for n in host.get(key + "s") or []]
    if key == "security_level":
        level = host.get("security_level")
        return [f"security_level_{level}"] if level is not None else []
    if key == "platform":
        family = platform_family(host.get("platform"))[0]
        label = family or host.get("platform")
        return [f"platform_{slug(label)}"] if label else []
    if key in ("role", "status", "kind"):
        return [f"{key}_{slug(host[key])}"] if host.get(key) else []
    value = host.get(key) or {}
    label = {
        "site": value.get("slug"),
        "cluster": value.get("name"),
        "agency": value.get("short_name") or value.get("name"),
        "information_system": value.get("code") or value.get("name"),
    }[key]
    return [f"{key}_{slug(label)}"] if label else []
