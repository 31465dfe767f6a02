"""Honest results against the real NetBox: an object that cannot be mapped makes the run
partial (exit 3) and is listed with its NetBox page and why, everything else is synced;
the next incremental sync reads what failed again, and what hung on it.

Each test puts NetBox back as it found it (the peer is shared by the folder).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from cmdb.choices import RunStatus
from cmdb.models import Device, DiscoveryRun, Link
from discovery.netbox.sync import run_sync
from tests.integration.netbox.conftest import Netbox
from tests.integration.netbox.seed import EXPECTED_CREATED
from tests.integration.netbox.test_sync_deletions import _SYNCED_TYPES
from web import create_app
from web.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture
def endless_circuit(netbox: Netbox) -> Iterator[Any]:
    """A TSLCD circuit whose both terminations were deleted: it ends nowhere."""
    api = netbox.api
    circuit = api.circuits.circuits.create(
        cid=f"TSLCD-GONE-{uuid.uuid4().hex[:6]}",
        provider=api.circuits.providers.get(slug="vnpt-quang-nam").id,
        type=api.circuits.circuit_types.get(slug="tslcd").id,
        status="active",
        commit_rate=50_000,
    )
    for side, site in (("A", "site_ds"), ("Z", "site_dc")):
        api.circuits.circuit_terminations.create(
            circuit=circuit.id,
            term_side=side,
            termination_type="dcim.site",
            termination_id=netbox.seeded.ids[site],
        ).delete()
    try:
        yield circuit
    finally:
        circuit.delete()


@pytest.mark.long(reason="two syncs of the whole seeded NetBox through the CLI")
def test_a_circuit_that_ends_nowhere_makes_the_run_partial_and_is_listed(
    netbox: Netbox, db_url: str, endless_circuit: Any
) -> None:
    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": db_url, "SECRET_KEY": "t"})
    args = ["sync", "netbox", "--full", "--url", netbox.url, "--token", netbox.token]
    as_json = app.test_cli_runner().invoke(main, [*args, "--json"])
    assert as_json.exit_code == 3, as_json.output
    payload = json.loads(as_json.stdout)
    assert (payload["status"], payload["exit_code"]) == ("partial", 3)
    cid = endless_circuit.cid
    assert payload["failures"] == [
        {
            "kind": "links",
            "external_id": f"circuit:{endless_circuit.id}",
            "label": cid,
            "reason": f"circuit {cid} has no termination at a site",
            "url": f"{netbox.url.rstrip('/')}/circuits/circuits/{endless_circuit.id}/",
        }
    ]
    created = {kind: c["created"] for kind, c in payload["kinds"].items()}
    assert {k: created[k] for k in EXPECTED_CREATED} == EXPECTED_CREATED  # the rest synced
    assert payload["kinds"]["links"]["failed"] == 1
    assert all(set(c) >= {"failed", "incomplete"} for c in payload["kinds"].values())

    human = app.test_cli_runner().invoke(main, args)  # again: the same failure, nothing else
    assert human.exit_code == 3, human.output
    url = payload["failures"][0]["url"]
    assert f"failed: links {cid} ({url}): circuit {cid} has no termination at a site" in (
        human.stderr
    )
    assert "incomplete" in human.stdout.splitlines()[0]  # the counts' header

    reader = create_app(
        {"TESTING": True, "CMDB_DATABASE_URL": db_url, "SECRET_KEY": "t"}
        | {"CMDB_ANONYMOUS_READ": True, "CMDB_DEFAULT_LANGUAGE": "en"}
    )
    page = reader.test_client().get(f"/discovery/{payload['run_id']}").get_data(as_text=True)
    assert f'<a href="{url}" rel="noopener noreferrer">{cid}</a>' in page  # its NetBox page


@pytest.fixture
def blind_to_one_site(netbox: Netbox) -> Iterator[tuple[str, Any]]:
    """A token that may view everything a sync reads but one site (Duy Xuyên's), and the
    permission that hides it (lift its constraint to show the site)."""
    api, ids, tag = netbox.api, netbox.seeded.ids, uuid.uuid4().hex[:6]
    user = api.users.users.create(username=f"blind-{tag}", password=f"Bl-{uuid.uuid4().hex}")
    others = [t for t in _SYNCED_TYPES if t != "dcim.site"]
    everything = api.users.permissions.create(
        name=f"{user.username}-all", object_types=others, actions=["view"], users=[user.id]
    )
    visible = [ids["site_dc"], ids["site_ds"], ids["site_pop"]]
    sites = api.users.permissions.create(
        name=f"{user.username}-sites",
        object_types=["dcim.site"],
        actions=["view"],
        users=[user.id],
        constraints={"id__in": visible},
    )
    token = api.users.tokens.create(user=user.id, version=2)
    try:
        yield f"nbt_{token.key}.{token.token}", sites
    finally:
        for record in (token, sites, everything, user):
            record.delete()


@pytest.mark.long(reason="a full sync and an incremental one of the seeded NetBox")
def test_incremental_sync_reads_again_what_failed_once_its_site_maps(
    netbox: Netbox, sessions: sessionmaker[Session], blind_to_one_site: tuple[str, Any]
) -> None:
    token, hiding = blind_to_one_site
    first = run_sync(sessions, netbox.url, token, full=True)
    assert first.status == RunStatus.PARTIAL, first.error
    failed = {(f["kind"], f["label"]) for f in (first.stats or {})["failures"]}
    assert failed == {("devices", "rt-duyxuyen"), ("links", "TSLCD-DX-01"), ("links", "WAN-DS-01")}

    assert hiding.update({"constraints": None})  # the site is visible now: what hung on it maps
    # Since a moment no object changed after: only what failed last time is read again.
    later = datetime.now(UTC) + timedelta(minutes=5)
    second = run_sync(sessions, netbox.url, token, since=later)
    assert second.status == RunStatus.SUCCEEDED, second.error
    kinds = (second.stats or {})["kinds"]
    assert kinds["devices"]["created"] == 1 and kinds["links"]["created"] == 2
    with sessions() as session:
        assert session.scalar(sa.select(Device.id).where(Device.name == "rt-duyxuyen"))
        assert session.scalar(sa.select(sa.func.count()).select_from(Link)) == 3
        runs = session.scalars(sa.select(DiscoveryRun.status).order_by(DiscoveryRun.id)).all()
    assert runs == [RunStatus.PARTIAL, RunStatus.SUCCEEDED]


def test_a_circuit_type_mapping_naming_no_network_is_refused_before_anything_runs(
    db_url: str, sessions: sessionmaker[Session]
) -> None:
    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": db_url, "SECRET_KEY": "t"})
    args = ["sync", "netbox", "--url", "http://127.0.0.1:9", "--token", "x"]
    result = app.test_cli_runner().invoke(main, [*args, "--circuit-networks", "mpls=fibre"])
    assert result.exit_code == 2, result.output  # click's usage error: nothing was run
    assert "'fibre' is not a network" in result.output
    with sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(DiscoveryRun)) == 0
