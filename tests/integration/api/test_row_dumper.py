"""The list's fast row dumper answers exactly what the resource's marshmallow schema dumps."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from cmdb.models import Device
from cmdb.services.listing import ListQuery, load_page
from tests.integration.api.readonly import read_app, read_db, read_db_file
from web.api.resource import Resource
from web.api.resources import RESOURCES
from web.db import get_db

__all__ = ["read_app", "read_db", "read_db_file"]


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.path)
def test_row_dumper_matches_marshmallow(
    resource: Resource, read_app: Flask, read_db: Session
) -> None:
    _total, rows = load_page(read_db, resource.model, ListQuery(loads=resource.loads, limit=30))
    assert rows, f"the demo has no {resource.label}"
    with read_app.test_request_context("/api/v1/"):
        assert [resource.dump(r) for r in rows] == resource.schema.dump(rows, many=True)
        assert [resource.dump_brief(r) for r in rows] == resource.brief_schema.dump(rows, many=True)


def test_a_short_page_needs_no_count_query(read_app: Flask, read_db: Session) -> None:
    """The total of a page that is not full is known without counting again."""
    everything = read_db.scalar(sa.select(sa.func.count()).select_from(Device))
    client = read_app.test_client()
    with statements(read_app) as seen:
        body = client.get("/api/v1/devices/?limit=1000").get_json()
    assert body["count"] == everything == len(body["results"])
    assert not [s for s in seen if "count(" in s.lower()]
    with statements(read_app) as seen:
        body = client.get("/api/v1/devices/?limit=2&offset=1").get_json()
    assert body["count"] == everything and len(body["results"]) == 2
    assert len([s for s in seen if "count(" in s.lower()]) == 1  # a full page counts


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
