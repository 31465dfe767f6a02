"""LLDP links, written after the core's writer: the one write path the core does not own yet.

The discovery core refuses LINK observations until a link's ends are observations
of their own; until then ``cmdb discover snmp`` plans links with ``lldp.plan_links``
(pure) and writes them here, in the same transaction, after ``core.writer.apply_plan``
has given every device of the run its id. Nothing is deleted; a declared circuit
gets the interfaces LLDP found, a new link is logged as created.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import ChangeAction, Network, Source
from cmdb.models import Interface, Link
from cmdb.services.provenance import log_change, mark_seen
from discovery.lldp import UPDATE, LinkEnd, LinkPlan

ACTOR = "snmp-discovery"


def apply_links(
    session: Session, links: Sequence[LinkPlan], devices: Mapping[str, int | None], at: datetime
) -> list[Link]:
    """Write the planned links; ``devices``: each plan key's device id (new ones too; a
    known device that did not answer this run is found by its ``device:<id>`` key)."""
    if not links:
        return []
    devices = {
        **{e.device_key: _known_id(e.device_key) for lp in links for e in (lp.a, lp.b)},
        **devices,
    }
    ids = {devices[e.device_key] for lp in links for e in (lp.a, lp.b)} - {None}
    interfaces = {
        (i.device_id, i.name): i
        for i in session.scalars(sa.select(Interface).where(Interface.device_id.in_(ids)))
    }

    def end(e: LinkEnd) -> int | None:
        device_id = devices.get(e.device_key)
        found = interfaces.get((device_id, e.interface_name or "")) if device_id else None
        return found.id if found is not None else None

    written = [_apply_link(session, lp, end(lp.a), end(lp.b)) for lp in links]
    session.flush()
    mark_seen(session, written, Source.SNMP, lambda lk: f"lldp:{lk.id}", at)
    return written


def _known_id(key: str) -> int | None:
    kind, _, number = key.partition(":")
    return int(number) if kind == "device" and number.isdigit() else None


def _apply_link(session: Session, lp: LinkPlan, a_if: int | None, b_if: int | None) -> Link:
    if lp.action == UPDATE:
        link = session.get_one(Link, lp.link_id)
        before = {"a_interface_id": link.a_interface_id, "b_interface_id": link.b_interface_id}
        link.a_interface_id, link.b_interface_id = a_if, b_if
        after = {"a_interface_id": a_if, "b_interface_id": b_if}
        _log(session, ChangeAction.UPDATE, link, before, after)
        return link
    link = Link(
        name=lp.name,
        network=Network(lp.network),
        a_site_id=lp.a_site_id,
        b_site_id=lp.b_site_id,
        a_interface_id=a_if,
        b_interface_id=b_if,
        port_speed_mbps=float(lp.port_speed_mbps or 0) or None,
    )
    session.add(link)
    session.flush()
    _log(
        session,
        ChangeAction.CREATE,
        link,
        None,
        {"name": lp.name, "port_speed_mbps": lp.port_speed_mbps},
    )
    return link


def _log(
    session: Session,
    action: ChangeAction,
    link: Link,
    before: Mapping[str, object] | None,
    after: Mapping[str, object],
) -> None:
    log_change(
        session,
        actor=ACTOR,
        action=action,
        obj=link,
        object_repr=link.name,
        before=before,
        after=after,
    )
