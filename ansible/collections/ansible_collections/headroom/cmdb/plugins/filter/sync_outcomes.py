"""The ``headroom.cmdb.sync_outcomes`` filter: each host's fate in the fact-sync batches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ansible_collections.headroom.cmdb.plugins.module_utils.fact_sync import sync_outcomes

DOCUMENTATION = r"""
name: sync_outcomes
short_description: Which hosts the fact-sync batches recorded, and why the others were not
description:
  - Takes what the fact-sync playbook's batch task registered (a loop of
    C(POST /api/v1/facts/batch), each item the hosts it sent) and returns, for every host
    sent, C(null) when Headroom recorded its facts and the reason otherwise - Headroom's
    own (no record is this host, or several are), or why the whole batch failed (see
    M(headroom.cmdb.api_error#filter)).
  - A host that is not in the answer was never sent (it gave no facts).
positional: _input, base
options:
  _input:
    description: The registered result of the batch task (with C(results), one per batch).
    type: dict
    required: true
  base:
    description: Headroom's base URL, to name it in a batch's failure.
    type: str
    required: true
"""

EXAMPLES = r"""
headroom_outcomes: "{{ headroom_batches | headroom.cmdb.sync_outcomes(headroom_api) }}"
"""

RETURN = r"""
_value:
  description: Host name -> C(null) (recorded) or the reason it was not.
  type: dict
"""


class FilterModule:
    def filters(self) -> dict[str, Callable[..., Any]]:
        return {"sync_outcomes": sync_outcomes}
