# Headroom inventory plugin: hosts from Headroom's REST API (standard library and Ansible only).
from __future__ import annotations

import json
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode

from ansible.errors import AnsibleParserError
from ansible.module_utils.urls import open_url
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
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
  - Takes devices and virtual machines that have a management address from Headroom's
    C(/api/v1/ansible/hosts/) endpoint, pages of up to 1000 hosts at a time.
  - Every host gets C(ansible_host) (its management address) and C(headroom_*) variables -
    Headroom id, kind and URL, site, admin unit path, district and commune, role, cluster,
    agency, information system, security level, networks and specs.
  - Groups come from O(group_by); O(compose), O(groups) and O(keyed_groups) work as in
    the C(constructed) plugin.
  - An unreachable Headroom or a refused token is an error. Set
    E(ANSIBLE_INVENTORY_UNPARSED_FAILED=true) so that C(ansible-inventory) and
    C(ansible-playbook) exit non-zero instead of warning and going on with an empty inventory.
  - The inventory file name must end in C(headroom.yml) or C(headroom.yaml).
version_added: "1.0.0"
author:
  - Headroom maintainers
extends_documentation_fragment:
  - constructed
  - inventory_cache
options:
  plugin:
    description: Marks the file as this plugin's; must be C(headroom.cmdb.headroom).
    required: true
    choices: ["headroom.cmdb.headroom"]
  api_endpoint:
    description: Headroom's base URL, without C(/api/v1), e.g. C(https://headroom.ttdl.quangnam.gov.vn).
    type: str
    required: true
    env:
      - name: HEADROOM_URL
  token:
    description:
      - An API token (C(cmdb token create USER)); a viewer's token is enough to read.
      - Prefer the environment variable to writing the token in the file.
    type: str
    required: true
    env:
      - name: HEADROOM_TOKEN
  validate_certs:
    description: Whether to check Headroom's TLS certificate.
    type: bool
    default: true
    env:
      - name: HEADROOM_VALIDATE_CERTS
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
  statuses:
    description: Only hosts in these statuses; C([]) for every status.
    type: list
    elements: str
    default: [active]
  group_by:
    description: What to group hosts by (groups are named C(<key>_<value>), e.g. C(site_ttdl)).
    type: list
    elements: str
    choices:
      - site
      - district
      - commune
      - role
      - cluster
      - agency
      - information_system
      - security_level
      - network
    default: [site, role, cluster]
"""

EXAMPLES = r"""
# inventory.headroom.yml  (HEADROOM_URL and HEADROOM_TOKEN in the environment)
plugin: headroom.cmdb.headroom
group_by: [site, district, role, cluster, security_level, network]
roles: [server, vm]
compose:
  ansible_user: "'vận-hành' if headroom_kind == 'workload' else 'root'"
keyed_groups:
  - key: headroom_specs.ram_gb | int // 256
    prefix: ram_256gb_blocks
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/headroom-inventory
cache_timeout: 3600
"""

FILTERS = (
    ("kinds", "kind"),
    ("sites", "site"),
    ("admin_units", "admin_unit"),
    ("roles", "role"),
    ("clusters", "cluster"),
    ("agencies", "agency"),
    ("security_levels", "security_level"),
    ("statuses", "status"),
)


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = "headroom.cmdb.headroom"

    def verify_file(self, path: str) -> bool:
        return super().verify_file(path) and path.endswith(("headroom.yml", "headroom.yaml"))

    def parse(self, inventory: Any, loader: Any, path: str, cache: bool = True) -> None:
        super().parse(inventory, loader, path)
        self._read_config_data(path)
        hosts = self._hosts(self.get_cache_key(path), cache)
        try:
            built = build_inventory(hosts, self.get_option("group_by"))
        except ValueError as exc:
            raise AnsibleParserError(str(exc)) from exc
        self._populate(built)

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

    def _fetch_hosts(self) -> list[dict[str, Any]]:
        base = self.get_option("api_endpoint").rstrip("/")
        query = [("limit", min(max(self.get_option("page_size"), 1), 1000))]
        for option, param in FILTERS:
            query += [(param, value) for value in self.get_option(option) or []]
        url, hosts = f"{base}/api/v1/ansible/hosts/?{urlencode(query)}", []
        while url:
            page = self._get(base, url)
            hosts.extend(page["results"])
            url = page.get("next")
        return hosts

    def _get(self, base: str, url: str) -> dict[str, Any]:
        headers = {
            "Authorization": f"Token {self.get_option('token')}",
            "Accept": "application/json",
        }
        try:
            response = open_url(
                url,
                headers=headers,
                validate_certs=self.get_option("validate_certs"),
                timeout=self.get_option("timeout"),
            )
            return json.loads(response.read())
        except HTTPError as exc:
            raise AnsibleParserError(_http_message(base, exc)) from exc
        except Exception as exc:  # URLError, timeouts, TLS, bad JSON: all mean "no inventory"
            raise AnsibleParserError(f"cannot read hosts from Headroom at {base}: {exc}") from exc

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
            for key, value in variables.items():
                host.set_variable(key, value)
        for group, members in built["groups"].items():
            inventory.add_group(group)
            for name in members:
                inventory.add_child(group, name)
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


def _http_message(base: str, exc: HTTPError) -> str:
    """Headroom's own message (its one error shape), else the HTTP reason."""
    try:
        body = json.loads(exc.read())
        detail = body.get("message", "")
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in (body.get("errors") or {}).items())
    except Exception:
        detail, errors = exc.reason, ""
    if exc.code == 401:
        hint = "check HEADROOM_TOKEN or the token option"
        return f"Headroom at {base} refused the token (HTTP 401: {detail}): {hint}"
    return f"Headroom at {base} answered HTTP {exc.code}: {detail}" + (
        f" ({errors})" if errors else ""
    )
