"""Migrating a populated SQLite database keeps its rows: batch-mode table rebuilds
must not fire ON DELETE CASCADE on the tables that point at the rebuilt one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb import schema
from cmdb.choices import SiteKind
from cmdb.db import make_engine
from tests import factories as f
from tests.databases import upgrade_empty


def test_upgrading_a_populated_sqlite_database_keeps_every_row(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade_empty(url, "0002")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO series (id, object_type, object_id, metric, unit, daily_count)"
                " VALUES (1, 'link', 1, 'in_mbps', 'Mbps', 1)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO sample_daily (series_id, day, avg, max, p95, count)"
                " VALUES (1, :day, 1, 2, 2, 288)"
            ),
            {"day": date(2026, 1, 1)},
        )
        conn.execute(
            sa.text(
                "INSERT INTO admin_unit (id, code, name, level, kind, created_at, updated_at)"
                " VALUES (1, '49', 'Tỉnh Quảng Nam', 'province', 'Tỉnh', :t, :t)"
            ),
            {"t": "2026-01-01 00:00:00"},
        )
        conn.execute(
            sa.text(
                "INSERT INTO site (id, name, slug, kind, status, admin_unit_id, created_at,"
                " updated_at) VALUES (1, 'DC', 'dc', 'data_centre', 'active', 1, :t, :t)"
            ),
            {"t": "2026-01-01 00:00:00"},
        )
    schema.upgrade(url)
    with engine.connect() as conn:
        counts = [
            conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()
            for t in ("series", "sample_daily", "admin_unit", "site")
        ]
        foreign_keys = conn.execute(sa.text("PRAGMA foreign_keys")).scalar()
    engine.dispose()
    assert counts == [1, 1, 1, 1]
    assert foreign_keys == 1  # the connection hook turns them back on


def test_downgrade_below_0010_refuses_while_links_inside_a_site_exist(tmp_path: Path) -> None:
    """Revision 0009's check cannot hold them; deleting them silently would lose data."""
    url = f"sqlite:///{tmp_path / 'cables.db'}"
    upgrade_empty(url)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        f.cable_inside(session, f.site(session, kind=SiteKind.DATA_CENTRE))
    with pytest.raises(RuntimeError, match="join two interfaces of one site"):
        schema.downgrade(url, "0009")
    assert schema.current_revision(url) == "0010"
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM link"))
    schema.downgrade(url, "0009")
    assert schema.current_revision(url) == "0009"
    engine.dispose()
