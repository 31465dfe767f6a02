"""``cmdb discover snmp`` end to end: JSON shape, dry run, SNMPv3, secrets kept out."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import sqlalchemy as sa

from cmdb.choices import RunStatus, SiteKind
from cmdb.db import transaction
from cmdb.models import Device, DiscoveryResult, DiscoveryRun, Interface
from tests import factories
from tests.integration.discovery import agents
from web.cli import main
from web.db import get_db

pytestmark = pytest.mark.slow  # real agents: snmpsim takes seconds to start and answer

ROW_KEYS = [
    "address",
    "status",
    "sys_name",
    "vendor",
    "model",
    "serial",
    "interfaces",
    "neighbours",
    "error",
    "warnings",
]


@pytest.fixture
def dc_app(app):
    with app.app_context(), transaction(get_db().sessions) as session:
        factories.site(session, kind=SiteKind.DATA_CENTRE, slug="ttdl", name="TTDL")
    return app


@pytest.fixture
def profiles_file(tmp_path: Path, snmpd, fleet) -> Path:
    lines = ["profiles:"]
    lines += [f"  {name}: {{version: 2c, community: {name}}}" for name in fleet.profiles]
    lines += [
        f"  default: {{version: 2c, community: {snmpd.community}}}",
        f"  v3: {{version: 3, user: {snmpd.v3_user}, auth_protocol: sha, "
        f"auth_key: {snmpd.v3_auth_key}, priv_protocol: aes, priv_key: {snmpd.v3_priv_key}}}",
        f"  v3-wrong: {{version: 3, user: {snmpd.v3_user}, auth_protocol: sha, "
        f"auth_key: wrong-auth-key, priv_protocol: aes, priv_key: wrong-priv-key}}",
    ]
    return agents.write_lines(tmp_path / "profiles.yaml", lines)


def _discover(app, *args: str):
    return app.test_cli_runner().invoke(main, ["discover", "snmp", "--timeout", "2", *args])


def _rows(app) -> dict:
    with app.app_context(), transaction(get_db().sessions) as session:
        return {
            m.__name__: session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (Device, Interface, DiscoveryRun, DiscoveryResult)
        }


def test_json_output_has_one_row_per_target_in_the_promised_shape(dc_app, fleet, profiles_file):
    targets = agents.write_lines(
        profiles_file.with_name("targets.txt"),
        [f"{t.host}:{t.port} {t.profile}  # {t.profile}" for t in fleet.targets[:3]],
    )
    result = _discover(
        dc_app,
        "--targets-file",
        str(targets),
        "--profiles-file",
        str(profiles_file),
        "--site",
        "ttdl",
        "--json",
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    verdict = ["attempted", "error", "exit_code", "failed", "failures", "incomplete", "status"]
    assert sorted(payload) == sorted(["devices", "dry_run", "run_id", "summary", *verdict])
    assert (payload["status"], payload["exit_code"], payload["error"]) == ("succeeded", 0, None)
    assert [list(row) for row in payload["devices"]] == [ROW_KEYS] * 3
    arista = payload["devices"][0]
    assert arista == {
        "address": f"127.0.0.10:{fleet.port}",
        "status": "succeeded",
        "sys_name": "DUMSYS-87",
        "vendor": "Arista",
        "model": "DCS-7150S-52-CL",
        "serial": "JPE15151458",
        "interfaces": 59,
        "neighbours": 2,
        "error": None,
        "warnings": [],
    }
    # Two of the three heard each other by LLDP inside the DC: one cable.
    assert payload["summary"] == {"found": 3, "new": 3, "changed": 0, "failed": 0, "links": 1}


def test_dry_run_prints_the_plan_and_writes_nothing(dc_app, snmpd, profiles_file):
    before = _rows(dc_app)
    target = f"{snmpd.host}:{snmpd.port}"
    result = _discover(
        dc_app, "--target", target, "--profiles-file", str(profiles_file), "--dry-run"
    )
    assert result.exit_code == 0, result.output
    assert f"create device new:{target}" in result.output
    assert "name: None -> 'headroom-snmpd.test.local'" in result.output
    assert "create interface lo" in result.output
    assert "dry run: nothing written" in result.output
    assert _rows(dc_app) == before


def test_snmpv3_auth_priv_discovers_the_net_snmp_agent(dc_app, snmpd, profiles_file):
    result = _discover(
        dc_app,
        "--target",
        f"{snmpd.host}:{snmpd.port}",
        "--profile",
        "v3",
        "--profiles-file",
        str(profiles_file),
        "--json",
    )
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)["devices"][0]
    assert (row["status"], row["sys_name"]) == ("succeeded", "headroom-snmpd.test.local")
    assert row["interfaces"] >= 1  # lo at least: snmpd serves IF-MIB
    assert row["model"] is None  # and no ENTITY-MIB


def test_snmpv3_wrong_keys_give_a_clear_error_and_store_nothing(
    dc_app, snmpd, profiles_file, caplog
):
    caplog.set_level(logging.DEBUG)
    result = _discover(
        dc_app,
        "--target",
        f"{snmpd.host}:{snmpd.port}",
        "--profile",
        "v3-wrong",
        "--profiles-file",
        str(profiles_file),
        "--json",
    )
    assert result.exit_code == 1, result.output  # its one target failed: the run failed
    payload = json.loads(result.stdout)
    row = payload["devices"][0]
    assert row["status"] == "failed"
    assert row["error"] == "SNMPv3 authentication failed: wrong auth key or auth protocol"
    assert (payload["status"], payload["exit_code"]) == ("failed", 1)
    assert _rows(dc_app)["Device"] == 0
    for secret in ("wrong-auth-key", "wrong-priv-key", snmpd.v3_auth_key, snmpd.community):
        assert secret not in result.output
        assert secret not in caplog.text


def test_secrets_never_appear_in_output_or_logs(dc_app, snmpd, fleet, profiles_file, caplog):
    caplog.set_level(logging.DEBUG)
    closed = f"127.0.0.1:{agents.free_udp_port()}"
    result = _discover(
        dc_app,
        "--target",
        f"{snmpd.host}:{snmpd.port}",
        "--target",
        closed,
        "--profiles-file",
        str(profiles_file),
        "--site",
        "ttdl",
    )
    assert result.exit_code == 3, result.output  # one of two answered: partial
    assert f"{closed}: failed: timeout" in result.output
    with dc_app.app_context(), transaction(get_db().sessions) as session:
        run = session.scalars(sa.select(DiscoveryRun)).one()
        stored = json.dumps([run.stats, run.error, run.target])
    for secret in (snmpd.community, snmpd.v3_auth_key, snmpd.v3_priv_key):
        assert secret not in result.output and secret not in caplog.text
        assert secret not in stored
    assert run.status == RunStatus.PARTIAL


def test_a_bad_profile_file_is_an_error_message_not_a_traceback(dc_app, tmp_path):
    bad = agents.write_lines(tmp_path / "p.yaml", ["profiles:", "  x: {version: 3}"])
    result = _discover(
        dc_app, "--target", "127.0.0.1", "--profiles-file", str(bad), "--profile", "x"
    )
    assert result.exit_code == 1
    assert "profile 'x': SNMPv3 needs a user" in result.output


def test_poll_command_reads_what_discovery_found(dc_app, snmpd, profiles_file):
    target = f"{snmpd.host}:{snmpd.port}"
    found = _discover(
        dc_app, "--target", target, "--profiles-file", str(profiles_file), "--site", "ttdl"
    )
    assert found.exit_code == 0, found.output
    runner = dc_app.test_cli_runner()
    args = ["poll", "--profiles-file", str(profiles_file), "--timeout", "2", "--json"]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    second = runner.invoke(main, args)
    assert second.exit_code == 0, second.output
    payload = json.loads(second.stdout)
    assert [row["address"] for row in payload["devices"]] == [target]
    assert payload["devices"][0]["status"] == "succeeded"
    assert payload["samples"] > json.loads(first.stdout)["samples"]  # rates need two readings
    again = _discover(dc_app, "--inventory", "--profiles-file", str(profiles_file), "--json")
    assert json.loads(again.stdout)["summary"]["changed"] == 0


def test_nothing_answering_exits_1_with_a_one_line_reason(dc_app):
    closed = f"127.0.0.1:{agents.free_udp_port()}"  # a loopback port where nothing answers
    args = ["--target", closed, "--community", "public", "--retries", "0", "--site", "ttdl"]
    result = _discover(dc_app, *args)
    assert result.exit_code == 1, result.output
    reason = result.stderr.strip().splitlines()[-1]
    assert reason == f"failed: 0 of 1 done, 1 failed ({closed}: timeout: no SNMP response " + (
        "(host down, port closed, wrong community or ACL?))"
    )
    as_json = _discover(dc_app, *args, "--json")
    assert as_json.exit_code == 1
    payload = json.loads(as_json.stdout)
    assert (payload["status"], payload["exit_code"], payload["failed"]) == ("failed", 1, 1)
    assert payload["failures"][0]["item"] == closed
    with dc_app.app_context(), get_db().sessions() as session:
        runs = session.scalars(sa.select(DiscoveryRun)).all()
    assert [r.status for r in runs] == [RunStatus.FAILED, RunStatus.FAILED]
    assert all(r.error and r.error.startswith("failed: 0 of 1 done") for r in runs)


def test_a_poll_where_no_device_answers_exits_1_and_some_exits_3(
    dc_app, snmpd, fleet, profiles_file
):
    target = f"{snmpd.host}:{snmpd.port}"
    found = _discover(
        dc_app, "--target", target, "--profiles-file", str(profiles_file), "--site", "ttdl"
    )
    assert found.exit_code == 0, found.output
    runner = dc_app.test_cli_runner()
    wrong = ["poll", "--community", "not-the-community", "--timeout", "0.5", "--retries", "0"]
    result = runner.invoke(main, [*wrong, "--json"])
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert (payload["status"], payload["exit_code"], payload["failed"]) == ("failed", 1, 1)
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith(f"failed: 0 of 1 done, 1 failed ({target}: timeout")
    )
    # a second device whose agent the default profile cannot read: some answer, partial
    # (discovered with --community, it remembers no profile of the file to try first)
    other = fleet.targets[0]
    more = _discover(
        dc_app,
        "--target",
        f"{other.host}:{other.port}",
        "--community",
        other.profile,
        "--profiles-file",
        str(profiles_file),
        "--site",
        "ttdl",
    )
    assert more.exit_code == 0, more.output
    mixed = ["poll", "--profiles-file", str(profiles_file), "--timeout", "0.5", "--retries", "0"]
    partial = runner.invoke(main, [*mixed, "--json"])
    assert partial.exit_code == 3, partial.output
    payload = json.loads(partial.stdout)
    assert (payload["status"], payload["exit_code"], payload["failed"]) == ("partial", 3, 1)
    assert payload["failures"][0]["item"] == f"{other.host}:{other.port}"


def test_a_range_on_another_port_with_a_profile_list_remembers_the_one_that_answered(
    dc_app, fleet, profiles_file
):
    """``--range … --port`` reaches the agents on a high port; of ``--profile default,linux``
    the default (snmpd's community) gets no answer from the Linux recording, ``linux``
    does and is remembered: the poll, given the default alone, asks with it first."""
    linux = fleet.target("linux")
    found = _discover(
        dc_app,
        *("--range", f"{linux.host}/32", "--port", str(fleet.port)),
        *("--profile", "default,linux", "--profiles-file", str(profiles_file)),
        *("--site", "ttdl", "--json", "--retries", "0"),
    )
    assert found.exit_code == 0, found.output
    [row] = json.loads(found.stdout)["devices"]
    assert row["address"] == f"{linux.host}:{fleet.port}" and row["sys_name"] == "DUMSYS-12"
    assert row["warnings"] == [
        "answered the credential profile linux, not default: timeout:"
        " no SNMP response (host down, port closed, wrong community or"
        " ACL?)"
    ]
    with dc_app.app_context(), transaction(get_db().sessions) as session:
        assert session.scalars(sa.select(Device.snmp_profile)).all() == ["linux"]
    polled = dc_app.test_cli_runner().invoke(
        main, ["poll", "--profiles-file", str(profiles_file), "--timeout", "2", "--json"]
    )
    assert polled.exit_code == 0, polled.output
    assert json.loads(polled.stdout)["devices"][0]["warnings"] == []
