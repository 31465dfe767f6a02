"""A fresh install evaluates a request: migrate, import the province's admin units (the
one step of reference data a DC does once, from the packaged GSO list), then everything
else through the API alone — an agency, a data centre, a cluster with two hosts, a
storage pool, a request — and evaluate it (issue 21: agencies could not be created).

Hand-computed: two hosts of 32 cores, one held as HA reserve, 4 vCPU per core → 128 vCPU;
under an 80 % ceiling 102.4; a 4-vCPU workload on an empty cluster leaves 98.4: HOST.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cmdb.choices import Role
from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.services.importer import ImportKind, import_file
from cmdb.services.tokens import create_token
from cmdb.services.users import create_user
from tests.databases import migrated_sqlite_url
from web import create_app
from web.db import get_db

TODAY = "2026-01-15"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    url = migrated_sqlite_url(tmp_path / "fresh.db")
    engine = make_engine(url)
    units = Path(str(files("cmdb") / "data" / "quang-nam-admin-units.csv"))
    with transaction(make_session_factory(engine)) as session:
        import_file(session, ImportKind.ADMIN_UNITS, units)
    engine.dispose()
    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": url, "SECRET_KEY": "test",
                      "CMDB_TODAY": TODAY})  # fmt: skip
    yield app
    with app.app_context():
        get_db().engine.dispose()


def client_of(app: Flask, role: Role) -> FlaskClient:
    with app.app_context(), transaction(get_db().sessions) as session:
        user = create_user(session, f"fresh-{role.value}", role)
        key = create_token(session, user)[1]
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Token {key}"
    return client


def post(client: FlaskClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(f"/api/v1/{path}", json=body)
    assert response.status_code in (200, 201), (path, response.get_json())
    return response.get_json()


def test_a_fresh_install_creates_what_a_request_needs_and_evaluates_it(app: Flask) -> None:
    planner, engineer = client_of(app, Role.PLANNER), client_of(app, Role.ENGINEER)
    tam_ky = engineer.get("/api/v1/admin-units/?code=502").get_json()["results"][0]["id"]

    agency = post(planner, "agencies/", {"name": "Sở Thông tin và Truyền thông",
                                         "short_name": "STTTT", "kind": "department"})  # fmt: skip
    dc = post(engineer, "sites/", {"name": "TTDL tỉnh", "slug": "ttdl", "kind": "data_centre",
                                   "admin_unit_id": tam_ky, "agency_id": agency["id"]})  # fmt: skip
    cluster = post(engineer, "clusters/", {"name": "CL-01", "site_id": dc["id"],
                                           "max_security_level": 3, "zones": ["internet"],
                                           "cpu_ratio": 4, "ram_ratio": 1,
                                           "ha_reserve_hosts": 1, "ceiling_pct": 80})  # fmt: skip
    for n in (1, 2):
        post(engineer, "devices/", {"name": f"esx-{n}", "role": "server", "site_id": dc["id"],
                                    "cores": 32, "ram_gb": 256,
                                    "cluster_id": cluster["id"]})  # fmt: skip
    post(engineer, "storage-pools/", {"name": "SAN-01", "kind": "san", "site_id": dc["id"],
                                      "protection": "raid6_8_2", "raw_tb": 100})  # fmt: skip
    request = post(planner, "requests/", {
        "name": "Cổng thông tin", "agency": "STTTT", "security_level": 2, "zone": "internet",
        "go_live": "2026-03-01", "horizon_years": 3,
        "workloads": [{"name": "web", "vcpu": 4, "ram_gb": 8, "disk_gb": 100}],
        "storage_tb": 0.1,
    })  # fmt: skip

    evaluation = post(planner, f"requests/{request['id']}/evaluate", {})

    assert evaluation["verdict"] == "host", evaluation
    vcpu = next(r for r in evaluation["resources"] if r["resource"].endswith(":vcpu"))
    assert (vcpu["capacity"], vcpu["ceiling"], vcpu["demand"], vcpu["headroom"]) == (
        pytest.approx(128.0),
        pytest.approx(102.4),
        pytest.approx(4.0),
        pytest.approx(98.4),
    )
    listed = planner.get("/api/v1/agencies/?kind=department").get_json()
    assert [a["name"] for a in listed["results"]] == ["Sở Thông tin và Truyền thông"]


def test_communes_are_reached_through_their_office_sites_without_committee_agencies(
    app: Flask,
) -> None:
    """A fresh install has no People's Committee agencies: a request for two communes of
    Tam Kỳ reaches the commune-office sites standing in them (before: refused, "no
    People's Committee site"; a commune with no office at all is still refused, by name)."""
    planner, engineer = client_of(app, Role.PLANNER), client_of(app, Role.ENGINEER)

    def unit_id(code: str) -> int:
        return engineer.get(f"/api/v1/admin-units/?code={code}").get_json()["results"][0]["id"]

    post(planner, "agencies/", {"name": "Sở Y tế", "short_name": "SYT", "kind": "department"})
    dc = post(engineer, "sites/", {"name": "TTDL", "slug": "ttdl", "kind": "data_centre",
                                   "admin_unit_id": unit_id("502")})  # fmt: skip
    post(
        engineer,
        "clusters/",
        {"name": "CL-01", "site_id": dc["id"], "max_security_level": 3, "zones": ["tslcd"]},
    )  # fmt: skip  (the DC is where clusters are)
    links = []
    for code in ("20335", "20341"):  # two communes of Tam Kỳ
        office = post(engineer, "sites/", {"name": f"UBND {code}", "slug": f"ubnd-{code}",
                                           "kind": "commune_office",
                                           "admin_unit_id": unit_id(code)})  # fmt: skip
        links.append(post(engineer, "links/", {"name": f"TSLCD {code}", "network": "tslcd",
                                               "a_site_id": office["id"], "b_site_id": dc["id"],
                                               "commit_rate_mbps": 10})["id"])  # fmt: skip
    request = post(planner, "requests/", {
        "name": "Hội nghị truyền hình", "agency": "SYT", "security_level": 2, "zone": "tslcd",
        "go_live": "2026-03-01", "horizon_years": 3,
        "sites": {"network": "tslcd", "per_site_mbps": 4, "admin_units": ["20335", "20341"],
                  "levels": ["commune"]},
    })  # fmt: skip

    evaluation = post(planner, f"requests/{request['id']}/evaluate", {})

    reached = {(r["resource"], r["demand"], r["headroom"]) for r in evaluation["links"]}
    # 10 Mbps under the 70 % link ceiling is 7; 4 Mbps per site leaves 3.
    assert reached == {(f"link:{i}", 4.0, 3.0) for i in links}, evaluation["links"]
