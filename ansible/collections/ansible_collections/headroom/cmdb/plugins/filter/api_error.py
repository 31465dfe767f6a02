"""The ``headroom.cmdb.api_error`` filter: a failed call to Headroom as one line of text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ansible_collections.headroom.cmdb.plugins.module_utils.fact_sync import api_error

DOCUMENTATION = r"""
name: api_error
short_description: Why a call to Headroom failed, in one line
description:
  - Takes what C(ansible.builtin.uri) registered for a failed call to Headroom and returns one
    line that says why - Headroom unreachable (with the network's reason), the token refused
    (HTTP 401), or Headroom's own message and per-field errors for any other answer.
  - The fact-sync playbook prints it when it stops, and records it as the reason of each host
    whose facts could not be posted.
positional: _input, base
options:
  _input:
    description: What the failed C(ansible.builtin.uri) task (or one loop item) registered.
    type: dict
    required: true
  base:
    description: Headroom's base URL, to name it in the text.
    type: str
    required: true
"""

EXAMPLES = r"""
msg: "Headroom fact sync failed: {{ headroom_run | headroom.cmdb.api_error(headroom_api) }}"
"""

RETURN = r"""
_value:
  description: The reason, one line.
  type: str
"""


class FilterModule:
    def filters(self) -> dict[str, Callable[..., Any]]:
        return {"api_error": api_error}
