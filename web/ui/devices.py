"""``/devices/<id>``: a device's page (the list is one of ``web.ui.catalog``'s)."""

from __future__ import annotations

from flask import abort, render_template

from capacity.inputs import load_link_peaks
from cmdb.services.devices import get_device, load_interface_links
from cmdb.services.record_history import load_changes, load_sightings
from web.db import get_session
from web.today import today_or_real
from web.ui import bp
from web.ui.interface_health import port_rows
from web.ui.record_notes import record_notes


@bp.get("/devices/<int:device_id>")
def device(device_id: int) -> str:
    session = get_session()
    found = get_device(session, device_id)
    if found is None:
        abort(404)
    rows = port_rows(session, [(None, i) for i in found.interfaces])
    links = load_interface_links(session, [i.id for i in found.interfaces])
    peaks = load_link_peaks(session, [lk.id for lk in links.values()], at=today_or_real())
    sightings = load_sightings(session, "device", device_id)
    return render_template(
        "devices/detail.html",
        device=found,
        ports={row.interface.id: row for row in rows},
        links=links,
        usage=peaks,
        sightings=sightings,
        notes=record_notes(found, sightings),
        changes=load_changes(session, "device", device_id),
    )
