"""``?export=csv`` and ``?export=json`` of a list page: every matching row, streamed.

The rows are the API's documents of the resource (``Resource.rows``), read in
chunks with the list's own filters, search and order, so an export of a
filtered list holds exactly what ``/api/v1/<path>/`` pages through with the
same parameters, however many rows match, and memory stays flat. CSV names a
related record by its display name (or id), a list by its items joined.

A list whose API documents are richer than its resource's generated rows (a
request with its latest verdict) says how it reads them (``DocumentExport``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from flask import Response, request, stream_with_context
from sqlalchemy.orm import Session

from cmdb.services.listing import ListQuery
from cmdb.services.row_listing import load_rows
from web.api.resource import Resource
from web.api.resource_schema import detail_url_base
from web.db import get_session

EXPORTS = ("csv", "json")
CHUNK = 1000


@dataclass(frozen=True)
class DocumentExport:
    """How a list reads the API's documents itself: ``chunk`` gives those of the rows a
    query's limit and offset select, dumped as the API sends them; ``csv_fields`` are
    the CSV's columns, a dotted path into a document each (``agency.name``)."""

    chunk: Callable[[Session, ListQuery], list[dict[str, Any]]]
    csv_fields: tuple[str, ...]


def export_response(
    resource: Resource, query: ListQuery, kind: str, own: DocumentExport | None = None
) -> Response:
    """The streamed download of every row ``query`` matches (its limit and offset ignored)."""
    documents = _documents(resource, query) if own is None else _own_documents(own, query)
    if kind == "json":
        body, mimetype = _json_lines(documents), "application/json"
    else:
        header = own.csv_fields if own is not None else _csv_fields(resource)
        body, mimetype = _csv_lines(header, documents), "text/csv; charset=utf-8"
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


def _own_documents(own: DocumentExport, query: ListQuery) -> Iterator[dict[str, Any]]:
    offset = 0
    while True:
        chunk = own.chunk(get_session(), replace(query, limit=CHUNK, offset=offset))
        yield from chunk
        if len(chunk) < CHUNK:
            return
        offset += CHUNK


def _json_lines(documents: Iterator[dict[str, Any]]) -> Iterator[str]:
    """One JSON array, written a row at a time."""
    yield "["
    for index, doc in enumerate(documents):
        yield ("," if index else "") + json.dumps(doc, default=_plain, ensure_ascii=False)
    yield "]\n"


def _csv_fields(resource: Resource) -> tuple[str, ...]:
    return tuple(name for name in resource.schema.dump_fields if name != "url")


def _csv_lines(header: tuple[str, ...], documents: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for doc in documents:
        writer.writerow([csv_value(_at_path(doc, name)) for name in header])
        if buffer.tell() > 64_000:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _at_path(doc: dict[str, Any], path: str) -> Any:
    """``agency.name`` read from a document, None as soon as a step is missing."""
    value: Any = doc
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


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
