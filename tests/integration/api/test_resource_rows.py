"""A list's rows (plain columns, ``web.api.resource_rows``) give exactly the documents the
resource's marshmallow schema dumps of its ORM records, on SQLite and PostgreSQL; a short
page needs no count."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, request
from sqlalchemy.orm import Session

from cmdb.demo import DemoSummary
from cmdb.models import Device
from cmdb.services import row_count
from cmdb.services.listing import ListQuery, load_page
from cmdb.services.row_listing import load_rows
from tests.integration.api.readonly import (
    add_audit_rows,
    read_app,
    read_db,
    read_db_file,
    read_url,
)
from web import create_app
from web.api.resource import Resource
from web.api.resource_schema import detail_url_base
from web.api.resources import DEVICES, RESOURCES
from web.db import get_db

__all__ = ["read_app", "read_db", "read_db_file", "read_url"]


@pytest.fixture(scope="module")
def world(demo: tuple[Session, DemoSummary]) -> Session:
    """The demo on each backend, plus the runs, discrepancies, samples and changes it lacks."""
    session, _summary = demo
    add_audit_rows(session)
    session.flush()
    return session


@pytest.fixture(scope="module")
def url_app() -> Flask:
    """An app for its URLs only: the rows come from ``world``."""
    return create_app({"TESTING": True, "CMDB_DATABASE_URL": "sqlite://", "SECRET_KEY": "t"})


@pytest.mark.parametrize("brief", [False, True], ids=["full", "brief"])
@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.path)
def test_list_rows_are_what_the_schema_dumps_of_the_records(
    resource: Resource, brief: bool, world: Session, url_app: Flask
) -> None:
    """Two independent paths: ORM records dumped by marshmallow, and the plan's columns.

    Compared as JSON text, so that a value of another type that compares equal in
    Python (``1`` and ``1.0``, ``True`` and ``1``) still fails. Ordered by the last
    declared ordering, descending, one row skipped: the page is the same page too.
    """
    schema = resource.brief_schema if brief else resource.schema
    plan = resource.brief_rows if brief else resource.rows
    query = ListQuery(
        ordering=(f"-{resource.orderings[-1]}",), loads=resource.loads, limit=40, offset=1
    )
    total, records = load_page(world, resource.model, query)
    count, rows = load_rows(world, plan.selection, query)
    assert records, f"the demo has no {resource.label}"
    assert count == total
    with url_app.test_request_context("/api/v1/"):
        document = plan.documents(request.url_root, detail_url_base)
        fast = url_app.json.dumps([document(row) for row in rows])
        assert fast == url_app.json.dumps(schema.dump(records, many=True))


@pytest.mark.parametrize("offset", [0, 2, 100_000], ids=["first", "later", "past-the-end"])
@pytest.mark.parametrize("resource", [r for r in RESOURCES if r.search], ids=lambda r: r.path)
def test_a_searched_page_and_its_count_are_the_records(
    resource: Resource, offset: int, world: Session, url_app: Flask
) -> None:
    """A search reads its page and its count in one statement (the matches, counted, and the
    page of them): the same rows in the same order and the same count as the ORM's page and
    its own count query, on a first page, a later one, and one past the end."""
    query = ListQuery(
        search="e",
        search_columns=resource.search,
        ordering=(f"-{resource.orderings[-1]}",),
        loads=resource.loads,
        limit=3,
        offset=offset,
    )
    total, records = load_page(world, resource.model, query)
    count, rows = load_rows(world, resource.rows.selection, query)
    assert count == total
    with url_app.test_request_context("/api/v1/"):
        document = resource.rows.documents(request.url_root, detail_url_base)
        fast = url_app.json.dumps([document(row) for row in rows])
        assert fast == url_app.json.dumps(resource.schema.dump(records, many=True))


@pytest.mark.parametrize("q", ["e", "1"], ids=["letters", "caseless"])
def test_a_search_reads_its_page_and_count_in_one_statement(
    q: str, read_app: Flask, read_db: Session
) -> None:
    """However many match, a searched page is one statement; past the end it counts apart.
    A text without letters matches by ``LIKE``, the rows ``ILIKE`` finds."""
    columns = ("name", "serial", "management_address", "model")
    searched = sa.or_(*(getattr(Device, c).ilike(f"%{q}%") for c in columns))
    matching = read_db.scalar(sa.select(sa.func.count()).select_from(Device).where(searched))
    assert matching is not None
    client = read_app.test_client()
    for path in (f"/api/v1/devices/?q={q}&limit=2", f"/api/v1/devices/?q={q}&limit=1000"):
        with statements(read_app) as seen:
            body = client.get(path).get_json()
        assert len(queries(seen)) == 1 and body["count"] == matching > 2
        in_any_case = "ILIKE" in seen[-1] or "lower(" in seen[-1]
        assert in_any_case is (q == "e")
    with statements(read_app) as seen:
        body = client.get(f"/api/v1/devices/?q={q}&offset=100000").get_json()
    assert len(queries(seen)) == 2 and body["count"] == matching and body["results"] == []


def queries(statements: list[str]) -> list[str]:
    """The statements that read (SQLite's ``BEGIN`` left out)."""
    return [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]


def test_a_short_page_needs_no_count_query(read_app: Flask, read_db: Session) -> None:
    """The total of a page that is not full is known without counting again."""
    everything = read_db.scalar(sa.select(sa.func.count()).select_from(Device))
    client = read_app.test_client()
    row_count.forget()  # PostgreSQL's cached count of an earlier test would answer instead
    with statements(read_app) as seen:
        body = client.get("/api/v1/devices/?limit=1000").get_json()
    assert body["count"] == everything == len(body["results"])
    assert not [s for s in seen if "count(" in s.lower()]
    with statements(read_app) as seen:
        body = client.get("/api/v1/devices/?limit=2&offset=1").get_json()
    assert body["count"] == everything and len(body["results"]) == 2
    assert len([s for s in seen if "count(" in s.lower()]) == 1  # a full page counts


def test_a_device_page_joins_nothing() -> None:
    """Site, rack, cluster and pool are looked up per row: their ids are the device's
    foreign keys, and PostgreSQL plans a page without joins in half the time."""
    assert not DEVICES.rows.selection.joins and not DEVICES.brief_rows.selection.joins
    assert "JOIN" not in str(DEVICES.rows.selection.statement)


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    with app.app_context():
        engine = get_db().engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
