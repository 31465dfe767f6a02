"""The ``headroom.cmdb.facts_subset`` filter: the facts Headroom reconciles, and no more."""

from __future__ import annotations

from typing import Any

DOCUMENTATION = r"""
name: facts_subset
short_description: Keep the Ansible facts Headroom reconciles
description:
  - From C(ansible_facts), keeps processors, memory, disks (without loop, RAM and zram devices),
    interfaces with speed, MAC and addresses, the default IPv4 address, distribution,
    product name and serial, vendor and virtualization, which the fact-sync playbook posts.
positional: _input
options:
  _input:
    description: The host's C(ansible_facts).
    type: dict
    required: true
"""

EXAMPLES = r"""
facts: "{{ ansible_facts | headroom.cmdb.facts_subset }}"
"""

RETURN = r"""
_value:
  description: The subset, keyed like C(ansible_facts) (no C(ansible_) prefix).
  type: dict
"""

SCALARS = (
    "hostname",
    "fqdn",
    "processor_count",
    "processor_cores",
    "processor_threads_per_core",
    "processor_vcpus",
    "memtotal_mb",
    "distribution",
    "distribution_version",
    "product_name",
    "product_serial",
    "system_vendor",
    "virtualization_role",
    "virtualization_type",
)
DISK_KEYS = ("model", "vendor", "sectors", "sectorsize", "size", "rotational")
INTERFACE_KEYS = (
    "device",
    "type",
    "active",
    "speed",
    "macaddress",
    "mtu",
    "ipv4",
    "ipv4_secondaries",
    "ipv6",
)
NOT_DISKS = ("loop", "ram", "zram")


def facts_subset(facts: dict[str, Any]) -> dict[str, Any]:
    facts = {
        str(k)[8:] if str(k).startswith("ansible_") else str(k): v for k, v in dict(facts).items()
    }
    subset = {key: facts[key] for key in SCALARS if key in facts}
    subset["devices"] = {
        name: {k: v for k, v in dict(disk).items() if k in DISK_KEYS}
        for name, disk in dict(facts.get("devices") or {}).items()
        if not str(name).startswith(NOT_DISKS)
    }
    default = facts.get("default_ipv4") or {}
    subset["default_ipv4"] = {"address": default["address"]} if "address" in default else {}
    names = [str(n) for n in facts.get("interfaces") or []]
    subset["interfaces"] = names
    for name in names:
        key = name.replace("-", "_").replace(":", "_").replace(".", "_")
        detail = facts.get(key) or facts.get(name)
        if isinstance(detail, dict):
            subset[key] = {k: v for k, v in detail.items() if k in INTERFACE_KEYS}
    return subset


class FilterModule:
    def filters(self) -> dict[str, Any]:
        return {"facts_subset": facts_subset}
