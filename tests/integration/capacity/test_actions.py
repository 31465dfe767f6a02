"""The capacity use cases on a real database (SQLite and PostgreSQL): the adapter
builds the right inputs, validation names the bad field, approvals reserve."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from capacity import actions, inputs
from cmdb.choices import RequestStatus
from cmdb.errors import ConflictError, NotFoundError, ValidationError
from cmdb.models import CapacityReservation, ChangeLog, RequestEvaluation, ResourceRequest
from tests.integration.capacity.builders import build_small_province, request_doc

TODAY = date(2026, 6, 1)


def test_paths_follow_the_link_graph_to_the_dc(session: Session) -> None:
    p = build_small_province(session)
    inventory = inputs.load_inventory(session, today=TODAY)
    tslcd = inventory.paths["tslcd"]
    for site, link in zip(p.commune_sites, p.commune_links, strict=True):
        assert tslcd[str(site.id)] == (str(link.id), str(p.district_link.id))
    assert tslcd[str(p.district_site.id)] == (str(p.district_link.id),)
    assert str(p.dc.id) not in tslcd


def test_cluster_spec_carries_ratios_and_ceiling_as_fractions(session: Session) -> None:
    p = build_small_province(session)
    spec = inputs.load_inventory(session, today=TODAY).cluster(str(p.cluster.id)).spec
    assert (len(spec.hosts), spec.ceiling_pct, spec.zones) == (2, 1.0, {"internal", "tslcd"})


def test_commune_demand_adds_up_on_the_district_link(session: Session) -> None:
    """Three communes × 20 Mbps: each 20 Mbps commune link is exactly full (20 ≤ 20
    fits), the 100 Mbps district link carries 3 × 20 = 60 ≤ 100."""
    p = build_small_province(session)
    doc = request_doc(sites={"network": "tslcd", "per_site_mbps": 20, "admin_units": ["911"]})
    result = actions.evaluate_document(session, doc, today=TODAY)
    assert result.verdict == "host"
    by_link = {row.resource: row for row in result.links}
    district = by_link[f"link:{p.district_link.id}"]
    assert district.demand == pytest.approx(60.0)
    assert sorted(district.sites) == sorted(str(s.id) for s in p.commune_sites)
    assert by_link[f"link:{p.commune_links[0].id}"].headroom == pytest.approx(0.0)


def test_one_mbps_more_per_commune_cannot_be_hosted(session: Session) -> None:
    build_small_province(session)
    doc = request_doc(sites={"network": "tslcd", "per_site_mbps": 21, "admin_units": ["911"]})
    result = actions.evaluate_document(session, doc, today=TODAY)
    assert result.verdict == "cannot_host"
    assert result.first_shortfall is not None
    assert result.first_shortfall.resource.startswith("link:")


def test_unknown_names_are_reported_per_field(session: Session) -> None:
    build_small_province(session)
    doc = request_doc(
        agency="Sở Không Có",
        cluster="NOPE",
        sites={"network": "tslcd", "per_site_mbps": 1, "admin_units": ["911", "99999"]},
    )
    with pytest.raises(ValidationError) as info:
        actions.evaluate_document(session, doc, today=TODAY)
    assert set(info.value.errors) == {"agency", "cluster", "sites.admin_units[1]"}


def test_document_errors_come_before_any_lookup(session: Session) -> None:
    with pytest.raises(ValidationError) as info:
        actions.evaluate_document(
            session, request_doc(security_level=7, go_live="2020-01-01"), today=TODAY
        )
    assert set(info.value.errors) == {"security_level", "go_live"}


def test_submit_then_evaluate_stores_the_evaluation(session: Session) -> None:
    build_small_province(session)
    req = actions.submit_request(session, request_doc(), today=TODAY)
    assert req.status == RequestStatus.SUBMITTED
    stored = actions.evaluate_stored(session, req.id, today=TODAY)
    assert (stored.verdict, req.status) == ("host", RequestStatus.EVALUATED)
    assert stored.result["placement"]["cluster"] is not None


def test_an_approval_reserves_capacity_that_later_evaluations_see(session: Session) -> None:
    """Cluster: 2 × 10 cores × ratio 1 = 20 vCPU. The first request (8 vCPU) is
    approved; the second sees 8 vCPU reserved and 20 − 0 − 8 − 8 = 4 vCPU headroom."""
    p = build_small_province(session)
    first = actions.submit_request(session, request_doc(name="A"), today=TODAY)
    actions.approve_request(session, first.id, today=TODAY)
    assert first.status == RequestStatus.APPROVED
    assert first.cluster_id == p.cluster.id
    reserved = session.scalars(sa.select(CapacityReservation.resource)).all()
    assert f"cluster:{p.cluster.id}:vcpu" in reserved
    second = actions.evaluate_document(session, request_doc(name="B"), today=TODAY)
    vcpu = next(r for r in second.resources if r.resource == f"cluster:{p.cluster.id}:vcpu")
    assert (vcpu.reserved, vcpu.demand, vcpu.headroom) == pytest.approx((8.0, 8.0, 4.0))
    assert (
        session.scalar(
            sa.select(sa.func.count()).select_from(ChangeLog).where(ChangeLog.object_id == first.id)
        )
        == 2
    )  # created, then approved


def test_approving_what_no_longer_fits_is_a_conflict(session: Session) -> None:
    """Each request asks 6 × 2 = 12 vCPU of 20: one fits, two (24) do not."""
    build_small_province(session)
    big = [{"name": "app", "count": 6, "vcpu": 2, "ram_gb": 4, "disk_gb": 10}]
    a = actions.submit_request(session, request_doc(name="A", workloads=big), today=TODAY)
    b = actions.submit_request(session, request_doc(name="B", workloads=big), today=TODAY)
    actions.approve_request(session, a.id, today=TODAY)
    with pytest.raises(ConflictError, match="no longer fits"):
        actions.approve_request(session, b.id, today=TODAY)


def test_approving_twice_or_an_unknown_request_is_refused(session: Session) -> None:
    build_small_province(session)
    req = actions.submit_request(session, request_doc(), today=TODAY)
    actions.approve_request(session, req.id, today=TODAY)
    with pytest.raises(ConflictError):
        actions.approve_request(session, req.id, today=TODAY)
    with pytest.raises(NotFoundError):
        actions.approve_request(session, 987_654, today=TODAY)
    assert session.scalar(sa.select(sa.func.count()).select_from(RequestEvaluation)) == 1
    assert session.get(ResourceRequest, req.id).status == RequestStatus.APPROVED  # type: ignore[union-attr]
