"""Deletions in a real NetBox 4.7, learnt from its change log by an incremental sync.

The filters asked of ``core/object-changes`` are checked against the peer first:
NetBox silently ignores a filter it does not know, so each must be seen to narrow.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pynetbox
import pytest
import requests
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from cmdb.choices import RunStatus, Source
from cmdb.models import ChangeLog, Device, Interface, RecordSource
from discovery.netbox.sync import run_sync
from tests.integration.netbox.conftest import Netbox
from web import create_app
from web.cli import main

pytestmark = pytest.mark.slow


def _changes(netbox: Netbox, **filters: Any) -> list[dict[str, Any]]:
    reply = requests.get(
        f"{netbox.url}/api/core/object-changes/",
        params={"limit": 1000, **filters},
        headers={"Authorization": f"Token {netbox.token}", "Accept": "application/json"},
        timeout=30,
    )
    reply.raise_for_status()
    return list(reply.json()["results"])


@pytest.fixture
def doomed(netbox: Netbox) -> Iterator[dict[str, pynetbox.core.response.Record]]:
    """A switch with two ports, and a third port on a seeded device, made for deleting."""
    api, ids = netbox.api, netbox.seeded.ids
    switch = api.dcim.devices.create(
        name="sw-dien-ban",
        device_type=api.dcim.device_types.get(slug="c9300-48t").id,
        role=api.dcim.device_roles.get(slug="core-switch").id,
        site=ids["site_dc"],
        status="active",
    )
    made = {"switch": switch}
    for name in ("Gi1/0/1", "Gi1/0/2"):
        made[name] = api.dcim.interfaces.create(device=switch.id, name=name, type="1000base-t")
    made["spare"] = api.dcim.interfaces.create(
        device=ids["core"], name="Te1/1/9", type="10gbase-x-sfpp"
    )
    yield made
    for record in made.values():  # whatever a failed test left behind
        with contextlib.suppress(pynetbox.RequestError):  # already gone
            record.delete()


def test_change_log_filters_are_known_to_netbox(netbox: Netbox, doomed: dict) -> None:
    t0 = datetime.now(UTC).isoformat()  # the fixture's creations are before it
    doomed["spare"].delete()
    after = {"time_after": t0}
    assert len(_changes(netbox, **after)) >= 1
    assert _changes(netbox, time_after=(datetime.now(UTC) + timedelta(days=1)).isoformat()) == []
    deleted = _changes(netbox, action="delete", changed_object_type="dcim.interface", **after)
    assert [c["changed_object_id"] for c in deleted] == [doomed["spare"].id]
    assert deleted[0]["action"]["value"] == "delete"
    assert _changes(netbox, action="create", changed_object_type="dcim.interface", **after) == []
    assert _changes(netbox, action="delete", changed_object_type="dcim.site", **after) == []
    both = _changes(
        netbox, action="delete", changed_object_type=["dcim.site", "dcim.interface"], **after
    )
    assert len(both) == 1  # several types in one request


def _last_seen(sessions: sessionmaker[Session]) -> dict[tuple[str, int], datetime]:
    with sessions() as s:
        columns = (RecordSource.object_type, RecordSource.object_id, RecordSource.last_seen_at)
        rows = s.execute(sa.select(*columns).where(RecordSource.source == Source.NETBOX))
        return {(t, i): at for t, i, at in rows}


def test_deleted_device_and_interface_are_marked_from_the_change_log(
    netbox: Netbox, doomed: dict, sessions: sessionmaker[Session]
) -> None:
    run_sync(sessions, netbox.url, netbox.token, full=True)
    with sessions() as s:
        switch = s.scalars(sa.select(Device).where(Device.name == "sw-dien-ban")).one()
        ports = s.scalars(
            sa.select(Interface.id).where(Interface.name.in_(["Gi1/0/1", "Gi1/0/2", "Te1/1/9"]))
        ).all()
        devices = s.scalar(sa.select(sa.func.count(Device.id)))
        interfaces = s.scalar(sa.select(sa.func.count(Interface.id)))
    before = _last_seen(sessions)
    doomed["switch"].delete()  # NetBox deletes its two ports with it, and logs each
    doomed["spare"].delete()
    first = run_sync(sessions, netbox.url, netbox.token)
    assert first.status == RunStatus.SUCCEEDED
    assert first.stats["deletions"] == "change log"
    gone = sorted((n["kind"], n["id"]) for n in first.stats["not_seen"])
    assert gone == sorted([("devices", switch.id)] + [("interfaces", i) for i in ports])
    with sessions() as s:  # marked, never deleted
        assert s.scalar(sa.select(sa.func.count(Device.id))) == devices
        assert s.scalar(sa.select(sa.func.count(Interface.id))) == interfaces
    gone_rows = [("device", switch.id)] + [("interface", i) for i in ports]
    after = _last_seen(sessions)
    assert [after[r] for r in gone_rows] == [before[r] for r in gone_rows]
    changed = {k: c for k, c in first.stats["kinds"].items() if c["created"] or c["updated"]}
    assert changed == {}  # the others untouched

    log_rows = _count(sessions, ChangeLog)
    second = run_sync(sessions, netbox.url, netbox.token)
    assert second.status == RunStatus.SUCCEEDED
    assert not any(c["created"] or c["updated"] for c in second.stats["kinds"].values())
    assert _count(sessions, ChangeLog) == log_rows
    again = _last_seen(sessions)
    assert [again[r] for r in gone_rows] == [before[r] for r in gone_rows]


def test_since_beyond_the_change_logs_retention_falls_back_to_id_lists(
    netbox: Netbox, doomed: dict, sessions: sessionmaker[Session]
) -> None:
    run_sync(sessions, netbox.url, netbox.token, full=True)
    with sessions() as s:
        spare = s.scalars(sa.select(Interface.id).where(Interface.name == "Te1/1/9")).one()
    doomed["spare"].delete()
    long_ago = datetime.now(UTC) - timedelta(days=200)
    run = run_sync(sessions, netbox.url, netbox.token, since=long_ago)
    assert run.status == RunStatus.SUCCEEDED
    assert run.stats["deletions"].startswith("id lists: the change log may not reach back")
    assert ("interfaces", spare) in {(n["kind"], n["id"]) for n in run.stats["not_seen"]}


# Every type a sync reads, for a token that may view them all but not the change log.
_SYNCED_TYPES = [
    "dcim.region",
    "dcim.sitegroup",
    "tenancy.tenant",
    "dcim.site",
    "dcim.location",
    "dcim.rack",
    "virtualization.cluster",
    "dcim.devicetype",
    "dcim.device",
    "dcim.interface",
    "ipam.ipaddress",
    "dcim.cable",
    "circuits.circuittype",
    "circuits.circuit",
    "circuits.circuittermination",
    "virtualization.virtualmachine",
]


@pytest.fixture
def viewer_token(netbox: Netbox) -> Iterator[str]:
    """A v2 token of a user who may view what a sync reads, and not NetBox's change log."""
    users = netbox.api.users
    user = users.users.create(username=f"viewer-{uuid.uuid4().hex[:6]}", password=_password())
    permission = users.permissions.create(
        name=user.username, object_types=_SYNCED_TYPES, actions=["view"], users=[user.id]
    )
    token = users.tokens.create(user=user.id, version=2)
    try:
        yield f"nbt_{token.key}.{token.token}"
    finally:
        for record in (token, permission, user):
            record.delete()


def _password() -> str:
    return f"Vw-{uuid.uuid4().hex}"


def test_token_that_may_not_read_the_change_log_falls_back_to_id_lists(
    netbox: Netbox,
    doomed: dict,
    sessions: sessionmaker[Session],
    db_url: str,
    viewer_token: str,
) -> None:
    run_sync(sessions, netbox.url, netbox.token, full=True)
    with sessions() as s:
        spare = s.scalars(sa.select(Interface.id).where(Interface.name == "Te1/1/9")).one()
    doomed["spare"].delete()
    run = run_sync(sessions, netbox.url, viewer_token)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.stats["deletions"] == "id lists: NetBox refused its change log (403)"
    assert [(n["kind"], n["id"]) for n in run.stats["not_seen"]] == [("interfaces", spare)]

    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": db_url, "SECRET_KEY": "t"})
    env = {"CMDB_NETBOX_URL": netbox.url, "CMDB_NETBOX_TOKEN": viewer_token}
    human = app.test_cli_runner().invoke(main, ["sync", "netbox"], env=env)
    assert human.exit_code == 0, human.output
    assert "deletions read from id lists: NetBox refused its change log (403)" in human.output


def _count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(model)) or 0
