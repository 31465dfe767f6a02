"""``cmdb demo load`` and ``cmdb import …`` through the real command group.

The ``runner`` fixture's app sits on a fresh migrated SQLite file per test, so
these run on SQLite only: each demo load costs seconds, and what is tested here
is the command's behaviour (messages, exit codes, one commit), not the backend.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner

from cmdb.choices import SiteKind
from cmdb.demo import loader
from cmdb.demo.geo import admin_units_csv
from cmdb.errors import CmdbError
from cmdb.models import AdminUnit, Agency, Site
from web import create_app
from web.cli import main
from web.db import get_db

TODAY = ["--today", "2026-01-15"]


def invoke(runner: FlaskCliRunner, *args: str) -> Result:
    return runner.invoke(main, list(args))


def count(app: Flask, stmt: sa.Select) -> int:
    with app.app_context(), get_db().sessions() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0


@pytest.mark.long(reason="the CLI's whole demo load and its forecast fits, as a user runs it")
def test_demo_load_commits_the_province_and_refuses_a_second_load(
    app: Flask, runner: FlaskCliRunner
) -> None:
    first = invoke(runner, "demo", "load", *TODAY)
    assert first.exit_code == 0, first.output
    assert "[1/12] admin units of Quảng Nam" in first.output
    assert "SNMP profiles of the demo" in first.output
    assert "daily samples: 389,090" in first.output
    offices = sa.select(Site).where(Site.kind == SiteKind.COMMUNE_OFFICE)
    assert count(app, offices) == 241

    second = invoke(runner, "demo", "load", *TODAY)
    assert second.exit_code == 1
    assert "already holds inventory" in second.output
    assert "--reset" in second.output
    assert count(app, offices) == 241


@pytest.mark.long(reason="a whole demo load over existing inventory, then the forecast fits")
def test_demo_load_reset_replaces_what_was_there(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    units = tmp_path / "units.csv"
    units.write_text(admin_units_csv(), encoding="utf-8")
    sites = tmp_path / "sites.csv"
    sites.write_text("name,slug,kind,admin_unit_code\nKho cũ,kho-cu,agency_office,20335\n")
    assert invoke(runner, "import", "admin-units", str(units)).exit_code == 0
    assert invoke(runner, "import", "sites", str(sites)).exit_code == 0

    refused = invoke(runner, "demo", "load", *TODAY)
    assert refused.exit_code == 1
    reset = invoke(runner, "demo", "load", "--reset", "--seed", "7", *TODAY)
    assert reset.exit_code == 0, reset.output
    assert "clearing the existing inventory" in reset.output
    assert count(app, sa.select(Site).where(Site.slug == "kho-cu")) == 0
    assert count(app, sa.select(AdminUnit)) == 260


def test_a_failing_demo_load_leaves_nothing_behind(
    app: Flask, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(_ctx: object) -> None:
        raise CmdbError("the disk is full")

    monkeypatch.setattr(loader, "STEPS", (*loader.STEPS[:4], ("failing step", fail)))
    result = invoke(runner, "demo", "load", *TODAY)
    assert result.exit_code == 1
    assert "the disk is full" in result.output
    assert count(app, sa.select(AdminUnit)) == 0
    assert count(app, sa.select(Site)) == 0


def test_demo_load_on_an_unmigrated_database_says_how_to_fix_it(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": f"sqlite:///{tmp_path / 'e.db'}"})
    result = invoke(app.test_cli_runner(), "demo", "load")
    assert result.exit_code == 1
    assert "cmdb db upgrade" in result.output


def test_import_reports_each_bad_row_and_writes_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "units.csv"
    bad.write_text(
        "level,code,name,parent_code,kind\n"
        "province,49,Tỉnh Quảng Nam,,Tỉnh\n"
        "town,502,Thành phố Tam Kỳ,49,Thành phố\n"
        "commune,20335,Phường Tân Thạnh,999,Phường\n",
        encoding="utf-8",
    )
    result = invoke(runner, "import", "admin-units", str(bad))
    assert result.exit_code == 1
    assert "units.csv: row 3: level: 'town' is not one of" in result.stderr
    assert "units.csv: row 4: parent_code: '999' is not a known admin unit" in result.stderr
    assert "2 bad rows; nothing imported" in result.stderr
    assert count(app, sa.select(AdminUnit)) == 0


def test_import_counts_created_then_unchanged_and_reads_json_by_suffix(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    units = tmp_path / "units.json"
    units.write_text(
        '[{"level": "province", "code": "49", "name": "Tỉnh Quảng Nam", "kind": "Tỉnh"}]',
        encoding="utf-8",
    )
    first = invoke(runner, "import", "admin-units", str(units))
    assert first.exit_code == 0, first.output
    assert "admin units: 1 created, 0 updated, 0 unchanged" in first.output
    again = invoke(runner, "import", "admin-units", "--format", "json", str(units))
    assert "admin units: 0 created, 0 updated, 1 unchanged" in again.output


def test_import_dry_run_writes_nothing(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    units = tmp_path / "units.csv"
    units.write_text(admin_units_csv(), encoding="utf-8-sig")  # as Excel saves it, with a BOM
    result = invoke(runner, "import", "admin-units", "--dry-run", str(units))
    assert result.exit_code == 0, result.output
    assert "260 created" in result.output
    assert "dry run" in result.output
    assert count(app, sa.select(AdminUnit)) == 0


def test_agencies_import_refuses_bad_rows_whole_then_creates_and_updates_by_name(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    units = tmp_path / "units.csv"
    units.write_text(admin_units_csv(), encoding="utf-8")
    assert invoke(runner, "import", "admin-units", str(units)).exit_code == 0
    agencies = tmp_path / "agencies.csv"
    header = "name,short_name,kind,admin_unit_code,valid_from,valid_to\n"
    agencies.write_text(
        header + "Sở Y tế,SYT,department,49,,\n"
        "UBND xã Một,,commune_committee,99999,,\n"
        "Sở Cũ,,bureau,,2020-01-01,2019-01-01\n",
        encoding="utf-8",
    )
    refused = invoke(runner, "import", "agencies", str(agencies))
    assert refused.exit_code == 1
    assert "agencies.csv: row 3: admin_unit_code: '99999' is not an admin unit in force" in (
        refused.stderr
    )
    assert "agencies.csv: row 4: kind: 'bureau' is not one of" in refused.stderr
    assert "agencies.csv: row 4: valid_to: must be after valid_from (2020-01-01)" in refused.stderr
    assert count(app, sa.select(Agency)) == 0

    agencies.write_text(header + "Sở Y tế,SYT,department,49,,\n", encoding="utf-8")
    first = invoke(runner, "import", "agencies", str(agencies))
    assert "agencies: 1 created, 0 updated, 0 unchanged" in first.output, first.output
    agencies.write_text(header + "Sở Y tế,SYTE,department,49,,2026-07-01\n", encoding="utf-8")
    second = invoke(runner, "import", "agencies", str(agencies))
    assert "agencies: 0 created, 1 updated, 0 unchanged" in second.output, second.output
    with app.app_context(), get_db().sessions() as session:
        agency = session.scalars(sa.select(Agency)).one()
        assert (agency.short_name, str(agency.valid_to)) == ("SYTE", "2026-07-01")
