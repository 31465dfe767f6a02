"""Tags on devices and VMs: written through the API (slugs checked per field), shown on
the device page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cmdb.choices import Role
from cmdb.db import transaction
from tests import factories as f
from tests.databases import migrated_sqlite_url
from tests.integration.api.conftest import token_for
from web import create_app
from web.db import get_db


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    config = {
        "TESTING": True,
        "CMDB_DATABASE_URL": migrated_sqlite_url(tmp_path / "tags.db"),
        "SECRET_KEY": "test",
        "CMDB_ANONYMOUS_READ": True,
    }
    app = create_app(config)
    yield app
    with app.app_context():
        get_db().engine.dispose()


@pytest.fixture
def refs(app: Flask) -> dict[str, int]:
    with app.app_context(), transaction(get_db().sessions) as session:
        cluster = f.cluster(session)
        system = f.information_system(session)
        session.flush()
        return {"site": cluster.site_id, "cluster": cluster.id, "system": system.id}


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Token {token_for(app, Role.ENGINEER)}"
    return client


def device_body(refs: dict[str, int], **extra: Any) -> dict[str, Any]:
    return {"name": "hv-tagged", "role": "server", "site_id": refs["site"], **extra}


def test_a_device_is_created_with_its_tags_once_each_and_shown_on_its_page(
    client: FlaskClient, refs: dict[str, int]
) -> None:
    sent = device_body(refs, tags=["pci-dss", "backup_nightly", "pci-dss"])
    created = client.post("/api/v1/devices/", json=sent)
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.get_json()["tags"] == ["pci-dss", "backup_nightly"]
    page = client.get(f"/devices/{created.get_json()['id']}").get_data(as_text=True)
    assert ">pci-dss</span>" in page and ">backup_nightly</span>" in page


def test_a_device_without_tags_has_an_empty_list(client: FlaskClient, refs: dict[str, int]) -> None:
    created = client.post("/api/v1/devices/", json=device_body(refs))
    assert created.status_code == 201 and created.get_json()["tags"] == []


def test_a_vm_s_tags_are_patched(client: FlaskClient, refs: dict[str, int]) -> None:
    body = {
        "name": "vm-tagged",
        "information_system_id": refs["system"],
        "cluster_id": refs["cluster"],
        "vcpu": 2,
        "ram_gb": 4,
    }
    created = client.post("/api/v1/workloads/", json=body)
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.get_json()["tags"] == []
    url = f"/api/v1/workloads/{created.get_json()['id']}"
    patched = client.patch(url, json={"tags": ["web"]})
    assert patched.status_code == 200 and patched.get_json()["tags"] == ["web"]
    assert client.get(url).get_json()["tags"] == ["web"]


@pytest.mark.parametrize(
    "tags",
    [
        ["PCI"],
        ["pci dss"],
        [""],
        ["x" * 101],
        ["vùng-1"],
        [f"t{i}" for i in range(51)],
        "pci-dss",
        [7],
    ],
)
def test_a_bad_tag_list_is_a_400_on_tags_and_writes_nothing(
    client: FlaskClient, refs: dict[str, int], tags: Any
) -> None:
    response = client.post("/api/v1/devices/", json=device_body(refs, tags=tags))
    assert response.status_code == 400
    fields = set(response.get_json()["errors"])  # "tags", or the one slug: "tags[0]"
    assert fields and all(name.split("[")[0] == "tags" for name in fields), fields
    assert client.get("/api/v1/devices/").get_json()["count"] == 0
