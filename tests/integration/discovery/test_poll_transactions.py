"""``cmdb poll`` holds no write transaction while agents answer (issue 18): on SQLite the
one write lock is taken at BEGIN, so a poll that kept its transaction open through the
network phase made every API write queue behind unreachable agents.

The agent here is a real UDP socket on loopback that takes the poll's requests and
never answers (a slow or unreachable target): while the poll waits on it, an API write
to the same SQLite file is answered, and the poll's run is already visible as running.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from click.testing import Result
from flask import Flask

from cmdb.choices import Role, RunKind, RunStatus, SiteKind, Source
from cmdb.db import transaction
from cmdb.models import DiscoveryRun
from cmdb.services.provenance import mark_seen
from tests import factories
from tests.integration.api.conftest import token_for
from web.cli import main
from web.db import get_db

pytestmark = pytest.mark.slow  # a target that never answers: the poll waits its timeout

TIMEOUT_S = "6"  # long enough that the write below is answered while the poll still waits


@pytest.fixture
def silent_agent() -> Iterator[socket.socket]:
    """A UDP port that receives SNMP requests and answers none."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(20)  # the poll's first request arrives well before
    yield sock
    sock.close()


def polled_device(app: Flask, port: int) -> int:
    """A device SNMP discovered at the silent agent's endpoint; returns its site's id."""
    with app.app_context(), transaction(get_db().sessions) as session:
        dc = factories.site(session, kind=SiteKind.DATA_CENTRE)
        device = factories.server(session, site=dc, management_address="127.0.0.1")
        mark_seen(session, [device], Source.SNMP, lambda _d: f"127.0.0.1:{port}")
        return dc.id


def poll_in_background(app: Flask) -> tuple[threading.Thread, list[Result]]:
    results: list[Result] = []
    args = ["poll", "--community", "silent", "--timeout", TIMEOUT_S, "--retries", "0"]
    thread = threading.Thread(
        target=lambda: results.append(app.test_cli_runner().invoke(main, args)), daemon=True
    )
    thread.start()
    return thread, results


def running_polls(app: Flask) -> int:
    with app.app_context(), get_db().sessions() as session:
        stmt = sa.select(sa.func.count()).where(
            DiscoveryRun.kind == RunKind.POLL, DiscoveryRun.status == RunStatus.RUNNING
        )
        return session.scalar(stmt.select_from(DiscoveryRun)) or 0


def test_an_api_write_is_answered_while_the_poll_waits_on_its_agents(
    app: Flask, silent_agent: socket.socket
) -> None:
    site_id = polled_device(app, silent_agent.getsockname()[1])
    key = token_for(app, Role.ENGINEER, "poll-neighbour")
    thread, results = poll_in_background(app)

    silent_agent.recvfrom(4096)  # the poll is in its network phase now
    cluster = {"name": "written-during-poll", "site_id": site_id, "max_security_level": 3}
    response = app.test_client().post(
        "/api/v1/clusters/", json=cluster, headers={"Authorization": f"Token {key}"}
    )

    assert response.status_code == 201, response.get_data(as_text=True)
    assert thread.is_alive(), "the write waited until the poll had ended"
    assert running_polls(app) == 1  # its start is committed: a sweep can end it if it dies
    thread.join(30)
    [result] = results
    assert result.exit_code != 0 and "timeout" in result.output.lower(), result.output
    with app.app_context(), get_db().sessions() as session:
        polls = sa.select(DiscoveryRun).where(DiscoveryRun.kind == RunKind.POLL)
        run = session.scalars(polls).one()
        assert run.status is RunStatus.FAILED and len(run.results) == 1
