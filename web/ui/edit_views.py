"""Create, edit and delete inventory records from the UI: one view per verb for every
form of ``web.ui.edit_catalog``.

A post is validated by the resource's write schema and written by the editing use
case — the very ones behind the API — inside one unit of work: the change log names
the logged-in user, and a form with errors leaves nothing written. Errors come back
on the form, next to their field, with what the user typed; a taken name (409) too.
Only the roles that may write through the API may use the forms (403 otherwise).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import marshmallow as ma
from flask import Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from cmdb.actions import records
from cmdb.actions.policy import may
from cmdb.errors import ConflictError, NotFoundError, ValidationError
from cmdb.schemas import flatten_errors
from cmdb.services.editing import describe
from cmdb.services.integrity import deletion_blockers, owned_records
from cmdb.services.listing import load_one
from cmdb.services.ref_options import Option, load_option, load_options
from web.api.resources import RESOURCES
from web.auth.caller import ui_unit
from web.auth.identity import current_user
from web.db import get_session
from web.input_limits import bounded_int
from web.ui import bp
from web.ui.edit_catalog import EDIT_BY_MODEL, EDIT_PAGES, FIELD_LABELS, EditPage
from web.ui.edit_fields import field_messages, parse_form, record_values
from web.ui.links import detail_url
from web.ui.request_access import require
from web.validation_messages import table_name, translate_errors

#: Records a select offers before the form asks for an id (with a search box) instead.
REF_SELECT_LIMIT = 500
RESOURCE_BY_MODEL = {r.model: r for r in RESOURCES if r.detail}
FormPage = str | Response | tuple[str, int]


def may_write(page: EditPage) -> bool:
    """The API's rule for the resource's writes: its permission (``cmdb.actions.policy``)."""
    return may(current_user(), page.resource.write_permission)


def _record(page: EditPage, object_id: int) -> Any:
    try:
        return load_one(get_session(), page.resource.model, object_id)
    except NotFoundError:
        abort(404)


def _options(page: EditPage, values: dict[str, Any]) -> dict[str, list[Option] | None]:
    """Each reference's choices; None for a table too long for a select (an id input)."""
    session = get_session()
    found: dict[str, list[Option] | None] = {}
    for name, model in page.refs.items():
        options = load_options(session, model, REF_SELECT_LIMIT)
        current = _int(values.get(name))
        if options is not None and current and all(o.id != current for o in options):
            extra = load_option(session, model, current)  # e.g. a unit a reform dissolved
            options = [*options, extra] if extra else options
        found[name] = options
    return found


def _chosen(page: EditPage, values: dict[str, Any], options: dict[str, Any]) -> dict[str, str]:
    """The current record's name of each reference shown as an id input."""
    session = get_session()
    chosen: dict[str, str] = {}
    for name, model in page.refs.items():
        current = _int(values.get(name))
        if options.get(name) is None and current:
            option = load_option(session, model, current)
            chosen[name] = option.label if option else ""
    return chosen


def _search_urls(page: EditPage, options: dict[str, Any]) -> dict[str, str]:
    """The API list each reference shown as an id input is searched in (``ref-search.js``)."""
    urls = {}
    for name, model in page.refs.items():
        resource = RESOURCE_BY_MODEL.get(model)
        if options.get(name) is None and resource is not None and resource.search:
            urls[name] = url_for(f"{resource.name}.list")
    return urls


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _render_form(
    page: EditPage,
    record: Any,
    values: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    names = {f.name for f in page.inputs}
    per_field, general = field_messages(translate_errors(errors or {}), names)
    options = _options(page, values)
    html = render_template(
        "inventory/edit.html",
        page=page,
        record=record,
        values=values,
        errors=per_field,
        general_errors=general,
        options=options,
        chosen=_chosen(page, values, options),
        search=_search_urls(page, options),
        field_labels=FIELD_LABELS,
        cancel_url=_back_url(page, record),
    )
    return html, status


def _back_url(page: EditPage, record: Any) -> str:
    """The page the form was opened from: the record's, its parent's, else the list."""
    if record is not None:
        target = getattr(record, page.parent) if page.parent else record
        return detail_url(target) or url_for("ui.overview")
    parent_id = request.args.get(f"{page.parent}_id", type=bounded_int) if page.parent else None
    if parent_id:
        model = page.refs[f"{page.parent}_id"]
        parent = get_session().get(model, parent_id)
        if parent is not None:
            return detail_url(parent) or url_for("ui.overview")
    return url_for(page.list_endpoint) if page.list_endpoint else url_for("ui.overview")


def _save(page: EditPage, record: Any) -> FormPage:
    """Validate the posted form and write it; the form again, with messages, if refused."""
    typed, body = parse_form(page.inputs, request.form)
    schema = page.resource.create_schema
    try:
        loaded = schema.load(body)
        model, permission, check = (
            page.resource.model,
            page.resource.write_permission,
            schema.check_record,
        )
        if record is None:
            record = records.create(ui_unit(), permission, model, loaded, check=check)
        else:
            records.update(ui_unit(), permission, model, record.id, loaded, check=check)
        target = _back_url(page, record)
        name = describe(record)
    except ma.ValidationError as error:
        return _render_form(page, record, typed, flatten_errors(error.messages), 400)
    except ValidationError as error:
        return _render_form(
            page, record, typed, error.errors or {"_schema": [str(error.args[0])]}, 400
        )
    except ConflictError as error:
        return _render_form(
            page, record, typed, error.errors or {"_schema": [str(error.args[0])]}, 409
        )
    flash(gettext("Saved %(name)s.", name=name), "success")
    return redirect(target)


def _new_view(page: EditPage) -> Any:
    def view() -> FormPage:
        require(may_write(page))
        if request.method == "POST":
            return _save(page, None)
        given = {f.name: request.args.get(f.name, "") for f in page.inputs}  # ?site_id=3
        return _render_form(page, None, {k: v for k, v in given.items() if v} | _blank(page, given))

    view.__name__ = f"{page.endpoint.removeprefix('ui.')}_new"
    return view


def _blank(page: EditPage, given: dict[str, str]) -> dict[str, Any]:
    """An empty form: checkboxes on (an interface is enabled), lists empty."""
    blank: dict[str, Any] = {}
    for f in page.inputs:
        if f.kind == "checkbox":
            blank[f.name] = True
        elif f.kind == "checkboxes":
            blank[f.name] = []
        elif not given.get(f.name):
            blank[f.name] = ""
    return blank


def _edit_view(page: EditPage) -> Any:
    def view(object_id: int) -> FormPage:
        require(may_write(page))
        record = _record(page, object_id)
        if request.method == "POST":
            return _save(page, record)
        return _render_form(page, record, record_values(page.inputs, record))

    view.__name__ = f"{page.endpoint.removeprefix('ui.')}_edit"
    return view


def _delete_view(page: EditPage) -> Any:
    def view(object_id: int) -> FormPage:
        require(may_write(page))
        record = _record(page, object_id)
        if request.method == "GET":
            owned = owned_records(get_session(), record)
            blockers = deletion_blockers(get_session(), record, owned)
            return _render_delete(page, record, blockers, owned=owned)
        target = _deleted_url(page, record)
        name = describe(record)
        try:
            records.delete(ui_unit(), page.resource.write_permission, type(record), record.id)
        except ConflictError as error:
            return _render_delete(page, record, error.errors, 409)
        flash(gettext("Deleted %(name)s.", name=name), "success")
        return redirect(target)

    view.__name__ = f"{page.endpoint.removeprefix('ui.')}_delete"
    return view


def _deleted_url(page: EditPage, record: Any) -> str:
    if page.parent:
        return detail_url(getattr(record, page.parent)) or url_for("ui.overview")
    return url_for(page.list_endpoint) if page.list_endpoint else url_for("ui.overview")


def _render_delete(
    page: EditPage,
    record: Any,
    blockers: dict[str, list[str]],
    status: int = 200,
    owned: Sequence[Any] = (),  # shown only when nothing blocks the deletion
) -> tuple[str, int]:
    named = {table_name(t): msgs for t, msgs in translate_errors(blockers).items()}
    html = render_template(
        "inventory/delete.html",
        page=page,
        record=record,
        blockers=named,
        owned=[describe(r) for r in owned],
        cancel_url=_back_url(page, record),
    )
    return html, status


for _page in EDIT_PAGES:
    _methods = ["GET", "POST"]
    bp.add_url_rule(f"/{_page.key}/new", view_func=_new_view(_page), methods=_methods)
    bp.add_url_rule(
        f"/{_page.key}/<int:object_id>/edit", view_func=_edit_view(_page), methods=_methods
    )
    bp.add_url_rule(
        f"/{_page.key}/<int:object_id>/delete", view_func=_delete_view(_page), methods=_methods
    )


def edit_form(record: Any) -> EditPage | None:
    """The edit form of a record, a model or a form's key, for the buttons of the pages."""
    if isinstance(record, str):
        return next((p for p in EDIT_PAGES if p.key == record), None)
    model = record if isinstance(record, type) else type(record)
    return EDIT_BY_MODEL.get(model)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(edit_form=edit_form, may_write=may_write)
