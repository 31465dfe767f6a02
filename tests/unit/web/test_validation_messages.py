"""Validation messages in Vietnamese: every message marshmallow writes for the write
schemas' fields is found in the table, with its values carried over."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from marshmallow import ValidationError, fields, validate

from web import create_app
from web.validation_messages import translate_errors, translate_message


@pytest.fixture
def app() -> Flask:
    return create_app({"CMDB_DATABASE_URL": "sqlite://", "SECRET_KEY": "test"})


@pytest.fixture
def vietnamese(app: Flask) -> Iterator[None]:
    with app.test_request_context(headers={"Accept-Language": "vi"}):
        yield


def marshmallow_says(field: fields.Field, value: object) -> str:
    """The message marshmallow itself gives for ``value`` (its own wording)."""
    try:
        field.deserialize(value)
    except ValidationError as error:
        messages = error.messages
        assert isinstance(messages, list)
        return str(messages[0])
    raise AssertionError(f"{value!r} was accepted")


CASES = [
    (fields.Integer(strict=True), "x", "Không phải số nguyên hợp lệ."),
    (fields.Float(), "x", "Không phải số hợp lệ."),
    (
        fields.Float(allow_nan=False),
        float("nan"),
        "Không chấp nhận giá trị số đặc biệt (nan hoặc vô cực).",
    ),
    (fields.String(), 5, "Không phải chuỗi ký tự hợp lệ."),
    (fields.Boolean(), "perhaps", "Không phải giá trị đúng/sai hợp lệ."),
    (fields.List(fields.String()), "x", "Không phải danh sách hợp lệ."),
    (fields.Integer(allow_none=False), None, "Trường này không được để trống."),
    (
        fields.Integer(validate=validate.Range(1, 60)),
        0,
        "Phải lớn hơn hoặc bằng 1 và nhỏ hơn hoặc bằng 60.",
    ),
    (fields.Float(validate=validate.Range(0)), -1, "Phải lớn hơn hoặc bằng 0."),
    (fields.Float(validate=validate.Range(0, min_inclusive=False)), 0, "Phải lớn hơn 0."),
    (
        fields.Float(validate=validate.Range(0, 100, min_inclusive=False)),
        101,
        "Phải lớn hơn 0 và nhỏ hơn hoặc bằng 100.",
    ),
    (fields.String(validate=validate.Length(1, 60)), "", "Độ dài phải từ 1 đến 60 ký tự."),
    (fields.String(validate=validate.Length(max=3)), "abcd", "Dài quá độ dài tối đa 3."),
    (
        fields.String(validate=validate.OneOf(["a", "b"])),
        "c",
        "Phải là một trong các giá trị: a, b.",
    ),
]


@pytest.mark.parametrize(("field", "value", "expected"), CASES)
@pytest.mark.usefixtures("vietnamese")
def test_marshmallows_messages_are_translated(
    field: fields.Field, value: object, expected: str
) -> None:
    assert translate_message(marshmallow_says(field, value)) == expected


@pytest.mark.usefixtures("vietnamese")
def test_table_names_and_unknown_messages() -> None:
    assert translate_message("no storage_pool with id 7") == "không có vùng lưu trữ nào có id 7"
    assert translate_message("something nobody wrote a template for") == (
        "something nobody wrote a template for"
    )
    assert translate_errors({"a": ["Unknown field."]}) == {"a": ["Trường không xác định."]}


@pytest.mark.usefixtures("vietnamese")
def test_a_blocker_of_a_record_that_goes_with_another_is_translated_inside_too() -> None:
    message = "interface 12 goes with it: 1 time series with their samples"
    assert (
        translate_message(message) == "cổng mạng 12 (bị xoá theo): 1 chuỗi số liệu cùng các mẫu đo"
    )


@pytest.mark.usefixtures("vietnamese")
def test_a_blocked_deletions_headline_is_translated_table_by_table() -> None:
    message = (
        "site 4 is still referenced (cluster: 2 rows refer to it by site_id; "
        "link: 1 link(s) inside one site end on it (such a link needs both interfaces))"
    )
    assert translate_message(message) == (
        "địa điểm 4 vẫn đang được tham chiếu (cụm máy chủ: 2 bản ghi tham chiếu đến nó qua "
        "trường site_id; đường truyền: 1 đường truyền trong cùng một địa điểm nối vào nó "
        "(đường truyền như vậy cần đủ hai cổng mạng))"
    )


def test_english_is_left_as_written(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert translate_message("Missing data for required field.") == (
            "Missing data for required field."
        )
        assert translate_message("no storage_pool with id 7") == "no storage_pool with id 7"
