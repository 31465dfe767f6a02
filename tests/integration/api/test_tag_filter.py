"""``?tag=`` on the device and VM lists, the Ansible hosts and the device list page, on
SQLite and PostgreSQL: exact slugs, repeatable, every tag must be there."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cmdb.choices import Role
from cmdb.db import transaction
from tests import factories as f
from tests.databases import drop_pg_database, migrated_pg_url, migrated_sqlite_url
from tests.integration.ansible.seed import seed
from tests.integration.api.conftest import token_for
from web import create_app
from web.db import get_db

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=BACKENDS)
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FlaskClient]:
    """The Ansible tests' hosts (hv-01: pci-dss, backup; vm-portal-01: backup) and one
    server whose tags only look like those (a prefix, a longer slug, a quote)."""
    pg = request.param == "postgresql"
    path = tmp_path_factory.mktemp("tags") / "t.db"
    url = migrated_pg_url("headroom_tag_filter") if pg else migrated_sqlite_url(path)
    app = create_app(
        {"TESTING": True, "CMDB_DATABASE_URL": url, "SECRET_KEY": "t", "CMDB_ANONYMOUS_READ": True}
    )
    with app.app_context(), transaction(get_db().sessions) as session:
        seed(session)
        f.server(session, name="hv-lookalike", tags=["backup-nightly", "pci", "o'brien"])
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Token {token_for(app, Role.VIEWER)}"
    yield client
    _dispose(app)
    if pg:
        drop_pg_database(url)


def _dispose(app: Flask) -> None:
    with app.app_context():
        get_db().engine.dispose()


def names(client: FlaskClient, path: str, **params: Any) -> list[str]:
    response = client.get(path, query_string={**params, "limit": 1000})
    assert response.status_code == 200, response.get_json()
    return sorted(row["name"] for row in response.get_json()["results"])


def test_devices_with_every_tag_asked_for(client: FlaskClient) -> None:
    devices = "/api/v1/devices/"
    assert names(client, devices, tag="backup") == ["hv-01"]
    assert names(client, devices, tag=["backup", "pci-dss"]) == ["hv-01"]
    assert names(client, devices, tag=["backup", "pci"]) == []  # both, not either
    assert names(client, devices, tag="pci") == ["hv-lookalike"]  # exact: not pci-dss
    assert names(client, devices, tag="o'brien") == ["hv-lookalike"]
    assert names(client, devices, tag="backup", role="server") == ["hv-01"]
    assert names(client, devices, tag="missing") == []


def test_workloads_by_tag(client: FlaskClient) -> None:
    assert names(client, "/api/v1/workloads/", tag="backup") == ["vm-portal-01"]
    assert names(client, "/api/v1/workloads/", tag=["backup", "pci-dss"]) == []


def test_ansible_hosts_by_tag(client: FlaskClient) -> None:
    hosts = "/api/v1/ansible/hosts/"
    assert names(client, hosts, tag="backup", address="any") == ["hv-01", "vm-portal-01"]
    assert names(client, hosts, tag=["pci-dss", "backup"], address="any") == ["hv-01"]


def test_an_empty_tag_is_a_400(client: FlaskClient) -> None:
    for path in ("/api/v1/devices/", "/api/v1/workloads/", "/api/v1/ansible/hosts/"):
        response = client.get(f"{path}?tag=")
        assert response.status_code == 400, path
        assert list(response.get_json()["errors"]) == ["tag[0]"], path


def test_the_device_list_page_has_a_tag_box_and_filters_by_every_tag(client: FlaskClient) -> None:
    page = client.get("/devices/?tag=backup&tag=pci-dss").get_data(as_text=True)
    assert 'name="tag" value="backup"' in page and 'name="tag" value="pci-dss"' in page
    assert ">hv-01<" in page and "hv-lookalike" not in page and "rt-binh-minh" not in page
    assert "tag=backup&amp;tag=pci-dss" in page  # the export and sort links keep both tags
    other = client.get("/devices/?tag=pci").get_data(as_text=True)
    assert "hv-lookalike" in other and ">hv-01<" not in other


def test_the_openapi_document_declares_tag_on_both_lists(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/devices/", "/api/v1/workloads/"):
        parameters = {p["name"]: p for p in document["paths"][path]["get"]["parameters"]}
        assert parameters["tag"]["schema"]["type"] == "array", path
