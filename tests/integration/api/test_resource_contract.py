"""Contract tests generated from the resource declarations (``web.api.resources``).

Every declared resource gets the same checks on the demo province: the list
envelope, paging, every filter parameter (its count equals an independent SQL
count), ``q=``, every ordering, ``brief=1``, detail, 404, an unknown filter →
400, and a constant number of queries per page whatever its size (no N+1).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cmdb.services import row_count
from cmdb.services.listing import Lookup
from tests.integration.api.readonly import (
    counting_queries,
    read_app,
    read_client,
    read_db,
    read_db_file,
    read_url,
)
from tests.integration.api.test_errors import assert_error
from web.api.resource import Resource
from web.api.resource_args import filter_parameters, ordering_values
from web.api.resources import CHANGES, RESOURCES

__all__ = ["read_app", "read_client", "read_db", "read_db_file", "read_url"]

ENVELOPE = {"count", "next", "previous", "results"}


def is_text(kind: sa.types.TypeEngine[Any]) -> bool:
    return isinstance(kind, sa.String) and not isinstance(kind, sa.Enum)


FILTERS = [
    pytest.param(r, parameter, column, lookup, id=f"{r.path}-{parameter}")
    for r in RESOURCES
    for parameter, (column, lookup) in filter_parameters(r).items()
]
TYPED_FILTERS = [  # any text is a valid text filter; the others have a type to break
    p for p in FILTERS if not is_text(p.values[0].column(p.values[2]).type)
]
ORDERINGS = [
    pytest.param(r, value, id=f"{r.path}-{value}")
    for r in RESOURCES
    for value in ordering_values(r)
]
BY_RESOURCE = [pytest.param(r, id=r.path) for r in RESOURCES]
WITH_DETAIL = [pytest.param(r, id=r.path) for r in RESOURCES if r.detail]


def url(resource: Resource, suffix: str = "") -> str:
    return f"/api/v1/{resource.path}/{suffix}"


def as_text(value: Any) -> str:
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def sample_value(db: Session, resource: Resource, column: str) -> Any:
    """A value the column holds on the demo (with ``add_audit_rows``); none is a failure:
    the filter would go untested."""
    attribute = getattr(resource.model, column)
    value = db.scalar(sa.select(attribute).where(attribute.isnot(None)).limit(1))
    assert value is not None, f"the demo has no {resource.path} with a {column}"
    return value


def expected_count(db: Session, resource: Resource, column: str, lookup: Lookup, value: Any) -> int:
    attribute = getattr(resource.model, column)
    condition = {
        Lookup.EXACT: lambda: attribute == value,
        Lookup.IN: lambda: attribute.in_([value]),
        Lookup.GTE: lambda: attribute >= value,
        Lookup.LTE: lambda: attribute <= value,
    }[lookup]()
    return db.scalar(sa.select(sa.func.count()).select_from(resource.model).where(condition)) or 0


@pytest.mark.parametrize("resource", BY_RESOURCE)
def test_list_is_a_netbox_page(read_client: FlaskClient, resource: Resource) -> None:
    response = read_client.get(url(resource))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == ENVELOPE
    assert len(body["results"]) == min(body["count"], 50)
    assert all(set(row) == set(resource.fields) for row in body["results"])


@pytest.mark.parametrize("resource", BY_RESOURCE)
def test_pages_follow_next_and_previous(read_client: FlaskClient, resource: Resource) -> None:
    total = read_client.get(url(resource, "?limit=1")).get_json()["count"]
    assert total >= 2, f"the demo has fewer than two {resource.path}"
    first = read_client.get(url(resource, "?limit=1")).get_json()
    second = read_client.get(first["next"]).get_json()
    assert first["previous"] is None
    assert len(second["results"]) == 1 and second["results"] != first["results"]
    assert read_client.get(second["previous"]).get_json()["results"] == first["results"]
    past = read_client.get(url(resource, f"?offset={total}")).get_json()
    assert past["results"] == [] and past["next"] is None


@pytest.mark.parametrize("limit", [0, 1001, "x"])
@pytest.mark.parametrize("resource", BY_RESOURCE)
def test_a_bad_limit_is_a_400(read_client: FlaskClient, resource: Resource, limit: Any) -> None:
    body = assert_error(read_client.get(url(resource, f"?limit={limit}")), 400)
    assert "limit" in body["errors"]


@pytest.mark.parametrize("resource", BY_RESOURCE)
def test_an_unknown_filter_is_a_400(read_client: FlaskClient, resource: Resource) -> None:
    body = assert_error(read_client.get(url(resource, "?colour=blue")), 400)
    assert "colour" in body["errors"]


@pytest.mark.parametrize(("resource", "parameter", "column", "lookup"), FILTERS)
def test_filter(
    read_client: FlaskClient,
    read_db: Session,
    resource: Resource,
    parameter: str,
    column: str,
    lookup: Lookup,
) -> None:
    value = sample_value(read_db, resource, column)
    sent = as_text(value)[:3] if lookup is Lookup.ICONTAINS else as_text(value)
    response = read_client.get(url(resource), query_string={parameter: sent, "limit": 1000})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    if lookup is Lookup.ICONTAINS:
        assert body["count"] >= 1
    else:
        assert body["count"] == expected_count(read_db, resource, column, lookup, value)


@pytest.mark.parametrize(("resource", "parameter", "column", "lookup"), TYPED_FILTERS)
def test_a_filter_value_of_the_wrong_type_is_a_400(
    read_client: FlaskClient, resource: Resource, parameter: str, column: str, lookup: Lookup
) -> None:
    assert_error(read_client.get(url(resource), query_string={parameter: "not-a-value"}), 400)


@pytest.mark.parametrize("resource", [r for r in BY_RESOURCE if r.values[0].search])
def test_search_finds_a_row_by_its_text(
    read_client: FlaskClient, read_db: Session, resource: Resource
) -> None:
    value = as_text(sample_value(read_db, resource, resource.search[0]))
    body = read_client.get(url(resource), query_string={"q": value}).get_json()
    assert body["count"] >= 1
    nothing = read_client.get(url(resource), query_string={"q": "~no such text~"}).get_json()
    assert nothing["count"] == 0


@pytest.mark.parametrize(("resource", "value"), ORDERINGS)
def test_ordering(read_client: FlaskClient, resource: Resource, value: str) -> None:
    plain = read_client.get(url(resource, "?limit=1000")).get_json()
    ordered = read_client.get(url(resource), query_string={"ordering": value, "limit": 1000})
    assert ordered.status_code == 200, ordered.get_data(as_text=True)
    rows = ordered.get_json()["results"]
    assert sorted(map(repr, rows)) == sorted(map(repr, plain["results"]))


@pytest.mark.parametrize("resource", BY_RESOURCE)
def test_an_unknown_ordering_is_a_400(read_client: FlaskClient, resource: Resource) -> None:
    assert_error(read_client.get(url(resource, "?ordering=colour")), 400)


@pytest.mark.parametrize("resource", BY_RESOURCE)
def test_brief_keeps_only_the_brief_fields(read_client: FlaskClient, resource: Resource) -> None:
    body = read_client.get(url(resource, "?brief=1")).get_json()
    assert all(set(row) == set(resource.brief) for row in body["results"])


@pytest.mark.parametrize("resource", WITH_DETAIL)
def test_detail_is_the_row_of_the_list(read_client: FlaskClient, resource: Resource) -> None:
    rows = read_client.get(url(resource, "?limit=1")).get_json()["results"]
    assert rows, f"the demo has no {resource.path}"
    response = read_client.get(rows[0]["url"])
    assert response.status_code == 200
    detail = response.get_json()
    assert all(isinstance(detail.pop(name), list) for name in resource.detail_nested)
    assert detail == rows[0]


@pytest.mark.parametrize("resource", WITH_DETAIL)
def test_an_unknown_id_is_a_404(read_client: FlaskClient, resource: Resource) -> None:
    body = assert_error(read_client.get(url(resource, "999999999")), 404)
    assert "999999999" in body["message"]


@pytest.mark.parametrize("brief", [False, True], ids=["full", "brief"])
@pytest.mark.parametrize("resource", BY_RESOURCE)
def test_a_page_costs_the_same_queries_whatever_its_size(
    read_app: Flask, read_client: FlaskClient, resource: Resource, brief: bool
) -> None:
    """No N+1: related records are loaded per page (one query per relation), not per row."""
    read_client.get(url(resource, "?limit=1"))  # warm up
    costs = {}
    for limit in (50, 500):
        row_count.forget()  # on PostgreSQL, a cached table count would save a query by luck
        with counting_queries(read_app) as queries:
            body = read_client.get(url(resource, f"?limit={limit}&brief={int(brief)}")).get_json()
        costs[len(body["results"])] = queries()
    # More rows never cost more queries (a page shorter than its limit even skips the count).
    fewest, most = min(costs), max(costs)
    assert costs[most] <= costs[fewest], f"queries by rows on the page: {costs}"
    assert max(costs.values()) <= 2 + snapshot_queries(read_app) + len(resource.loads), costs


def snapshot_queries(app: Flask) -> int:
    """1 on PostgreSQL: a whole table's count first asks for the snapshot (``row_count``)."""
    return int(app.config["CMDB_DATABASE_URL"].startswith("postgresql"))


@pytest.mark.parametrize("resource", [r for r in WITH_DETAIL if r.values[0] is not CHANGES])
def test_a_records_change_log_costs_the_same_queries_whatever_its_size(
    read_app: Flask, read_client: FlaskClient, read_db: Session, resource: Resource
) -> None:
    row = read_db.scalars(sa.select(resource.model).limit(1)).first()
    assert row is not None, f"the demo has no {resource.path}"
    costs = []
    for limit in (50, 500):
        with counting_queries(read_app) as queries:
            response = read_client.get(url(resource, f"{row.id}/changes/?limit={limit}"))
        assert response.status_code == 200, response.get_data(as_text=True)
        costs.append(queries())
    assert costs[0] == costs[1] <= 2
