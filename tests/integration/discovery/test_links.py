"""LLDP links written after the core's writer: a declared circuit gets the interfaces LLDP
found, also on the end whose device did not answer this run."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from cmdb.choices import SiteKind
from discovery.links import apply_links
from discovery.lldp import UPDATE, LinkEnd, LinkPlan
from tests import factories as f


def test_a_circuit_gets_both_interfaces_though_one_device_did_not_answer(session: Session) -> None:
    dc, commune = f.site(session, kind=SiteKind.DATA_CENTRE), f.site(session)
    quiet = f.interface(session, device=f.server(session, site=commune), name="Gi0/1")
    heard = f.interface(session, device=f.server(session, site=dc), name="xe-0/0/7")
    circuit = f.link(session, a_site=commune, b_site=dc)
    plan = LinkPlan(
        UPDATE,
        "sw-xa Gi0/1 - core-1 xe-0/0/7",
        LinkEnd(f"device:{quiet.device_id}", "Gi0/1"),
        LinkEnd(f"device:{heard.device_id}", "xe-0/0/7"),
        commune.id,
        dc.id,
        None,
        "wan",
        circuit.id,
    )
    answered = {f"device:{heard.device_id}": heard.device_id}  # only the DC end answered
    apply_links(session, [plan], answered, datetime(2026, 12, 1, tzinfo=UTC))
    assert (circuit.a_interface_id, circuit.b_interface_id) == (quiet.id, heard.id)
