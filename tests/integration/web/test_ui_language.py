"""Vietnamese and English: the header's switch, the user's remembered choice, and
numbers and dates written the way each language writes them."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.models import ResourceRequest, User
from tests.databases import migrated_sqlite_url
from tests.integration.web.test_ui_pages import PAGE_IDS, PAGES
from tests.integration.web.ui_world import PASSWORD, TODAY, World, build_world
from web import create_app
from web.db import get_session


@pytest.fixture(scope="module")
def world_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, World]]:
    url = migrated_sqlite_url(tmp_path_factory.mktemp("lang") / "lang.db")
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        world = build_world(session)
    engine.dispose()
    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": url, "SECRET_KEY": "test",
                      "CMDB_TODAY": TODAY.isoformat(), "CMDB_ANONYMOUS_READ": True})  # fmt: skip
    yield app, world


def csrf(client: FlaskClient, path: str = "/login") -> str:
    found = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get(path, follow_redirects=True).text
    )
    assert found
    return found.group(1)


def client_in(app: Flask, language: str) -> FlaskClient:
    """A client whose browser asks for ``language``."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def html_lang(html: str) -> str:
    found = re.search(r'<html lang="(\w+)">', html)
    assert found
    return found.group(1)


#: A few strings of each page in Vietnamese (the catalogue is web/translations/vi).
VIETNAMESE = {
    "dashboard": "Đường truyền cấp huyện, xã gần bão hoà nhất",
    "sites": "Địa điểm",
    "cluster": "vCPU đã cấp phát",
    "link": "Lưu lượng (p95 hằng ngày, chiều tải cao hơn)",
    "device": "Thông số kỹ thuật",
}


@pytest.mark.parametrize(("name", "url", "text"), PAGES, ids=PAGE_IDS)
def test_every_page_speaks_vietnamese_by_default(
    world_app: tuple[Flask, World], name: str, url, text: str
) -> None:
    app, world = world_app
    html = app.test_client().get(url(world)).text  # no Accept-Language: the default, vi
    assert html_lang(html) == "vi"
    assert "Đăng nhập" in html and "Bảng điều khiển" in html
    if name in VIETNAMESE:
        assert VIETNAMESE[name] in html
    for english in (">Dashboard<", ">Log in<", ">Devices<", ">Sites<"):
        assert english not in html


def test_the_browser_language_is_used_until_the_user_picks_one(
    world_app: tuple[Flask, World],
) -> None:
    app, _ = world_app
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    assert html_lang(client.get("/sites/").text) == "en"

    token = csrf(client, "/sites/")
    response = client.post("/language", data={"lang": "vi", "next": "/sites/?kind=pop",
                                              "csrf_token": token})  # fmt: skip
    assert response.status_code == 302
    assert response.headers["Location"] == "/sites/?kind=pop"
    html = client.get("/sites/").text
    assert html_lang(html) == "vi" and "Địa điểm" in html


def test_the_switch_refuses_a_foreign_form_an_unknown_language_and_other_hosts(
    world_app: tuple[Flask, World],
) -> None:
    app, _ = world_app
    client = app.test_client()
    assert client.post("/language", data={"lang": "en", "next": "/"}).status_code == 400
    token = csrf(client)
    assert client.post("/language", data={"lang": "fr", "csrf_token": token}).status_code == 400
    response = client.post("/language", data={"lang": "en", "next": "//evil.example/",
                                              "csrf_token": token})  # fmt: skip
    assert response.headers["Location"] == "/"


def test_a_logged_in_users_choice_is_stored_and_follows_them(
    world_app: tuple[Flask, World],
) -> None:
    app, world = world_app
    first = app.test_client()
    token = csrf(first)
    assert first.post("/login", data={"username": "u-engineer", "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302  # fmt: skip
    first.post("/language", data={"lang": "en", "next": "/", "csrf_token": csrf(first, "/")})
    with app.app_context():
        assert get_session().get(User, world.users["engineer"]).language == "en"

    other = app.test_client()  # another browser, which prefers Vietnamese
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "vi"
    other.post("/login", data={"username": "u-engineer", "password": PASSWORD,
                               "csrf_token": csrf(other)})  # fmt: skip
    html = other.get("/").text
    assert html_lang(html) == "en" and "Dashboard" in html
    other.post("/logout", data={"csrf_token": csrf(other, "/")})
    assert html_lang(other.get("/login").text) == "en"  # logging out keeps the language


def test_numbers_and_dates_follow_the_language(world_app: tuple[Flask, World]) -> None:
    app, world = world_app
    client = app.test_client()
    device = f"/devices/{world.device}"
    link = f"/links/{world.link}"
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "vi"
    assert "1.000 Mbps" in client.get(link).text  # the commit rate, grouped with a dot
    assert "ghi nhận lúc 15:00 10/01/2026" in client.get(device).text
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert "1,000 Mbps" in client.get(link).text
    assert "at 10 Jan 2026 15:00" in client.get(device).text


def test_one_language_does_not_leak_into_the_next_page(world_app: tuple[Flask, World]) -> None:
    """Names of stored values (statuses, roles) follow each page's language, even after a
    page in the other language was rendered first by the same app."""
    app, world = world_app
    url = f"/clusters/{world.cluster}"
    vi, en = app.test_client(), app.test_client()
    vi.environ_base["HTTP_ACCEPT_LANGUAGE"] = "vi"
    en.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert "Đang hoạt động" in vi.get(url).text and "Máy chủ" in vi.get(url).text
    english = en.get(url).text
    assert ">Active<" in english and ">Server<" in english
    assert "Đang hoạt động" not in english and "Máy chủ" not in english


def test_vietnamese_pages_write_dates_day_first_and_numbers_with_dot_groups(
    world_app: tuple[Flask, World],
) -> None:
    app, world = world_app
    client = client_in(app, "en")
    assert "15 Jan 2026" in client.get("/").text
    switched = client.post(
        "/language", data={"lang": "vi", "next": "/", "csrf_token": csrf(client)}
    )
    assert switched.status_code == 302  # the header's switch, as a user clicks it
    dashboard = client.get("/").text
    requests = client.get("/requests/").text
    request_page = client.get(f"/requests/{world.request}").text
    link = client.get(f"/links/{world.link}").text

    assert "15/01/2026" in dashboard  # CMDB_TODAY, in the heading's "as of"
    assert "2026-01-15" not in requests and "15/01/2026" in requests  # go-live
    assert "5 năm" in request_page and "years" not in request_page  # the horizon, one form
    assert "1.000 Mbps" in link
    assert re.search(r"\d+ \w+ \d{4}", link) is None  # no English "15 Jan 2026" either


def test_a_one_year_horizon_is_one_year_not_one_years(world_app: tuple[Flask, World]) -> None:
    app, world = world_app
    client = client_in(app, "en")
    with app.app_context():
        session = get_session()
        request = session.get(ResourceRequest, world.request)
        assert request is not None
        request.horizon_years = 1
        session.commit()
        try:
            page = client.get(f"/requests/{world.request}").text
        finally:
            request.horizon_years = 5
            session.commit()

    assert "1 year<" in page and "1 years" not in page


def test_times_are_in_the_dcs_zone_and_say_which(world_app: tuple[Flask, World]) -> None:
    app, world = world_app
    device = f"/devices/{world.device}"
    utc_app = create_app({**app.config, "CMDB_TIMEZONE": "UTC"})
    local, utc = client_in(app, "vi"), client_in(utc_app, "vi")

    assert "15:00 10/01/2026 (GMT+07:00)" in local.get(device).text  # the default zone
    assert "08:00 10/01/2026 (GMT+00:00)" in utc.get(device).text


def test_a_list_filters_errors_are_in_the_pages_language(world_app: tuple[Flask, World]) -> None:
    app, _ = world_app
    client = client_in(app, "vi")

    answer = client.get("/devices/?site_id=abc")

    assert answer.status_code == 400
    assert answer.text.count("Không phải số nguyên hợp lệ.") == 2  # under the field, in the summary
    assert "Not a valid integer." not in answer.text
