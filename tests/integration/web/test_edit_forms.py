"""The edit forms of every inventory kind, for every role: who sees the buttons, who may
post, what a bad form shows (in English and Vietnamese), and what a good one writes.

Generated from the forms' declaration (``web.ui.edit_catalog.EDIT_PAGES``): a form
added there is tested here without another line. The bodies are copies of stored
records with their unique names changed, as the API's write contract tests do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from cmdb.choices import CatalogueKind
from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.models import CatalogueItem, ChangeLog, Device, Interface, Rack, Site
from tests import factories
from tests.databases import migrated_sqlite_url
from tests.integration.api.writes import renamed
from tests.integration.web.ui_world import TODAY, World, build_world
from web import create_app
from web.db import get_db
from web.ui.edit_catalog import EDIT_BY_MODEL, EDIT_PAGES, EditPage
from web.ui.edit_fields import record_values

BY_PAGE = [pytest.param(p, id=p.key) for p in EDIT_PAGES]
ROLES = ("viewer", "requester", "engineer", "planner", "admin")
READERS = ("viewer", "requester", "planner")  # of the inventory
WRITERS = ("engineer", "admin")
# Who keeps each kind (the policy, stated here): engineers the inventory, planners the
# agencies (who owns what, which requests name); admins everything.
# The expansion catalogue (prices) is the planners' too.
KEEPER = {"agencies": "planner", "catalogue": "planner"}


def keeper(page: EditPage) -> str:
    return KEEPER.get(page.key, "engineer")


def writers(page: EditPage) -> tuple[str, ...]:
    return (keeper(page), "admin")


REFUSED = [
    pytest.param(p, role, id=f"{p.key}-{role}")
    for p in EDIT_PAGES
    for role in ROLES
    if role not in writers(p)
]
ALLOWED = [pytest.param(p, role, id=f"{p.key}-{role}") for p in EDIT_PAGES for role in writers(p)]


@pytest.fixture(scope="module")
def world_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, World]]:
    url = migrated_sqlite_url(tmp_path_factory.mktemp("edit") / "edit.db")
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        world = build_world(session)
        # Racks and interfaces have forms but no page: give each form a record to copy.
        rack = Rack(site_id=world.site, name="R01", u_height=42, power_kw=6.0)
        port = Interface(device_id=world.device, name="vmnic0", speed_mbps=10000, enabled=True,
                         ip_addresses=["10.49.250.11/24"])  # fmt: skip
        shelf = CatalogueItem(kind=CatalogueKind.STORAGE_SHELF, name="24 × 8 TB shelf",
                              raw_tb=192, price_vnd=900_000_000, priced_on=TODAY)  # fmt: skip
        session.add_all([rack, port, shelf])
    engine.dispose()
    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": url, "SECRET_KEY": "test",
                      "CMDB_TODAY": TODAY.isoformat()})  # fmt: skip
    yield app, world


def client_as(app: Flask, world: World, role: str, lang: str = "en") -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    with client.session_transaction() as session:
        session["user_id"] = world.users[role]
    return client


def csrf(client: FlaskClient) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sites/").text)
    assert found
    return found.group(1)


def first_id(app: Flask, page: EditPage) -> int:
    with app.app_context(), get_db().sessions() as session:
        found = session.scalar(sa.select(sa.func.min(page.resource.model.id)))
    assert found is not None
    return int(found)


def as_form(page: EditPage, values: dict[str, Any]) -> dict[str, Any]:
    """Values as a browser posts them: an unticked checkbox is not sent at all."""
    form: dict[str, Any] = {}
    for f in page.inputs:
        if f.kind != "checkbox":
            form[f.name] = values[f.name]
        elif values[f.name]:
            form[f.name] = "y"
    return form


def stored_values(app: Flask, page: EditPage, object_id: int) -> dict[str, Any]:
    with app.app_context(), get_db().sessions() as session:
        return record_values(page.inputs, session.get(page.resource.model, object_id))


def form_copy(app: Flask, page: EditPage) -> dict[str, Any]:
    """A valid form: a stored record's values as its edit form shows them, unique names new."""
    values = stored_values(app, page, first_id(app, page))
    return as_form(page, renamed(values, page.resource))


def counts(app: Flask, page: EditPage) -> tuple[int, int]:
    with app.app_context(), get_db().sessions() as session:
        count = sa.select(sa.func.count()).select_from
        return session.scalar(count(page.resource.model)), session.scalar(count(ChangeLog))


def last_change(app: Flask) -> ChangeLog:
    with app.app_context(), get_db().sessions() as session:
        entry = session.scalars(sa.select(ChangeLog).order_by(ChangeLog.id.desc())).first()
        assert entry is not None
        session.expunge(entry)
        return entry


def field_messages(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, message in re.findall(r'data-field="(\w+)">([^<]*)<', html):
        found.setdefault(name, []).append(message)
    return found


def required_text_field(page: EditPage) -> str:
    return next(f.name for f in page.inputs if f.required and f.kind in ("text", "textarea"))


def numeric_field(page: EditPage) -> tuple[str, str]:
    """The first numeric (or date) input and what marshmallow says of a word typed into it."""
    f = next(f for f in page.inputs if f.kind in ("integer", "number", "date"))
    said = {"integer": "Not a valid integer.", "number": "Not a valid number."}
    return f.name, said.get(f.kind, "Not a valid date.")


# --- who may ------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "role"), REFUSED)
def test_roles_that_may_not_write_get_no_form_and_a_403_on_post(
    world_app: tuple[Flask, World], page: EditPage, role: str
) -> None:
    app, world = world_app
    client = client_as(app, world, role)
    token = csrf(client)
    object_id = first_id(app, page)
    before = counts(app, page)
    assert client.get(f"/{page.key}/new").status_code == 403
    assert client.get(f"/{page.key}/{object_id}/edit").status_code == 403
    assert (
        client.post(
            f"/{page.key}/new", data=form_copy(app, page) | {"csrf_token": token}
        ).status_code
        == 403
    )
    assert (
        client.post(f"/{page.key}/{object_id}/edit", data={"csrf_token": token}).status_code == 403
    )
    assert (
        client.post(f"/{page.key}/{object_id}/delete", data={"csrf_token": token}).status_code
        == 403
    )
    assert counts(app, page) == before


@pytest.mark.parametrize("role", (*READERS, *WRITERS))
def test_pages_show_add_edit_and_delete_only_to_writers(
    world_app: tuple[Flask, World], role: str
) -> None:
    app, world = world_app
    client = client_as(app, world, role)
    shown = {
        "/sites/": "add-record", f"/sites/{world.site}": "edit-record",
        "/devices/": "add-record", f"/devices/{world.device}": "delete-record",
        f"/clusters/{world.cluster}": "edit-record", "/workloads/": "add-record",
    }  # fmt: skip
    for url, button in shown.items():
        html = client.get(url).text
        assert (button in html) is (role in WRITERS), (url, role)


# --- what a writer does ------------------------------------------------------------------


@pytest.mark.parametrize(("page", "role"), ALLOWED)
def test_a_writer_creates_a_record_logged_in_their_name(
    world_app: tuple[Flask, World], page: EditPage, role: str
) -> None:
    app, world = world_app
    client = client_as(app, world, role)
    assert client.get(f"/{page.key}/new").status_code == 200
    rows, changes = counts(app, page)
    response = client.post(
        f"/{page.key}/new", data=form_copy(app, page) | {"csrf_token": csrf(client)}
    )
    assert response.status_code == 302, field_messages(response.text)
    assert counts(app, page) == (rows + 1, changes + 1)
    entry = last_change(app)
    assert (entry.action, entry.actor, entry.user_id) == ("create", f"u-{role}", world.users[role])
    assert entry.object_type == page.resource.model.__tablename__
    assert "Saved" in client.get(response.headers["Location"]).text


@pytest.mark.parametrize("page", BY_PAGE)
def test_an_edit_changes_the_record_and_logs_only_what_changed(
    world_app: tuple[Flask, World], page: EditPage
) -> None:
    app, world = world_app
    client = client_as(app, world, keeper(page))
    object_id = first_id(app, page)
    html = client.get(f"/{page.key}/{object_id}/edit").text
    values = stored_values(app, page, object_id)
    name = required_text_field(page)
    assert f'value="{values[name]}"' in html  # the form starts from the record
    form = as_form(page, values) | {name: f"{values[name]}-x"}
    response = client.post(
        f"/{page.key}/{object_id}/edit", data=form | {"csrf_token": csrf(client)}
    )
    assert response.status_code == 302, field_messages(response.text)
    entry = last_change(app)
    assert (entry.action, entry.object_id, entry.actor) == (
        "update",
        object_id,
        f"u-{keeper(page)}",
    )
    assert entry.after == {name: form[name]}


@pytest.mark.parametrize("page", BY_PAGE)
def test_a_bad_form_comes_back_with_messages_per_field_and_writes_nothing(
    world_app: tuple[Flask, World], page: EditPage
) -> None:
    app, world = world_app
    client = client_as(app, world, keeper(page))
    form = form_copy(app, page)
    text, (number, not_a_number) = required_text_field(page), numeric_field(page)
    form |= {text: "", number: "twelve"}
    before = counts(app, page)
    response = client.post(f"/{page.key}/new", data=form | {"csrf_token": csrf(client)})
    assert response.status_code == 400
    messages = field_messages(response.text)
    assert messages[text] == ["Missing data for required field."]
    assert messages[number] == [not_a_number]
    assert 'value="twelve"' in response.text  # what the user typed is kept
    assert counts(app, page) == before


def test_validation_messages_are_vietnamese_on_a_vietnamese_form(
    world_app: tuple[Flask, World],
) -> None:
    app, world = world_app
    page = next(p for p in EDIT_PAGES if p.key == "racks")
    form = {"name": "", "u_height": "99", "power_kw": "-1", "site_id": str(world.site)}
    for lang, expected in {
        "vi": {"name": ["Thiếu dữ liệu cho trường bắt buộc."],
               "u_height": ["Phải lớn hơn hoặc bằng 1 và nhỏ hơn hoặc bằng 60."],
               "power_kw": ["Phải lớn hơn hoặc bằng 0 và nhỏ hơn hoặc bằng 1000."]},
        "en": {"name": ["Missing data for required field."],
               "u_height": ["Must be greater than or equal to 1 and less than or equal to 60."],
               "power_kw": ["Must be greater than or equal to 0 and less than or equal to 1000."]},
    }.items():  # fmt: skip
        client = client_as(app, world, "engineer", lang)
        response = client.post(f"/{page.key}/new", data=form | {"csrf_token": csrf(client)})
        assert response.status_code == 400
        assert field_messages(response.text) == expected


def test_a_rule_across_fields_and_a_missing_reference_are_shown_on_their_fields(
    world_app: tuple[Flask, World],
) -> None:
    app, world = world_app
    client = client_as(app, world, "engineer", "vi")
    form = form_copy(app, next(p for p in EDIT_PAGES if p.key == "links"))
    form |= {"b_site_id": form["a_site_id"], "commit_rate_mbps": "", "port_speed_mbps": ""}
    response = client.post("/links/new", data=form | {"csrf_token": csrf(client)})
    assert response.status_code == 400
    messages = field_messages(response.text)
    assert messages["b_site_id"][0].startswith(
        "hai đầu của đường truyền phải là hai địa điểm khác nhau, trừ khi"
    )
    assert messages["commit_rate_mbps"][0].startswith("hãy nhập commit_rate_mbps")

    form = form_copy(app, next(p for p in EDIT_PAGES if p.key == "racks")) | {"site_id": "99999"}
    response = client.post("/racks/new", data=form | {"csrf_token": csrf(client)})
    assert response.status_code == 400
    assert field_messages(response.text)["site_id"] == ["không có địa điểm nào có id 99999"]


def test_a_taken_name_is_a_409_shown_on_the_form(world_app: tuple[Flask, World]) -> None:
    app, world = world_app
    client = client_as(app, world, "engineer")
    form = form_copy(app, next(p for p in EDIT_PAGES if p.key == "sites")) | {"slug": "dc"}
    response = client.post("/sites/new", data=form | {"csrf_token": csrf(client)})
    assert response.status_code == 409
    assert field_messages(response.text)["slug"][0].startswith("another site (id ")


def test_a_form_without_its_csrf_token_is_refused(world_app: tuple[Flask, World]) -> None:
    app, world = world_app
    client = client_as(app, world, "engineer")
    page = next(p for p in EDIT_PAGES if p.key == "racks")
    before = counts(app, page)
    for token in (None, "forged"):
        data = form_copy(app, page) | ({"csrf_token": token} if token else {})
        assert client.post("/racks/new", data=data).status_code == 400
    assert client.post(f"/racks/{first_id(app, page)}/delete").status_code == 400
    assert counts(app, page) == before


def test_delete_of_a_referenced_record_says_what_refers_to_it(
    world_app: tuple[Flask, World],
) -> None:
    app, world = world_app
    blocked_by = {
        "en": ("cluster", "rows refer to it by site_id"),
        "vi": ("cụm máy chủ", "bản ghi tham chiếu đến nó qua trường site_id"),
    }
    for lang, words in blocked_by.items():
        client = client_as(app, world, "engineer", lang)
        page = client.get(f"/sites/{world.site}/delete")
        assert page.status_code == 200
        blockers = re.search(r'id="delete-blockers">(.*?)</div>', page.text, re.DOTALL)
        assert blockers and all(w in blockers.group(1) for w in words)
        assert 'id="delete-form"' not in page.text
        refused = client.post(f"/sites/{world.site}/delete", data={"csrf_token": csrf(client)})
        assert refused.status_code == 409
        assert words[1] in refused.text
    with app.app_context(), get_db().sessions() as session:
        assert session.get(Site, world.site) is not None


def test_delete_removes_the_record_and_logs_it(world_app: tuple[Flask, World]) -> None:
    app, world = world_app
    client = client_as(app, world, "admin")
    form = {"site_id": str(world.site), "name": "R-GONE", "u_height": "42"}
    created = client.post("/racks/new", data=form | {"csrf_token": csrf(client)})
    assert created.status_code == 302
    rack_id = last_change(app).object_id
    assert 'id="delete-form"' in client.get(f"/racks/{rack_id}/delete").text
    response = client.post(f"/racks/{rack_id}/delete", data={"csrf_token": csrf(client)})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/sites/{world.site}"
    entry = last_change(app)
    assert (entry.action, entry.object_id, entry.actor) == ("delete", rack_id, "u-admin")
    with app.app_context(), get_db().sessions() as session:
        assert session.get(Rack, rack_id) is None


def test_deleting_a_device_lists_and_logs_the_interfaces_that_go_with_it(
    world_app: tuple[Flask, World],
) -> None:
    app, world = world_app
    with app.app_context(), transaction(get_db().sessions) as session:
        device = factories.server(session, site_id=world.site, name="srv-gone")
        factories.interface(session, device=device, name="mgmt0")
        device_id = device.id
    for lang, words in {"en": "1 record goes with it", "vi": "1 bản ghi bị xoá theo"}.items():
        page = client_as(app, world, "engineer", lang).get(f"/devices/{device_id}/delete")
        owned = re.search(r'id="delete-owned">(.*?)</div>', page.text, re.DOTALL)
        assert owned and words in owned.group(1) and "<li>mgmt0</li>" in owned.group(1)
    client = client_as(app, world, "engineer")
    response = client.post(f"/devices/{device_id}/delete", data={"csrf_token": csrf(client)})
    assert response.status_code == 302
    with app.app_context(), get_db().sessions() as session:
        logged = session.execute(
            sa.select(ChangeLog.object_type, ChangeLog.object_repr, ChangeLog.actor)
            .where(ChangeLog.action == "delete")
            .order_by(ChangeLog.id.desc())
            .limit(2)
        ).all()
        assert session.get(Device, device_id) is None
    assert [tuple(row) for row in logged] == [
        ("device", "srv-gone", "u-engineer"),
        ("interface", "mgmt0", "u-engineer"),
    ]


def test_inputs_carry_the_schema_rules_for_the_browser(world_app: tuple[Flask, World]) -> None:
    app, world = world_app
    html = client_as(app, world, "engineer").get("/racks/new").text
    assert re.search(r'<input[^>]*name="name"[^>]* required maxlength="60"', html)
    assert re.search(r'<input[^>]*name="u_height"[^>]*min="1" max="60" step="1"', html)
    assert re.search(r'<select[^>]*name="site_id"[^>]* required', html)
    assert re.search(rf'<option value="{world.site}">TTDL tỉnh[^<]*</option>', html)


@pytest.mark.parametrize("page", BY_PAGE)
def test_the_forms_speak_vietnamese(world_app: tuple[Flask, World], page: EditPage) -> None:
    app, world = world_app
    client = client_as(app, world, keeper(page), "vi")
    html = client.get(f"/{page.key}/new").text
    assert "Thêm" in html and ">Lưu<" in html and ">Tên" in html
    for english in (">Save<", ">Cancel<", ">Name", "New "):
        assert english not in html
    assert ">Xóa<" in client.get(f"/{page.key}/{first_id(app, page)}/edit").text


def test_a_reference_past_the_select_limit_gets_an_id_input_and_a_search_box(
    world_app: tuple[Flask, World], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, world = world_app
    monkeypatch.setattr("web.ui.edit_views.REF_SELECT_LIMIT", 0)
    html = client_as(app, world, "engineer").get("/racks/new").text
    assert re.search(r'<input[^>]*type="number" id="f-site_id"', html)
    search = re.search(r'<input[^>]*class="[^"]*ref-search"[^>]*>', html, re.DOTALL)
    assert search and 'data-url="/api/v1/sites/"' in search.group(0)
    assert 'data-target="f-site_id"' in search.group(0)
    assert "js/ref-search.js" in html


def test_a_device_s_tags_are_edited_one_per_line_and_a_bad_slug_is_shown_on_them(
    world_app: tuple[Flask, World],
) -> None:
    app, world = world_app
    page = EDIT_BY_MODEL[Device]
    client = client_as(app, world, keeper(page))
    object_id = first_id(app, page)
    form = as_form(page, stored_values(app, page, object_id))
    url = f"/{page.key}/{object_id}/edit"
    saved = client.post(url, data=form | {"tags": "pci-dss\nbackup", "csrf_token": csrf(client)})
    assert saved.status_code == 302, field_messages(saved.text)
    assert stored_values(app, page, object_id)["tags"] == "pci-dss\nbackup"
    refused = client.post(url, data=form | {"tags": "PCI DSS!", "csrf_token": csrf(client)})
    assert refused.status_code == 400 and set(field_messages(refused.text)) == {"tags"}
    assert stored_values(app, page, object_id)["tags"] == "pci-dss\nbackup"
