"""What a stock NetBox leaves loose, in capacity terms: a circuit with an open end is on
no path and is the DC's uplink when its known end is the DC; a cluster with no site is
in no DC; a workload without vCPU or memory is left out of its cluster's allocation."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from capacity import inputs
from cmdb.choices import Network
from tests import factories as f
from tests.integration.capacity.builders import build_small_province

TODAY = date(2026, 6, 1)


def test_a_circuit_from_the_dc_to_an_open_end_is_an_uplink_on_no_path(session: Session) -> None:
    p = build_small_province(session)
    transit = f.link(session, a_site=None, b_site=p.dc, network=Network.INTERNET)
    backhaul = f.link(session, a_site=p.commune_sites[0], b_site=None, network=Network.TSLCD)
    inventory = inputs.load_inventory(session, today=TODAY)
    assert inventory.dc_uplinks["internet"] == (str(transit.id),)
    assert str(backhaul.id) not in inventory.dc_uplinks.get("tslcd", ())
    on_paths = {i for sites in inventory.paths.values() for path in sites.values() for i in path}
    assert on_paths and {str(transit.id), str(backhaul.id)}.isdisjoint(on_paths)
    assert {str(transit.id), str(backhaul.id)} <= {lk.spec.id for lk in inventory.links}


def test_unsized_workloads_are_left_out_and_unplaced_clusters_are_in_no_dc(
    session: Session,
) -> None:
    p = build_small_province(session)
    for _ in range(3):  # more clusters than the DC has: were they placed, they would win
        f.cluster(session, site=None)
    f.workload(session, cluster=p.cluster, vcpu=None, ram_gb=None, incomplete="no size")
    f.workload(session, cluster=p.cluster, vcpu=None, ram_gb=64.0, incomplete="no vCPUs")
    f.workload(session, cluster=p.cluster, vcpu=6, ram_gb=12.0)
    inventory = inputs.load_inventory(session, today=TODAY)
    (state,) = [c for c in inventory.clusters if c.spec.id == str(p.cluster.id)]
    # No samples: the baseline is today's allocation, of the one sized workload only.
    assert float(state.vcpu_baseline.mean[0]) == 6.0
    assert float(state.ram_baseline.mean[0]) == 12.0
    tslcd = inventory.paths["tslcd"]  # the paths still lead to the province's DC
    assert tslcd[str(p.commune_sites[0].id)][-1] == str(p.district_link.id)
