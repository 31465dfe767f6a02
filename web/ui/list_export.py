"""``?export=csv`` and ``?export=json`` of a list page: every matching row, streamed.

The rows are the API's documents of the resource (``Resource.rows``), read in
chunks with the list's own filters, search and order, so an export of a
filtered list holds exactly what ``/api/v1/<path>/`` pages through with the
same parameters, however many rows match, and memory stays flat. CSV names a
related record by its display name (or id), a list by its items joined.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from flask import Response, request, stream_with_context

from cmdb.services.listing import ListQuery
from cmdb.services.row_listing import load_rows
from web.api.resource import Resource
from web.api.resource_schema import detail_url_base
from web.db import get_session

EXPORTS = ("csv", "json")
CHUNK = 1000


def export_response(resource: Resource, query: ListQuery, kind: str) -> Response:
    """The streamed download of every row ``query`` matches (its limit and offset ignored)."""
    documents = _documents(resource, query)
    if kind == "json":
        body, mimetype = _json_lines(documents), "application/json"
    else:
        body, mimetype = _csv_lines(resource, documents), "text/csv; charset=utf-8"
    response = Response(stream_with_context(body), mimetype=mimetype)
    filename = f"{resource.path}.{kind}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _documents(resource: Resource, query: ListQuery) -> Iterator[dict[str, Any]]:
    plan = resource.rows
    document = plan.documents(request.url_root, detail_url_base)
    offset = 0
    while True:
        chunk = replace(query, limit=CHUNK, offset=offset)
        _, rows = load_rows(get_session(), plan.selection, chunk)
        yield from (document(row) for row in rows)
        if len(rows) < CHUNK:
            return
        offset += CHUNK


def _json_lines(documents: Iterator[dict[str, Any]]) -> Iterator[str]:
    """One JSON array, written a row at a time."""
    yield "["
    for index, doc in enumerate(documents):
        yield ("," if index else "") + json.dumps(doc, default=_plain, ensure_ascii=False)
    yield "]\n"


def _csv_lines(resource: Resource, documents: Iterator[dict[str, Any]]) -> Iterator[str]:
    header = [name for name in resource.schema.dump_fields if name != "url"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for doc in documents:
        writer.writerow([csv_value(doc.get(name)) for name in header])
        if buffer.tell() > 64_000:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def csv_value(value: Any) -> str:
    """One CSV cell: a related record by name (else its display, else its id)."""
    if value is None:
        return ""
    if isinstance(value, dict):
        for key in ("name", "display", "code", "id"):
            if value.get(key) is not None:
                return str(value[key])
        return ""
    if isinstance(value, list):
        return ", ".join(csv_value(item) for item in value)
    return str(_plain(value)) if isinstance(value, date | datetime) else str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)
