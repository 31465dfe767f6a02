"""The app's JSON (orjson) reads back as what the standard library wrote."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import pytest
from flask import Flask
from flask.json.provider import DefaultJSONProvider

from web.json_provider import OrjsonProvider


class Colour(StrEnum):
    RED = "red"


@dataclass
class Point:
    x: int
    label: str


VALUES: list[Any] = [
    {"b": 1, "a": [1.5, None, True, "Tỉnh Quảng Nam"], "c": {"z": 0, "y": -2}},
    {"when": datetime(2026, 11, 27, 14, 5, tzinfo=UTC), "day": date(2026, 1, 15)},
    {"amount": Decimal("12.50"), "colour": Colour.RED, "point": Point(3, "x")},
    {1: "int key", 2: "another"},
    [2**70, "past 64 bits"],
]


@pytest.fixture
def providers() -> tuple[OrjsonProvider, DefaultJSONProvider]:
    app = Flask(__name__)
    return OrjsonProvider(app), DefaultJSONProvider(app)


@pytest.mark.parametrize("value", VALUES)
def test_the_same_document_as_the_standard_library(
    providers: tuple[OrjsonProvider, DefaultJSONProvider], value: Any
) -> None:
    fast, standard = providers
    assert json.loads(fast.dumps(value)) == json.loads(standard.dumps(value))


def test_keys_sorted_compact_and_text_unescaped(
    providers: tuple[OrjsonProvider, DefaultJSONProvider],
) -> None:
    fast, _ = providers
    assert fast.dumps({"b": "Đà Nẵng", "a": 1}) == '{"a":1,"b":"Đà Nẵng"}'
    assert fast.dumps({"a": [1]}, indent=2) == '{\n  "a": [\n    1\n  ]\n}'


def test_no_invalid_tokens_for_non_finite_numbers(
    providers: tuple[OrjsonProvider, DefaultJSONProvider],
) -> None:
    fast, _ = providers
    assert json.loads(fast.dumps([math.nan, math.inf])) == [None, None]


def test_an_unknown_type_is_still_a_type_error(
    providers: tuple[OrjsonProvider, DefaultJSONProvider],
) -> None:
    fast, _ = providers
    with pytest.raises(TypeError):
        fast.dumps({"x": object()})
