"""The API's validation messages: English by default, Vietnamese when the call asks for it
(its Accept-Language, else the language the token's user picked in the UI)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from cmdb.choices import Role
from cmdb.db import transaction
from cmdb.services.preferences import save_language
from cmdb.services.users import get_user
from tests.integration.api.conftest import token_for
from web.db import get_db

BAD_RACK = {"name": "", "u_height": 0, "power_kw": "lots"}
ENGLISH = {
    "site_id": ["Missing data for required field."],
    "name": ["Length must be between 1 and 60."],
    "u_height": ["Must be greater than or equal to 1 and less than or equal to 60."],
    "power_kw": ["Not a valid number."],
}
VIETNAMESE = {
    "site_id": ["Thiếu dữ liệu cho trường bắt buộc."],
    "name": ["Độ dài phải từ 1 đến 60 ký tự."],
    "u_height": ["Phải lớn hơn hoặc bằng 1 và nhỏ hơn hoặc bằng 60."],
    "power_kw": ["Không phải số hợp lệ."],
}


def engineer(app: Flask, username: str, language: str | None = None) -> FlaskClient:
    key = token_for(app, Role.ENGINEER, username)
    if language:
        with app.app_context(), transaction(get_db().sessions) as session:
            user = get_user(session, username)
            save_language(session, user, language)
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Token {key}"
    return client


def test_messages_are_english_unless_the_call_asks_for_vietnamese(app: Flask) -> None:
    client = engineer(app, "lang-default")
    english = client.post("/api/v1/racks/", json=BAD_RACK)
    assert english.status_code == 400
    assert english.get_json()["errors"] == ENGLISH
    assert english.get_json()["message"] == "invalid input"

    vietnamese = client.post("/api/v1/racks/", json=BAD_RACK, headers={"Accept-Language": "vi"})
    assert vietnamese.status_code == 400
    assert vietnamese.get_json()["errors"] == VIETNAMESE
    assert vietnamese.get_json()["message"] == "dữ liệu đầu vào không hợp lệ"


def test_the_users_language_applies_when_the_call_names_none(app: Flask) -> None:
    client = engineer(app, "lang-vi", language="vi")
    assert client.post("/api/v1/racks/", json=BAD_RACK).get_json()["errors"] == VIETNAMESE
    asked = client.post("/api/v1/racks/", json=BAD_RACK, headers={"Accept-Language": "en"})
    assert asked.get_json()["errors"] == ENGLISH


def test_the_use_cases_messages_are_translated_too(app: Flask) -> None:
    client = engineer(app, "lang-refs", language="vi")
    body = {"site_id": 999_999, "name": "R-LANG"}
    response = client.post("/api/v1/racks/", json=body)
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"site_id": ["không có địa điểm nào có id 999999"]}

    site = client.get("/api/v1/sites/?limit=1").get_json()["results"][0]
    body = {
        "name": "x",
        "slug": site["slug"],
        "kind": "pop",
        "admin_unit_id": site["admin_unit"]["id"],
    }
    taken = client.post("/api/v1/sites/", json=body)
    assert taken.status_code == 409
    assert taken.get_json()["errors"]["slug"][0].startswith("đã có địa điểm khác (id ")
