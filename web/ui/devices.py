"""``/devices/<id>``: a device's page (the list is one of ``web.ui.catalog``'s)."""

from __future__ import annotations

from flask import abort, render_template

from cmdb.services.devices import get_device
from cmdb.services.record_history import load_changes, load_sightings
from web.db import get_session
from web.ui import bp
from web.ui.interface_health import port_rows


@bp.get("/devices/<int:device_id>")
def device(device_id: int) -> str:
    session = get_session()
    found = get_device(session, device_id)
    if found is None:
        abort(404)
    rows = port_rows(session, [(None, i) for i in found.interfaces])
    return render_template(
        "devices/detail.html",
        device=found,
        ports={row.interface.id: row for row in rows},
        sightings=load_sightings(session, "device", device_id),
        changes=load_changes(session, "device", device_id),
    )
