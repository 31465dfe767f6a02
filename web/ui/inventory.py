"""The list pages of every object kind: filters, ``q`` search, sortable columns,
pages of a chosen size, shown columns, and CSV/JSON export.

One view serves every page of ``web.ui.catalog``. The query string is read with
the REST API's own schema of the resource, so a filter means the same in both
(the filter form is built from the same declaration: ``web.ui.list_form``). A
bad value re-shows the form with the field's message (HTTP 400), never an
unfiltered list the user believes is filtered; a parameter the list does not
know is named on the page as ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import marshmallow as ma
from flask import current_app, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from capacity.inputs import load_link_peaks
from capacity.utilisation import CurrentPeak
from cmdb.schemas import flatten_errors
from cmdb.services.listing import ListQuery, load_page
from cmdb.services.paging import Page, clamp_page
from cmdb.services.request_list import EvaluationSummary, load_latest_evaluations
from cmdb.services.source_deletions import load_deleted
from web.api.blueprint import QueryArgs
from web.api.resource_args import list_query
from web.api.resource_views import readable_only
from web.db import get_session
from web.input_limits import bounded_int
from web.today import today_or_real
from web.ui import bp
from web.ui.catalog import LIST_PAGES, ListPage
from web.ui.links import record_links
from web.ui.list_export import EXPORTS, export_response
from web.ui.list_form import Names, form_fields
from web.ui.list_prefs import PER_PAGE_CHOICES, choose_columns, per_page, shown_columns
from web.validation_messages import translate_errors

PAGE_ARG = "page"
#: Parameters of the page itself (not filters): its number and size, an export,
#: and the admin-unit page's choice between its tree and its list.
PAGE_ARGS = frozenset({PAGE_ARG, "per_page", "export", "view"})
#: The API's own paging and shape, which a page sets itself.
API_ONLY = frozenset({"limit", "offset", "brief"})


def known_parameters(page: ListPage) -> frozenset[str]:
    """The filter, search and order parameters the page takes: the API list's, less paging."""
    return frozenset(page.resource.list_args.fields) - API_ONLY


def split_args(page: ListPage, args: MultiDict[str, str]) -> tuple[MultiDict[str, str], list[str]]:
    """The filled-in parameters the list takes, and the names of those it ignores."""
    known = known_parameters(page)
    given = MultiDict([(k, v) for k, v in args.items(multi=True) if k in known and v.strip()])
    ignored = sorted({k for k in args if k not in known and k not in PAGE_ARGS})
    return given, ignored


def parse_list_args(page: ListPage, given: MultiDict[str, str]) -> dict[str, Any]:
    """The API's parsed filter values; ``ma.ValidationError`` names each bad field."""
    schema = page.resource.list_args
    # Read as the API reads its query string, so a repeated parameter (``tag``) is a list.
    loaded: dict[str, Any] = schema.load(QueryArgs(given, schema))
    return loaded


@dataclass(frozen=True)
class RowFacts:
    """By row id: a link's current peak (``usage`` columns), a request's latest verdict;
    by kind and id, the page of a record a row names (``record`` columns)."""

    usage: dict[int, CurrentPeak] = field(default_factory=dict)
    verdicts: dict[int, EvaluationSummary] = field(default_factory=dict)
    records: dict[tuple[str, int], str] = field(default_factory=dict)


def render_list(page: ListPage) -> tuple[str, int] | Response:
    given, ignored = split_args(page, request.args)
    size = per_page(page.key, request.args.get("per_page"), current_app.config["CMDB_PAGE_SIZE"])
    try:
        args = parse_list_args(page, given)
    except ma.ValidationError as error:
        empty: Page[Any] = Page(items=[], total=0, number=1, size=size)
        return _render(page, empty, {}, field_errors(error.normalized_messages()), ignored), 400
    if not args.get("ordering") and page.default_ordering:
        args["ordering"] = [page.default_ordering]
    # The rows the reader may read, as the API's list gives them (a requester: their agency's).
    asked = list_query(page.resource, {**args, "limit": size, "offset": 0})
    query = readable_only(page.resource, asked)
    export = request.args.get("export", "")
    if export in EXPORTS:
        return export_response(page.resource, query, export, page.export)
    number = max(1, request.args.get(PAGE_ARG, 1, type=bounded_int) or 1)
    session = get_session()
    total, rows = load_page(session, page.resource.model, _at_page(query, number, size))
    if rows == [] and total and number > 1:  # past the end: show the last page
        number = clamp_page(number, total, size)
        total, rows = load_page(session, page.resource.model, _at_page(query, number, size))
    result = Page(items=rows, total=total, number=number, size=size)
    return _render(page, result, args, {}, ignored, facts=_row_facts(page, rows)), 200


def field_errors(messages: Any) -> dict[str, list[str]]:
    """Each filter's messages, translated; a repeated filter's (``id[0]``) under its name."""
    out: dict[str, list[str]] = {}
    for path, found in flatten_errors(messages).items():
        out.setdefault(path.split("[")[0], []).extend(found)
    return translate_errors(out)


def _kept_args(known: frozenset[str]) -> dict[str, str | list[str]]:
    """The filled-in parameters links of the page carry on; a repeated one (``tag``) whole."""
    keep: dict[str, str | list[str]] = {}
    for key in request.args:
        values = [v for v in request.args.getlist(key) if v.strip()]
        if values and (key in known or key == "view"):
            keep[key] = values if len(values) > 1 else values[0]
    return keep


def _at_page(query: ListQuery, number: int, size: int) -> ListQuery:
    return replace(query, offset=(number - 1) * size)


def _shows(page: ListPage, kind: str) -> bool:
    return any(c.kind == kind for c in page.columns)


def _row_facts(page: ListPage, rows: list[Any]) -> RowFacts:
    """What the page's rows show beyond their own columns, one query for all of them."""
    session, ids = get_session(), [r.id for r in rows]
    return RowFacts(
        usage=load_link_peaks(session, ids, at=today_or_real()) if _shows(page, "usage") else {},
        verdicts=load_latest_evaluations(session, ids) if _shows(page, "verdict") else {},
        records=(
            record_links(session, ((r.object_type, r.object_id) for r in rows))
            if _shows(page, "record")
            else {}
        ),
    )


def _render(
    page: ListPage,
    result: Page[Any],
    args: dict[str, Any],
    errors: dict[str, Any],
    ignored: list[str],
    facts: RowFacts | None = None,
) -> str:
    known = known_parameters(page)
    keep = _kept_args(known)
    ordering = args.get("ordering") or []
    paths = [c.path for c in page.columns]
    shown = shown_columns(page.key, paths)
    names = Names(
        label={c.path: c.label for c in page.columns},
        values={c.path: c.labels for c in page.columns if c.labels},
    )
    return render_template(
        "inventory/list.html",
        list_page=page,
        page=result,
        filter_args=keep,
        ordering=ordering[0] if ordering else "",
        errors=errors,
        ignored=ignored,
        usage=facts.usage if facts else {},
        verdicts=facts.verdicts if facts else {},
        records=facts.records if facts else {},
        deleted=_deleted(page, result),
        form=form_fields(page.resource, names, get_session()),
        columns=[c for c in page.columns if c.path in shown],
        shown=shown,
        per_page_choices=PER_PAGE_CHOICES,
    )


def _deleted(page: ListPage, result: Page[Any]) -> dict[int, tuple[str, Any]]:
    """The rows of the page their source deleted (one query): "deleted in NetBox on …"."""
    table = getattr(page.resource.model, "__tablename__", None)
    ids = [row.id for row in result.items if isinstance(getattr(row, "id", None), int)]
    return load_deleted(get_session(), table, ids) if table and ids else {}


def save_columns(page: ListPage) -> Response:
    """``POST /<key>/columns``: remember the columns chosen, back to the list as it was."""
    choose_columns(page.key, request.form.getlist("columns"), [c.path for c in page.columns])
    back = request.form.get("next", "")
    if not back.startswith("/") or back[1:2] in ("/", "\\"):  # only this site's paths
        back = url_for(page.endpoint)
    return redirect(back, code=303)


def _list_view(page: ListPage) -> Any:
    def view() -> tuple[str, int] | Response:
        return render_list(page)

    view.__name__ = page.endpoint.removeprefix("ui.")
    return view


def _columns_view(page: ListPage) -> Any:
    def view() -> Response:
        return save_columns(page)

    view.__name__ = page.endpoint.removeprefix("ui.") + "_columns"
    return view


for _page in LIST_PAGES:
    if _page.routed:
        bp.add_url_rule(f"/{_page.key}/", view_func=_list_view(_page))
    bp.add_url_rule(f"/{_page.key}/columns", view_func=_columns_view(_page), methods=["POST"])
