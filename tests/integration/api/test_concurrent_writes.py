"""Many users writing at once, against a real server (waitress, 8 threads) on SQLite and
PostgreSQL: every write queues for its turn, none answers 5xx, and the change log
tells each change from what it replaced.

On SQLite a writer takes the database's write lock when its transaction begins and
waits there (``cmdb.db.make_engine``); on PostgreSQL approvals take an advisory
lock, a PATCH its row, a sample batch its series.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from flask import Flask

from capacity import actions
from cmdb.choices import Role
from cmdb.db import transaction
from cmdb.models import CapacityReservation, ChangeLog, Device, Sample, SampleDaily, Series
from cmdb.services.tokens import create_token
from cmdb.services.users import create_user
from tests import factories as f
from tests.databases import drop_pg_database, migrated_pg_url, migrated_sqlite_url
from tests.integration.capacity.builders import SmallProvince, build_small_province, request_doc
from tests.live_server import all_at_once, call, serving
from web import create_app
from web.db import get_db

# A real server (waitress) and real clients at once: the full tier's, not the quick one's.
pytestmark = pytest.mark.slow

TODAY = date(2026, 6, 1)
VCPU = 20  # the small province's one cluster: 2 hosts × 10 cores, ratio 1, ceiling 100 %
TINY = [{"name": "app", "count": 1, "vcpu": 1, "ram_gb": 1, "disk_gb": 10}]
FACTS = json.loads(
    (Path(__file__).resolve().parents[2] / "fixtures/ansible/setup-localhost.json").read_text()
)


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Flask, SmallProvince]]:
    """The app on the small province of ``builders``, on each backend."""
    pg = request.param == "postgresql"
    url = migrated_pg_url("headroom_concurrent") if pg else migrated_sqlite_url(tmp_path / "c.db")
    app = create_app(
        {"TESTING": True, "CMDB_DATABASE_URL": url, "SECRET_KEY": "t", "CMDB_TODAY": TODAY}
    )
    with app.app_context(), transaction(get_db().sessions) as session:
        province = build_small_province(session)
    yield app, province
    with app.app_context():
        get_db().engine.dispose()
    if pg:
        drop_pg_database(url)


def token(app: Flask, role: Role) -> str:
    with app.app_context(), transaction(get_db().sessions) as session:
        return create_token(session, create_user(session, f"t-{role.value}", role))[1]


def statuses(answers: list[requests.Response]) -> Counter[int]:
    return Counter(answer.status_code for answer in answers)


def server_errors(answers: list[requests.Response]) -> list[str]:
    return [f"{a.status_code} {a.request.method} {a.url}: {a.text[:200]}" for a in answers
            if a.status_code >= 500]  # fmt: skip


def changes_of(app: Flask, object_type: str, object_id: int) -> list[ChangeLog]:
    with app.app_context(), get_db().sessions() as session:
        stmt = sa.select(ChangeLog).where(
            ChangeLog.object_type == object_type, ChangeLog.object_id == object_id
        )
        return list(session.scalars(stmt.order_by(ChangeLog.id)))


def assert_chained(entries: list[ChangeLog]) -> None:
    """Each entry's "before" is what the entry before it left ("after"), field by field."""
    state: dict[str, Any] = {}
    for entry in entries:
        for field, value in (entry.before or {}).items():
            if field in state:
                assert value == state[field], (entry.id, field, value, state[field])
        state.update(entry.after or {})


@pytest.mark.parametrize(
    "world",
    [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=[
                pytest.mark.postgres,
                pytest.mark.long(
                    reason="50 approvals one after the other by design, ~80 ms each on "
                    "PostgreSQL: 7-11 s with the 2-core machine at load 11"
                ),
            ],
        ),
    ],
    indirect=True,
)
def test_fifty_approvals_at_once_queue_and_never_oversubscribe(world) -> None:
    app, province = world
    with app.app_context(), transaction(get_db().sessions) as session:
        ids = [
            actions.submit_request(
                session, request_doc(name=f"R{i}", workloads=TINY), today=TODAY
            ).id
            for i in range(50)
        ]
    planner = token(app, Role.PLANNER)
    with serving(app) as url:
        answers = all_at_once(
            [call("POST", f"{url}/api/v1/requests/{i}/approve", planner, {}) for i in ids]
        )
    assert server_errors(answers) == []
    assert statuses(answers) == {200: VCPU, 409: 50 - VCPU}  # 1 vCPU each: 20 fit
    approved = {i for i, a in zip(ids, answers, strict=True) if a.status_code == 200}
    with app.app_context(), get_db().sessions() as session:
        rows = session.scalars(sa.select(CapacityReservation)).all()
    vcpu = f"cluster:{province.cluster.id}:vcpu"
    assert {r.request_id for r in rows} == approved
    assert sum(r.d0 for r in rows if r.resource == vcpu) == VCPU  # all of it, not a vCPU more
    for request_id in ids:
        entries = changes_of(app, "resource_request", request_id)
        assert_chained(entries)
        statuses_logged = [(e.before or {}).get("status") for e in entries[1:]]
        assert statuses_logged == (["submitted"] if request_id in approved else [])


def test_devices_patches_and_samples_at_once_answer_no_5xx(world) -> None:
    app, province = world
    engineer = token(app, Role.ENGINEER)
    site, cluster = province.dc.id, province.cluster.id
    new_series = {"resource_type": "cluster", "resource_id": cluster, "metric": "vcpu_allocated"}
    with serving(app) as url:
        calls = [
            *(
                call("POST", f"{url}/api/v1/devices/", engineer,
                     {"name": f"sv-{i}", "role": "server", "site_id": site})
                for i in range(30)
            ),
            *(
                call("PATCH", f"{url}/api/v1/clusters/{cluster}", engineer,
                     {"description": f"patch {i}"})
                for i in range(30)
            ),
            *(  # one new series named by every batch: made once
                call("POST", f"{url}/api/v1/samples/", engineer,
                     [{"series": new_series, "at": f"2026-05-20T{i % 24:02d}:{i:02d}:00Z",
                       "value": float(i)}])
                for i in range(30)
            ),
        ]  # fmt: skip
        answers = all_at_once(calls)
    assert server_errors(answers) == []
    assert statuses(answers) == {201: 30, 200: 60}
    assert sum(a.json()["series_created"] for a in answers[60:]) == 1
    entries = changes_of(app, "cluster", cluster)
    assert len(entries) == 30
    assert_chained(entries)
    with app.app_context(), get_db().sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Device)) == 30 + 2
        series = session.scalars(sa.select(Series)).one()
        samples = session.scalar(sa.select(sa.func.count()).select_from(Sample))
        daily = session.scalars(sa.select(SampleDaily).where(SampleDaily.series_id == series.id))
        assert samples == 30
        assert [(d.count, d.max) for d in daily] == [(30, 29.0)]  # every batch's point counted


def test_revisions_of_one_request_at_once_each_log_what_they_replaced(world) -> None:
    app, _ = world
    with app.app_context(), transaction(get_db().sessions) as session:
        request_id = actions.submit_request(session, request_doc(), today=TODAY).id
    planner = token(app, Role.PLANNER)
    with serving(app) as url:
        answers = all_at_once(
            [call("PATCH", f"{url}/api/v1/requests/{request_id}", planner, {"name": f"v{i}"})
             for i in range(10)]
        )  # fmt: skip
    assert statuses(answers) == {200: 10}, server_errors(answers)
    entries = changes_of(app, "resource_request", request_id)
    assert len(entries) == 11  # created, then revised ten times
    assert_chained(entries)


def test_evaluations_racing_an_approval_never_undo_it(world) -> None:
    """An evaluation stores the status evaluated: one that read the request before the
    approval committed must wait for it and then refuse (409), not overwrite it."""
    app, _ = world
    with app.app_context(), transaction(get_db().sessions) as session:
        request_id = actions.submit_request(session, request_doc(), today=TODAY).id
    planner = token(app, Role.PLANNER)
    base = f"/api/v1/requests/{request_id}"
    with serving(app) as url:
        answers = all_at_once(
            [call("POST", f"{url}{base}/evaluate", planner) for _ in range(8)]
            + [call("POST", f"{url}{base}/approve", planner, {})]
        )
    assert server_errors(answers) == []
    assert answers[-1].status_code == 200
    assert {a.status_code for a in answers[:-1]} <= {201, 409}
    with app.app_context(), get_db().sessions() as session:
        req = actions.store.get_request(session, request_id)
        reserved = session.scalars(sa.select(CapacityReservation.request_id)).all()
        assert (req.status.value, set(reserved)) == ("approved", {request_id})


def test_fact_posts_at_once_all_succeed(world) -> None:
    app, province = world
    with app.app_context(), transaction(get_db().sessions) as session:
        hosts = [
            f.server(session, name=f"fact-{i}", site=province.dc, cluster=province.cluster).name
            for i in range(10)
        ]
    engineer = token(app, Role.ENGINEER)
    with serving(app) as url:
        answers = all_at_once(
            [  # each host three times: re-posting the same facts changes nothing
                call("POST", f"{url}/api/v1/facts/", engineer,
                     {"host": {"name": host}, "facts": FACTS})
                for host in hosts * 3
            ]
        )  # fmt: skip
    assert server_errors(answers) == []
    assert statuses(answers) == {200: 30}


def test_a_write_whose_answer_fails_is_not_kept(world, monkeypatch) -> None:
    """The commit waits for the answer: a failure after the unit of work (here injected
    into building the answer, which no input reaches now) leaves nothing written."""
    app, province = world
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer the 500 as served, not raise it here
    engineer = token(app, Role.ENGINEER)

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("the answer could not be built")

    monkeypatch.setattr("web.api.resource_writes.jsonify", broken)
    body = {"name": "sv-lost", "role": "server", "site_id": province.dc.id}
    answer = app.test_client().post(
        "/api/v1/devices/", json=body, headers={"Authorization": f"Token {engineer}"}
    )
    assert answer.status_code == 500
    with app.app_context(), get_db().sessions() as session:
        assert session.scalar(sa.select(Device.id).where(Device.name == "sv-lost")) is None
        logged = sa.select(ChangeLog.id).where(ChangeLog.object_type == "device")
        assert session.scalar(logged) is None
