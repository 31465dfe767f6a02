"""``/discovery/``: runs with their status and live progress, each run's per-target
results, and (engineers) starting an SNMP discovery, a poll or a NetBox sync.

Starting goes through the same job actions as the API; the form's fields map
one-to-one onto the API's parameters, so the messages name the same fields.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from cmdb.actions.policy import Permission, may
from cmdb.errors import CmdbError, ValidationError
from cmdb.services.run_list import get_run, load_runs, load_site_choices, run_parts
from discovery.credentials import ProfileError, load_profiles
from web.auth.caller import ui_unit
from web.auth.identity import current_user
from web.db import get_session
from web.input_limits import bounded_int
from web.jobs.actions import end_job, queue_job, stop_job, submit_job
from web.jobs.backend import BackendError, backend_for
from web.jobs.context import JobContext
from web.jobs.params import NETWORKS
from web.ui import bp
from web.validation_messages import translate_errors

FORM_KINDS = ("snmp_discovery", "poll", "netbox_sync")
WEB = frozenset({"http", "https"})  # a failure's NetBox page becomes a link only then
# A sync's counts per kind (``stats.kinds``), in the CLI's order.
COUNT_LABELS = {
    "created": _l("Created"),
    "updated": _l("Updated"),
    "unchanged": _l("Unchanged"),
    "failed": _l("Failed"),
    "incomplete": _l("Incomplete"),
    "skipped": _l("Skipped"),
}
COUNT_WORDS = tuple(COUNT_LABELS)


def may_start() -> bool:
    return may(current_user(), Permission.RUN_DISCOVERY)


@bp.get("/discovery/")
def discovery_runs() -> str:
    return _runs_page({}, {}, 200)[0]


@bp.post("/discovery/")
def start_discovery_run() -> Response | tuple[str, int]:
    """The start form's post: a queued run and its page, or the form again with messages."""
    if not may_start():
        abort(403)
    kind = request.form.get("kind", "")
    parameters = form_parameters(kind, request.form)
    backend = backend_for(current_app.config)
    unit = ui_unit()
    try:
        with unit.begin(Permission.RUN_DISCOVERY) as session:
            queued = queue_job(session, backend, _context(), kind, parameters, unit.caller.actor)
        submit_job(session, backend, queued)
    except ValidationError as exc:
        return _runs_page(request.form, translate_errors(exc.errors), 400)
    except BackendError as exc:
        return _runs_page(request.form, {"_schema": [str(exc)]}, 503)
    return redirect(url_for("ui.discovery_run", run_id=queued.run.id), code=303)


@bp.get("/discovery/<int:run_id>")
def discovery_run(run_id: int) -> str:
    run = get_run(get_session(), run_id)
    if run is None:
        abort(404)
    results = sorted(run.results, key=lambda r: (r.status.value != "failed", r.address))
    return render_template(
        "discovery/detail.html",
        run=run,
        results=results,
        parts=run_parts(get_session(), run.id),
        failures=_listed(run.stats, "failures"),
        skipped=_listed(run.stats, "skipped"),
        kinds=_kind_counts(run.stats),
        count_words=COUNT_WORDS,
        count_labels=COUNT_LABELS,
        may_cancel=may_start(),
        api_url=url_for("discovery_runs.detail", object_id=run.id),
    )


@bp.post("/discovery/<int:run_id>/cancel")
def cancel_discovery_run(run_id: int) -> Response:
    if not may_start():
        abort(403)
    unit = ui_unit()
    try:
        with unit.begin(Permission.RUN_DISCOVERY) as session:
            job_ids = end_job(session, run_id, unit.caller.actor)
        stop_job(backend_for(current_app.config), job_ids)
    except CmdbError:
        pass  # already over, or gone: the run's page says which
    return redirect(url_for("ui.discovery_run", run_id=run_id), code=303)


def form_parameters(kind: str, form: MultiDict[str, str]) -> dict[str, Any]:
    """The API's parameters from the form: one line per target or range, empty → default."""
    if kind == "netbox_sync":
        return {
            "url": form.get("url") or None,
            "token": form.get("token") or None,
            "dry_run": "dry_run" in form,
        }
    parameters: dict[str, Any] = {
        "targets": _lines(form.get("targets", "")),
        "profile": form.get("profile") or None,
    }
    if kind == "snmp_discovery":
        parameters |= {
            "ranges": _lines(form.get("ranges", "")),
            "inventory": "inventory" in form,
            "site": form.get("site") or None,
            "link_network": form.get("link_network") or "wan",
        }
    return parameters


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _context() -> JobContext:
    return JobContext.from_config(current_app.config)


def _profile_names() -> list[str]:
    path = current_app.config.get("CMDB_SNMP_PROFILES")
    try:
        return sorted(load_profiles(Path(path))) if path else []
    except ProfileError:
        return []


def _runs_page(
    form: MultiDict[str, str] | dict[str, str], errors: dict[str, list[str]], status: int
) -> tuple[str, int]:

    session = get_session()
    page = load_runs(
        session,
        request.args.get("page", 1, type=bounded_int),
        int(current_app.config["CMDB_PAGE_SIZE"]),
    )
    sites = load_site_choices(session)
    html = render_template(
        "discovery/list.html",
        page=page,
        may_start=may_start(),
        form=form,
        errors=errors,
        kinds=FORM_KINDS,
        profiles=_profile_names(),
        sites=sites,
        networks=NETWORKS,
        netbox_url=current_app.config.get("CMDB_NETBOX_URL"),
        redis=bool(current_app.config.get("CMDB_REDIS_URL")),
    )
    return html, status


def _listed(stats: dict[str, Any] | None, key: str) -> list[dict[str, Any]]:
    """A sync's unmapped (``failures``) or deliberately unstored (``skipped``) objects, each
    with its NetBox page when that is a web address (anything else is shown as text, never
    made a link)."""
    rows = (stats or {}).get(key)
    if not isinstance(rows, list):
        return []  # a push run counts what it skipped (a number), and lists nothing
    return [
        {
            **row,
            "label": row.get("label") or row.get("external_id"),
            "url": url if urlsplit(url := str(row.get("url") or "")).scheme in WEB else None,
        }
        for row in rows
        if isinstance(row, dict) and "kind" in row and "reason" in row  # a sync's, not a poll's
    ]


def _kind_counts(stats: dict[str, Any] | None) -> dict[str, dict[str, int]]:
    """A sync's counts per kind (created … skipped), the kinds with any count only."""
    kinds = (stats or {}).get("kinds")
    if not isinstance(kinds, dict):
        return {}
    return {
        kind: {word: n for word, n in counted.items() if isinstance(n, int)}
        for kind, counted in kinds.items()
        if isinstance(counted, dict) and any(counted.values())
    }
