"""``/racks/<id>``: a rack's page — where it stands, its devices by position, its history.

The elevation lists the rack's units from the top, each device at the unit NetBox
(or an engineer) gave it. The inventory holds no device heights, so a device shows
at its lowest unit only and the page does not claim which units are free.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, render_template
from sqlalchemy.orm import joinedload, selectinload

from cmdb.models import Device, Rack, Site
from cmdb.services.record_history import load_changes, load_sightings
from web.db import get_session
from web.ui import bp


@dataclass(frozen=True)
class Unit:
    """One rack unit and the devices placed at it (two is a data problem the page shows)."""

    number: int
    devices: tuple[Device, ...]


def elevation(rack: Rack) -> tuple[list[Unit], list[Device]]:
    """The units from the top down, and the rack's devices with no (or an impossible) position."""
    placed: dict[int, list[Device]] = {}
    unplaced = []
    for device in rack.devices:
        position = device.rack_position_u
        if position is not None and 1 <= position <= rack.u_height:
            placed.setdefault(position, []).append(device)
        else:
            unplaced.append(device)
    units = [Unit(u, tuple(placed.get(u, ()))) for u in range(rack.u_height, 0, -1)]
    return units, unplaced


@bp.get("/racks/<int:rack_id>")
def rack(rack_id: int) -> str:
    session = get_session()
    found = session.scalars(
        sa.select(Rack)
        .where(Rack.id == rack_id)
        .options(joinedload(Rack.site).joinedload(Site.admin_unit), selectinload(Rack.devices))
    ).first()
    if found is None:
        abort(404)
    units, unplaced = elevation(found)
    return render_template(
        "racks/detail.html",
        rack=found,
        units=units,
        unplaced=unplaced,
        sightings=load_sightings(session, "rack", rack_id),
        changes=load_changes(session, "rack", rack_id),
    )
