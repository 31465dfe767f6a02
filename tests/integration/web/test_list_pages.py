"""Every list page (``web.ui.catalog``): its filter form is the API's, its export holds
every matching row, an unknown parameter is named as ignored, columns sort with an
indicator, and the page size and shown columns are remembered."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cmdb.choices import (
    CatalogueKind,
    DiscrepancyKind,
    Network,
    RequestStatus,
    Source,
    Verdict,
    Zone,
)
from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.models import (
    CatalogueItem,
    Device,
    DiscoveryRun,
    Discrepancy,
    Rack,
    RequestEvaluation,
    ResourceRequest,
)
from tests import factories as f
from tests.databases import migrated_sqlite_url
from tests.integration.web.ui_world import TODAY, World, build_world
from web import create_app
from web.db import get_session
from web.ui import list_export
from web.ui.catalog import LIST_PAGES, ListPage
from web.ui.inventory import API_ONLY
from web.ui.links import record_links

PAGE_IDS = [p.key for p in LIST_PAGES]
REQUESTS_PAGE = next(p for p in LIST_PAGES if p.key == "requests")
HOST_UNTIL = date(2027, 4, 1)


def list_url(page: ListPage, query: str = "") -> str:
    view = "view=list" if not page.routed else ""
    joined = "&".join(part for part in (view, query) if part)
    return f"/{page.key}/" + (f"?{joined}" if joined else "")


@pytest.fixture(scope="module")
def world_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, World]]:
    url = migrated_sqlite_url(tmp_path_factory.mktemp("lists") / "lists.db")
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        world = build_world(session)
        device = session.get(Device, world.device)
        assert device is not None
        for n in range(3):
            f.interface(session, device=device, name=f"eth{n}")
            session.add(Rack(site=device.site, name=f"R{n:02d}"))
        _one_more_of_each(session, device)
    engine.dispose()
    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": url, "SECRET_KEY": "test",
                      "CMDB_TODAY": TODAY.isoformat(), "CMDB_PAGE_SIZE": 1})  # fmt: skip
    yield app, world


def _one_more_of_each(session: Session, device: Device) -> None:
    """A second record of every kind the world has one of: each list is two pages."""
    cluster, pool = f.cluster(session), f.storage_pool(session)
    other = f.agency(session)
    evaluated = ResourceRequest(name="Camera giao thông", status=RequestStatus.EVALUATED,
                                security_level=3, zone=Zone.INTERNET, go_live=TODAY,
                                horizon_years=1, agency=other)  # fmt: skip
    evaluated.evaluations.append(
        RequestEvaluation(verdict=Verdict.HOST_UNTIL, until=HOST_UNTIL, result={})
    )
    f.link(session, b_site=device.site)
    session.add(evaluated)
    f.workload(session, cluster=cluster, storage_pool=pool)
    session.add_all([
        Discrepancy(kind=DiscrepancyKind.MISMATCH, object_type="device", object_id=device.id,
                    field="model", values={"netbox": "DL380"}),
        DiscoveryRun(source=Source.NETBOX, status="failed"),
        *(CatalogueItem(kind=CatalogueKind.LINK_TIER, name=f"TSLCD {mbps} Mbps", mbps=mbps,
                        network=Network.TSLCD, price_vnd=mbps * 360_000, priced_on=TODAY)
          for mbps in (20, 50)),
    ])  # fmt: skip


@pytest.fixture
def client(world_app: tuple[Flask, World]) -> FlaskClient:
    app, world = world_app
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with client.session_transaction() as session:
        session["user_id"] = world.users["engineer"]
    return client


def api_rows(client: FlaskClient, page: ListPage, query: str = "") -> list[dict[str, object]]:
    response = client.get(f"/api/v1/{page.resource.path}/?limit=1000&{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"]


@pytest.mark.parametrize("page", LIST_PAGES, ids=PAGE_IDS)
def test_filter_form_asks_the_apis_parameters(client: FlaskClient, page: ListPage) -> None:
    html = client.get(list_url(page)).get_data(as_text=True)
    start = html.index('id="filter-form"')
    form = html[start : html.index("</form>", start)]
    fields = r'class="form-\w+ form-\w+-sm list-filter[^"]*"[^>]*name="([^"]+)"'
    asked = set(re.findall(fields, form)) | (set(re.findall(r'name="(q)"', form)))

    api_parameters = set(page.resource.list_args.fields) - API_ONLY
    expected = {"q"} if page.resource.search else set()
    for name in page.resource.filters:  # a day or a moment: a from and an up-to box
        dated = isinstance(page.resource.column(name).type, sa.Date | sa.DateTime)
        expected |= {f"{name}__gte", f"{name}__lte"} if dated else {name}
    expected |= {f.name for f in page.resource.extra_filters if f.label}  # a device's tags
    assert asked == expected
    assert asked <= api_parameters


def test_the_change_log_filters_by_day_as_the_api_does(client: FlaskClient) -> None:
    html = client.get("/changes/").text
    assert 'type="date"' in html and 'name="at__gte"' in html and 'name="at__lte"' in html

    def total(query: str) -> int:
        page = client.get(f"/changes/?{query}").text
        found = re.search(r'id="list-total"[^>]*>([\d,]+)<', page)
        assert found is not None
        return int(found.group(1).replace(",", ""))

    every = client.get("/api/v1/changes/?limit=1").get_json()["count"]
    assert every > 1
    assert total("at__gte=2000-01-01") == every
    assert total("at__lte=2000-01-01") == 0
    assert total(f"at__gte={TODAY.replace(year=TODAY.year + 50)}") == 0


@pytest.mark.parametrize("page", LIST_PAGES, ids=PAGE_IDS)
def test_csv_export_holds_every_matching_row_not_one_page(
    client: FlaskClient, page: ListPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(list_export, "CHUNK", 2)  # several chunks out of a small world
    response = client.get(list_url(page, "export=csv"))

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    rows = api_rows(client, page)
    if page.export is not None:  # the list's own documents (a request with its verdict)
        assert table[0] == list(page.export.csv_fields)
    else:
        assert table[0] == [k for k in page.resource.schema.dump_fields if k != "url"]
    assert [int(r[0]) for r in table[1:]] == [r["id"] for r in rows]
    assert len(rows) > 1  # the page size is 1: more than a page


def test_exports_hold_more_than_a_page_and_keep_the_filters(client: FlaskClient) -> None:
    """The page size is 1: three interfaces are three pages, one export."""
    table = list(csv.reader(io.StringIO(client.get("/interfaces/?export=csv").text)))
    assert table[0][:4] == ["id", "device", "name", "description"]
    assert [r[2] for r in table[1:]] == ["eth0", "eth1", "eth2"]
    one = list(csv.reader(io.StringIO(client.get("/interfaces/?name=eth1&export=csv").text)))
    assert [r[2] for r in one[1:]] == ["eth1"]


@pytest.mark.parametrize("key", ["devices", "interfaces", "racks", "changes", "requests"])
def test_json_export_is_the_apis_rows(client: FlaskClient, key: str) -> None:
    page = next(p for p in LIST_PAGES if p.key == key)
    exported = json.loads(client.get(list_url(page, "export=json")).get_data(as_text=True))
    assert exported == api_rows(client, page)
    assert len(exported) > 1


@pytest.mark.parametrize("page", LIST_PAGES, ids=PAGE_IDS)
def test_an_unknown_parameter_is_shown_as_ignored(client: FlaskClient, page: ListPage) -> None:
    response = client.get(list_url(page, "bogus=1"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    ignored = html[html.index('id="ignored-params"') :]
    assert '<span class="font-monospace">bogus</span>' in ignored.split("</div>", 1)[0]
    assert 'id="ignored-params"' not in client.get(list_url(page)).get_data(as_text=True)


SORTED = [p for p in LIST_PAGES if any(c.sort for c in p.columns)]


@pytest.mark.parametrize("page", SORTED, ids=[p.key for p in SORTED])
def test_sorted_column_shows_its_indicator(client: FlaskClient, page: ListPage) -> None:
    column = next(c for c in page.columns if c.sort)
    up = client.get(list_url(page, f"ordering={column.sort}")).get_data(as_text=True)
    down = client.get(list_url(page, f"ordering=-{column.sort}")).get_data(as_text=True)

    assert 'aria-sort="ascending"' in up and "▲</span>" in up
    assert 'aria-sort="descending"' in down and "▼</span>" in down


def test_devices_ignore_nothing_silently(client: FlaskClient) -> None:
    """The tester's case: /devices/?bogus=1 used to show every device as if filtered."""
    html = client.get("/devices/?bogus=1&role=server").get_data(as_text=True)
    assert "bogus" in html[html.index('id="ignored-params"') :].split("</div>", 1)[0]
    assert client.get("/devices/?role=toaster").status_code == 400  # a bad value still is


def test_per_page_is_remembered(client: FlaskClient) -> None:
    assert "of 3" in client.get("/interfaces/").text  # page size 1: one row shown
    client.get("/interfaces/?per_page=25")
    html = client.get("/interfaces/").get_data(as_text=True)
    assert "Showing 1–3 of 3" in html
    assert '<option value="25" selected>' in html
    assert "Showing 1–1 of" in client.get("/racks/").text  # per list


def test_column_chooser_is_remembered(client: FlaskClient) -> None:
    with client.session_transaction() as session:
        token = session.setdefault("csrf_token", "t0ken")
    chosen = {"csrf_token": token, "columns": ["device", "name"], "next": "/interfaces/?name=eth1"}
    response = client.post("/interfaces/columns", data=chosen)
    assert response.status_code == 303
    assert response.location.endswith("/interfaces/?name=eth1")

    for elsewhere in ("//evil.example/", "/\\evil.example/", "https://evil.example/"):
        chosen["next"] = elsewhere
        assert client.post("/interfaces/columns", data=chosen).location == "/interfaces/"

    html = client.get("/interfaces/").get_data(as_text=True)
    header = html[html.index("<thead") : html.index("</thead>")]
    assert "Device" in header and "Name" in header and "MAC address" not in header
    assert "MAC address" in html[html.index('id="column-chooser"') :]  # still offered


def test_counts_are_in_the_header(client: FlaskClient) -> None:
    html = client.get("/interfaces/").get_data(as_text=True)
    assert re.search(r'id="list-total"[^>]*>3</span>', html)


def test_admin_units_keep_their_tree_and_have_a_list(client: FlaskClient) -> None:
    tree = client.get("/admin-units/").get_data(as_text=True)
    listed = client.get("/admin-units/?view=list&per_page=25").get_data(as_text=True)
    assert 'id="rows"' not in tree
    assert 'id="rows"' in listed and 'name="view" value="list"' in listed


def client_as(app: Flask, user_id: int | None, language: str = "en") -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    if user_id is not None:
        with client.session_transaction() as session:
            session["user_id"] = user_id
    return client


def test_a_requester_lists_and_exports_only_their_agencys_requests(
    world_app: tuple[Flask, World],
) -> None:
    """The page, its count and both exports hold what the API gives the same requester."""
    app, world = world_app
    requester = client_as(app, world.users["requester"])
    viewer = client_as(app, world.users["viewer"])

    own = {r["id"] for r in api_rows(requester, REQUESTS_PAGE)}
    assert own == {world.request}
    assert len(api_rows(viewer, REQUESTS_PAGE)) == 2  # a viewer reads every request

    page = requester.get("/requests/?per_page=25").get_data(as_text=True)
    assert set(map(int, re.findall(r'href="/requests/(\d+)"', page))) == own
    assert re.search(r'id="list-total"[^>]*>1</span>', page)
    exported = json.loads(requester.get("/requests/?export=json").get_data(as_text=True))
    assert [r["id"] for r in exported] == [world.request]
    table = list(csv.reader(io.StringIO(requester.get("/requests/?export=csv").text)))
    assert [int(r[0]) for r in table[1:]] == [world.request]
    # Asking for another agency's requests by URL widens nothing.
    other = next(r["agency"]["id"] for r in api_rows(viewer, REQUESTS_PAGE) if r["agency"]
                 and r["id"] != world.request)  # fmt: skip
    widened = requester.get(f"/requests/?agency_id={other}").get_data(as_text=True)
    assert re.search(r'id="list-total"[^>]*>0</span>', widened)


def test_the_requests_list_keeps_verdict_horizon_and_the_new_button(
    world_app: tuple[Flask, World],
) -> None:
    app, world = world_app
    viewer = client_as(app, world.users["viewer"]).get("/requests/?per_page=25").text
    requester = client_as(app, world.users["requester"]).get("/requests/").text
    vietnamese = client_as(app, world.users["viewer"], "vi").get("/requests/?per_page=25").text

    assert "Host until 1 Apr 2027" in viewer and "2027-04-01" not in viewer
    assert "5 years" in viewer and "1 year<" in viewer  # the horizon, its plural right
    assert "01/04/2027" in vietnamese and "2027-04-01" not in vietnamese
    assert 'id="new-request"' in requester and 'id="new-request"' not in viewer
    rows = viewer[viewer.index("<tbody") :]
    assert ">Evaluated<" in rows and ">Submitted<" in rows  # statuses named, not their values


def test_requests_filter_and_sort_as_the_api_does(world_app: tuple[Flask, World]) -> None:
    app, world = world_app
    viewer = client_as(app, world.users["viewer"])
    for query in ("status=evaluated", "q=camera", "horizon_years__lte=2", "ordering=-go_live"):
        html = viewer.get(f"/requests/?per_page=25&{query}").get_data(as_text=True)
        shown = [int(i) for i in re.findall(r'href="/requests/(\d+)"', html)]
        assert shown == [r["id"] for r in api_rows(viewer, REQUESTS_PAGE, query)], query
    assert viewer.get("/requests/?status=lost").status_code == 400


def test_a_discrepancy_links_the_record_it_names(
    client: FlaskClient, world_app: tuple[Flask, World]
) -> None:
    _, world = world_app
    html = client.get("/discrepancies/?per_page=25").get_data(as_text=True)
    rows = html[html.index('id="rows"') :]
    assert f'<a href="/devices/{world.device}">{world.device}</a>' in rows


def test_records_gone_or_without_a_page_are_named_without_a_link(
    world_app: tuple[Flask, World],
) -> None:
    app, world = world_app
    named = [("device", world.device), ("device", 2_000_000), ("no_such_table", 1)]
    with app.test_request_context():
        links = record_links(get_session(), named)
    assert links == {("device", world.device): f"/devices/{world.device}"}
