"""Template helpers that name and link any record to its page, and say what the
current user may do (pages hide what the role may not; the server refuses anyway)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask import Flask, url_for
from sqlalchemy.orm import Session

from capacity.inputs import link_ceiling_fraction
from cmdb.actions.policy import Permission, may
from cmdb.db import Base
from cmdb.models import AdminUnit, Device, DiscoveryRun, Rack, ResourceRequest
from cmdb.services.integrity import model_of_table
from web.auth.identity import current_user

#: UI actions by the names templates use, and the permission each needs: the roles
#: are ``cmdb.actions.policy``'s, the same table the API and the actions ask.
ACTIONS: dict[str, Permission] = {
    "create_request": Permission.FILE_REQUEST,
    "decide_request": Permission.DECIDE_REQUEST,
    "run_discovery": Permission.RUN_DISCOVERY,
    "acknowledge_discrepancy": Permission.ACKNOWLEDGE_DISCREPANCY,
    "edit_inventory": Permission.EDIT_INVENTORY,
}


def can(action: str) -> bool:
    """Whether the logged-in user may take ``action`` (an unknown action: admins only)."""
    return may(current_user(), ACTIONS.get(action, Permission.ADMINISTER))


def display(record: Any) -> str:
    """How a record is named in a table cell."""
    if record is None:
        return "—"
    if getattr(record, "device", None) is not None and hasattr(record, "if_index"):
        return f"{record.device.name} {record.name}"  # an interface: device and port
    return str(getattr(record, "name", None) or record)


def detail_url(record: Any) -> str | None:
    """The page of a record, when it has one."""
    from web.ui.details import DETAIL_ENDPOINTS

    if isinstance(record, Device):
        return url_for("ui.device", device_id=record.id)
    if isinstance(record, Rack):
        return url_for("ui.rack", rack_id=record.id)
    if isinstance(record, DiscoveryRun):
        return url_for("ui.discovery_run", run_id=record.id)
    if isinstance(record, ResourceRequest):
        return url_for("ui.request_detail", request_id=record.id)
    if isinstance(record, AdminUnit):
        return url_for("ui.admin_unit", code=record.code)
    endpoint = DETAIL_ENDPOINTS.get(type(record))
    return url_for(endpoint, object_id=record.id) if endpoint else None


def record_links(session: Session, named: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The page of each record a row names by kind (its table) and id — a change-log entry,
    a discrepancy — when the record still exists and has a page: one query per kind."""
    wanted: defaultdict[str, set[int]] = defaultdict(set)
    for table, object_id in named:
        if table and isinstance(object_id, int):
            wanted[table].add(object_id)
    out: dict[tuple[str, int], str] = {}
    for table, ids in wanted.items():
        mapped = Base.metadata.tables.get(table)
        model = model_of_table(mapped) if mapped is not None else None
        if model is None:
            continue
        for record in session.scalars(sa.select(model).where(model.id.in_(ids))):
            href = detail_url(record)
            if href:
                out[(table, record.id)] = href
    return out


def read_path(record: Any, path: str) -> Any:
    """``site.name`` read from a record, ``None`` as soon as a step is missing."""
    value = record
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def link_ceiling(link: Any) -> float:
    """A link's ceiling (a fraction) for its usage bar: the same rule as the capacity report."""
    return link_ceiling_fraction(getattr(link, "ceiling_pct", None))


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        can=can, display=display, detail_url=detail_url, read=read_path, link_ceiling=link_ceiling
    )
