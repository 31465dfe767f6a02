"""``/``: the dashboard — headroom of every cluster, storage pool and DC uplink, the
links nearest saturation, work waiting for people, and the inventory's counts.

The capacity figures come from ``capacity.outlook`` (forecasts cached in the
database, so only the first render after new samples pays for fitting).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import render_template

from capacity.outlook import classify, load_capacity_overview, used_fraction_of_ceiling
from capacity.status import ResourceStatus, runs_out_first
from cmdb.db import committing
from cmdb.services.dashboard import (
    count_open_discrepancies,
    load_link_places,
    load_requests_awaiting_decision,
)
from cmdb.services.inventory import load_inventory_counts, load_link_capacity_counts
from cmdb.services.request_visibility import visible_requests
from web.auth.identity import current_user
from web.db import get_session
from web.today import today_or_real
from web.ui import bp
from web.ui.charts import compute_capacity_bands, links_by_capacity_figure

#: How many of the fullest district and commune links the dashboard lists.
NEAREST_SATURATION = 10
#: How many resources the "runs out first" list shows (``cmdb capacity report`` has all).
RUNS_OUT_FIRST = 10


@dataclass(frozen=True)
class Gauge:
    """One resource as the dashboard shows it."""

    status: ResourceStatus
    object_id: int
    state: str  # ok | risk | over
    fill: float  # (in use + reserved) ÷ ceiling


def _gauge(row: ResourceStatus, at: date) -> Gauge:
    object_id = int(row.resource.split(":")[1])  # cluster:<id>:vcpu, storage:<id>, link:<id>
    return Gauge(row, object_id, classify(row, at), used_fraction_of_ceiling(row))


@bp.get("/")
def overview() -> str:
    at = today_or_real()
    # Computing the report may refresh the forecast cache: keep it for the next render.
    with committing(get_session()) as session:
        report = load_capacity_overview(session, at=at)
    gauges = [_gauge(row, at) for row in report.rows]
    clusters: dict[int, list[Gauge]] = {}
    for g in gauges:
        if g.status.kind in ("vcpu", "ram"):
            clusters.setdefault(g.object_id, []).append(g)
    links = [g for g in gauges if g.status.kind == "link"]
    # The fullest links a site reaches the DC by: not the uplinks, not cables inside a site.
    not_access = report.dc_uplinks | report.inside_site
    access = [g for g in links if g.status.resource not in not_access]
    fullest = sorted(access, key=lambda g: g.fill, reverse=True)[:NEAREST_SATURATION]
    waiting_total, waiting = load_requests_awaiting_decision(
        session, visible=visible_requests(current_user())
    )
    bands = compute_capacity_bands(load_link_capacity_counts(session))
    return render_template(
        "overview.html",
        at=at,
        clusters=list(clusters.values()),
        pools=[g for g in gauges if g.status.kind == "storage"],
        uplinks=[g for g in links if g.status.resource in report.dc_uplinks],
        fullest=fullest,
        first_out=[_gauge(row, at) for row in runs_out_first(report.rows, RUNS_OUT_FIRST)],
        places=load_link_places(session, [g.object_id for g in fullest]),
        discrepancies=count_open_discrepancies(session),
        waiting=waiting,
        waiting_total=waiting_total,
        counts=load_inventory_counts(session, at),
        links_figure=links_by_capacity_figure(bands) if bands else None,
    )
