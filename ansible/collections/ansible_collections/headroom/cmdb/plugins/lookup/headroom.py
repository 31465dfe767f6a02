# Headroom lookup: a cluster's, storage pool's or link's headroom and exhaustion date.
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible_collections.headroom.cmdb.plugins.module_utils.headroom_api import (
    HeadroomError,
    get_json,
)

DOCUMENTATION = r"""
name: headroom
short_description: Headroom and exhaustion date of a cluster, storage pool or link
description:
  - Reads Headroom's capacity report (C(/api/v1/capacity/)) and returns, for each term, the
    rows of that resource - a cluster has one per dimension (vCPU, RAM), a pool or a link one.
  - A term is a resource's name (C(PROD-CL01), a link's name) or its resource key; a term
    that matches nothing is an error that names it.
  - Each row has C(resource), C(name), C(kind), C(unit), C(capacity), C(ceiling),
    C(headroom) (ceiling less forecast use and approved reservations), C(exhaustion_date)
    (the forecast reaches the ceiling; none when it does not within the horizon) and
    C(at_risk_date) (the upper 80 % bound does).
version_added: "1.1.0"
author:
  - Headroom maintainers
extends_documentation_fragment:
  - headroom.cmdb.api
options:
  _terms:
    description: Names or resource keys of clusters, storage pools or links.
    required: true
    type: list
    elements: str
  timeout:
    description: Seconds to wait for each page of the report.
    type: int
    default: 60
  at:
    description: The report as of this day (C(YYYY-MM-DD)); empty for today.
    type: str
"""

EXAMPLES = r"""
- name: Stop when the production cluster has less than 64 vCPU of headroom
  ansible.builtin.assert:
    that: vcpu.headroom >= 64
    fail_msg: "PROD-CL01 runs out on {{ vcpu.exhaustion_date }}"
  vars:
    vcpu: >-
      {{ query('headroom.cmdb.headroom', 'PROD-CL01')
         | selectattr('resource', 'search', 'vcpu') | first }}
"""

RETURN = r"""
_list:
  description: The capacity rows of every term, in the terms' order.
  type: list
  elements: dict
"""


class LookupModule(LookupBase):
    def run(self, terms: list[Any], variables: Any = None, **kwargs: Any) -> list[Any]:
        self.set_options(var_options=variables, direct=kwargs)
        rows = self._report()
        found: list[dict[str, Any]] = []
        for term in terms:
            matches = [r for r in rows if term in (r.get("name"), r.get("resource"))]
            if not matches:
                raise AnsibleLookupError(f"Headroom has no cluster, pool or link named {term!r}")
            found.extend(matches)
        return found

    def _report(self) -> list[dict[str, Any]]:
        base = self.get_option("api_endpoint").rstrip("/")
        query: list[tuple[str, Any]] = [("limit", 1000)]
        if self.get_option("at"):
            query.append(("at", self.get_option("at")))
        url, rows = f"{base}/api/v1/capacity/?{urlencode(query)}", []
        while url:
            try:
                page = get_json(
                    base,
                    url,
                    self.get_option("token"),
                    validate_certs=self.get_option("validate_certs"),
                    timeout=self.get_option("timeout"),
                    what="the capacity report",
                )
            except HeadroomError as exc:
                raise AnsibleLookupError(str(exc)) from exc
            rows.extend(page["results"])
            url = page.get("next")
        return rows
