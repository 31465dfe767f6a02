"""``cmdb admin-units reorganise`` and ``tree`` through the real command group (SQLite).

A small province is built in the app's own database: 91 → district 911 →
communes 91101, 91102 (each with its committee office; the district office in
91101, linked from both offices). The reform merges both communes into 92001.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner

from cmdb.choices import AdminLevel, AgencyKind, SiteKind
from cmdb.models import AdminUnit, ChangeLog
from tests import factories as f
from web.cli import main
from web.db import get_db

UNITS = "level,code,name,parent_code,kind\nprovince,92,Thành phố Mới,,Thành phố\n" \
        "commune,92001,Phường Một,92,Phường\n"  # fmt: skip
MAPPING = "old_code,new_code\n91101,92001\n91102,92001\n"
ARGS = ("admin-units", "reorganise", "--effective", "2025-07-01")


def build(app: Flask) -> None:
    with app.app_context(), get_db().sessions() as s:
        province = f.admin_unit(s, code="91", name="Tỉnh Cũ", level=AdminLevel.PROVINCE,
                                kind="Tỉnh")  # fmt: skip
        district = f.admin_unit(s, code="911", name="Huyện Một", level=AdminLevel.DISTRICT,
                                kind="Huyện", parent=province)  # fmt: skip
        office = None
        for code in ("91101", "91102"):
            unit = f.admin_unit(s, code=code, name=f"Xã {code}", parent=district)
            agency = f.agency(s, name=f"UBND xã {code}", kind=AgencyKind.COMMUNE_COMMITTEE,
                              admin_unit=unit)  # fmt: skip
            site = f.site(s, slug=f"ubnd-{code}", kind=SiteKind.COMMUNE_OFFICE, admin_unit=unit,
                          agency=agency)  # fmt: skip
            if office is None:
                office = f.site(s, slug="ubnd-911", kind=SiteKind.DISTRICT_OFFICE, admin_unit=unit)
            f.link(s, a_site=site, b_site=office, name=f"TSLCD {code}")
        s.commit()


def files(tmp_path: Path, mapping: str = MAPPING) -> tuple[str, ...]:
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "mapping.csv").write_text(mapping, encoding="utf-8")
    return ("--units", str(tmp_path / "units.csv"), "--mapping", str(tmp_path / "mapping.csv"))


def invoke(runner: FlaskCliRunner, *args: str) -> Result:
    return runner.invoke(main, list(args))


def count(app: Flask, model: type) -> int:
    with app.app_context(), get_db().sessions() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_dry_run_prints_the_plan_and_writes_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    build(app)
    result = invoke(runner, *ARGS, *files(tmp_path), "--dry-run")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "(dry run: nothing written)" in out
    assert "units created:      2" in out and "units dissolved:    4" in out
    assert "92001 Phường Một ← 91101, 91102" in out
    assert "ubnd-91102: 91102 Xã 91102 → 92001 Phường Một [commune_office → agency_office]" in out
    assert "TSLCD 91102 (link" in out and "inside 92001 Phường Một" in out
    assert count(app, AdminUnit) == 4 and count(app, ChangeLog) == 0


def test_json_counts_then_a_second_run_is_a_no_op(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    build(app)
    first = invoke(runner, *ARGS, *files(tmp_path), "--json")
    assert first.exit_code == 0, first.output
    counts = json.loads(first.output)
    assert (counts["units_created"], counts["units_dissolved"], counts["sites_moved"]) == (2, 4, 3)
    assert counts["applied"] is True
    second = json.loads(invoke(runner, *ARGS, *files(tmp_path), "--json").output)
    assert (second["units_created"], second["sites_moved"], second["applied"]) == (0, 0, False)
    again = invoke(runner, *ARGS, *files(tmp_path))
    assert "already applied, nothing to do" in again.output


def test_bad_rows_are_listed_and_the_command_fails(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    build(app)
    result = invoke(runner, *ARGS, *files(tmp_path, MAPPING + "99999,92001\n91101,92001\n"))
    assert result.exit_code == 1
    assert "mapping row 4: old_code: '99999' is not an admin unit of the inventory" in result.output
    assert "mapping row 5: old_code: '91101' is repeated" in result.output
    assert count(app, ChangeLog) == 0


def test_tree_shows_the_units_on_a_day_before_and_after(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    build(app)
    invoke(runner, *ARGS, *files(tmp_path))
    before = invoke(runner, "admin-units", "tree", "--as-of", "2025-06-30").output
    assert "911 Huyện Một [2 units, 3 sites] (until 2025-07-01)" in before
    assert "91102 Xã 91102 [1 sites] (until 2025-07-01 → 92001)" in before
    after = invoke(runner, "admin-units", "tree", "--as-of", "2025-07-01").output
    assert "92 Thành phố Mới [1 units, 3 sites]" in after and "911" not in after
