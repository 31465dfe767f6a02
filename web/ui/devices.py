"""``/devices/``: the filtered, paged device list and each device's page."""

from __future__ import annotations

from dataclasses import asdict
from enum import StrEnum
from typing import Any, TypeVar

from flask import abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from cmdb.choices import DeviceRole, Status
from cmdb.services.devices import (
    ORDERINGS,
    DeviceFilter,
    get_device,
    load_device_sites,
    load_devices,
)
from cmdb.services.record_history import load_changes, load_sightings
from web.db import get_session
from web.input_limits import bounded_int
from web.ui import bp

E = TypeVar("E", bound=StrEnum)

#: The header of the list: (label, ordering key or None) per column.
SORTABLE: tuple[tuple[Any, str | None], ...] = (
    (_l("Name"), "name"),
    (_l("Role"), "role"),
    (_l("Site"), "site"),
    (_l("Model"), "model"),
    (_l("Serial"), "serial"),
    (_l("Management address"), None),
    (_l("Status"), "status"),
    (_l("Cluster"), "cluster"),
)


@bp.get("/devices/")
def devices() -> str:
    where = parse_device_filter(request.args)
    ordering = request.args.get("ordering") or "name"
    if ordering.removeprefix("-") not in ORDERINGS:
        abort(400, description=f"ordering: {ordering!r} is not one of {', '.join(ORDERINGS)}")
    session = get_session()
    page = load_devices(
        session,
        where,
        page=request.args.get("page", 1, type=bounded_int),
        page_size=int(current_app.config["CMDB_PAGE_SIZE"]),
        ordering=ordering,
    )
    filters = {k: str(v) for k, v in asdict(where).items() if v is not None}
    return render_template(
        "devices/list.html",
        page=page,
        where=where,
        filter_args=filters | ({"ordering": ordering} if ordering != "name" else {}),
        sort_args=filters,
        ordering=ordering,
        columns=SORTABLE,
        sites=load_device_sites(session),
        roles=list(DeviceRole),
        statuses=list(Status),
    )


@bp.get("/devices/<int:device_id>")
def device(device_id: int) -> str:
    session = get_session()
    found = get_device(session, device_id)
    if found is None:
        abort(404)
    return render_template(
        "devices/detail.html",
        device=found,
        sightings=load_sightings(session, "device", device_id),
        changes=load_changes(session, "device", device_id),
    )


def parse_device_filter(args: MultiDict[str, str]) -> DeviceFilter:
    """The filter from the query string; an unknown role or status is a 400, not ignored.

    Silently ignoring it would show every device under a filter the user believes
    is applied.
    """
    return DeviceFilter(
        site=args.get("site") or None,
        role=_choice(DeviceRole, args.get("role")),
        status=_choice(Status, args.get("status")),
        q=(args.get("q") or "").strip() or None,
    )


def _choice(choices: type[E], value: str | None) -> E | None:
    if not value:
        return None
    try:
        return choices(value)
    except ValueError:
        abort(400)
