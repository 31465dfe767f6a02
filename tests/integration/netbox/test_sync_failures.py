"""NetBox refuses, is not there, or dies mid-sync: the run fails with why, nothing written."""

from __future__ import annotations

import json
import socket

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from cmdb.choices import RunStatus
from cmdb.models import ChangeLog, Device, DiscoveryRun, Observation, RecordSource, Site
from discovery.netbox.sync import run_sync
from tests.integration.netbox.conftest import Netbox
from tests.peers.netbox_peer import restart
from web.cli import main

pytestmark = pytest.mark.slow


def _nothing_written(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        for model in (Device, Site, ChangeLog, RecordSource, Observation):
            assert s.scalar(sa.select(sa.func.count()).select_from(model)) == 0, model
        runs = s.scalars(sa.select(DiscoveryRun)).all()
    assert [r.status for r in runs] == [RunStatus.FAILED]  # only the run, saying why


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # released on close: nothing listens there


def test_wrong_token_fails_with_403(netbox: Netbox, sessions: sessionmaker[Session]):
    run = run_sync(sessions, netbox.url, "nbt_wrongkey1234.notthesecret")
    assert run.status == RunStatus.FAILED
    assert "refused the token (403)" in (run.error or "")
    assert "notthesecret" not in f"{run.error} {run.stats} {run.parameters} {run.target}"
    _nothing_written(sessions)


def test_nothing_listening_fails_with_reason(sessions: sessionmaker[Session]):
    run = run_sync(sessions, f"http://127.0.0.1:{_closed_port()}", "x", timeout_s=5)
    assert run.status == RunStatus.FAILED
    assert "cannot reach NetBox" in (run.error or "")
    _nothing_written(sessions)


def test_cli_json_reports_failure_and_exits_non_zero(netbox: Netbox, db_url: str):
    from web import create_app

    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": db_url, "SECRET_KEY": "t"})
    result = app.test_cli_runner().invoke(
        main, ["sync", "netbox", "--url", netbox.url, "--token", "nbt_bad.bad", "--json"]
    )
    assert result.exit_code != 0
    payload = json.loads(result.stdout)
    assert payload["status"] == "failed" and "403" in payload["error"]
    assert set(payload["kinds"]) == {
        "admin_units",
        "agencies",
        "sites",
        "racks",
        "devices",
        "interfaces",
        "links",
        "clusters",
        "workloads",
    }


def test_cli_where_nothing_listens_exits_1_with_a_one_line_reason(db_url: str):
    from web import create_app

    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": db_url, "SECRET_KEY": "t"})
    url = f"http://127.0.0.1:{_closed_port()}"
    args = ["sync", "netbox", "--url", url, "--token", "x", "--timeout", "5"]
    human = app.test_cli_runner().invoke(main, args)
    assert human.exit_code == 1, human.output
    reason = human.stderr.strip().splitlines()[-1]  # after the progress bar's label
    assert reason.startswith(f"NetBox sync failed: cannot reach NetBox at {url}")
    as_json = app.test_cli_runner().invoke(main, [*args, "--json"])
    assert as_json.exit_code == 1
    payload = json.loads(as_json.stdout)
    assert (payload["status"], payload["exit_code"]) == ("failed", 1)
    assert payload["error"].startswith("failed: cannot reach NetBox")


def test_cli_syncs_with_environment_variables(netbox: Netbox, db_url: str):
    from web import create_app

    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": db_url, "SECRET_KEY": "t"})
    env = {"CMDB_NETBOX_URL": netbox.url, "CMDB_NETBOX_TOKEN": netbox.token}
    result = app.test_cli_runner().invoke(main, ["sync", "netbox", "--json"], env=env)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["status"] == "succeeded" and payload["error"] is None
    assert payload["kinds"]["devices"] == {
        "created": 4,
        "updated": 0,
        "unchanged": 0,
        "failed": 0,
        "incomplete": 0,
        "skipped": 0,
    }
    assert set(payload["kinds"]["links"]) == {
        "created",
        "updated",
        "unchanged",
        "failed",
        "incomplete",
        "skipped",
    }
    assert payload["failures"] == []
    human = app.test_cli_runner().invoke(main, ["sync", "netbox", "--full"], env=env)
    assert human.exit_code == 0, human.output
    assert "devices" in human.output and "succeeded" in human.output


# Last of the folder: the peer is stopped and started again (a minute or two when loaded).
@pytest.mark.long(reason="stops the real NetBox mid-sync and starts it again for the others")
def test_netbox_dying_mid_sync_leaves_nothing_half_applied(
    netbox: Netbox, sessions: sessionmaker[Session]
):
    def stop_after_the_first(done: int, total: int | None, message: str) -> None:
        if message.startswith("read ") and done == 1:  # the first endpoint is read: the
            netbox.peer.stop()  # server goes away while the others are still being read

    try:
        run = run_sync(
            sessions,
            netbox.url,
            netbox.token,
            full=True,
            timeout_s=10,
            progress=stop_after_the_first,
        )
    finally:
        restart(netbox.peer)
    assert run.status == RunStatus.FAILED
    assert "NetBox" in (run.error or "")
    _nothing_written(sessions)
