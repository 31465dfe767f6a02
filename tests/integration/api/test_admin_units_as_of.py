"""``/api/v1/admin-units/?as_of=D`` lists the units in force on D (issue 9): a reform
dissolves units on its effective date and the tree before it stays readable."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from cmdb.models import AdminUnit
from web.db import get_db

REFORM = date(2025, 7, 1)


def _dissolve_district(app: Flask, code: str) -> None:
    with app.app_context(), get_db().sessions() as session:
        session.execute(sa.update(AdminUnit).where(AdminUnit.code == code).values(valid_to=REFORM))
        session.commit()


def _codes(client: FlaskClient, as_of: str) -> set[str]:
    response = client.get(f"/api/v1/admin-units/?as_of={as_of}&limit=1000")
    assert response.status_code == 200, response.get_json()
    return {unit["code"] for unit in response.get_json()["results"]}


def test_a_dissolved_unit_is_listed_before_its_end_and_not_after(
    app: Flask, client: FlaskClient
) -> None:
    _dissolve_district(app, "519")  # Huyện Nông Sơn
    before, after = _codes(client, "2025-06-30"), _codes(client, "2025-07-01")
    assert "519" in before and "519" not in after
    assert before - after == {"519"}
    assert len(before) == 260


def test_without_as_of_every_unit_is_listed(app: Flask, client: FlaskClient) -> None:
    _dissolve_district(app, "519")
    assert client.get("/api/v1/admin-units/?limit=1").get_json()["count"] == 260


def test_a_bad_date_is_a_400_naming_the_parameter(client: FlaskClient) -> None:
    response = client.get("/api/v1/admin-units/?as_of=30-06-2025")
    assert response.status_code == 400
    assert "as_of" in response.get_json()["errors"]


def test_resources_without_dates_refuse_as_of(client: FlaskClient) -> None:
    assert client.get("/api/v1/sites/?as_of=2025-06-30").status_code == 400
