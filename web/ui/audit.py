"""``/audit/``: the discrepancies with filters, acknowledgement with a comment, CSV export.

The rows, the filter and the acknowledgement are the services the CLI and the API
use; this module only reads the form and renders. Engineers (and admins)
acknowledge; the server refuses anyone else, whatever the page showed them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from cmdb.actions import discrepancies as discrepancy_actions
from cmdb.actions.policy import Permission, may
from cmdb.choices import DiscrepancyKind, DiscrepancyStatus
from cmdb.errors import CmdbError, ConflictError, NotFoundError, ValidationError
from cmdb.models import Site
from cmdb.services.discrepancy_export import (
    count_discrepancies,
    format_value,
    load_discrepancy_rows,
)
from cmdb.services.discrepancy_filter import SOURCE_KEYS, DiscrepancyFilter, parse_filter
from cmdb.services.paging import Page, clamp_page
from web.auth.caller import ui_unit
from web.auth.identity import current_user
from web.db import get_session
from web.input_limits import bounded_int
from web.ui import bp

FILTERS = ("kind", "site", "source", "status")


@bp.app_template_filter("audit_value")
def audit_value(value: Any) -> str:
    return format_value(value)


@bp.app_template_filter("audit_time")
def audit_time(at: datetime | None) -> str:
    """Minutes are enough to tell nights apart; stored times are UTC."""
    return at.strftime("%Y-%m-%d %H:%M") if at is not None else "—"


def may_acknowledge() -> bool:
    return may(current_user(), Permission.ACKNOWLEDGE_DISCREPANCY)


@bp.get("/audit/")
def audit() -> str:
    return _render(_filter_or_400(request.args))


@bp.post("/audit/<int:discrepancy_id>/acknowledge")
def acknowledge(discrepancy_id: int) -> Response | tuple[str, int]:
    """Acknowledge, then back to the same filtered list; a form error re-renders it (400)."""
    if not may_acknowledge():
        abort(403)
    args: dict[str, Any] = {k: v for k, v in request.form.items() if k in FILTERS and v}
    where = _filter_or_400(MultiDict(args))
    try:
        discrepancy_actions.acknowledge(ui_unit(), discrepancy_id, request.form.get("comment"))
    except NotFoundError:
        abort(404)
    except ValidationError as exc:
        return _render(where, error=(discrepancy_id, _message(exc))), 400
    except ConflictError as exc:
        return _render(where, error=(discrepancy_id, _message(exc))), 409
    return redirect(url_for("ui.audit", **args))


def _message(exc: CmdbError) -> str:
    if isinstance(exc, ValidationError):
        return _("Give a comment: say why the discrepancy is acknowledged.")
    return _("Only an open discrepancy can be acknowledged; reload the page.")


def _render(where: DiscrepancyFilter, error: tuple[int, str] | None = None) -> str:
    session = get_session()
    size = int(current_app.config["CMDB_PAGE_SIZE"])
    total = count_discrepancies(session, where)
    number = clamp_page(request.args.get("page", 1, type=bounded_int), total, size)
    rows = load_discrepancy_rows(session, where, limit=size, offset=(number - 1) * size)
    filter_args = _args(where)
    return render_template(
        "audit/list.html",
        page=Page(items=rows, total=total, number=number, size=size),
        where=where,
        filter_args=filter_args,
        kinds=list(DiscrepancyKind),
        statuses=list(DiscrepancyStatus),
        sources=SOURCE_KEYS,
        sites=session.execute(sa.select(Site.slug, Site.name).order_by(Site.name)).all(),
        can_acknowledge=may_acknowledge(),
        error=error,
    )


def _args(where: DiscrepancyFilter) -> dict[str, str]:
    values: dict[str, Any] = {
        "kind": where.kind,
        "site": where.site,
        "source": where.source,
        "status": where.status,
    }
    return {k: str(getattr(v, "value", v)) for k, v in values.items() if v is not None}


def _filter_or_400(args: MultiDict[str, str]) -> DiscrepancyFilter:
    """A bad kind, status or source is a 400: ignoring it would show an unfiltered list."""
    try:
        return parse_filter({name: args.get(name) for name in FILTERS})
    except ValidationError:
        abort(400)
