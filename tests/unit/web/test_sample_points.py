"""The hand-written sample parser and the schema that documents it give the same verdicts.

``parse_points`` exists for speed; the OpenAPI document shows ``SamplePointSchema``.
For every case here both must accept, or both refuse on the same fields.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import marshmallow as ma
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmdb.choices import Metric, ResourceKind
from web.api.schemas.samples import SamplePointSchema, parse_points

KEY = {"resource_type": "link", "resource_id": 3, "metric": "in_mbps"}
GOOD = {"series": 7, "at": "2026-01-15T08:00:00+07:00", "value": 12.5}
CASES: list[Any] = [
    GOOD,
    {**GOOD, "series": KEY},
    {**GOOD, "at": "2026-01-15T01:00:00Z"},
    {**GOOD, "value": 0},
    {**GOOD, "value": -1},
    {**GOOD, "value": 1e300},
    {**GOOD, "value": 1e9},
    {**GOOD, "at": "0001-01-01T00:00:00+14:00"},
    {**GOOD, "at": "9999-12-31T23:59:59-14:00"},
    {**GOOD, "at": "1999-12-31T23:59:59Z"},
    {**GOOD, "at": "2099-12-31T23:59:59Z"},
    {**GOOD, "value": "12"},
    {**GOOD, "value": True},
    {**GOOD, "value": None},
    {**GOOD, "at": "2026-01-15T08:00:00"},
    {**GOOD, "at": "yesterday"},
    {**GOOD, "at": 1736900000},
    {**GOOD, "series": 0},
    {**GOOD, "series": "7"},
    {**GOOD, "series": True},
    {**GOOD, "series": {**KEY, "metric": "colour"}},
    {**GOOD, "series": {"resource_type": "link"}},
    {**GOOD, "series": {**KEY, "extra": 1}},
    {**GOOD, "colour": "blue"},
    {"series": 7},
    {},
    [GOOD],
    "point",
]


def schema_fields(item: Any) -> set[str]:
    try:
        SamplePointSchema().load(item)
    except ma.ValidationError as error:
        messages = error.normalized_messages()
        return {
            f"{k}.{inner}" if isinstance(v, dict) else k
            for k, v in messages.items()
            for inner in (v if isinstance(v, dict) else [None])
        }
    return set()


def parser_fields(item: Any) -> set[str]:
    _, errors = parse_points([item])
    return {key.removeprefix("[0]").lstrip(".") or "_schema" for key in errors}


@pytest.mark.parametrize("item", CASES, ids=[repr(c)[:60] for c in CASES])
def test_the_parser_refuses_what_the_schema_refuses(item: Any) -> None:
    assert parser_fields(item) == schema_fields(item)


def test_a_good_point_parses_to_the_same_values() -> None:
    points, errors = parse_points([GOOD, {**GOOD, "series": KEY}])
    assert errors == {}
    assert points[0] == SamplePointSchema().load(GOOD)
    assert points[1].series == (ResourceKind.LINK, 3, Metric.IN_MBPS)
    assert points[0].at.astimezone(UTC) == datetime(2026, 1, 15, 1, tzinfo=UTC)


@given(
    st.dictionaries(
        st.sampled_from(["series", "at", "value", "other"]),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(-5, 10**20),
            st.floats(allow_nan=True, allow_infinity=True),
            st.sampled_from(["2026-01-15T08:00:00+07:00", "2026-01-15T08:00:00", "x", "7"]),
            st.just(KEY),
        ),
    )
)
def test_any_point_gets_the_same_verdict(item: dict[str, Any]) -> None:
    assert parser_fields(item) == schema_fields(item)
