"""``/``: how much of everything the inventory holds, each count linking to its list."""

from __future__ import annotations

from flask import render_template

from cmdb.services.inventory import load_inventory_counts, load_link_capacity_counts
from web.db import get_session
from web.ui import bp
from web.ui.charts import compute_capacity_bands, links_by_capacity_figure


@bp.get("/")
def overview() -> str:
    session = get_session()
    bands = compute_capacity_bands(load_link_capacity_counts(session))
    return render_template(
        "overview.html",
        counts=load_inventory_counts(session),
        links_figure=links_by_capacity_figure(bands) if bands else None,
    )
