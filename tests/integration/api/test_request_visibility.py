"""A requester sees only their agency's requests, in the API as in the UI (issue 18):
the list, a filter naming another agency, a detail, the change log, the UI list and the
dashboard."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from cmdb.choices import Role
from cmdb.models import Agency, ResourceRequest, User
from tests.integration.api.conftest import portal, token_for
from tests.integration.api.writes import demo_copy_app
from web.db import get_db


@pytest.fixture(scope="module")
def demo_app(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with demo_copy_app(demo_db_file, tmp_path_factory.mktemp("visibility")) as app:
        yield app


def requests_by_agency(app: Flask) -> dict[int | None, set[int]]:
    with app.app_context(), get_db().sessions() as session:
        rows = session.execute(sa.select(ResourceRequest.agency_id, ResourceRequest.id))
        by_agency: dict[int | None, set[int]] = {}
        for agency_id, request_id in rows:
            by_agency.setdefault(agency_id, set()).add(request_id)
        return by_agency


@pytest.fixture(scope="module")
def two_agencies(demo_app: Flask) -> tuple[int, int]:
    """An agency with requests and another one with requests too."""
    held = {a: ids for a, ids in requests_by_agency(demo_app).items() if a is not None}
    busiest = sorted(held.items(), key=lambda kv: -len(kv[1]))
    assert len(busiest) >= 2, "the demo should hold requests of several agencies"
    return busiest[0][0], busiest[1][0]


def api_client(app: Flask, key: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Token {key}"
    return client


def requester_of(app: Flask, agency_id: int, name: str) -> tuple[str, int]:
    """A requester's token key and user id."""
    with app.app_context(), get_db().sessions() as session:
        agency = session.get_one(Agency, agency_id)
        short = agency.short_name or agency.name
    key = token_for(app, Role.REQUESTER, name, agency=short)
    with app.app_context(), get_db().sessions() as session:
        user_id = session.scalar(sa.select(User.id).where(User.username == name))
    assert user_id is not None
    return key, user_id


def test_the_api_list_holds_only_the_requesters_agency(
    demo_app: Flask, two_agencies: tuple[int, int]
) -> None:
    own, other = two_agencies
    key, _ = requester_of(demo_app, own, "req-list")
    client = api_client(demo_app, key)

    body = client.get("/api/v1/requests/?limit=1000").get_json()
    expected = requests_by_agency(demo_app)[own]
    assert {r["id"] for r in body["results"]} == expected
    assert body["count"] == len(expected)
    assert {r["agency"]["id"] for r in body["results"]} == {own}

    named = client.get(f"/api/v1/requests/?agency_id={other}").get_json()
    assert named["count"] == 0 and named["results"] == []  # a filter does not widen it
    planner = api_client(demo_app, token_for(demo_app, Role.PLANNER))
    everyone = planner.get("/api/v1/requests/?limit=1000").get_json()
    assert everyone["count"] == sum(len(ids) for ids in requests_by_agency(demo_app).values())


def test_the_api_detail_of_another_agencys_request_is_refused_like_the_ui(
    demo_app: Flask, two_agencies: tuple[int, int]
) -> None:
    own, other = two_agencies
    key, user_id = requester_of(demo_app, own, "req-detail")
    theirs = min(requests_by_agency(demo_app)[other])
    mine = min(requests_by_agency(demo_app)[own])
    api = api_client(demo_app, key)

    refused = api.get(f"/api/v1/requests/{theirs}")
    assert refused.status_code == 403
    assert "agency" in refused.get_json()["message"]
    assert str(theirs) not in refused.get_data(as_text=True)  # nothing of it is shown
    assert api.get(f"/api/v1/requests/{mine}").status_code == 200

    ui = demo_app.test_client()
    with ui.session_transaction() as session:
        session["user_id"] = user_id
    assert ui.get(f"/requests/{theirs}").status_code == 403  # the same answer
    assert ui.get(f"/requests/{mine}").status_code == 200


def test_the_ui_list_and_the_dashboard_name_only_the_agencys_requests(
    demo_app: Flask, two_agencies: tuple[int, int]
) -> None:
    own, _ = two_agencies
    _, user_id = requester_of(demo_app, own, "req-pages")
    client = demo_app.test_client()
    with client.session_transaction() as session:
        session["user_id"] = user_id
    visible = requests_by_agency(demo_app)[own]
    listed = set(map(int, re.findall(r'href="/requests/(\d+)"', client.get("/requests/").text)))
    assert listed and listed <= visible
    dashboard = client.get("/").text
    linked = set(map(int, re.findall(r'href="/requests/(\d+)"', dashboard)))
    assert linked <= visible


def test_the_change_log_keeps_other_agencies_requests_from_a_requester(
    demo_app: Flask, two_agencies: tuple[int, int]
) -> None:
    own, other = two_agencies
    key, user_id = requester_of(demo_app, own, "req-changes")
    planner = api_client(demo_app, token_for(demo_app, Role.PLANNER, "planner-changes"))
    filed = {}
    for agency_id in (own, other):  # filed by a planner: the change log names each
        with demo_app.app_context(), get_db().sessions() as session:
            short = session.get_one(Agency, agency_id).short_name
        answer = planner.post("/api/v1/requests/", json=portal(agency=short))
        assert answer.status_code == 201, answer.get_json()
        filed[agency_id] = answer.get_json()["id"]
    about = "/api/v1/changes/?object_type=resource_request&limit=1000"
    logged = {c["object_id"]: c["id"] for c in planner.get(about).get_json()["results"]}
    assert set(filed.values()) <= set(logged)

    client = api_client(demo_app, key)
    seen = {c["object_id"] for c in client.get(about).get_json()["results"]}
    assert filed[own] in seen and filed[other] not in seen
    assert seen <= requests_by_agency(demo_app)[own]
    assert client.get(f"/api/v1/changes/{logged[filed[other]]}").status_code == 403
    assert client.get(f"/api/v1/changes/{logged[filed[own]]}").status_code == 200
    assert client.get("/api/v1/sites/?limit=1").status_code == 200  # the rest is all readable

    ui = demo_app.test_client()  # the UI's change log, its count and its export: the same
    with ui.session_transaction() as session:
        session["user_id"] = user_id
    exported = ui.get("/changes/?object_type=resource_request&export=json").get_json()
    assert {c["object_id"] for c in exported} == seen
    page = ui.get("/changes/?object_type=resource_request").text
    assert re.search(rf'id="list-total"[^>]*>{len(exported)}</span>', page)
