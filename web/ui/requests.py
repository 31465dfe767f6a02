"""A request's pages: project teams file requests and read the verdict; planners decide.
(The list, ``/requests/``, is the one list machinery's: ``web.ui.catalog.REQUESTS``.)

Every write goes through the request actions the API and the CLI call
(``capacity.request_actions``): permission and visibility checked there, one
transaction, the change log naming the user; a form with errors, a refused approval
or a failed evaluation leaves nothing written.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from capacity import actions, request_actions
from cmdb.choices import RequestStatus, Zone
from cmdb.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from cmdb.models import Agency, ResourceRequest, User
from cmdb.services.request_choices import load_agencies, load_target_units
from cmdb.services.request_list import (
    load_latest_evaluation,
    load_link_ends,
    load_rejection,
)
from cmdb.services.request_visibility import is_agency_bound
from cmdb.services.requests import get_request
from web.auth.caller import ui_unit
from web.auth.identity import current_user
from web.db import get_session
from web.input_limits import bounded_int
from web.today import configured_today, today_or_real
from web.ui import bp
from web.ui.appraisal_view import build_appraisal
from web.ui.refusals import explain_refusal
from web.ui.request_access import may_decide, may_evaluate, may_file, may_see, require
from web.ui.request_form import DC_NETWORKS, GENERAL, field_errors, parse_request_form
from web.ui.request_view import build_evaluation_view


@bp.route("/requests/new", methods=["GET", "POST"])
def new_request() -> str | Response | tuple[str, int]:
    user = current_user()
    require(may_file(user))
    assert user is not None
    session = get_session()
    agency = _filing_agency(user)
    errors: dict[str, list[str]] = {}
    form = parse_request_form(request.form, agency.name if agency else "")
    if request.method == "POST":
        try:
            filed = request_actions.file_request(
                ui_unit(), form.document, today=configured_today(), evaluate=True
            )
            return redirect(url_for("ui.request_detail", request_id=filed.request.id))
        except ForbiddenError:
            abort(403)
        except ValidationError as exc:
            errors = field_errors(exc.errors, form)
    page = render_template(
        "requests/new.html",
        form=form,
        errors=errors,
        general_errors=errors.get(GENERAL, []),
        agency=agency,
        agencies=[] if is_agency_bound(user) else load_agencies(session),
        units=load_target_units(session, today_or_real()),
        zones=list(Zone),
        dc_networks=DC_NETWORKS,
        today=today_or_real().isoformat(),
    )
    return (page, 400) if errors else page


def _filing_agency(user: User) -> Agency | None:
    """A requester files for their own agency; a planner or admin picks one in the form."""
    if not is_agency_bound(user):
        chosen = request.form.get("agency_id", type=bounded_int)
        return get_session().get(Agency, chosen) if chosen else None
    return get_session().get(Agency, user.agency_id) if user.agency_id else None


def _load_visible(request_id: int) -> ResourceRequest:
    try:
        req = get_request(get_session(), request_id)
    except NotFoundError:
        abort(404)
    require(may_see(current_user(), req))
    return req


@bp.get("/requests/<int:request_id>")
def request_detail(request_id: int) -> str:
    req = _load_visible(request_id)
    return render_template("requests/detail.html", **_request_context(req))


@bp.get("/requests/<int:request_id>/appraisal")
def request_appraisal(request_id: int) -> str:
    """The one A4 page a director signs (print CSS: ``css/appraisal.css``)."""
    req = _load_visible(request_id)
    context = _request_context(req)
    view = context["view"]
    appraisal = build_appraisal(view) if view is not None else None
    return render_template(
        "requests/appraisal.html", printed_on=today_or_real(), appraisal=appraisal, **context
    )


@bp.get("/requests/<int:request_id>/appraisal/annex")
def request_appraisal_annex(request_id: int) -> str:
    """The appraisal's detailed tables, printable on their own."""
    req = _load_visible(request_id)
    return render_template(
        "requests/appraisal_annex.html", printed_on=today_or_real(), **_request_context(req)
    )


def _request_context(req: ResourceRequest) -> dict[str, Any]:
    session = get_session()
    user = current_user()
    latest = load_latest_evaluation(session, req.id)
    levels = (req.spec.get("sites") or {}).get("levels") or []
    level = levels[0] if len(levels) == 1 else None
    view = build_evaluation_view(latest.result, level) if latest is not None else None
    link_ids = [int(row["resource"].split(":", 1)[1]) for row in view.links] if view else []
    return {
        "req": req,
        "evaluation": latest,
        "view": view,
        "link_ends": load_link_ends(session, link_ids),
        "approver": session.get(User, req.approved_by_id) if req.approved_by_id else None,
        "rejection": (
            load_rejection(session, req.id) if req.status is RequestStatus.REJECTED else None
        ),
        "may_evaluate": may_evaluate(user, req) and req.status in actions.EVALUABLE,
        "may_decide": may_decide(user) and req.status in actions.EVALUABLE,
    }


@bp.post("/requests/<int:request_id>/evaluate")
def evaluate_request(request_id: int) -> Response:
    req = _load_visible(request_id)
    require(may_evaluate(current_user(), req))
    try:
        request_actions.evaluate_request(ui_unit(), request_id, today=configured_today())
        flash(_("Evaluated again against today's inventory."), "success")
    except (ConflictError, ValidationError) as exc:
        # ValidationError: what the stored request names is gone from the inventory.
        flash(explain_refusal(exc), "danger")
    return redirect(url_for("ui.request_detail", request_id=request_id))


@bp.post("/requests/<int:request_id>/approve")
def approve_request(request_id: int) -> Response | tuple[str, int]:
    _load_visible(request_id)
    require(may_decide(current_user()))
    try:
        request_actions.approve_request(
            ui_unit(),
            request_id,
            today=configured_today(),
            accept_until=request.form.get("accept_until") == "1",
        )
    except (ConflictError, ValidationError) as exc:
        return _refused(request_id, explain_refusal(exc))
    flash(_("Approved: its capacity is reserved."), "success")
    return redirect(url_for("ui.request_detail", request_id=request_id))


@bp.post("/requests/<int:request_id>/reject")
def reject_request(request_id: int) -> Response | tuple[str, int]:
    _load_visible(request_id)
    require(may_decide(current_user()))
    try:
        request_actions.reject_request(ui_unit(), request_id, request.form.get("reason", ""))
    except ValidationError:
        return _refused(request_id, _("Say why the request is rejected."), 400)
    except ConflictError as exc:
        return _refused(request_id, explain_refusal(exc))
    flash(_("Rejected."), "success")
    return redirect(url_for("ui.request_detail", request_id=request_id))


def _refused(request_id: int, message: str, status: int = 409) -> tuple[str, int]:
    """The request page again, with why the decision was refused (409: it no longer fits)."""
    session = get_session()
    session.expire_all()
    req = get_request(session, request_id)
    return render_template(
        "requests/detail.html", decision_error=message, **_request_context(req)
    ), status
