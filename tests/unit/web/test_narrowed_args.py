"""A list's query parameters read by only the fields sent (``web.api.blueprint.narrowed``):
the same values, the same refusals."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import pytest

from web.api.blueprint import narrowed
from web.api.resources import DEVICES

SENT = [
    {},
    {"q": "004"},
    {"q": "0042", "limit": "50"},
    {"site_id": "39", "limit": "50", "offset": "100"},
    {"role__in": "server,switch", "cores__gte": "16", "ordering": "-name,id", "brief": "1"},
    {"created_at__gte": "2026-01-01", "name__ic": "dev"},
    {"limit": "0"},
    {"cores__gte": "many", "role": "toaster", "q": "x" * 201},
    {"nonsense": "1", "q": "004"},
]


def load(schema: ma.Schema, sent: dict[str, Any]) -> Any:
    try:
        return schema.load(sent, unknown=ma.RAISE)
    except ma.ValidationError as error:
        return ("refused", error.messages)


@pytest.mark.parametrize("sent", SENT, ids=lambda sent: "&".join(sent) or "nothing")
def test_the_narrowed_schema_loads_and_refuses_as_the_whole(sent: dict[str, Any]) -> None:
    whole = DEVICES.list_args
    assert load(narrowed(whole, frozenset(sent)), sent) == load(whole, sent)


def test_only_the_fields_sent_and_those_with_a_default_are_visited() -> None:
    fields = narrowed(DEVICES.list_args, frozenset({"q"})).load_fields
    assert set(fields) == {"q", "limit", "offset", "brief"}


def test_an_unknown_parameter_keeps_the_whole_schema_to_name_it() -> None:
    whole = DEVICES.list_args
    assert narrowed(whole, frozenset({"nonsense"})) is whole
