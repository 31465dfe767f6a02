"""Each cheap writer of a list row writes exactly what its schema field would."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from marshmallow import fields

from cmdb.choices import DeviceRole, Status
from web.api.row_values import writer
from web.api.schemas.fields import FiniteFloat, UtcDateTime

ICT = timezone(timedelta(hours=7))
CASES: list[tuple[fields.Field, list[Any]]] = [
    (fields.Enum(DeviceRole, by_value=True), [None, *DeviceRole]),
    (fields.Enum(Status, by_value=True), [None, *Status]),
    (fields.Enum(Status), [None, *Status]),  # by name: the field is asked
    (
        UtcDateTime(),
        [
            None,
            datetime(2026, 11, 27, 14, 5, 9),  # naive, as SQLite hands it back
            datetime(2026, 11, 27, 14, 5, 9, 123456, tzinfo=UTC),
            datetime(2026, 11, 27, 21, 5, 9, tzinfo=ICT),
        ],
    ),
    (UtcDateTime(format="%Y"), [None, datetime(2026, 1, 1, tzinfo=UTC)]),
    (FiniteFloat(), [None, 0, 1.5, 7, math.nan, math.inf, -math.inf]),
    (fields.Date(), [None, datetime(2026, 1, 2).date()]),
]


def case_id(case: Any) -> str:
    return type(case).__name__ if isinstance(case, fields.Field) else ""


@pytest.mark.parametrize(("field", "values"), CASES, ids=case_id)
def test_the_writer_writes_what_the_field_serializes(
    field: fields.Field, values: list[Any]
) -> None:
    write = writer(field)
    for value in values:
        expected = field._serialize(value, None, None)
        assert write(value) == expected, value
        assert type(write(value)) is type(expected), value
