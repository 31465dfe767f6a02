"""``cmdb audit run|list|acknowledge`` on a real SQLite file: summaries, exports, exit codes."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask

from cmdb.choices import Source
from cmdb.db import transaction, utcnow
from tests import factories as f
from tests.integration.discovery.audit_data import observe, observe_snmp, run, seen
from web.cli import main
from web.db import get_db


@pytest.fixture
def audited(app: Flask) -> dict[str, str]:
    """A switch whose serial NetBox and SNMP disagree on, and a documented server that is silent."""
    now = utcnow()
    with app.app_context(), transaction(get_db().sessions) as session:
        switch = f.server(  # as NetBox's sync left it
            session, name="sw-core-1", management_address="10.0.0.1", serial="FOC123", model="C9300"
        )
        silent = f.server(session, name="srv-db-2", management_address="10.0.0.2")
        sync = run(session, Source.NETBOX, now - timedelta(hours=5))
        snmp = run(session, Source.SNMP, now - timedelta(hours=1))
        for device in (switch, silent):
            seen(session, device, Source.NETBOX, now - timedelta(hours=5))
        seen(session, switch, Source.SNMP, now - timedelta(hours=1))
        observe(session, sync, switch, serial="FOC123")
        observe_snmp(session, snmp, switch, name="sw-core-1", serial="FOC999", model="C9300")
        return {"switch_site": switch.site.slug, "silent_site": silent.site.slug}


def cli(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(main, ["audit", *args])


def test_run_prints_a_summary_per_kind(app: Flask, audited: dict[str, str]) -> None:
    result = cli(app, "run", "--by", "lan")
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split()[1:] for line in result.output.splitlines()[2:-1]}
    assert lines["mismatch"][:2] == ["1", "0"]  # opened, confirmed
    assert lines["not_on_network"][:2] == ["1", "0"]
    assert lines["total"][0] == "2"
    again = cli(app, "run")
    totals = {line.split()[0]: line.split()[1:] for line in again.output.splitlines()[2:-1]}
    assert totals["total"][:2] == ["0", "2"]  # nothing new, both confirmed


def test_list_as_csv_has_a_column_per_source(app: Flask, audited: dict[str, str]) -> None:
    cli(app, "run")
    result = cli(app, "list", "--format", "csv", "--kind", "mismatch")
    assert result.exit_code == 0, result.output
    [row] = list(csv.DictReader(io.StringIO(result.output)))
    assert (row["object"], row["field"], row["netbox"], row["snmp"]) == (
        "sw-core-1",
        "serial",
        "FOC123",
        "FOC999",
    )
    assert row["record"] == "FOC123"  # the record's own value, a column like the sources'
    assert row["status"] == "open" and row["first_seen"] and row["comment"] == ""


def test_list_as_json_to_a_file_and_by_site(
    app: Flask, audited: dict[str, str], tmp_path: Path
) -> None:
    cli(app, "run")
    out = tmp_path / "audit.json"
    result = cli(app, "list", "--format", "json", "--output", str(out))
    assert result.exit_code == 0, result.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert {r["kind"] for r in rows} == {"mismatch", "not_on_network"}
    assert set(rows[0]) >= {"object", "site", "values", "first_seen", "last_seen", "status"}
    by_site = cli(app, "list", "--format", "json", "--site", audited["silent_site"])
    assert [r["kind"] for r in json.loads(by_site.output)] == ["not_on_network"]
    by_source = cli(app, "list", "--format", "json", "--source", "ansible")
    assert json.loads(by_source.output) == []


def test_acknowledge_then_refuse_a_second_time(app: Flask, audited: dict[str, str]) -> None:
    cli(app, "run")
    [row] = json.loads(cli(app, "list", "--format", "json", "--kind", "mismatch").output)
    ok = cli(app, "acknowledge", str(row["id"]), "--comment", "RMA swap", "--by", "lan")
    assert ok.exit_code == 0, ok.output
    [after] = json.loads(cli(app, "list", "--format", "json", "--kind", "mismatch").output)
    assert (after["status"], after["acknowledged_by"], after["comment"]) == (
        "acknowledged",
        "lan",
        "RMA swap",
    )
    again = cli(app, "acknowledge", str(row["id"]), "--comment", "again")
    assert again.exit_code == 1 and "only an open discrepancy" in again.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["acknowledge", "1", "--comment", "   "], 1, "comment"),
        (["acknowledge", "9999", "--comment", "x"], 1, "no discrepancy 9999"),
        (["acknowledge", "1"], 2, "--comment"),
        (["list", "--kind", "bogus"], 2, "bogus"),
        (["list", "--format", "xml"], 2, "xml"),
        (["run", "--silent-after-days", "0"], 2, "silent-after-days"),
    ],
)
def test_bad_input_exits_non_zero_with_a_message(
    app: Flask, audited: dict[str, str], args: list[str], code: int, message: str
) -> None:
    cli(app, "run")
    result = cli(app, *args)
    assert result.exit_code == code, result.output
    assert message in result.output
