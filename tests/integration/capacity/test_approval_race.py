"""Two planners approve two requests at the same moment, and only one of them fits:
exactly one approval succeeds (PostgreSQL, real concurrent transactions)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa

from capacity import actions
from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.errors import ConflictError
from cmdb.models import CapacityReservation, ResourceRequest
from tests.databases import drop_pg_database, migrated_pg_url
from tests.integration.capacity.builders import build_small_province, request_doc

TODAY = date(2026, 6, 1)
BIG = [{"name": "app", "count": 6, "vcpu": 2, "ram_gb": 4, "disk_gb": 10}]  # 12 of 20 vCPU


@pytest.fixture
def pg_url() -> Iterator[str]:
    url = migrated_pg_url("headroom_race")
    yield url
    drop_pg_database(url)


@pytest.mark.postgres
@pytest.mark.parametrize("attempt", range(6))
def test_racing_approvals_for_the_last_capacity_never_both_succeed(
    pg_url: str, attempt: int
) -> None:
    engine = make_engine(pg_url, pool_size=4)
    sessions = make_session_factory(engine)
    with transaction(sessions) as s:
        build_small_province(s)
        ids = [
            actions.submit_request(s, request_doc(name=n, workloads=BIG), today=TODAY).id
            for n in ("A", "B")
        ]
    with transaction(sessions) as s:  # fit the forecasts once, outside the race
        actions.capacity_report(s, at=TODAY)

    start = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def approve(request_id: int) -> None:
        start.wait(timeout=10)
        try:
            with transaction(sessions) as s:
                actions.approve_request(s, request_id, today=TODAY)
            outcomes[request_id] = "approved"
        except ConflictError:
            outcomes[request_id] = "conflict"

    threads = [threading.Thread(target=approve, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes.values()) == ["approved", "conflict"]
    with transaction(sessions) as s:
        approved = s.scalars(
            sa.select(ResourceRequest.id).where(ResourceRequest.status == "approved")
        ).all()
        holders = set(s.scalars(sa.select(CapacityReservation.request_id)))
    assert holders == set(approved) == {i for i, o in outcomes.items() if o == "approved"}
    engine.dispose()
