"""The inventory's list pages (sites, clusters, storage pools, links, information
systems, workloads): filters, ``q`` search, sortable columns and pages.

One view serves every page of ``web.ui.catalog``. The query string is read with
the REST API's own schema of the resource, so a filter means the same in both;
a bad value re-shows the form with the field's message (HTTP 400), never an
unfiltered list the user believes is filtered.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import marshmallow as ma
from flask import current_app, render_template, request
from werkzeug.datastructures import MultiDict

from cmdb.services.link_usage import load_link_peaks
from cmdb.services.listing import ListQuery, load_page
from cmdb.services.paging import Page, clamp_page
from web.api.resource_args import list_query
from web.db import get_session
from web.input_limits import bounded_int
from web.ui import bp
from web.ui.catalog import LIST_PAGES, ListPage

#: Query parameters of the page itself, not of the API's filters.
PAGE_ARG = "page"


def parse_list_args(page: ListPage, args: MultiDict[str, str]) -> dict[str, Any]:
    """The API's parsed filter values; ``ma.ValidationError`` names each bad field.

    Empty values are dropped: a filter form posts ``status=`` for "any status".
    """
    given = MultiDict([(k, v) for k, v in args.items(multi=True) if v.strip() and k != PAGE_ARG])
    schema = page.resource.args_schema()
    loaded: dict[str, Any] = schema.load(given)
    return loaded


def render_list(page: ListPage) -> tuple[str, int]:
    size = int(current_app.config["CMDB_PAGE_SIZE"])
    number = request.args.get(PAGE_ARG, 1, type=bounded_int) or 1
    try:
        args = parse_list_args(page, request.args)
    except ma.ValidationError as error:
        empty: Page[Any] = Page(items=[], total=0, number=1, size=size)
        return _render(page, empty, {}, error.normalized_messages()), 400
    session = get_session()
    query = list_query(page.resource, {**args, "limit": size, "offset": (number - 1) * size})
    total, rows = load_page(session, page.resource.model, query)
    if rows == [] and total and number > 1:  # past the end: show the last page
        number = clamp_page(number, total, size)
        total, rows = load_page(session, page.resource.model, _at_page(query, number, size))
    usage = load_link_peaks(session, [r.id for r in rows]) if _shows_usage(page) else {}
    result = Page(items=rows, total=total, number=number, size=size)
    return _render(page, result, args, {}, usage=usage), 200


def _at_page(query: ListQuery, number: int, size: int) -> ListQuery:
    return replace(query, offset=(number - 1) * size)


def _shows_usage(page: ListPage) -> bool:
    return any(c.kind == "usage" for c in page.columns)


def _render(
    page: ListPage,
    result: Page[Any],
    args: dict[str, Any],
    errors: dict[str, Any],
    usage: dict[int, float] | None = None,
) -> str:
    keep = {k: v for k, v in request.args.items() if v.strip() and k != PAGE_ARG}
    ordering = args.get("ordering") or []
    return render_template(
        "inventory/list.html",
        list_page=page,
        page=result,
        filter_args=keep,
        ordering=ordering[0] if ordering else "",
        errors=errors,
        usage=usage or {},
    )


def _list_view(page: ListPage) -> Any:
    def view() -> tuple[str, int]:
        return render_list(page)

    view.__name__ = page.endpoint.removeprefix("ui.")
    return view


for _page in LIST_PAGES:
    bp.add_url_rule(f"/{_page.key}/", view_func=_list_view(_page))
