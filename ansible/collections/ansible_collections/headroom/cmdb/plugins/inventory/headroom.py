# Headroom inventory plugin: hosts from Headroom's REST API (standard library and Ansible only).
from __future__ import annotations

import contextlib
import hashlib
import os
from typing import Any
from urllib.parse import urlencode

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible_collections.headroom.cmdb.plugins.module_utils.headroom_api import (
    HeadroomError,
    get_json,
)
from ansible_collections.headroom.cmdb.plugins.module_utils.inventory_cache import (
    pack_hosts,
    unpack_hosts,
)
from ansible_collections.headroom.cmdb.plugins.module_utils.inventory_transform import (
    build_inventory,
)

DOCUMENTATION = r"""
name: headroom
short_description: Hosts from Headroom, the data centre's CMDB
description:
  - Takes devices and virtual machines from Headroom's C(/api/v1/ansible/hosts/) endpoint,
    pages of up to 1000 hosts at a time.
  - Every host gets C(ansible_host) (its management address) and C(headroom_*) variables -
    Headroom id, kind and URL, site (C(headroom_site), C(headroom_site_name)), rack and
    position (C(headroom_rack), C(headroom_rack_position)), admin unit path
    (C(headroom_admin_units) names and C(headroom_admin_unit_codes), province first;
    C(headroom_district) and C(headroom_commune) by level, as the path does not say which
    level a name is), role, platform and its family (C(headroom_platform_family), from the
    table below), cluster, agency, information system, security level, zones, networks,
    tags, primary interfaces (C(headroom_interfaces), the one holding the management
    address first) and specs.
  - C(ansible_network_os) is set from the platform, first match in this table (the
    platform lowercased); O(network_os) overrides it per family. Servers' families set
    none, they use ssh or winrm.
  - "C(nx-os), C(nxos), C(nexus): family C(nxos), C(cisco.nxos.nxos);
    C(ios xr), C(iosxr): C(iosxr), C(cisco.iosxr.iosxr);
    C(ios), C(ios-xe), C(catalyst): C(ios), C(cisco.ios.ios);
    C(asa): C(asa), C(cisco.asa.asa);
    C(junos), C(juniper): C(junos), C(junipernetworks.junos.junos);
    C(eos), C(arista): C(eos), C(arista.eos.eos);
    C(comware), C(h3c): C(comware), C(ansible.netcommon.default) (no Comware cliconf exists);
    C(vrp), C(huawei), C(cloudengine): C(vrp), C(community.network.ce);
    C(fortios), C(fortigate), C(fortinet): C(fortios), C(fortinet.fortios.fortios);
    C(pan-os), C(panos), C(palo alto): C(panos), C(paloaltonetworks.panos.panos);
    C(routeros), C(mikrotik): C(routeros), C(community.routeros.routeros);
    C(vyos): C(vyos), C(vyos.vyos.vyos);
    C(esxi), C(vmware): C(esxi), none; C(windows): C(windows), none;
    C(linux), C(ubuntu), C(debian), C(centos), C(red hat), C(rhel), C(rocky), C(alma),
    C(oracle linux), C(suse): C(linux), none."
  - A host without a management address is kept, without C(ansible_host), and one warning
    names such hosts; O(drop_without_address) leaves them out.
  - Two hosts with one name (device names are unique per site, VM names per system) - the
    first keeps it (devices before VMs, then the lowest Headroom id, so it stays put as
    records are added) and every other one is named C(<name>-<kind>-<id>), e.g.
    C(web01-workload-9), with a warning.
  - Groups come from O(group_by); O(compose), O(groups) and O(keyed_groups) work as in
    the C(constructed) plugin. Group names are lowercase ASCII letters, digits and C(_).
  - Every value from Headroom is data, never a template (marked unsafe, as ansible-core does
    for inventory data) - a C({{ ... }}) typed into Headroom reaches a playbook as those
    characters.
  - A host name keeps letters, digits, C(.), C(-) and C(_); any other run of characters
    (spaces, C(--limit) pattern syntax such as C(,) C(:) C(*) C(!) C(&) C([), Jinja's C({{))
    becomes C(_), with a warning, so every host can be named in C(--limit) -
    C(lb-{{ 6 * 7 }}) is C(lb-_6_7); C(headroom_name) keeps the name as in Headroom.
  - The cache key holds the URL and every filter, so two inventories on one cache never
    mix; a file cache's entry is made readable by its owner only (mode 0600).
  - An unreachable Headroom or a refused token is an error. Set
    E(ANSIBLE_INVENTORY_UNPARSED_FAILED=true) so that C(ansible-inventory) and
    C(ansible-playbook) exit non-zero instead of warning and going on with an empty inventory.
  - The inventory file name must end in C(headroom.yml) or C(headroom.yaml).
version_added: "1.0.0"
author:
  - Headroom maintainers
extends_documentation_fragment:
  - headroom.cmdb.api
  - constructed
  - inventory_cache
options:
  plugin:
    description: Marks the file as this plugin's; must be C(headroom.cmdb.headroom).
    required: true
    choices: ["headroom.cmdb.headroom"]
  timeout:
    description: Seconds to wait for each page.
    type: int
    default: 30
  page_size:
    description: Hosts per request (at most 1000).
    type: int
    default: 1000
  kinds:
    description: Only these kinds of host (C(device), C(workload)); empty for both.
    type: list
    elements: str
    default: []
  sites:
    description: Only hosts at these sites (slugs).
    type: list
    elements: str
    default: []
  admin_units:
    description: Only hosts in these admin units (codes), each with every unit below it.
    type: list
    elements: str
    default: []
  roles:
    description: Only these roles (device roles such as C(server), C(router); C(vm) for VMs).
    type: list
    elements: str
    default: []
  clusters:
    description: Only hosts of these clusters (names).
    type: list
    elements: str
    default: []
  agencies:
    description: Only hosts of these agencies (short names or names).
    type: list
    elements: str
    default: []
  security_levels:
    description: Only hosts of these security levels (1-5).
    type: list
    elements: int
    default: []
  tags:
    description:
      - Only hosts that carry every one of these tags (slugs, as in C(headroom_tags), e.g.
        C([pci-dss, backup])); unlike the other filters, not any one of them. Headroom
        filters (C(?tag=)), so only those hosts are fetched and cached, and the cache key
        holds the tags.
    type: list
    elements: str
    default: []
    version_added: "1.2.0"
  statuses:
    description: Only hosts in these statuses; C([]) for every status.
    type: list
    elements: str
    default: [active]
  as_of:
    description:
      - The admin tree of this day (C(YYYY-MM-DD)) - the units in force and where each site
        was then; before a reform, districts; after the 2025 reform, communes straight under
        the new province. Empty for today.
    type: str
  drop_without_address:
    description: Leave out hosts without a management address instead of keeping them without
      C(ansible_host).
    type: bool
    default: false
  network_os:
    description:
      - "C(ansible_network_os) per platform family, over the table above, e.g.
        C({comware: community.network.ce}); an empty value sets none for that family."
    type: dict
    default: {}
  host_vars:
    description:
      - Only these C(headroom_*) variables (names without the prefix, e.g. C([site, role,
        rack])); C(headroom_id) and C(headroom_kind) are always set, as are C(ansible_host)
        and C(ansible_network_os). Unset (the default) for every one.
      - C(ansible-inventory --list) costs ansible-core about the same per value, so a large
        estate that needs few variables lists faster with few (BENCHMARKS.md).
      - A variable Headroom has no value for (none, an empty list) is never set; use
        C(| default).
    type: list
    elements: str
  group_by:
    description:
      - What to group hosts by; groups are named C(<key>_<value>), e.g. C(site_ttdl).
      - C(admin_unit) nests the admin tree - C(province_<name>_<code>) holds
        C(district_<name>_<code>), which holds C(commune_<name>_<code>), each host in its
        site's unit - so C(--limit district_...) reaches its communes' hosts. After the
        reform a commune sits straight under its province.
      - C(province), C(district) and C(commune) put each host straight into that level's group.
      - C(platform) groups by family (C(platform_ios)), else by the platform itself.
      - C(tag) puts a host in one group per tag (C(tag_pci_dss)); C(headroom_tags) lists
        the slugs as Headroom keeps them (C(pci-dss)).
    type: list
    elements: str
    choices:
      - admin_unit
      - province
      - district
      - commune
      - site
      - role
      - platform
      - cluster
      - agency
      - information_system
      - security_level
      - zone
      - network
      - status
      - kind
      - tag
    default: [admin_unit, site, role, platform, cluster, security_level, zone, network, status, tag]
"""

EXAMPLES = r"""
# inventory.headroom.yml  (HEADROOM_URL and HEADROOM_TOKEN in the environment)
plugin: headroom.cmdb.headroom
group_by: [admin_unit, site, role, platform, cluster, security_level, network]
roles: [server, vm]
tags: [backup]                # only hosts tagged backup in Headroom (NetBox's tags)
compose:
  ansible_user: "'vận-hành' if headroom_kind == 'workload' else 'root'"
keyed_groups:
  - key: headroom_specs.ram_gb | int // 256
    prefix: ram_256gb_blocks
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/headroom-inventory
cache_timeout: 3600

# The tree before the 2025 reform (districts), on a database that holds both
# plugin: headroom.cmdb.headroom
# as_of: "2025-06-30"
"""

MAX_WARNINGS = 20

FILTERS = (
    ("kinds", "kind"),
    ("sites", "site"),
    ("admin_units", "admin_unit"),
    ("roles", "role"),
    ("clusters", "cluster"),
    ("agencies", "agency"),
    ("security_levels", "security_level"),
    ("statuses", "status"),
    ("tags", "tag"),
)


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = "headroom.cmdb.headroom"

    def verify_file(self, path: str) -> bool:
        return super().verify_file(path) and path.endswith(("headroom.yml", "headroom.yaml"))

    def parse(self, inventory: Any, loader: Any, path: str, cache: bool = True) -> None:
        super().parse(inventory, loader, path)
        self._read_config_data(path)
        self._cache_key = self.get_cache_key(path)
        hosts = self._hosts(self._cache_key, cache)
        try:
            built = build_inventory(
                hosts,
                self.get_option("group_by"),
                keep_without_address=not self.get_option("drop_without_address"),
                network_os=self.get_option("network_os") or {},
                only=self.get_option("host_vars"),
            )
        except ValueError as exc:
            raise AnsibleParserError(str(exc)) from exc
        self._warn(built["warnings"])
        self._populate(built)

    def _warn(self, warnings: list[str]) -> None:
        """Each warning, up to ``MAX_WARNINGS``, then how many more (an estate of VMs named
        with spaces would otherwise print one per host)."""
        for warning in warnings[:MAX_WARNINGS]:
            self.display.warning(f"Headroom inventory: {warning}")
        if len(warnings) > MAX_WARNINGS:
            more = len(warnings) - MAX_WARNINGS
            self.display.warning(f"Headroom inventory: {more} more warnings")

    def get_cache_key(self, path: str) -> str:
        """The file's key plus a digest of the URL and query: two inventories (two
        Headrooms, or other filters) sharing a cache never read each other's hosts."""
        digest = hashlib.sha256(self._first_url().encode()).hexdigest()[:16]
        return f"{super().get_cache_key(path)}_{digest}"

    def update_cache_if_changed(self) -> None:
        """Write the cache, then make a file cache's entry readable by its owner only:
        ansible-core's file caches leave it 0644, and it lists every host's address."""
        super().update_cache_if_changed()
        plugin = getattr(self._cache, "_plugin", None)
        name_of = getattr(plugin, "_get_cache_file_name", None)
        key = getattr(self, "_cache_key", None)
        if name_of is None or key is None:
            return
        # ansible-core 2.19 stores the entry under a schema-qualified key (its interposer).
        stored_key = getattr(plugin, "_get_key", lambda k: k)(key)
        with contextlib.suppress(FileNotFoundError):
            os.chmod(name_of(stored_key), 0o600)

    def _hosts(self, cache_key: str, cache: bool) -> list[dict[str, Any]]:
        """The API's hosts, from the cache when allowed and filled (the Cacheable pattern)."""
        use_cache = self.get_option("cache")
        if use_cache and cache:
            hosts = unpack_hosts(self._cache.get(cache_key))
            if hosts is not None:
                return hosts
        hosts = self._fetch_hosts()
        if use_cache:
            self._cache[cache_key] = pack_hosts(hosts)
        return hosts

    def _first_url(self) -> str:
        base = self.get_option("api_endpoint").rstrip("/")
        query: list[tuple[str, Any]] = [("limit", min(max(self.get_option("page_size"), 1), 1000))]
        for option, param in FILTERS:
            query += [(param, value) for value in self.get_option(option) or []]
        query.append(("address", "required" if self.get_option("drop_without_address") else "any"))
        if self.get_option("as_of"):
            query.append(("as_of", self.get_option("as_of")))
        return f"{base}/api/v1/ansible/hosts/?{urlencode(query)}"

    def _fetch_hosts(self) -> list[dict[str, Any]]:
        base = self.get_option("api_endpoint").rstrip("/")
        url, hosts = self._first_url(), []
        while url:
            page = self._get(base, url)
            hosts.extend(page["results"])
            url = page.get("next")
        return hosts

    def _get(self, base: str, url: str) -> dict[str, Any]:
        try:
            return get_json(
                base,
                url,
                self.get_option("token"),
                validate_certs=self.get_option("validate_certs"),
                timeout=self.get_option("timeout"),
            )
        except HeadroomError as exc:
            raise AnsibleParserError(str(exc)) from exc

    def _populate(self, built: dict[str, Any]) -> None:
        inventory = self.inventory
        for name, variables in built["hosts"].items():
            inventory.add_host(name)
            # The Host's own set_variable, not the inventory proxy's: ansible-core 2.19 sends
            # the proxy's through a visitor that copies every value and tags it with this
            # file as origin, most of what a host costs us (BENCHMARKS.md, issue 8). Our
            # values are fresh JSON types from build_inventory, which is all its type check
            # and copy guard against, and they stay untrusted: template trust is a tag the
            # visitor adds only for plugins with trusted_by_default, and this one has not.
            host = inventory.get_host(name)
            if host.vars.keys().isdisjoint(variables):
                # A fresh host, the usual case: one dict update instead of a set_variable per
                # value (each strips trust from the key and checks its name against a regex;
                # our names are fixed and valid, ``test_every_variable_name_is_valid``).
                host.vars.update(variables)
                continue
            for key, value in variables.items():  # another source set some: merge as it would
                host.set_variable(key, value)
        for group, members in built["groups"].items():
            inventory.add_group(group)
            for name in members:
                inventory.add_child(group, name)
        for parent, groups in built["children"].items():
            inventory.add_group(parent)
            for group in groups:
                inventory.add_group(group)
                inventory.add_child(parent, group)
        self._construct(built["hosts"])

    def _construct(self, hosts: dict[str, dict[str, Any]]) -> None:
        """``compose``, ``groups`` and ``keyed_groups`` as in ``constructed``; no per-host work
        when none is set, the usual case."""
        compose, groups, keyed = (self.get_option(o) for o in ("compose", "groups", "keyed_groups"))
        if not (compose or groups or keyed):
            return
        strict = self.get_option("strict")
        for name, variables in hosts.items():
            self._set_composite_vars(compose, variables, name, strict=strict)
            self._add_host_to_composed_groups(groups, variables, name, strict=strict)
            self._add_host_to_keyed_groups(keyed, variables, name, strict=strict)
