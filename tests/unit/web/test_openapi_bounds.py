"""The OpenAPI document states every bound the server checks (issue 18).

What a client may send — every query parameter and every request body — has each
number bounded on both sides, open bounds marked exclusive, ids within the INTEGER
range and free text under the pattern that refuses NUL and lone surrogates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from cmdb.bounds import MAX_ID
from web import create_app
from web.input_limits import FORBIDDEN_TEXT, TEXT_PATTERN


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    app = create_app({"CMDB_DATABASE_URL": "sqlite://", "SECRET_KEY": "openapi"})
    return app.test_client().get("/api/v1/openapi.json").get_json()


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def inputs(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, schema) of every value a client sends: parameters and body properties."""
    for path, item in document["paths"].items():
        for parameter in item.get("parameters", []):
            yield f"{path} {parameter['name']}", parameter["schema"]
        for method, operation in operations(item):
            for parameter in operation.get("parameters", []):
                yield f"{method} {path} {parameter['name']}", parameter["schema"]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                yield from _walk(document, body["schema"], f"{method} {path} body", set())


def operations(item: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    return ((method, op) for method, op in item.items() if method != "parameters")


def _walk(
    document: dict[str, Any], schema: dict[str, Any], where: str, seen: set[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    ref = schema.get("$ref")
    if ref in seen:
        return
    seen = seen | {ref} if ref else seen
    schema = resolve(document, schema)
    yield where, schema
    for name, inner in schema.get("properties", {}).items():
        yield from _walk(document, inner, f"{where}.{name}", seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _walk(document, schema[key], f"{where}[]", seen)
    for key in ("oneOf", "anyOf", "allOf"):
        for inner in schema.get(key, []):
            yield from _walk(document, inner, where, seen)


PAGING = {"limit", "offset"}


def test_every_number_a_client_sends_is_bounded_on_both_sides(document: dict[str, Any]) -> None:
    unbounded = [
        where
        for where, schema in inputs(document)
        if schema.get("type") in {"number", "integer"}
        and "enum" not in schema
        and not ("minimum" in schema and "maximum" in schema)
        and where.rsplit(" ", 1)[-1] not in PAGING | {"brief"}
    ]
    # Filters compare with what is stored; their range is the column's (integers) or any
    # finite number (floats): a filter stores nothing.
    unbounded = [w for w in unbounded if " body" in w or "id" in w.rsplit(" ", 1)[-1]]
    assert unbounded == []


def test_ids_in_paths_stop_at_the_integer_range(document: dict[str, Any]) -> None:
    ids = [
        parameter["schema"]
        for item in document["paths"].values()
        for parameter in item.get("parameters", [])  # a path's own, shared by its operations
        if parameter["in"] == "path" and parameter["schema"]["type"] == "integer"
    ]
    assert ids and all(schema["maximum"] == MAX_ID for schema in ids)


def test_names_in_paths_are_their_choices(document: dict[str, Any]) -> None:
    """A path that names a choice (a network) documents every value it takes."""
    names = [
        parameter["schema"]
        for item in document["paths"].values()
        for parameter in item.get("parameters", [])
        if parameter["in"] == "path" and parameter["schema"]["type"] != "integer"
    ]
    assert names == [{"type": "string", "enum": ["internet", "tslcd", "wan", "man", "lan"]}]


def test_a_ceiling_is_a_percent_above_one(document: dict[str, Any]) -> None:
    ceiling = resolve(document, {"$ref": "#/components/schemas/ClusterWrite"})["properties"][
        "ceiling_pct"
    ]
    assert (ceiling["minimum"], ceiling["exclusiveMinimum"], ceiling["maximum"]) == (1, True, 100)


def test_open_ranges_are_marked_exclusive(document: dict[str, Any]) -> None:
    ram = resolve(document, {"$ref": "#/components/schemas/WorkloadWrite"})["properties"]["ram_gb"]
    assert (ram["minimum"], ram.get("exclusiveMinimum")) == (0, True)


def test_free_text_carries_the_pattern_that_refuses_nul(document: dict[str, Any]) -> None:
    texts = [
        (where, schema)
        for where, schema in inputs(document)
        if schema.get("type") == "string" and "enum" not in schema and "format" not in schema
    ]
    assert texts
    assert [where for where, schema in texts if "pattern" not in schema] == []
    assert all(
        re.search(schema["pattern"], "Sở Nội vụ") and not re.search(schema["pattern"], "a\x00b")
        for _, schema in texts
        if schema["pattern"] == TEXT_PATTERN
    )
    assert FORBIDDEN_TEXT.search("\ud800") and not re.search(TEXT_PATTERN, "\ud800")
