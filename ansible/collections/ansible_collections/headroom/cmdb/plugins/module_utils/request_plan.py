# Headroom's request module: what to send for a resource request (pure, no Ansible import).
"""Decide what ``headroom.cmdb.request`` sends: create, change some fields, or nothing.

Pure functions over the request document and the stored request as Headroom's API
answers it, tested by the project's pytest without Ansible. A revision sends only the
top-level fields that differ (Headroom keeps the others) and nothing when none does:
a revision puts the request back to ``submitted``, so sending unchanged fields would
not be idempotent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

#: Statuses Headroom lets a request be revised or withdrawn in.
PENDING = ("draft", "submitted", "evaluated")


def as_json(value: Any) -> Any:
    """``value`` as it comes back from Headroom's JSON: dates as text, tuples as lists."""
    return json.loads(json.dumps(value, default=str))


def desired_document(name: str, document: Mapping[str, Any] | None) -> dict[str, Any]:
    """The request document the task describes: ``document`` with ``name`` set."""
    return as_json({**(document or {}), "name": name})


def changed_fields(stored_spec: Mapping[str, Any], desired: Mapping[str, Any]) -> dict[str, Any]:
    """The top-level fields of ``desired`` that differ from the stored document."""
    return {key: value for key, value in desired.items() if stored_spec.get(key) != value}


def agency_matches(stored: Mapping[str, Any], agency: str | None) -> bool:
    """Whether a stored request belongs to the agency a document names (name or short
    name, as the document may give either); any agency when the document names none."""
    if not agency:
        return True
    owner = stored.get("agency") or {}
    return agency in (owner.get("name"), owner.get("short_name"))


def pick_request(
    found: list[dict[str, Any]], name: str, agency: str | None
) -> dict[str, Any] | None:
    """The one stored request the task means, None when there is none.

    ``ValueError`` when several of the agency's requests share the name: the task must
    then say which with ``request_id``.
    """
    mine = [r for r in found if r.get("name") == name and agency_matches(r, agency)]
    if len(mine) > 1:
        ids = ", ".join(str(r["id"]) for r in mine)
        raise ValueError(f"several requests are named {name!r} (ids {ids}): set request_id")
    return mine[0] if mine else None


def refusal(stored: Mapping[str, Any], what: str) -> str | None:
    """Why Headroom would refuse to change a stored request, None when it would not."""
    status = stored.get("status")
    if status in PENDING:
        return None
    return f"request {stored.get('id')} is {status}: it cannot be {what} any more"
