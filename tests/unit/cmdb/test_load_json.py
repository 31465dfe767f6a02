"""``cmdb.db.load_json`` reads every JSON text as ``json.loads`` does, orjson or not."""

from __future__ import annotations

import json
import math

import pytest

from cmdb.db import load_json

TEXTS = [
    '["core", "dc-a"]',
    "[]",
    '{"a": 1, "a": 2}',
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775809",
    "123456789012345678901234567890",
    '{"n": [1, 12345678901234567890123]}',
    '"1234567890123456789012"',
    "0.1",
    "-0.0",
    "1.0000000000000000000001",
    "0.0012122726916707904",  # 19 digits after the point: a fraction, read by orjson
    "[2816.1650833755293, 0.00000000000000000000123456789, -12345678901234567890.5]",
    "2.5e-324",
    "1e-400",
    "1e400",
    "-1e400",
    "NaN",
    "Infinity",
    '"\\ud800"',
    '"Quảng Nam"',
    '"\\u0051u\\u1ea3ng"',
    " [1, 2] ",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("kind", [str, bytes], ids=["str", "bytes"])
def test_load_json_reads_as_the_standard_library(text: str, kind: type) -> None:
    given = text if kind is str else text.encode()
    expected, got = json.loads(given), load_json(given)
    assert repr(got) == repr(expected) or (math.isnan(got) and math.isnan(expected))
    assert type(got) is type(expected)


def test_bytes_with_a_byte_order_mark_read_as_the_standard_library() -> None:
    text = '["a"]'.encode("utf-8-sig")
    assert load_json(text) == json.loads(text) == ["a"]


def test_invalid_json_still_fails() -> None:
    with pytest.raises(ValueError):
        load_json("[1,")
