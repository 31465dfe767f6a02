#!/usr/bin/python
# Headroom module: can the data centre host a resource request? (Headroom's verdict)
from __future__ import annotations

DOCUMENTATION = r"""
module: evaluate
short_description: Headroom's verdict on a resource request or an ad-hoc demand
description:
  - With O(document), evaluates that request document (the YAML of C(cmdb request
    evaluate)) and stores nothing - never changed, the same in check mode.
  - With O(request_id), evaluates a stored request; Headroom keeps that evaluation, so the
    task is changed, and in check mode nothing is sent.
  - Returns the verdict (C(host), C(host_until), C(cannot_host), ...), until when, where,
    the first shortfall and the cost, as Headroom's C(/api/v1/requests/evaluate) answers.
version_added: "1.1.0"
author:
  - Headroom maintainers
extends_documentation_fragment:
  - headroom.cmdb.api.module
options:
  document:
    description: A request document; exactly one of O(document) and O(request_id).
    type: dict
  request_id:
    description: A stored request's id.
    type: int
  timeout:
    description: Seconds to wait for the evaluation.
    type: int
    default: 120
"""

EXAMPLES = r"""
- name: Can the DC host the new portal?
  headroom.cmdb.evaluate:
    document: "{{ lookup('ansible.builtin.file', 'portal.yml') | from_yaml }}"
  register: verdict
  delegate_to: localhost

- ansible.builtin.assert:
    that: verdict.evaluation.verdict != 'cannot_host'
"""

RETURN = r"""
evaluation:
  description: Headroom's evaluation, as its API answers it.
  returned: unless check mode skipped a stored request
  type: dict
"""

from typing import Any  # noqa: E402

from ansible.module_utils.basic import AnsibleModule  # noqa: E402
from ansible_collections.headroom.cmdb.plugins.module_utils.headroom_api import (  # noqa: E402
    MODULE_ARGS,
    HeadroomError,
    get_json,
)


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "document": {"type": "dict"},
            "request_id": {"type": "int"},
            **MODULE_ARGS,
            "timeout": {"type": "int", "default": 120},
        },
        required_one_of=[("document", "request_id")],
        mutually_exclusive=[("document", "request_id")],
        supports_check_mode=True,
    )
    params: dict[str, Any] = module.params
    base = (params["api_endpoint"] or "").rstrip("/")
    token = params["token"] or ""
    if not base or not token:
        module.fail_json(msg="set api_endpoint and token, or HEADROOM_URL and HEADROOM_TOKEN")
    stored = params["request_id"] is not None
    if stored and module.check_mode:
        module.exit_json(changed=True, msg="check mode: the evaluation would be stored")
    path = f"requests/{params['request_id']}/evaluate" if stored else "requests/evaluate"
    try:
        evaluation = get_json(
            base,
            f"{base}/api/v1/{path}",
            token,
            validate_certs=params["validate_certs"],
            timeout=params["timeout"],
            what="an evaluation",
            body=params["document"] if not stored else {},
        )
    except HeadroomError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(changed=stored, evaluation=evaluation)


if __name__ == "__main__":
    main()
