"""What the requests list adds to the one list machinery (``web.ui.inventory``): its
export holds the API's documents of a request, the latest verdict included, so that
``/requests/?export=json`` is what ``/api/v1/requests/`` pages through."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cmdb.models import ResourceRequest
from cmdb.services.listing import ListQuery, load_page
from web.api.presenters import present_requests
from web.api.schemas.requests import RequestResourceSchema
from web.ui.list_export import DocumentExport

_SCHEMA = RequestResourceSchema()

#: The CSV's columns: the request's own fields, its agency by name, its latest verdict.
CSV_FIELDS = (
    *("id", "name", "agency.name", "status", "security_level", "zone", "go_live"),
    *("horizon_years", "growth_pct_per_year", "own_hardware_cost_vnd"),
    *("latest_evaluation.verdict", "latest_evaluation.until"),
    *("latest_evaluation.evaluated_at", "created_at", "updated_at", "approved_at"),
)


def request_documents(session: Session, query: ListQuery) -> list[dict[str, Any]]:
    """The API's documents of the requests ``query`` selects (its limit and offset)."""
    _total, rows = load_page(session, ResourceRequest, query)
    return [_SCHEMA.dump(doc) for doc in present_requests(session, rows)]


REQUEST_EXPORT = DocumentExport(chunk=request_documents, csv_fields=CSV_FIELDS)
