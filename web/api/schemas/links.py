"""The body of a link's create (POST) and update (PATCH)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cmdb.bounds import MAX_RATE_MBPS
from cmdb.choices import Network, Status
from web.api.schemas.write import (
    WriteSchema,
    choice,
    day,
    percent,
    positive,
    ref,
    text,
    validity_errors,
)

NO_CAPACITY = "give commit_rate_mbps or port_speed_mbps: a link needs a capacity"
NO_END = (
    "a link needs a site at one end at least: leave one end open (a circuit to a provider"
    " network), not both"
)
OPEN_END_INTERFACE = "an open end has no interface: give the site of this end, or no interface"
SAME_SITE = (
    "the two ends of a link must be different sites, unless it is a cable inside one site"
    " between two interfaces (give a_interface_id and b_interface_id)"
)


class LinkWriteSchema(WriteSchema):
    name = text(200, required=True)
    network = choice(Network, required=True)
    status = choice(Status)
    # One end may be open (DESIGN §4: a circuit to a provider network), never both.
    a_site_id = ref("site at the users' end (empty: an open end)", nullable=True)
    b_site_id = ref("site at the DC's end (empty: an open end)", nullable=True)
    a_interface_id = ref("interface at the a end", nullable=True)
    b_interface_id = ref("interface at the b end", nullable=True)
    commit_rate_mbps = positive(MAX_RATE_MBPS, nullable=True)
    port_speed_mbps = positive(MAX_RATE_MBPS, nullable=True)
    provider = text(100, nullable=True)
    circuit_id = text(100, nullable=True)
    ceiling_pct = percent(nullable=True)
    valid_from = day("first day in force (empty: always)")
    valid_to = day("first day no longer in force (empty: still in force)")

    def check_record(self, record: Mapping[str, Any]) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = validity_errors(record)
        if record.get("commit_rate_mbps") is None and record.get("port_speed_mbps") is None:
            errors["commit_rate_mbps"] = [NO_CAPACITY]
        a_site, b_site = record.get("a_site_id"), record.get("b_site_id")
        if a_site is None and b_site is None:
            errors["a_site_id"] = errors["b_site_id"] = [NO_END]
        elif a_site == b_site:
            errors.update(_one_site_ends(record))
        for end in ("a", "b"):
            if record.get(f"{end}_site_id") is None and record.get(f"{end}_interface_id"):
                errors[f"{end}_interface_id"] = [OPEN_END_INTERFACE]
        return errors


def _one_site_ends(record: Mapping[str, Any]) -> dict[str, list[str]]:
    """A link inside one site (a cable in the DC) must name two different interfaces."""
    a_if, b_if = record.get("a_interface_id"), record.get("b_interface_id")
    if a_if is None or b_if is None:
        return {"b_site_id": [SAME_SITE]}
    if a_if == b_if:
        return {"b_interface_id": ["the two ends of a link must be different interfaces"]}
    return {}
