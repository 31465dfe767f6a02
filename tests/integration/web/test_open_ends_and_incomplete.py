"""What a stock NetBox leaves out, written and read by hand (issue 19, DESIGN §4–§5).

A link with one end open (a circuit to a provider network) is created and edited through
the API and the form like any other — one end may be empty, never both, and the field
says so; its page and the list show the open end as such. A VM kept without size shows
its ``incomplete`` in the API (read only), filters on it, and on its page and the list.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from cmdb.choices import Role
from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.models import Link, Workload
from tests import factories
from tests.databases import migrated_sqlite_url
from tests.integration.api.conftest import token_for
from tests.integration.web.test_edit_forms import client_as, csrf, field_messages, form_copy
from tests.integration.web.ui_world import TODAY, World, build_world
from web import create_app
from web.api.schemas.links import NO_END, OPEN_END_INTERFACE
from web.db import get_db
from web.ui.edit_catalog import EDIT_PAGES

LINKS_PAGE = next(p for p in EDIT_PAGES if p.key == "links")
LACKS = "no vCPU, no memory (NetBox)"


@pytest.fixture(scope="module")
def world_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, World, int]]:
    """The UI world, with a VM a stock NetBox gave without size (its id is the third)."""
    url = migrated_sqlite_url(tmp_path_factory.mktemp("open-ends") / "open.db")
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        world = build_world(session)
        placed = {"information_system_id": world.system, "cluster_id": world.cluster}
        sizeless = {"vcpu": None, "ram_gb": None, "incomplete": LACKS}
        unsized = factories.workload(session, name="lab-vm", **placed, **sizeless)
        unsized_id = unsized.id
    engine.dispose()
    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": url, "SECRET_KEY": "test",
                      "CMDB_TODAY": TODAY.isoformat()})  # fmt: skip
    yield app, world, unsized_id


@pytest.fixture(scope="module")
def api(world_app: tuple[Flask, World, int]) -> FlaskClient:
    app = world_app[0]
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Token {token_for(app, Role.ENGINEER)}"
    return client


def _circuit(world: World, **ends: Any) -> dict[str, Any]:
    return {
        "name": f"INET-TRANSIT {sorted(ends.items())}",
        "network": "internet",
        "commit_rate_mbps": 10_000.0,
        "provider": "VNPT",
    } | ends


def _stored(app: Flask, link_id: int) -> Link:
    with app.app_context(), get_db().sessions() as session:
        link = session.get_one(Link, link_id)
        session.expunge(link)
        return link


def test_the_api_creates_and_edits_a_link_with_one_open_end(
    world_app: tuple[Flask, World, int], api: FlaskClient
) -> None:
    app, world, _ = world_app
    created = api.post("/api/v1/links/", json=_circuit(world, b_site_id=world.site))
    assert created.status_code == 201, created.text
    body = created.get_json()
    assert body["a_site"] is None and body["b_site"]["id"] == world.site
    link_id = body["id"]
    assert _stored(app, link_id).open_ended
    # The open end moves to the other side: the DC end is now the known one at a.
    moved = api.patch(f"/api/v1/links/{link_id}", json={"a_site_id": world.site, "b_site_id": None})
    assert moved.status_code == 200, moved.text
    link = _stored(app, link_id)
    assert (link.a_site_id, link.b_site_id) == (world.site, None)


def test_the_api_refuses_a_link_with_both_ends_open_on_both_fields(
    world_app: tuple[Flask, World, int], api: FlaskClient
) -> None:
    app, world, _ = world_app
    refused = api.post("/api/v1/links/", json=_circuit(world))
    assert refused.status_code == 400
    fields = refused.get_json()["errors"]
    assert fields["a_site_id"] == [NO_END] and fields["b_site_id"] == [NO_END]
    # Opening the only known end of a stored one-ended link is refused the same way.
    created = api.post("/api/v1/links/", json=_circuit(world, a_site_id=world.site))
    link_id = created.get_json()["id"]
    emptied = api.patch(f"/api/v1/links/{link_id}", json={"a_site_id": None})
    assert emptied.status_code == 400
    assert emptied.get_json()["errors"]["a_site_id"] == [NO_END]
    assert _stored(app, link_id).a_site_id == world.site
    # An open end has no interface either.
    port = api.post(
        "/api/v1/links/",
        json=_circuit(world, a_site_id=world.site, b_interface_id=1),
    )
    assert port.status_code == 400
    assert port.get_json()["errors"]["b_interface_id"] == [OPEN_END_INTERFACE]


def test_the_form_saves_a_link_with_one_open_end_and_its_page_says_so(
    world_app: tuple[Flask, World, int],
) -> None:
    app, world, _ = world_app
    client = client_as(app, world, "engineer")
    form = form_copy(app, LINKS_PAGE) | {"a_site_id": "", "b_site_id": str(world.site)}
    form |= {"a_interface_id": "", "b_interface_id": "", "name": "Internet transit, open"}
    saved = client.post("/links/new", data=form | {"csrf_token": csrf(client)})
    assert saved.status_code == 302, field_messages(saved.text)
    with app.app_context(), get_db().sessions() as session:
        link = session.scalars(sa.select(Link).where(Link.name == "Internet transit, open")).one()
        assert (link.a_site_id, link.b_site_id) == (None, world.site)
    page = client.get(f"/links/{link.id}")
    assert page.status_code == 200
    assert page.text.count('class="open-end') == 1  # the a end; the b end is the DC
    assert "Open end:" in page.text
    listed = client.get("/links/?q=Internet+transit")
    assert 'class="open-end' in listed.text


def test_the_form_shows_both_ends_missing_on_both_fields(
    world_app: tuple[Flask, World, int],
) -> None:
    app, world, _ = world_app
    for lang, start in {"en": "a link needs a site at one end", "vi": "đường truyền cần"}.items():
        client = client_as(app, world, "engineer", lang)
        form = form_copy(app, LINKS_PAGE) | {"a_site_id": "", "b_site_id": ""}
        refused = client.post("/links/new", data=form | {"csrf_token": csrf(client)})
        assert refused.status_code == 400
        messages = field_messages(refused.text)
        assert messages["a_site_id"][0].startswith(start), messages
        assert messages["b_site_id"] == messages["a_site_id"]


def test_the_api_shows_a_workloads_incomplete_and_filters_on_it(
    world_app: tuple[Flask, World, int], api: FlaskClient
) -> None:
    _, world, unsized = world_app
    detail = api.get(f"/api/v1/workloads/{unsized}").get_json()
    assert (detail["incomplete"], detail["vcpu"]) == (LACKS, None)
    assert api.get(f"/api/v1/workloads/{world.workload}").get_json()["incomplete"] is None
    only = api.get("/api/v1/workloads/?incomplete=true").get_json()["results"]
    assert [w["id"] for w in only] == [unsized]
    rest = {w["id"] for w in api.get("/api/v1/workloads/?incomplete=false").get_json()["results"]}
    assert world.workload in rest and unsized not in rest
    assert api.get("/api/v1/workloads/?incomplete=maybe").status_code == 400
    # Read only: the sync and capacity decide it, not a writer.
    written = api.patch(f"/api/v1/workloads/{unsized}", json={"incomplete": None})
    assert written.status_code == 400
    assert "incomplete" in written.get_json()["errors"]


def test_the_workload_page_and_list_show_what_it_lacks(
    world_app: tuple[Flask, World, int],
) -> None:
    app, world, unsized = world_app
    client = client_as(app, world, "viewer")
    assert LACKS in client.get(f"/workloads/{unsized}").text
    listed = client.get("/workloads/").text
    assert "Incomplete" in listed and LACKS in listed
    only = client.get("/workloads/?incomplete=true").text  # the API's filter, on the list
    assert "lab-vm" in only and "dvc-web-01" not in only
    with app.app_context(), get_db().sessions() as session:
        assert session.get_one(Workload, unsized).sized is False
