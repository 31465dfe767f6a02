"""A host's facts through the discovery core (SQLite, PostgreSQL): observations, fills,
discrepancies, no-op repost, and hosts the core will not place."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from cmdb.choices import DiscrepancyStatus, RunStatus
from cmdb.errors import NotFoundError
from cmdb.models import ChangeLog, Device, Discrepancy, Observation, RecordSource, Workload
from discovery.ansible.observe import DEVICE, WORKLOAD, HostRef
from discovery.ansible.outcome import FactsOutcome
from discovery.ansible.sync import end_facts_run as finish_run
from discovery.ansible.sync import record_facts as post
from discovery.ansible.sync import start_facts_run as open_run
from tests import factories as f

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[2] / "fixtures/ansible/setup-localhost.json").read_text()
)  # 2 cores, 23.5 GB, eth0 + ifb0 + ifb1, no serial


def facts(**changes: Any) -> dict[str, Any]:
    edited = copy.deepcopy(RECORDED)
    edited.update({f"ansible_{k}": v for k, v in changes.items()})
    return edited


def record_facts(session, run, host: Device | Workload, facts, name: str) -> FactsOutcome:
    """Post ``facts`` for ``host`` as the playbook does: its kind and id, its inventory name."""
    kind = DEVICE if isinstance(host, Device) else WORKLOAD
    return post(session, run, HostRef(kind, host.id, name), facts)


def rows(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def unsettled(session) -> list[tuple[str, str, dict[str, Any]]]:
    found = session.scalars(
        sa.select(Discrepancy)
        .where(Discrepancy.status == DiscrepancyStatus.OPEN)
        .order_by(Discrepancy.id)
    )
    return [(d.kind.value, d.field, d.values) for d in found]


def test_a_host_is_filled_disputed_and_a_repost_writes_nothing(session) -> None:
    host = f.server(session, cores=None, ram_gb=64.0, serial=None, management_address="192.0.2.2")
    run = open_run(session, requested_by="ansible")
    first = record_facts(session, run, host, RECORDED, "vm.example")
    assert first.changed and first.observed
    assert first.updated == {"cores": 2, "platform": "Debian 12.11"}  # the recorded host's OS
    assert first.interfaces == ["eth0", "ifb0", "ifb1"]
    assert first.opened == ["host_sizing:ram_gb"]
    assert (host.cores, host.ram_gb, host.platform) == (2, 64.0, "Debian 12.11")
    assert unsettled(session) == [("host_sizing", "ram_gb", {"record": 64.0, "ansible": 23.5})]
    before = {
        m.__tablename__: rows(session, m)
        for m in (ChangeLog, Observation, Discrepancy, RecordSource)
    }
    # the device's update, and each interface's creation: one change-log row per record
    assert before == {"change_log": 4, "observation": 4, "discrepancy": 1, "record_source": 4}

    again = record_facts(
        session, open_run(session, requested_by="ansible"), host, RECORDED, "vm.example"
    )
    assert not again.changed and not again.observed
    assert again.standing == ["host_sizing:ram_gb"] and again.opened == []
    after = {
        m.__tablename__: rows(session, m)
        for m in (ChangeLog, Observation, Discrepancy, RecordSource)
    }
    assert after == before


def test_fixing_the_record_settles_the_discrepancy_on_the_next_post(session) -> None:
    host = f.server(session, cores=4, ram_gb=64.0)
    run = open_run(session, requested_by="ansible")
    outcome = record_facts(session, run, host, RECORDED, "h")
    assert outcome.opened == ["host_sizing:cores", "host_sizing:ram_gb"]
    host.cores, host.ram_gb = 2, 24.0
    outcome = record_facts(session, run, host, RECORDED, "h")
    assert outcome.settled == ["host_sizing:cores", "host_sizing:ram_gb"] and outcome.changed
    assert unsettled(session) == []


def test_a_serial_that_differs_is_a_mismatch(session) -> None:
    host = f.server(session, serial="CZ1", cores=2, ram_gb=24.0)
    outcome = record_facts(
        session, open_run(session, requested_by="x"), host, facts(product_serial="CZ9"), "h"
    )
    assert outcome.opened == ["mismatch:serial"]
    assert unsettled(session) == [("mismatch", "serial", {"record": "CZ1", "ansible": "CZ9"})]
    assert host.serial == "CZ1"


def test_a_vm_bigger_than_its_record_is_vm_sizing_and_keeps_its_size(session) -> None:
    vm = f.workload(session, vcpu=1, ram_gb=8.0, management_address="192.0.2.2")
    outcome = record_facts(session, open_run(session, requested_by="x"), vm, RECORDED, "vm")
    assert outcome.opened == ["vm_sizing:vcpu", "vm_sizing:ram_gb"]
    assert (vm.vcpu, vm.ram_gb) == (1, 8.0)
    assert rows(session, ChangeLog) == 0
    obs = session.scalars(sa.select(Observation)).one()
    assert (obs.object_type, obs.object_id, obs.external_id) == ("workload", vm.id, "vm")
    assert obs.data["fields"] == {
        "name": "vm",
        "vcpu": 2,
        "ram_gb": 23.5,
        "disk_gb": 256.0,
        "management_address": "192.0.2.2",
    }


def test_a_run_is_partial_when_hosts_gave_no_facts(session) -> None:
    host = f.server(session)
    run = open_run(session, requested_by="ansible", parameters={"limit": "site_ttdl"})
    record_facts(session, run, host, RECORDED, "h")
    finish_run(session, run, ["down-01"])
    assert run.status == RunStatus.PARTIAL
    assert run.error == "partial: 1 of 2 done, 1 failed (down-01: no facts)\ndown-01: no facts"
    assert run.stats == {
        "hosts": 1,
        "failed": 1,
        "observations": 4,
        "attempted": 2,
        "incomplete": 0,
    }
    assert [r.address for r in run.results] == ["h"]
    empty = open_run(session, requested_by="ansible")
    assert finish_run(session, empty, ["a"]).status == RunStatus.FAILED
    assert (
        finish_run(session, open_run(session, requested_by="x"), []).status == RunStatus.SUCCEEDED
    )


def test_a_platform_naming_another_os_is_an_open_mismatch(session) -> None:
    host = f.server(session, cores=2, ram_gb=24.0, platform="CentOS 7")
    outcome = record_facts(session, open_run(session, requested_by="ansible"), host, RECORDED, "h")
    assert outcome.opened == ["mismatch:platform"]
    assert host.platform == "CentOS 7"  # the declared value stays; the audit shows both
    assert unsettled(session) == [
        ("mismatch", "platform", {"record": "CentOS 7", "ansible": "Debian 12.11"})
    ]


def test_a_host_whose_known_serial_differs_at_the_same_address_is_not_merged(session) -> None:
    host = f.server(session, name="vm", serial="CZ1", management_address="192.0.2.2")
    run = open_run(session, requested_by="ansible")
    elsewhere = HostRef(name="vm", management_address="192.0.2.2")  # no Headroom id
    with pytest.raises(NotFoundError, match="no device or workload known as vm"):
        post(session, run, elsewhere, facts(product_serial="CZ9"))
    assert [rows(session, m) for m in (ChangeLog, Observation, Discrepancy, RecordSource)] == [
        0
    ] * 4
    assert (host.serial, host.cores) == ("CZ1", 32)
    outcome = post(session, run, elsewhere, facts(product_serial="cz1"))
    assert (outcome.kind, outcome.id, outcome.opened) == (
        "device",
        host.id,
        ["host_sizing:cores", "host_sizing:ram_gb"],
    )
