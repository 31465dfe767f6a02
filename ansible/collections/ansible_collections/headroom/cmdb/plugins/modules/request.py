#!/usr/bin/python
# Headroom module: file, revise or withdraw a resource request, idempotently.
from __future__ import annotations

DOCUMENTATION = r"""
module: request
short_description: File, revise or withdraw a resource request in Headroom
description:
  - Makes Headroom hold a resource request as the task describes it - the request document
    of C(cmdb request evaluate) (workloads, storage, bandwidth, sites, go-live ...).
  - The request is found by O(request_id), else by O(name) among the requests of the
    document's C(agency) (any agency when the document names none); two of one name are an
    error that asks for O(request_id).
  - "With O(state=present): none found - the request is filed (status C(submitted)); found -
    only the top-level fields of O(document) that differ from the stored document are sent
    (Headroom keeps the others and puts the request back to C(submitted)); none differs -
    nothing is sent and the task is not changed, so a second run reports C(changed=false)."
  - With O(state=absent) a pending request is withdrawn (deleted with its evaluations).
  - Headroom refuses to revise or withdraw a request once approved, rejected or deployed;
    the task then fails and says so, before sending anything.
  - Check mode reads Headroom and reports what would change (C(changes), and C(diff) with
    C(--diff)); it writes nothing.
  - The requester's token must be of the request's agency (or a planner's).
version_added: "1.2.0"
author:
  - Headroom maintainers
extends_documentation_fragment:
  - headroom.cmdb.api.module
options:
  name:
    description: The request's name (the document's C(name)).
    type: str
    required: true
  document:
    description:
      - The request document, without C(name) (O(name) sets it). Required to file a new
        request; to revise, only the fields it gives are compared and sent.
    type: dict
  request_id:
    description: The stored request's id, when its name is not enough to find it (or to rename it).
    type: int
  state:
    description: Whether the request should be filed (C(present)) or withdrawn (C(absent)).
    type: str
    choices: [present, absent]
    default: present
  timeout:
    description: Seconds to wait for each call to Headroom.
    type: int
    default: 60
notes:
  - Filing or revising does not evaluate the request; use M(headroom.cmdb.evaluate) with
    the returned C(request.id).
"""

EXAMPLES = r"""
- name: File the land database's request (a second run changes nothing)
  headroom.cmdb.request:
    name: "CSDL đất đai (giai đoạn 2)"
    document: "{{ lookup('ansible.builtin.file', 'land-db.yml') | from_yaml }}"
  register: filed
  delegate_to: localhost

- name: Move its go-live; the other fields stay as filed
  headroom.cmdb.request:
    name: "CSDL đất đai (giai đoạn 2)"
    document:
      agency: STNMT
      go_live: "2027-09-01"
  delegate_to: localhost

- name: Evaluate it
  headroom.cmdb.evaluate:
    request_id: "{{ filed.request.id }}"
  delegate_to: localhost

- name: Withdraw it
  headroom.cmdb.request:
    name: "CSDL đất đai (giai đoạn 2)"
    state: absent
  delegate_to: localhost
"""

RETURN = r"""
request:
  description:
    - The request as Headroom's C(/api/v1/requests/<id>) answers it (id, url, status,
      agency, spec, latest evaluation ...), after the change.
    - In check mode, the stored request as it is (none when it would be filed).
  returned: when the request exists, or was filed
  type: dict
changes:
  description: The top-level fields sent (or, in check mode, that would be), with their new
    values; the whole document when filed; empty when nothing changed.
  returned: always
  type: dict
  sample: {"go_live": "2027-09-01"}
"""

from typing import Any  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

from ansible.module_utils.basic import AnsibleModule  # noqa: E402
from ansible_collections.headroom.cmdb.plugins.module_utils.headroom_api import (  # noqa: E402
    MODULE_ARGS,
    HeadroomError,
    get_json,
)
from ansible_collections.headroom.cmdb.plugins.module_utils.request_plan import (  # noqa: E402
    changed_fields,
    desired_document,
    pick_request,
    refusal,
)

ARGUMENT_SPEC: dict[str, Any] = {
    "name": {"type": "str", "required": True},
    "document": {"type": "dict"},
    "request_id": {"type": "int"},
    "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
    **MODULE_ARGS,
    "timeout": {"type": "int", "default": 60},
}


class Headroom:
    """Headroom's requests API for one task: base URL, token and the module to fail."""

    def __init__(self, module: AnsibleModule) -> None:
        params = module.params
        self.module = module
        self.base = (params["api_endpoint"] or "").rstrip("/")
        self.token = params["token"] or ""
        if not self.base or not self.token:
            module.fail_json(msg="set api_endpoint and token, or HEADROOM_URL and HEADROOM_TOKEN")

    def call(self, path: str, method: str = "GET", body: Any = None) -> Any:
        try:
            return get_json(
                self.base,
                f"{self.base}/api/v1/requests/{path}",
                self.token,
                validate_certs=self.module.params["validate_certs"],
                timeout=self.module.params["timeout"],
                what="requests",
                body=body,
                method=method,
            )
        except HeadroomError as exc:
            self.module.fail_json(msg=str(exc))

    def find(self, name: str, agency: str | None, request_id: int | None) -> dict[str, Any] | None:
        if request_id is not None:
            stored: dict[str, Any] = self.call(str(request_id))
            return stored
        page = self.call("?" + urlencode({"name": name, "limit": 1000}))
        try:
            return pick_request(page["results"], name, agency)
        except ValueError as exc:
            self.module.fail_json(msg=str(exc))
        return None


def file_new(api: Headroom, desired: dict[str, Any]) -> None:
    module = api.module
    if len(desired) == 1:
        module.fail_json(msg=f"no request named {desired['name']!r}: give its document")
    filed = None if module.check_mode else api.call("", "POST", desired)
    finish(module, None, filed, desired)


def revise(api: Headroom, stored: dict[str, Any], desired: dict[str, Any]) -> None:
    module = api.module
    changes = changed_fields(stored["spec"], desired)
    if not changes:
        module.exit_json(changed=False, request=stored, changes={})
    why = refusal(stored, "revised")
    if why:
        module.fail_json(msg=why, changes=changes)
    revised = None if module.check_mode else api.call(str(stored["id"]), "PATCH", changes)
    finish(module, stored, revised, changes)


def withdraw(api: Headroom, stored: dict[str, Any]) -> None:
    module = api.module
    why = refusal(stored, "withdrawn")
    if why:
        module.fail_json(msg=why)
    if not module.check_mode:
        api.call(str(stored["id"]), "DELETE")
    module.exit_json(changed=True, changes={"state": "absent"}, diff=diff(stored["spec"], {}))


def finish(
    module: AnsibleModule,
    stored: dict[str, Any] | None,
    written: dict[str, Any] | None,
    changes: dict[str, Any],
) -> None:
    before = stored["spec"] if stored else {}
    after = {**before, **changes}
    result = written if written is not None else stored
    module.exit_json(changed=True, request=result, changes=changes, diff=diff(before, after))


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {"before": before, "after": after}


def main() -> None:
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params: dict[str, Any] = module.params
    api = Headroom(module)
    desired = desired_document(params["name"], params["document"])
    stored = api.find(params["name"], desired.get("agency"), params["request_id"])
    if params["state"] == "absent" and stored is None:
        module.exit_json(changed=False, changes={})
    elif params["state"] == "absent" and stored is not None:
        withdraw(api, stored)
    elif stored is None:
        file_new(api, desired)
    else:
        revise(api, stored, desired)


if __name__ == "__main__":
    main()
