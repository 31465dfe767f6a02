"""What a stock NetBox holds and the seeded picture does not, synced from the real NetBox:
a circuit with one termination and one ending on a provider network (links with an open
end, DESIGN §4), clusters scoped to a region or a location, a VM with no tenant and no
size. Every one is kept; the VM is marked incomplete and left out of capacity, which
its cluster's page counts; the DC's circuit to nowhere is its Internet uplink.

The fixture puts NetBox back as it found it (the peer is shared by the folder).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from capacity import inputs
from cmdb.choices import Network, RunStatus
from cmdb.models import Cluster, Discrepancy, Link, RecordSource, Site, Workload
from discovery.audit.run import run_audit
from discovery.netbox.sync import run_sync
from tests.integration.netbox.conftest import Netbox
from web import create_app

pytestmark = pytest.mark.slow


@dataclass
class LooseEnds:
    tag: str
    transit: Any  # the DC's circuit with one termination
    backhaul: Any  # a commune's circuit from a provider network
    unplaced: Any  # a cluster scoped to the province's region
    edge: Any  # a cluster scoped to a location of the DC
    vm: Any  # no tenant, vCPUs, memory or disk


@pytest.fixture
def loose_ends(netbox: Netbox) -> Iterator[LooseEnds]:
    api, ids, tag = netbox.api, netbox.seeded.ids, uuid.uuid4().hex[:6]
    made: list[Any] = []

    def keep(record: Any) -> Any:
        made.append(record)
        return record

    try:
        provider = api.circuits.providers.get(slug="vnpt-quang-nam")
        transit_type = keep(api.circuits.circuit_types.create(name=f"Transit {tag}", slug=tag))
        cloud = keep(
            api.circuits.provider_networks.create(name=f"MPLS {tag}", provider=provider.id)
        )
        transit = keep(_circuit(api, f"TRANSIT-{tag}", provider.id, transit_type.id))
        keep(_termination(api, transit.id, "A", "dcim.site", ids["site_dc"]))
        backhaul = keep(_circuit(api, f"BACKHAUL-{tag}", provider.id, transit_type.id))
        keep(_termination(api, backhaul.id, "A", "circuits.providernetwork", cloud.id))
        keep(_termination(api, backhaul.id, "Z", "dcim.site", ids["site_ds"]))
        ctype = api.virtualization.cluster_types.get(slug="vsphere")
        group = keep(api.virtualization.cluster_groups.create(name=f"Lab {tag}", slug=tag))
        unplaced = keep(
            api.virtualization.clusters.create(
                name=f"CL-LAB-{tag}",
                type=ctype.id,
                group=group.id,
                scope_type="dcim.region",
                scope_id=ids["province"],
            )
        )
        edge = keep(
            api.virtualization.clusters.create(
                name=f"CL-EDGE-{tag}",
                type=ctype.id,
                scope_type="dcim.location",
                scope_id=ids["location_room"],
            )
        )
        vm = keep(
            api.virtualization.virtual_machines.create(name=f"lab-{tag}", cluster=unplaced.id)
        )
        yield LooseEnds(tag, transit, backhaul, unplaced, edge, vm)
    finally:
        for record in reversed(made):
            record.delete()


def _circuit(api: Any, cid: str, provider: int, ctype: int) -> Any:
    return api.circuits.circuits.create(
        cid=cid, provider=provider, type=ctype, status="active", commit_rate=1_000_000
    )


def _termination(api: Any, circuit: int, side: str, kind: str, target: int) -> Any:
    return api.circuits.circuit_terminations.create(
        circuit=circuit, term_side=side, termination_type=kind, termination_id=target
    )


@pytest.mark.long(reason="two full syncs of the seeded NetBox and its loose ends")
def test_loose_ends_are_kept_marked_and_left_out_of_capacity(
    netbox: Netbox, sessions: sessionmaker[Session], db_url: str, loose_ends: LooseEnds
) -> None:
    networks = {"*": Network.INTERNET}  # CMDB_NETBOX_CIRCUIT_NETWORKS="*=internet"
    run = run_sync(sessions, netbox.url, netbox.token, full=True, circuit_networks=networks)
    assert run.status == RunStatus.SUCCEEDED, run.error
    kinds = (run.stats or {})["kinds"]
    assert kinds["links"]["created"] == 5 and kinds["clusters"]["created"] == 3
    assert kinds["workloads"] == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "failed": 0,
        "incomplete": 1,
        "skipped": 0,
    }
    with sessions() as session:
        dc, ds = (_site_of(session, netbox.seeded.ids[k]) for k in ("site_dc", "site_ds"))
        transit = _by_source(session, Link, f"circuit:{loose_ends.transit.id}")
        assert (transit.a_site_id, transit.b_site_id) == (None, dc)  # turned: b nearer the DC
        assert (transit.network, transit.commit_rate_mbps) == (Network.INTERNET, 1000.0)
        backhaul = _by_source(session, Link, f"circuit:{loose_ends.backhaul.id}")
        assert (backhaul.a_site_id, backhaul.b_site_id) == (None, ds)
        assert _by_source(session, Cluster, str(loose_ends.unplaced.id)).site_id is None
        assert _by_source(session, Cluster, str(loose_ends.edge.id)).site_id == dc
        vm = _by_source(session, Workload, str(loose_ends.vm.id))
        assert (vm.vcpu, vm.ram_gb, vm.disk_gb) == (None, None, 0.0)
        assert vm.incomplete == "no tenant, vCPUs, memory, disk in NetBox"
        assert vm.information_system.agency.name == "Unassigned (NetBox)"

        inventory = inputs.load_inventory(session, today=date(2026, 12, 7))
        assert str(transit.id) in inventory.dc_uplinks["internet"]
        on_paths = {i for sites in inventory.paths.values() for p in sites.values() for i in p}
        assert {str(transit.id), str(backhaul.id)}.isdisjoint(on_paths)
        cluster_id, link_id, dc_id, ds_id = vm.cluster_id, transit.id, dc, ds

    with sessions() as session, session.begin():
        run_audit(session, requested_by="test")  # NetBox alone: no source disagrees with it
    with sessions() as session:
        opened = session.execute(sa.select(Discrepancy.object_type, Discrepancy.kind)).all()
    # Only the seeded devices SNMP never reached; nothing of the loose ends.
    assert {(t, str(k)) for t, k in opened} <= {("device", "not_on_network")}, opened

    again = run_sync(sessions, netbox.url, netbox.token, full=True, circuit_networks=networks)
    assert again.status == RunStatus.SUCCEEDED, again.error
    changed = {k: c["created"] + c["updated"] for k, c in (again.stats or {})["kinds"].items()}
    assert set(changed.values()) == {0}, changed  # a second sync changes nothing

    app = create_app(
        {"TESTING": True, "CMDB_DATABASE_URL": db_url, "SECRET_KEY": "t"}
        | {"CMDB_ANONYMOUS_READ": True, "CMDB_DEFAULT_LANGUAGE": "en"}
    )
    client = app.test_client()
    page = client.get(f"/clusters/{cluster_id}").get_data(as_text=True)
    assert "Unplaced" in page
    assert "1 workload is left out of capacity: its vCPU or memory is unknown." in page
    assert "Open end" in client.get(f"/links/{link_id}").get_data(as_text=True)
    # Each site lists its circuit to nowhere among its links.
    assert f"TRANSIT-{loose_ends.tag}" in client.get(f"/sites/{dc_id}").get_data(as_text=True)
    assert f"BACKHAUL-{loose_ends.tag}" in client.get(f"/sites/{ds_id}").get_data(as_text=True)


def _site_of(session: Session, netbox_id: int) -> int:
    return _by_source(session, Site, str(netbox_id)).id


def _by_source(session: Session, model: Any, external_id: str) -> Any:
    """The record NetBox knows by ``external_id``."""
    stmt = sa.select(model).join(
        RecordSource,
        sa.and_(
            RecordSource.object_type == model.__tablename__,
            RecordSource.object_id == model.id,
            RecordSource.external_id == external_id,
        ),
    )
    return session.scalars(stmt).one()
