"""The fact-sync playbook at width: ``forks: 20`` over thirty hosts, posted in batches,
on SQLite and PostgreSQL; and a Headroom that is down or refuses the token.

Every host is this machine over the local connection (the inventory's ``compose``); the
extra hosts are VMs, which have no interfaces to reconcile, so thirty records can share
one machine's facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from cmdb.choices import Role, RunStatus
from cmdb.db import transaction
from cmdb.models import DiscoveryResult, DiscoveryRun, Observation, Workload
from tests import factories as f
from tests.databases import drop_pg_database, migrated_pg_url, migrated_sqlite_url
from tests.integration.ansible.conftest import seeded_app, token
from tests.integration.ansible.live import (
    LOCAL_INVENTORY,
    ansible_env,
    inventory_file,
    live_server,
    run_ansible,
)
from web.db import get_db

pytestmark = pytest.mark.slow

EXTRA_VMS = 26
BATCH = 8
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def wide_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The Ansible tests' inventory plus ``EXTRA_VMS`` VMs with an address each."""
    pg = request.param == "postgresql"
    url = migrated_pg_url("headroom_facts_batch") if pg else migrated_sqlite_url(tmp_path / "w.db")
    app, _ = seeded_app(url)
    with app.app_context(), transaction(get_db().sessions) as session:
        for n in range(EXTRA_VMS):
            f.workload(session, name=f"vm-wide-{n:02}", management_address=f"10.49.9.{n + 1}")
    try:
        yield app
    finally:
        with app.app_context():
            get_db().engine.dispose()
        if pg:
            drop_pg_database(url)


def the_run(app: Flask) -> tuple[DiscoveryRun, list[DiscoveryResult]]:
    with app.app_context(), get_db().sessions() as session:
        [run] = session.scalars(sa.select(DiscoveryRun)).all()
        results = session.scalars(
            sa.select(DiscoveryResult).where(DiscoveryResult.run_id == run.id)
        ).all()
        session.expunge_all()
        return run, list(results)


@pytest.mark.long(reason="setup on 30 hosts (this machine, forks 20), then batched posts")
def test_thirty_hosts_with_twenty_forks_are_posted_in_batches_and_none_fails(
    wide_app: Flask, tmp_path: Path
) -> None:
    path = inventory_file(tmp_path, LOCAL_INVENTORY)
    with live_server(wide_app) as live:
        env = ansible_env(tmp_path, live.url, token(wide_app, Role.ENGINEER, "ansible"))
        env.update(ANSIBLE_INVENTORY=str(path), ANSIBLE_FORKS="20")
        limit = "vm-wide-*,ansible-ctl,vm-portal-01"  # hv-01's serial is not this machine's
        args = ["playbooks/sync_facts.yml", "--limit", limit, "-e", f"headroom_batch_size={BATCH}"]
        result = run_ansible(["ansible-playbook", *args], env)
        batch_posts = live.count("/api/v1/facts/batch")
        single_posts = live.requests.count("/api/v1/facts/")
    output = result.stdout + result.stderr
    hosts = EXTRA_VMS + 2
    assert result.returncode == 0, output
    assert (batch_posts, single_posts) == (-(-hosts // BATCH), 0)  # ceil: 4 requests
    assert f"succeeded: {hosts} of {hosts} done" in result.stdout, output
    assert not re.search(r"failed=[1-9]", result.stdout), output
    run, results = the_run(wide_app)
    assert run.status is RunStatus.SUCCEEDED and run.error is None
    assert run.stats["attempted"] == run.stats["hosts"] == hosts and run.stats["failed"] == 0
    assert sorted(r.status for r in results) == [RunStatus.SUCCEEDED] * hosts
    with wide_app.app_context(), get_db().sessions() as session:
        observed = session.scalars(
            sa.select(Observation.object_id).where(
                Observation.run_id == run.id, Observation.object_type == "workload"
            )
        ).all()
        wide = session.scalars(sa.select(Workload.id).where(Workload.name.like("vm-wide-%")))
        assert set(wide) <= set(observed) and len(observed) == EXTRA_VMS + 1


@pytest.mark.parametrize(
    ("down", "reason"),
    [
        (True, r"cannot reach Headroom at http://127\.0\.0\.1:9: \[Errno 111\] Connection refused"),
        (False, r"Headroom at http://127\.0\.0\.1:\d+ refused the token \(HTTP 401: .+\): check "
                r"HEADROOM_TOKEN"),
    ],
)  # fmt: skip
@pytest.mark.long(reason="ansible-inventory, then ansible-playbook (~5 s each, loaded)")
def test_headroom_down_or_a_refused_token_fails_the_run_with_one_line(
    tmp_path: Path, down: bool, reason: str
) -> None:
    """The hosts come from a copy of the inventory (as from a cache): Headroom is then
    down, or the token is refused, when the playbook opens its run."""
    app, _ = seeded_app(migrated_sqlite_url(tmp_path / "d.db"))
    path = inventory_file(tmp_path, LOCAL_INVENTORY)
    static = tmp_path / "hosts.yml"
    with live_server(app) as live:
        key = token(app, Role.ENGINEER, "ansible")
        listed = run_ansible(
            ["ansible-inventory", "-i", str(path), "--list", "--yaml"],
            ansible_env(tmp_path, live.url, key),
        )
        assert listed.returncode == 0, listed.stderr
        static.write_text(listed.stdout, encoding="utf-8")
        assert "hv-01" in listed.stdout and "vm-portal-01" in listed.stdout
        url, used = ("http://127.0.0.1:9", key) if down else (live.url, "not-a-token")
        env = ansible_env(tmp_path, url, used, ANSIBLE_INVENTORY=str(static))
        result = run_ansible(["ansible-playbook", "playbooks/sync_facts.yml"], env)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    lines = re.findall(r'"msg": "Headroom fact sync failed: ([^"]*)"', result.stdout)
    assert lines and all(re.fullmatch(reason, line) for line in lines), output
    assert "Status code was" not in output  # uri's own error is not shown
    assert "TASK [Gather the facts" not in result.stdout  # stopped before touching a host
    with app.app_context(), get_db().sessions() as session:
        assert session.scalars(sa.select(DiscoveryRun)).all() == []
        get_db().engine.dispose()
