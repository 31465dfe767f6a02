"""Planners keep the administrative tree through the API (issue 21): create and edit units
under the tree's rules — a province has no parent, the others a parent of a higher level
(which also rules out cycles), a code unique among the units in force — each a 400 or
409 on its field with nothing written, and every write in the change log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from cmdb.choices import Role
from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.models import AdminUnit, ChangeLog
from cmdb.services.tokens import create_token
from cmdb.services.users import create_user
from tests.databases import migrated_sqlite_url
from web import create_app
from web.db import get_db

URL = "/api/v1/admin-units/"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    """A fresh install: the province alone."""
    url = migrated_sqlite_url(tmp_path / "tree.db")
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        session.add(AdminUnit(code="49", name="Quảng Nam", level="province", kind="Tỉnh"))
    engine.dispose()
    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": url, "SECRET_KEY": "test"})
    yield app
    with app.app_context():
        get_db().engine.dispose()


def client_of(app: Flask, role: Role) -> FlaskClient:
    with app.app_context(), transaction(get_db().sessions) as session:
        key = create_token(session, create_user(session, f"tree-{role.value}", role))[1]
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Token {key}"
    return client


def counts(app: Flask) -> tuple[int, int]:
    with app.app_context(), get_db().sessions() as session:
        count = sa.select(sa.func.count()).select_from
        return session.scalar(count(AdminUnit)) or 0, session.scalar(count(ChangeLog)) or 0


def unit(**changes: Any) -> dict[str, Any]:
    return {"code": "502", "name": "Thành phố Tam Kỳ", "level": "district", "kind": "Thành phố",
            "parent_id": 1} | changes  # fmt: skip


def refused(client: FlaskClient, app: Flask, method: str, path: str, body: Any, status: int):
    before = counts(app)
    response = client.open(path, method=method, json=body)
    assert response.status_code == status, response.get_json()
    assert counts(app) == before
    return response.get_json()["errors"]


def test_a_planner_builds_a_branch_of_the_tree(app: Flask) -> None:
    planner = client_of(app, Role.PLANNER)
    district = planner.post(URL, json=unit())
    assert district.status_code == 201, district.get_json()
    district_id = district.get_json()["id"]
    commune = planner.post(
        URL, json=unit(code="20335", name="Phường Tân Thạnh", level="commune", kind="Phường",
                       parent_id=district_id),
    )  # fmt: skip
    assert commune.status_code == 201, commune.get_json()
    assert commune.get_json()["parent"]["id"] == district_id

    renamed = planner.patch(f"{URL}{district_id}", json={"name": "TP Tam Kỳ"})
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "TP Tam Kỳ"
    with app.app_context(), get_db().sessions() as session:
        logged = session.scalars(
            sa.select(ChangeLog.action)
            .where(ChangeLog.object_type == "admin_unit")
            .order_by(ChangeLog.id)
        ).all()
    assert [a.value for a in logged] == ["create", "create", "update"]


def test_the_trees_rules_are_400s_on_their_fields(app: Flask) -> None:
    planner = client_of(app, Role.PLANNER)
    district_id = planner.post(URL, json=unit()).get_json()["id"]
    commune = unit(code="20335", level="commune", kind="Phường", parent_id=district_id)
    commune_id = planner.post(URL, json=commune).get_json()["id"]

    assert "parent_id" in refused(planner, app, "POST", URL, unit(parent_id=None), 400)
    province = unit(code="48", level="province", kind="Tỉnh", parent_id=1)
    assert refused(planner, app, "POST", URL, province, 400) == {
        "parent_id": ["a province has no parent"]
    }
    under_commune = unit(code="503", parent_id=commune_id)
    assert refused(planner, app, "POST", URL, under_commune, 400) == {
        "parent_id": [f"unit {commune_id} is a commune: it cannot contain a district"]
    }
    assert "code" in refused(planner, app, "POST", URL, unit(code="50 2"), 400)
    assert "parent_id" in refused(planner, app, "POST", URL, unit(parent_id=999), 400)
    own = f"{URL}{district_id}"
    assert refused(planner, app, "PATCH", own, {"parent_id": district_id}, 400) == {
        "parent_id": ["a unit cannot be its own parent"]
    }
    assert refused(planner, app, "PATCH", own, {"level": "commune"}, 400) == {
        "level": ["it contains units of level commune: a commune cannot"]
    }
    assert "successor_id" in refused(planner, app, "PATCH", own, {"successor_id": district_id}, 400)


def test_a_code_is_unique_among_the_units_in_force(app: Flask) -> None:
    planner = client_of(app, Role.PLANNER)
    first = planner.post(URL, json=unit()).get_json()["id"]

    errors = refused(planner, app, "POST", URL, unit(name="Another"), 409)
    assert list(errors) == ["code"]
    # A reform dissolves the first; its code may then be given to a new unit.
    ended = planner.patch(f"{URL}{first}", json={"valid_to": "2025-07-01"})
    assert ended.status_code == 200, ended.get_json()
    again = planner.post(URL, json=unit(name="Thành phố Tam Kỳ (mới)", valid_from="2025-07-01"))
    assert again.status_code == 201, again.get_json()


def test_a_unit_with_children_is_not_deleted(app: Flask) -> None:
    planner = client_of(app, Role.PLANNER)
    district_id = planner.post(URL, json=unit()).get_json()["id"]
    planner.post(
        URL, json=unit(code="20335", level="commune", kind="Phường", parent_id=district_id)
    )
    refused(planner, app, "DELETE", f"{URL}{district_id}", None, 409)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ENGINEER])
def test_only_planners_and_admins_keep_the_tree(app: Flask, role: Role) -> None:
    refused(client_of(app, role), app, "POST", URL, unit(), 403)
