"""Each inventory record's page: its fields, related records, where it was seen,
its change history and, for clusters, storage pools and links, the capacity chart.

Pages are declared (``DetailPage``) and served by one view, like the lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import abort, render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, selectinload

from capacity.inputs import load_link_peaks
from capacity.outlook import ResourceOutlook, classify, load_resource_outlook
from cmdb.db import committing
from cmdb.errors import NotFoundError
from cmdb.models import Interface, Link, Rack, Workload
from cmdb.services.listing import load_one
from cmdb.services.record_history import load_changes, load_sightings
from cmdb.services.request_list import load_open_horizon_end
from web.db import get_session
from web.today import today_or_real
from web.ui import bp
from web.ui.catalog import (
    AGENCIES,
    CATALOGUE,
    CLUSTERS,
    INFORMATION_SYSTEMS,
    INTERFACES,
    LINKS,
    SITES,
    STORAGE_POOLS,
    WORKLOADS,
    Column,
    ListPage,
)
from web.ui.charts import OutlookLabels, outlook_figure
from web.ui.interface_health import PortRow, port_rows
from web.ui.record_notes import record_notes


@dataclass(frozen=True)
class Related:
    """A table of records related to the page's record (``attr`` is a list relation)."""

    attr: str
    title: Any
    columns: tuple[Column, ...]
    #: The list page and filter that show all of them, when there are more than a page shows.
    full_list: tuple[str, str] | None = None
    #: The model of the rows and the field the page's record fills in, for an "Add" button.
    add: tuple[type[Any], str] | None = None


@dataclass(frozen=True)
class DetailPage:
    list_page: ListPage
    fields: tuple[Column, ...]
    related: tuple[Related, ...] = ()
    outlook: str | None = None  # the keyword of load_resource_outlook: cluster_id, pool_id, …

    @property
    def loads(self) -> tuple[str, ...]:
        refs = tuple(c.path for c in self.fields if c.kind in ("ref", "end") and "." not in c.path)
        return tuple(dict.fromkeys((*refs, *(r.attr for r in self.related))))


NAME = Column("name", _l("Name"), "link")
STATUS = Column("status", _l("Status"), "choice", "status")
DEVICE_ROWS = (
    NAME, Column("role", _l("Role"), "choice", "role"), Column("model", _l("Model")),
    Column("cores", _l("CPU cores"), "number"), Column("ram_gb", _l("RAM"), "number", unit="GB"),
    STATUS,
)  # fmt: skip
WORKLOAD_ROWS = (
    NAME, Column("information_system", _l("Information system"), "ref"),
    Column("vcpu", _l("vCPU"), "number"), Column("ram_gb", _l("RAM"), "number", unit="GB"),
    Column("disk_gb", _l("Disk"), "number", unit="GB"), STATUS,
)  # fmt: skip
LINK_ROWS = (
    NAME, Column("network", _l("Network"), "choice", "network"),
    Column("a_site", _l("User end"), "end"), Column("b_site", _l("Towards the DC"), "end"),
    Column("capacity_mbps", _l("Capacity"), "number", unit="Mbps"),
    Column("id", _l("Utilisation (last week's peak)"), "usage"), STATUS,
)  # fmt: skip
INSIDE_LINK_ROWS = (
    NAME, Column("network", _l("Network"), "choice", "network"),
    Column("a_interface", _l("From interface"), "ref"),
    Column("b_interface", _l("To interface"), "ref"),
    Column("capacity_mbps", _l("Capacity"), "number", unit="Mbps"),
    Column("id", _l("Utilisation (last week's peak)"), "usage"), STATUS,
)  # fmt: skip
POOL_ROWS = (NAME, Column("kind", _l("Kind"), "choice", "pool_kind"),
             Column("raw_tb", _l("Raw capacity"), "number", unit="TB"))  # fmt: skip
CLUSTER_ROWS = (NAME, Column("max_security_level", _l("Highest security level"), "number"))
RACK_ROWS = (
    NAME, Column("u_height", _l("Height (U)"), "number"),
    Column("power_kw", _l("Power budget (kW)"), "number"), Column("id", "", "edit"),
)  # fmt: skip

DETAIL_PAGES: tuple[DetailPage, ...] = (
    DetailPage(AGENCIES, fields=AGENCIES.columns[1:]),
    DetailPage(CATALOGUE, fields=CATALOGUE.columns[1:]),
    DetailPage(
        SITES,
        fields=(
            *SITES.columns[1:],
            Column("slug", _l("Slug"), "mono"),
            Column("latitude", _l("Latitude"), "number", unit="°"),
            Column("longitude", _l("Longitude"), "number", unit="°"),
        ),
        related=(
            Related("links_a", _l("Links towards the DC"), LINK_ROWS),
            Related("links_b", _l("Links from sites further out"), LINK_ROWS),
            Related("racks", _l("Racks"), RACK_ROWS, add=(Rack, "site_id")),
            Related("links_inside", _l("Cables inside the site"), INSIDE_LINK_ROWS),
        ),
    ),
    DetailPage(
        CLUSTERS,
        fields=(*CLUSTERS.columns[1:], Column("description", _l("Description"))),
        related=(
            Related("hosts", _l("Hosts"), DEVICE_ROWS),
            Related("storage_pools", _l("Storage pools"), POOL_ROWS),
            Related("workloads", _l("Workloads"), WORKLOAD_ROWS, ("ui.workloads", "cluster_id")),
        ),
        outlook="cluster_id",
    ),
    DetailPage(
        STORAGE_POOLS,
        fields=STORAGE_POOLS.columns[1:],
        related=(
            Related("clusters", _l("Clusters"), CLUSTER_ROWS),
            Related("devices", _l("Storage devices"), DEVICE_ROWS),
            Related(
                "workloads", _l("Workloads"), WORKLOAD_ROWS, ("ui.workloads", "storage_pool_id")
            ),
        ),
        outlook="pool_id",
    ),
    DetailPage(
        LINKS,
        fields=(
            *LINKS.columns[1:],
            Column("circuit_id", _l("Circuit"), "mono"),
            Column("a_interface", _l("User-end interface"), "ref"),
            Column("b_interface", _l("DC-side interface"), "ref"),
            Column("ceiling_pct", _l("Ceiling"), "ceiling"),
        ),
        outlook="link_id",
    ),
    DetailPage(INTERFACES, fields=INTERFACES.columns),
    DetailPage(
        INFORMATION_SYSTEMS,
        fields=(*INFORMATION_SYSTEMS.columns[1:], Column("description", _l("Description"))),
        related=(
            Related(
                "workloads",
                _l("Workloads"),
                WORKLOAD_ROWS,
                ("ui.workloads", "information_system_id"),
                add=(Workload, "information_system_id"),
            ),
        ),
    ),
    DetailPage(
        WORKLOADS,
        fields=(
            *WORKLOADS.columns[1:],
            Column("management_address", _l("Management address"), "mono"),
            Column("incomplete", _l("Incomplete")),
        ),
    ),
)

#: What a related list of each kind loads with it, so its rows' references cost no query each.
RELATED_LOADS: dict[str, tuple[Any, ...]] = {
    "links_a": (Link.a_site, Link.b_site),
    "links_b": (Link.a_site, Link.b_site),
    "links_inside": (Link.a_interface, Link.b_interface),
    "workloads": (Workload.information_system,),
}

#: Related rows a page shows before pointing to the full, paged list (keeps pages fast).
RELATED_SHOWN = 25

RESOURCE_TITLES = {
    "vcpu": _l("vCPU allocated"),
    "ram": _l("RAM allocated"),
    "storage": _l("Storage used"),
    "link": _l("Traffic (daily p95, busier direction)"),
}


def render_detail(page: DetailPage, object_id: int) -> str:
    session = get_session()
    model = page.list_page.resource.model
    try:
        record = load_one(session, model, object_id, loads=page.loads)
    except NotFoundError:
        abort(404)
    _load_related(session, page, record)
    outlooks = _outlooks(page, object_id)
    links = [lk for r in page.related for lk in getattr(record, r.attr) if isinstance(lk, Link)]
    usage_ids = [lk.id for lk in links] + ([record.id] if isinstance(record, Link) else [])
    sightings = load_sightings(session, model.__tablename__, object_id)
    return render_template(
        "inventory/detail.html",
        detail=page,
        list_page=page.list_page,
        related_shown=RELATED_SHOWN,
        record=record,
        outlooks=outlooks,
        usage=load_link_peaks(session, usage_ids, at=today_or_real()) if usage_ids else {},
        ports=_ports(session, record),
        sightings=sightings,
        notes=record_notes(record, sightings),
        changes=load_changes(session, model.__tablename__, object_id),
    )


def _ports(session: Session, record: Any) -> list[PortRow]:
    """The interfaces whose health the page shows: its own, or a link's two ends."""
    if isinstance(record, Interface):
        return port_rows(session, [(None, record)], charts=True)
    if isinstance(record, Link):
        ends = [(_l("User end"), record.a_interface), (_l("Towards the DC"), record.b_interface)]
        return port_rows(session, ends, charts=True)
    return []


def _load_related(session: Session, page: DetailPage, record: Any) -> None:
    """Load the related rows' own references in one query per relation, not per row."""
    for related in page.related:
        rows = getattr(record, related.attr)
        extra = RELATED_LOADS.get(related.attr)
        if rows and extra:
            kind = type(rows[0])
            stmt = sa.select(kind).where(kind.id.in_([r.id for r in rows]))
            session.scalars(stmt.options(*(selectinload(a) for a in extra))).all()


def _outlooks(page: DetailPage, object_id: int) -> list[dict[str, Any]]:
    if page.outlook is None:
        return []
    at = today_or_real()
    # Computing may refresh the forecast cache: keep it for the next page.
    with committing(get_session()) as session:
        found = load_resource_outlook(session, at=at, **{page.outlook: object_id})
        until = load_open_horizon_end(session)
    return [_chart(o, at, until) for o in found]


def _chart(outlook: ResourceOutlook, at: Any, until: date | None) -> dict[str, Any]:
    status = outlook.status
    labels = OutlookLabels(
        history=gettext("Daily peak"),
        forecast=gettext("Forecast (weekly peak)"),
        band80=gettext("Forecast: 80 % band"),
        band95=gettext("Forecast: 95 % band"),
        ceiling=gettext("Ceiling"),
        today=gettext("Today"),
        unit=status.unit,
        current=gettext("Current peak (last complete week)"),
    )
    current = None
    if status.current_week is not None and status.current is not None:
        current = (status.current_week, status.current)
    figure = outlook_figure(
        outlook.daily,
        outlook.forecast,
        status.ceiling,
        at,
        labels,
        reserved=status.reserved,
        current=current,
        until=until,
    )
    return {
        "status": status,
        "state": classify(status, at),
        "title": RESOURCE_TITLES.get(status.kind, status.kind),
        "figure": figure,
    }


def _detail_view(page: DetailPage) -> Any:
    def view(object_id: int) -> str:
        return render_detail(page, object_id)

    view.__name__ = page.list_page.detail_endpoint.removeprefix("ui.")
    return view


for _page in DETAIL_PAGES:
    bp.add_url_rule(f"/{_page.list_page.key}/<int:object_id>", view_func=_detail_view(_page))

# Models whose records have a page here, for links from other pages (``detail_url``).
DETAIL_ENDPOINTS: dict[type[Any], str] = {
    p.list_page.resource.model: p.list_page.detail_endpoint for p in DETAIL_PAGES
}
