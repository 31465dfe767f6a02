"""``cmdb admin-units reorganise`` with the official files, as a planner holds them, on
the demo province (SQLite; the happy path on both backends is ``test_reform_2025_on_demo``).

The official mapping names one unit the inventory never had (row 125, 20674 Xã Quế
Phước): refused whole by default, with the way forward in the message; applied without
that row under ``--skip-unknown``, which lists it; a second run changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import Result
from flask import Flask

from cmdb.choices import AdminLevel
from cmdb.demo.reform import UNITS_FILE
from cmdb.models import AdminUnit, ChangeLog, Site
from tests.demo_databases import DEMO_TODAY, demo_sqlite_url
from web import create_app
from web.cli import main
from web.db import get_db

OFFICIAL_MAPPING = Path(__file__).parents[2] / "fixtures" / "reform" / "official-mapping.csv"
UNITS = Path(str(files("cmdb") / "data" / UNITS_FILE))
ARGS = ["admin-units", "reorganise", "--units", str(UNITS), "--mapping", str(OFFICIAL_MAPPING),
        "--effective", "2025-07-01"]  # fmt: skip


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo province before the reform (the refusal writes nothing)."""
    url = demo_sqlite_url(tmp_path_factory.mktemp("official") / "demo.db")
    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": url, "SECRET_KEY": "test",
                      "CMDB_TODAY": DEMO_TODAY})  # fmt: skip
    yield app
    with app.app_context():
        get_db().engine.dispose()


def invoke(app: Flask, *extra: str) -> Result:
    return app.test_cli_runner().invoke(main, [*ARGS, *extra])


def commune_sites_by_province(app: Flask) -> dict[str | None, int]:
    """Sites in a commune in force today, by the code of the commune's parent."""
    with app.app_context(), get_db().sessions() as session:
        rows = session.execute(
            sa.select(AdminUnit.parent_id, sa.func.count(Site.id))
            .join(Site, Site.admin_unit_id == AdminUnit.id)
            .where(AdminUnit.level == AdminLevel.COMMUNE, AdminUnit.valid_to.is_(None))
            .group_by(AdminUnit.parent_id)
        ).all()
        codes = {u.id: u.code for u in session.scalars(sa.select(AdminUnit))}
        return {codes.get(parent) if parent else None: n for parent, n in rows}


def change_count(app: Flask) -> int:
    with app.app_context(), get_db().sessions() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(ChangeLog)) or 0


def test_by_default_the_file_is_refused_whole_and_the_message_says_what_to_do(app: Flask) -> None:
    before = change_count(app)
    result = invoke(app)
    assert result.exit_code == 1
    assert "mapping row 125: old_code: '20674' is not an admin unit of the inventory" in (
        result.output
    )
    assert "--skip-unknown applies the other rows" in result.output
    assert change_count(app) == before


def test_skip_unknown_moves_every_commune_site_lists_the_row_and_runs_once(app: Flask) -> None:
    before = commune_sites_by_province(app)
    assert set(before) != {"48"}  # the demo's communes are under Quảng Nam's districts

    result = invoke(app, "--skip-unknown", "--json")

    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["applied"] is True
    reason = "old_code: '20674' is not an admin unit of the inventory"
    assert body["skipped"] == [{"row": 125, "old_code": "20674", "reason": reason}]
    after = commune_sites_by_province(app)
    assert set(after) == {"48"}  # every commune site now in a commune of Đà Nẵng
    assert after["48"] == sum(before.values())

    changes = change_count(app)
    again = invoke(app, "--skip-unknown")
    assert again.exit_code == 0, again.output
    assert "already applied, nothing to do" in again.output
    assert "skipped mapping row 125: old_code: '20674'" in again.output
    assert change_count(app) == changes
