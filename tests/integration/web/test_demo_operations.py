"""What an engineer finds after ``cmdb demo load`` (issue 22 item 6): discovery runs of
every kind with their failures explained, open discrepancies of several kinds on the
audit page and on a device's page, VMs with their addresses, and the SNMP profiles file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from cmdb.choices import DiscrepancyKind, DiscrepancyStatus, RunKind, RunStatus
from cmdb.db import make_engine
from cmdb.demo.snmp_profiles import write_demo_profiles
from cmdb.models import DiscoveryRun, Discrepancy, Workload
from discovery.credentials import load_profiles
from tests.demo_databases import demo_sqlite_url
from web import create_app


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    url = demo_sqlite_url(tmp_path_factory.mktemp("demo") / "demo.db")
    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": url, "CMDB_ANONYMOUS_READ": True})
    yield app, url


@pytest.fixture()
def client(demo_app: tuple[Flask, str]) -> FlaskClient:
    client = demo_app[0].test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _rows(url: str, stmt: sa.Select) -> list[sa.Row]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(stmt))
    finally:
        engine.dispose()


def test_runs_of_every_kind_and_outcome(demo_app: tuple[Flask, str], client: FlaskClient) -> None:
    runs = _rows(
        demo_app[1],
        sa.select(DiscoveryRun.id, DiscoveryRun.kind, DiscoveryRun.status, DiscoveryRun.error),
    )
    assert {r.kind for r in runs} >= {
        RunKind.DISCOVERY,
        RunKind.POLL,
        RunKind.SYNC,
        RunKind.FACTS,
        RunKind.AUDIT,
    }
    assert {r.status for r in runs} == {RunStatus.SUCCEEDED, RunStatus.PARTIAL, RunStatus.FAILED}
    for run in runs:  # every run that did not succeed says why
        assert (run.error is None) == (run.status is RunStatus.SUCCEEDED), run
    html = client.get("/discovery/").get_data(as_text=True)
    for run in runs:
        assert f"/discovery/{run.id}" in html
    partial = next(r for r in runs if r.kind is RunKind.DISCOVERY and r.status is RunStatus.PARTIAL)
    page = client.get(f"/discovery/{partial.id}").get_data(as_text=True)
    assert "usmStatsWrongDigests" in page and "timeout" in page
    assert page.count("table-danger") == 2  # each failed target is its own row, with its reason
    failed = next(r for r in runs if r.status is RunStatus.FAILED)
    assert "NetBox unreachable" in client.get(f"/discovery/{failed.id}").get_data(as_text=True)


def test_the_audit_page_lists_open_discrepancies_of_several_kinds(
    demo_app: tuple[Flask, str], client: FlaskClient
) -> None:
    rows = _rows(
        demo_app[1],
        sa.select(Discrepancy.id, Discrepancy.kind, Discrepancy.status, Discrepancy.note),
    )
    opened = [r for r in rows if r.status is DiscrepancyStatus.OPEN]
    assert {r.kind for r in opened} >= {
        DiscrepancyKind.MISMATCH,
        DiscrepancyKind.NOT_ON_NETWORK,
        DiscrepancyKind.SPEED_VS_COMMIT,
        DiscrepancyKind.HOST_SIZING,
    }
    html = client.get("/audit/").get_data(as_text=True)
    for row in opened:  # each is a row of the page (the kinds' names are also in the filter)
        assert f'id="discrepancy-{row.id}"' in html, row
    acknowledged = [r for r in rows if r.status is DiscrepancyStatus.ACKNOWLEDGED]
    assert {r.kind for r in acknowledged} == {
        DiscrepancyKind.NOT_IN_NETBOX,
        DiscrepancyKind.VM_SIZING,
    }
    page = client.get("/audit/?status=acknowledged").get_data(as_text=True)
    for row in acknowledged:
        assert row.note and f'id="discrepancy-{row.id}"' in page
        assert row.note.split(";")[0] in page


def test_the_audit_page_links_each_finding_to_its_device(
    demo_app: tuple[Flask, str], client: FlaskClient
) -> None:
    """Device pages list no discrepancies yet (web/ui): the audit page leads to the device."""
    found = _rows(
        demo_app[1],
        sa.select(Discrepancy.object_id).where(
            Discrepancy.kind == DiscrepancyKind.HOST_SIZING, Discrepancy.object_type == "device"
        ),
    )
    assert len(found) == 1
    html = client.get("/audit/?kind=host_sizing").get_data(as_text=True)
    assert f"/devices/{found[0].object_id}" in html
    assert client.get(f"/devices/{found[0].object_id}").status_code == 200


def test_a_vm_page_shows_its_address(demo_app: tuple[Flask, str], client: FlaskClient) -> None:
    vms = _rows(demo_app[1], sa.select(Workload.id, Workload.management_address))
    assert vms and all(address for _, address in vms)
    assert len({address for _, address in vms}) == len(vms)
    vm_id, address = vms[0]
    assert address in client.get(f"/workloads/{vm_id}").get_data(as_text=True)


def test_the_demo_snmp_profiles_file_loads_and_is_kept(tmp_path: Path) -> None:
    path, written = write_demo_profiles(tmp_path)
    assert written
    assert sorted(load_profiles(path)) == ["dc-v3", "pop-v2c", "storage-v2c"]
    path.write_text("profiles: {mine: {community: x}}\n", encoding="utf-8")
    assert write_demo_profiles(tmp_path) == (path, False)
    assert "mine" in path.read_text(encoding="utf-8")
