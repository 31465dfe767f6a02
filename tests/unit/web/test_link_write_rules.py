"""The link body's rules across fields: a capacity, and two distinct ends — two sites, or
two different interfaces of one site (a cable inside the DC) — of which one may be open
(a circuit to a provider network), never both, and an open end has no interface."""

from __future__ import annotations

from typing import Any

import pytest

from web.api.schemas.links import (
    NO_CAPACITY,
    NO_END,
    OPEN_END_INTERFACE,
    SAME_SITE,
    LinkWriteSchema,
)

BASE: dict[str, Any] = {"commit_rate_mbps": None, "port_speed_mbps": 10000.0}


@pytest.mark.parametrize(
    ("ends", "errors"),
    [
        ({"a_site_id": 1, "b_site_id": 2}, {}),
        ({"a_site_id": 1, "b_site_id": 1, "a_interface_id": 5, "b_interface_id": 6}, {}),
        ({"a_site_id": 1, "b_site_id": 1}, {"b_site_id": [SAME_SITE]}),
        ({"a_site_id": 1, "b_site_id": 1, "a_interface_id": 5}, {"b_site_id": [SAME_SITE]}),
        (
            {"a_site_id": 1, "b_site_id": 1, "a_interface_id": 5, "b_interface_id": 5},
            {"b_interface_id": ["the two ends of a link must be different interfaces"]},
        ),
        ({"a_site_id": 1, "b_site_id": None}, {}),
        ({"a_site_id": None, "b_site_id": 2}, {}),
        ({"b_site_id": 2}, {}),
        ({"a_site_id": None, "b_site_id": None}, {"a_site_id": [NO_END], "b_site_id": [NO_END]}),
        ({}, {"a_site_id": [NO_END], "b_site_id": [NO_END]}),
        (
            {"a_site_id": 1, "b_site_id": None, "a_interface_id": 5, "b_interface_id": 6},
            {"b_interface_id": [OPEN_END_INTERFACE]},
        ),
        ({"a_site_id": 1, "b_site_id": None, "a_interface_id": 5}, {}),
    ],
)
def test_ends_of_a_link(ends: dict[str, Any], errors: dict[str, list[str]]) -> None:
    assert LinkWriteSchema().check_record(BASE | ends) == errors


def test_a_link_needs_a_capacity() -> None:
    record = {"a_site_id": 1, "b_site_id": 2, "commit_rate_mbps": None, "port_speed_mbps": None}
    assert LinkWriteSchema().check_record(record) == {"commit_rate_mbps": [NO_CAPACITY]}
