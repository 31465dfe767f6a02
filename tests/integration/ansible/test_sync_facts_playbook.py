"""The real ``ansible-playbook playbooks/sync_facts.yml`` on this machine, into a live Headroom.

The host is the seeded device ``ansible-ctl`` (127.0.0.1) from the Headroom inventory
itself, reached over the local connection with this interpreter. Its record says 64 GB
of RAM and nothing about cores or serial: the facts fill the cores and interfaces, and
the RAM the machine really has opens a ``host_sizing`` discrepancy for the audit.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from cmdb.choices import DiscrepancyKind, DiscrepancyStatus, Role, RunStatus, Source
from cmdb.models import ChangeLog, Device, DiscoveryRun, Discrepancy, Observation, RecordSource
from discovery.ansible.facts import map_facts
from tests.integration.ansible.conftest import token
from tests.integration.ansible.live import (
    LOCAL_INVENTORY,
    ansible_env,
    inventory_file,
    live_server,
    run_ansible,
)
from web.db import get_db

pytestmark = pytest.mark.slow

PLAYBOOK = ["ansible-playbook", "playbooks/sync_facts.yml", "--limit", "ansible-ctl"]


def counts(app) -> dict[str, int]:
    with app.app_context(), get_db().sessions() as session:
        return {
            model.__tablename__: session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (ChangeLog, Observation, Discrepancy, RecordSource, Device)
        }


def recap_changed(stdout: str) -> int:
    found = re.search(r"ansible-ctl\s*:\s*ok=\d+\s+changed=(\d+)", stdout)
    assert found, stdout
    return int(found.group(1))


def machine_facts(tmp_path: Path, env: dict[str, str]) -> dict:
    """This machine's facts as the setup module reports them, to compare with Headroom."""
    result = run_ansible(
        [
            "ansible",
            "localhost",
            "-c",
            "local",
            "-m",
            "ansible.builtin.setup",
            "-a",
            "gather_subset=!all,min,hardware,network,virtual",
            "-e",
            f"ansible_python_interpreter={sys.executable}",
            "-i",
            "localhost,",
            "--one-line",
        ],
        env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.split("=>", 1)[1])["ansible_facts"]


@pytest.mark.long(
    reason="ansible-playbook runs twice, then gathers the facts, against a live server"
)
def test_facts_become_the_observed_configuration_and_a_second_run_is_a_no_op(
    seeded, tmp_path: Path
) -> None:
    app, ids = seeded
    path = inventory_file(tmp_path, LOCAL_INVENTORY)
    with live_server(app) as live:
        env = ansible_env(tmp_path, live.url, token(app, Role.ENGINEER, "ansible"))
        env["ANSIBLE_INVENTORY"] = str(path)
        first = run_ansible(PLAYBOOK, env)
        assert first.returncode == 0, first.stdout + first.stderr
        after_first = counts(app)
        second = run_ansible(PLAYBOOK, env)
        assert second.returncode == 0, second.stdout + second.stderr
        after_second = counts(app)
        observed = map_facts(machine_facts(tmp_path, env))

    assert recap_changed(first.stdout) >= 1
    assert recap_changed(second.stdout) == 0
    assert after_second == after_first  # no change log, observation or discrepancy row

    with app.app_context(), get_db().sessions() as session:
        device = session.get_one(Device, ids.local_id)
        assert device.cores == observed.cores  # was empty: filled from the facts
        assert device.ram_gb == 64.0  # declared: kept, and disputed below
        assert {i.name for i in device.interfaces} == {i.name for i in observed.interfaces}
        eth = {i.name: i for i in device.interfaces}
        for seen in observed.interfaces:
            assert eth[seen.name].mac_address == seen.mac_address
            assert eth[seen.name].ip_addresses == list(seen.ip_addresses)

        sizing = session.scalars(sa.select(Discrepancy)).all()
        assert [(d.kind, d.object_type, d.object_id, d.field, d.status) for d in sizing] == [
            (DiscrepancyKind.HOST_SIZING, "device", ids.local_id, "ram_gb", DiscrepancyStatus.OPEN)
        ]
        assert sizing[0].values == {"record": 64.0, "ansible": observed.ram_gb}

        runs = session.scalars(sa.select(DiscoveryRun).order_by(DiscoveryRun.id)).all()
        assert [(r.source, r.status, r.requested_by) for r in runs] == [
            (Source.ANSIBLE, RunStatus.SUCCEEDED, "ansible")
        ] * 2
        assert runs[0].stats == {
            "hosts": 1,
            "failed": 0,
            "observations": 1 + len(observed.interfaces),
            "attempted": 1,  # every run's count (discovery.core.lifecycle)
            "incomplete": 0,
        }
        assert runs[1].stats["observations"] == 0
        host_obs = session.scalars(
            sa.select(Observation).where(Observation.object_type == "device")
        ).one()
        assert host_obs.object_id == ids.local_id and host_obs.external_id == "ansible-ctl"
        assert host_obs.data["fields"]["cores"] == observed.cores
        assert host_obs.data["fields"]["ram_gb"] == observed.ram_gb
        assert host_obs.data["host"]["distribution"] == observed.distribution
        assert not any(
            d["name"].startswith(("loop", "ram")) for d in host_obs.data["host"]["disks"]
        )


NO_PYTHON = """\
plugin: headroom.cmdb.headroom
compose:
  ansible_connection: "'local'"
  ansible_python_interpreter: "'/nonexistent/python3'"
"""


@pytest.mark.long(reason="ansible-playbook against a live server, setup failing on two hosts")
def test_a_run_whose_every_host_gave_no_facts_ends_failed_and_the_playbook_says_so(
    seeded, tmp_path: Path
) -> None:
    """Setup fails on every host (no interpreter there): the run is still finished — failed,
    each host listed — the playbook prints it, fails each host and exits non-zero."""
    app, _ = seeded
    path = inventory_file(tmp_path, NO_PYTHON)
    with live_server(app) as live:
        env = ansible_env(tmp_path, live.url, token(app, Role.ENGINEER, "ansible"))
        env["ANSIBLE_INVENTORY"] = str(path)
        result = run_ansible(
            ["ansible-playbook", "playbooks/sync_facts.yml", "--limit", "ansible-ctl,hv-01"], env
        )
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    summary = "failed: 0 of 2 done, 2 failed ("  # the first failure named, in inventory order
    assert summary in result.stdout, output
    assert "ansible-ctl: no facts" in result.stdout, output
    assert "hv-01 was not synced: no facts" in result.stdout, output
    with app.app_context(), get_db().sessions() as session:
        [run] = session.scalars(sa.select(DiscoveryRun)).all()
        assert (run.source, run.status) == (Source.ANSIBLE, RunStatus.FAILED)
        first, *failures = run.error.splitlines()
        assert first.startswith(summary) and first.endswith(": no facts)")
        assert sorted(failures) == ["ansible-ctl: no facts", "hv-01: no facts"]
        assert run.stats["attempted"] == 2 and run.stats["hosts"] == 0
    assert counts(app)["observation"] == 0
