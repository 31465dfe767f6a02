"""``/racks/<id>``: a rack's page — where it stands, its devices by position, its history.

The elevation draws the rack's front and rear (an SVG rendered here, no script):
each device from the unit NetBox (or an engineer) gave it, as many units high as
recorded (1 U, drawn dashed, when its height is unknown), on its face — a device
with no face is full depth and shows on both. The table below lists the units
from the top with the devices whose lowest unit each is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, render_template
from sqlalchemy.orm import joinedload, selectinload

from cmdb.choices import RackFace
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


@dataclass(frozen=True)
class Block:
    """A device drawn on one face: from ``bottom_u`` up, ``height_u`` units."""

    device: Device
    bottom_u: int
    height_u: int
    known_height: bool
    clash: bool  # shares a unit of this face with another device (a data problem)

    @property
    def top_u(self) -> int:
        return self.bottom_u + self.height_u - 1


def compute_faces(rack: Rack) -> dict[RackFace, list[Block]]:
    """Each face's devices (full-depth ones on both), with the ones that overlap marked.
    Devices with no position, or one that does not fit the rack, are left out."""
    faces: dict[RackFace, list[tuple[Device, int, int, bool]]] = {f: [] for f in RackFace}
    for device in rack.devices:
        bottom, height = device.rack_position_u, device.height_u or 1
        if bottom is None or bottom < 1 or bottom + height - 1 > rack.u_height:
            continue
        for face in (device.rack_face,) if device.rack_face else tuple(RackFace):
            faces[face].append((device, bottom, height, device.height_u is not None))
    return {face: _blocks(placed) for face, placed in faces.items()}


def _blocks(placed: list[tuple[Device, int, int, bool]]) -> list[Block]:
    taken = Counter(u for _, bottom, height, _ in placed for u in range(bottom, bottom + height))
    return [
        Block(d, bottom, height, known, any(taken[u] > 1 for u in range(bottom, bottom + height)))
        for d, bottom, height, known in placed
    ]


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
        faces=compute_faces(found),
        sightings=load_sightings(session, "rack", rack_id),
        changes=load_changes(session, "rack", rack_id),
    )
