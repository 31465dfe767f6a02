"""Rejection and the reads behind the request pages, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from capacity import actions
from cmdb.choices import AdminLevel, RequestStatus
from cmdb.errors import ConflictError, ValidationError
from cmdb.models import ChangeLog
from cmdb.services.request_choices import load_agencies, load_target_units
from cmdb.services.request_list import (
    load_latest_evaluation,
    load_link_ends,
    load_rejection,
    load_requests,
)
from tests.integration.capacity.builders import build_small_province, request_doc

TODAY = date(2026, 6, 1)


def test_a_rejection_keeps_its_reason_and_ends_the_request(session: Session) -> None:
    build_small_province(session)
    req = actions.submit_request(session, request_doc(), today=TODAY, actor="team")
    assert load_rejection(session, req.id) is None

    with pytest.raises(ValidationError) as blank:
        actions.reject_request(session, req.id, "   ", actor="planner1")
    assert "reason" in blank.value.errors
    assert req.status is RequestStatus.SUBMITTED

    actions.reject_request(session, req.id, "  SAN đầy; chờ mở rộng  ", actor="planner1")

    assert req.status is RequestStatus.REJECTED
    rejection = load_rejection(session, req.id)
    assert rejection is not None
    assert (rejection.actor, rejection.reason) == ("planner1", "SAN đầy; chờ mở rộng")
    logged = session.scalars(sa.select(ChangeLog).where(ChangeLog.object_id == req.id)).all()
    assert [e.after["status"] for e in logged] == ["submitted", "rejected"]
    with pytest.raises(ConflictError):
        actions.reject_request(session, req.id, "again")
    with pytest.raises(ConflictError):
        actions.approve_request(session, req.id, today=TODAY)


def test_requests_filter_by_agency(session: Session) -> None:
    p = build_small_province(session)
    actions.submit_request(session, request_doc(), today=TODAY)
    agencies = load_agencies(session)
    assert [a.name for a in agencies] == sorted(a.name for a in agencies)
    other = next(a for a in agencies if a.id != p.agency.id)

    total, rows = load_requests(session, agency_id=p.agency.id)
    assert total == 1 and rows[0].agency_id == p.agency.id
    assert load_requests(session, agency_id=other.id) == (0, [])


def test_target_units_are_the_province_and_its_districts(session: Session) -> None:
    p = build_small_province(session)
    units = load_target_units(session, TODAY)
    assert [(u.code, u.level) for u in units] == [
        (p.province.code, AdminLevel.PROVINCE),
        (p.district.code, AdminLevel.DISTRICT),
    ]
    assert units[1].parent_name == p.province.name


def test_link_ends_name_their_sites_and_admin_units(session: Session) -> None:
    p = build_small_province(session)
    link = p.commune_links[1]
    ends = load_link_ends(session, [link.id, p.district_link.id])
    a, b = ends[link.id]
    assert (a.site, b.site) == (link.a_site.name, link.b_site.name)
    assert a.unit_code == link.a_site.admin_unit.code
    assert a.parent_name == link.a_site.admin_unit.parent.name
    assert len(ends[p.district_link.id]) == 2
    assert load_link_ends(session, []) == {}


def test_the_latest_evaluation_is_the_last_stored(session: Session) -> None:
    build_small_province(session)
    req = actions.submit_request(session, request_doc(), today=TODAY)
    assert load_latest_evaluation(session, req.id) is None
    first = actions.evaluate_stored(session, req.id, today=TODAY)
    second = actions.evaluate_stored(session, req.id, today=TODAY)
    latest = load_latest_evaluation(session, req.id)
    assert latest is not None and latest.id == second.id != first.id
    assert latest.result["series"]["steps"][0] == latest.result["go_live"]
