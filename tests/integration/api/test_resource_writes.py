"""Write contract tests generated from the declarations: create, PATCH, DELETE, their errors.

Every resource with a write schema gets the same checks on a copy of the demo:
a create from a stored record's fields (201, the detail view's document, one
change-log entry naming the caller), a required field missing, an unknown
field, a value of the wrong type and one outside its range for every field, an
id that names no record, a taken unique name (409), a PATCH that logs only what
changed, DELETE (204, then 404) and DELETE of a referenced record (409). Every
failure leaves the table and the change log as they were.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import marshmallow as ma
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from marshmallow import fields, validate
from sqlalchemy.orm import Session

from cmdb.choices import Network, Role
from cmdb.db import transaction
from cmdb.models import Device, Interface, Link
from cmdb.services.integrity import may_be_referenced, referrers, unique_groups
from tests.integration.api.conftest import token_for
from tests.integration.api.test_errors import assert_error
from tests.integration.api.writes import (
    WRITABLE,
    copy_body,
    demo_copy_app,
    first_row,
    new_body,
    unchanged,
    unique_text_fields,
)
from web.api.resource import Resource
from web.db import get_db

BY_RESOURCE = [pytest.param(r, id=r.path) for r in WRITABLE]


def write_fields(resource: Resource) -> dict[str, ma.fields.Field]:
    assert resource.write is not None
    return dict(resource.write().fields)


FIELDS = [
    pytest.param(r, name, id=f"{r.path}-{name}") for r in WRITABLE for name in write_fields(r)
]
REFERENCES = [
    pytest.param(r, name, id=f"{r.path}-{name}")
    for r in WRITABLE
    for name in write_fields(r)
    if r.model.__table__.columns[name].foreign_keys
]
RANGED = [
    pytest.param(r, name, id=f"{r.path}-{name}")
    for r in WRITABLE
    for name, field in write_fields(r).items()
    if any(isinstance(v, validate.Range) for v in field.validators)
]
UNIQUE = [pytest.param(r, id=r.path) for r in WRITABLE if unique_groups(r.model)]
# Nothing can stop deleting a rack, a system or a workload (their referrers set NULL or
# cascade): the 409 applies to the others only.
REFERABLE = [pytest.param(r, id=r.path) for r in WRITABLE if may_be_referenced(r.model)]


@pytest.fixture(scope="module")
def write_app(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with demo_copy_app(demo_db_file, tmp_path_factory.mktemp("writes")) as app:
        with app.app_context(), transaction(get_db().sessions) as session:
            add_cable_inside_a_site(session)
        yield app


def add_cable_inside_a_site(session: Session) -> None:
    """A cable between two devices' ports in one site, which the demo does not record: it is
    what refers to a device and an interface (their other referrers set NULL or cascade)."""
    first = session.scalars(sa.select(Interface).order_by(Interface.id)).first()
    assert first is not None, "the demo has no interfaces"
    site_id = first.device.site_id
    other = session.scalars(
        sa.select(Interface)
        .join(Device)
        .where(Device.site_id == site_id, Interface.device_id != first.device_id)
        .order_by(Interface.id)
    ).first()
    assert other is not None, f"the demo has one device with ports at site {site_id}"
    session.add(
        Link(
            name="cable inside one site",
            network=Network.LAN,
            a_site_id=site_id,
            b_site_id=site_id,
            a_interface_id=first.id,
            b_interface_id=other.id,
            port_speed_mbps=10_000,
        )
    )


@pytest.fixture(scope="module")
def engineer(write_app: Flask) -> FlaskClient:
    """A writer of every kind (who may write what is ``test_role_matrix``'s): an admin, so
    the planners' agencies are written like the engineers' inventory."""
    client = write_app.test_client()
    key = token_for(write_app, Role.ADMIN, "contract-engineer")
    client.environ_base["HTTP_AUTHORIZATION"] = f"Token {key}"
    return client


def url(resource: Resource, suffix: str = "") -> str:
    return f"/api/v1/{resource.path}/{suffix}"


def create(client: FlaskClient, app: Flask, resource: Resource) -> dict[str, Any]:
    response = client.post(url(resource), json=new_body(app, resource))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def wrong_type(field: ma.fields.Field) -> Any:
    """A JSON value the field must refuse whatever its range."""
    if isinstance(field, fields.List):
        return "not-a-list"
    if isinstance(field, fields.String | fields.Enum):
        return 12345 if isinstance(field, fields.String) else "no-such-choice"
    return "not-a-value"


def below_range(field: ma.fields.Field) -> Any:
    rule = next(v for v in field.validators if isinstance(v, validate.Range))
    if isinstance(field, fields.Date):
        return (rule.min - timedelta(days=1)).isoformat()
    if rule.min is None:
        return rule.max + 1
    if isinstance(field, fields.Integer):
        return rule.min - 1 if rule.min_inclusive else rule.min
    return rule.min - 0.5 if rule.min_inclusive else rule.min


@pytest.mark.parametrize("resource", BY_RESOURCE)
def test_create_answers_the_detail_document_and_logs_it(
    write_app: Flask, engineer: FlaskClient, resource: Resource
) -> None:
    body = new_body(write_app, resource)
    response = engineer.post(url(resource), json=body, headers={"X-Request-ID": "create-1"})
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert set(created) == set(resource.fields)
    assert engineer.get(created["url"]).get_json() == created
    log = engineer.get(url(resource, f"{created['id']}/changes/")).get_json()["results"]
    assert [(e["action"], e["actor"], e["correlation_id"]) for e in log] == [
        ("create", "contract-engineer", "create-1")
    ]
    assert log[0]["user_id"] is not None and log[0]["before"] is None
    assert {k: v for k, v in log[0]["after"].items() if k in body} == body


@pytest.mark.parametrize("resource", BY_RESOURCE)
def test_a_create_without_its_required_fields_is_a_400(
    write_app: Flask, engineer: FlaskClient, resource: Resource
) -> None:
    required = {name for name, f in write_fields(resource).items() if f.required}
    with unchanged(write_app, resource):
        body = assert_error(engineer.post(url(resource), json={}), 400)
    assert set(body["errors"]) == required


@pytest.mark.parametrize("resource", BY_RESOURCE)
def test_an_unknown_field_is_a_400(
    write_app: Flask, engineer: FlaskClient, resource: Resource
) -> None:
    with unchanged(write_app, resource):
        sent = {**new_body(write_app, resource), "colour": "blue"}
        body = assert_error(engineer.post(url(resource), json=sent), 400)
    assert set(body["errors"]) == {"colour"}


@pytest.mark.parametrize(("resource", "name"), FIELDS)
def test_a_value_of_the_wrong_type_is_a_400_on_its_field(
    write_app: Flask, engineer: FlaskClient, resource: Resource, name: str
) -> None:
    sent = {**new_body(write_app, resource), name: wrong_type(write_fields(resource)[name])}
    with unchanged(write_app, resource):
        body = assert_error(engineer.post(url(resource), json=sent), 400)
    assert set(body["errors"]) == {name}


@pytest.mark.parametrize(("resource", "name"), RANGED)
def test_a_value_outside_its_range_is_a_400_on_its_field(
    write_app: Flask, engineer: FlaskClient, resource: Resource, name: str
) -> None:
    sent = {**new_body(write_app, resource), name: below_range(write_fields(resource)[name])}
    with unchanged(write_app, resource):
        body = assert_error(engineer.post(url(resource), json=sent), 400)
    assert set(body["errors"]) == {name}


@pytest.mark.parametrize(("resource", "name"), REFERENCES)
def test_an_id_that_names_no_record_is_a_400_on_its_field(
    write_app: Flask, engineer: FlaskClient, resource: Resource, name: str
) -> None:
    sent = {**new_body(write_app, resource), name: 999_999_999}
    with unchanged(write_app, resource):
        body = assert_error(engineer.post(url(resource), json=sent), 400)
    assert set(body["errors"]) == {name}
    assert "999999999" in body["errors"][name][0]


@pytest.mark.parametrize("resource", UNIQUE)
def test_a_taken_unique_name_is_a_409_on_its_field(
    write_app: Flask, engineer: FlaskClient, resource: Resource
) -> None:
    with write_app.app_context(), get_db().sessions() as session:
        original = copy_body(first_row(session, resource), resource)
    fresh = new_body(write_app, resource)
    for name in unique_text_fields(resource):
        sent = {**fresh, name: original[name]}  # only this member clashes
        with unchanged(write_app, resource):
            body = assert_error(engineer.post(url(resource), json=sent), 409)
        assert name in body["errors"], body
        created = create(engineer, write_app, resource)
        patched = engineer.patch(url(resource, str(created["id"])), json={name: original[name]})
        assert_error(patched, 409)


@pytest.mark.parametrize("resource", BY_RESOURCE)
def test_patch_changes_the_fields_sent_and_logs_only_what_changed(
    write_app: Flask, engineer: FlaskClient, resource: Resource
) -> None:
    created = create(engineer, write_app, resource)
    name_field = next(n for n in ("name", "slug") if n in write_fields(resource))
    new_name = f"{created[name_field][:50]}-x"
    unchanged_value = {"status": created["status"]} if "status" in created else {}
    response = engineer.patch(
        url(resource, str(created["id"])), json={name_field: new_name, **unchanged_value}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()[name_field] == new_name
    log = engineer.get(url(resource, f"{created['id']}/changes/")).get_json()["results"]
    assert log[-1]["action"] == "update"
    assert log[-1]["before"] == {name_field: created[name_field]}
    assert log[-1]["after"] == {name_field: new_name}


@pytest.mark.parametrize(("resource", "name"), FIELDS)
def test_a_bad_patch_is_a_400_and_changes_nothing(
    write_app: Flask, engineer: FlaskClient, resource: Resource, name: str
) -> None:
    created = create(engineer, write_app, resource)
    bad = {name: wrong_type(write_fields(resource)[name])}
    with unchanged(write_app, resource):
        body = assert_error(engineer.patch(url(resource, str(created["id"])), json=bad), 400)
    assert set(body["errors"]) == {name}
    assert engineer.get(created["url"]).get_json() == created


@pytest.mark.parametrize("resource", BY_RESOURCE)
def test_an_empty_patch_changes_nothing(
    write_app: Flask, engineer: FlaskClient, resource: Resource
) -> None:
    created = create(engineer, write_app, resource)
    with unchanged(write_app, resource):
        response = engineer.patch(url(resource, str(created["id"])), json={})
    assert response.status_code == 200
    assert response.get_json() == created


@pytest.mark.parametrize("resource", BY_RESOURCE)
def test_patch_and_delete_of_an_unknown_id_are_404s(
    engineer: FlaskClient, resource: Resource
) -> None:
    assert_error(engineer.patch(url(resource, "999999999"), json={}), 404)
    assert_error(engineer.delete(url(resource, "999999999")), 404)


@pytest.mark.parametrize("resource", BY_RESOURCE)
def test_delete_removes_the_record_and_keeps_its_history(
    write_app: Flask, engineer: FlaskClient, resource: Resource
) -> None:
    created = create(engineer, write_app, resource)
    response = engineer.delete(url(resource, str(created["id"])))
    assert response.status_code == 204 and response.data == b""
    assert_error(engineer.get(created["url"]), 404)
    log = engineer.get(url(resource, f"{created['id']}/changes/")).get_json()["results"]
    assert [e["action"] for e in log] == ["create", "delete"]
    assert log[-1]["after"] is None and log[-1]["before"]["id"] == created["id"]


@pytest.mark.parametrize("resource", REFERABLE)
def test_deleting_a_referenced_record_is_a_409_naming_what_refers_to_it(
    write_app: Flask, engineer: FlaskClient, resource: Resource
) -> None:
    model = resource.model
    with write_app.app_context(), get_db().sessions() as session:
        rows = session.scalars(sa.select(model).order_by(model.id).limit(50))
        target = next(((r.id, found) for r in rows if (found := referrers(session, r))), None)
    assert target is not None, f"none of the first 50 {resource.path} is referenced"
    object_id, found = target
    with unchanged(write_app, resource):
        body = assert_error(engineer.delete(url(resource, str(object_id))), 409)
    assert set(body["errors"]) == set(found)
    assert engineer.get(url(resource, str(object_id))).status_code == 200
