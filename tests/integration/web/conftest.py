"""Fixtures of the web tests: a session on the app's own database, small provinces,
and a counter of the SQL statements a request sends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from cmdb.choices import AdminLevel, SiteKind
from cmdb.db import reading
from cmdb.models import AdminUnit, Site
from tests import factories as f
from web.db import get_db


def app_engine(app: Flask) -> Engine:
    with app.app_context():
        return get_db().engine


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session on the app's database; commit before requesting a page.

    Its transactions begin deferred (``cmdb.db.reading``): a test that reads and then
    posts a form, with its read still open, must not hold SQLite's write lock that the
    form's transaction waits for at its BEGIN.
    """
    with app.app_context():
        engine = get_db().engine
    with Session(reading(engine), expire_on_commit=False) as session:
        yield session


@dataclass
class Province:
    """What ``build_province`` made, by code and slug, for the assertions."""

    code: str
    dc: Site
    districts: list[AdminUnit] = field(default_factory=list)
    communes: list[AdminUnit] = field(default_factory=list)
    commune_sites: list[Site] = field(default_factory=list)


def build_province(
    session: Session,
    *,
    code: str = "49",
    districts: int = 2,
    communes_per_district: int = 2,
    reform: bool = False,
    commune_mbps: float = 20.0,
) -> Province:
    """A province with its DC; communes link to their district office, districts to the DC.

    With ``reform`` there is no district level: communes hang under the province
    and link straight to the DC.
    """
    province = f.admin_unit(
        session, code=code, name=f"Tỉnh {code}", level=AdminLevel.PROVINCE, kind="Tỉnh"
    )
    dc_unit = f.admin_unit(session, code=f"{code}000", name="Phường Trung Tâm", parent=province)
    dc = f.site(
        session, name="TTDL tỉnh", slug=f"dc-{code}", kind=SiteKind.DATA_CENTRE, admin_unit=dc_unit
    )
    result = Province(code=code, dc=dc, communes=[dc_unit])
    parents = [(province, dc)] if reform else _districts(session, province, dc, districts, result)
    for parent, upstream in parents:
        for _ in range(communes_per_district):
            commune = f.admin_unit(session, parent=parent)
            office = f.site(session, admin_unit=commune, name=f"UBND {commune.name}")
            f.link(session, a_site=office, b_site=upstream, commit_rate_mbps=commune_mbps)
            result.communes.append(commune)
            result.commune_sites.append(office)
    return result


def _districts(
    session: Session, province: AdminUnit, dc: Site, count: int, result: Province
) -> list[tuple[AdminUnit, Site]]:
    out = []
    for i in range(count):
        district = f.admin_unit(
            session,
            code=f"{province.code}{i + 1:02d}",
            name=f"Huyện Thử {i + 1}",
            level=AdminLevel.DISTRICT,
            kind="Huyện",
            parent=province,
        )
        town = f.admin_unit(session, parent=district, name=f"Thị trấn {i + 1}", kind="Thị trấn")
        office = f.site(
            session, admin_unit=town, name=f"UBND huyện {i + 1}", kind=SiteKind.DISTRICT_OFFICE
        )
        f.link(session, a_site=office, b_site=dc, commit_rate_mbps=100.0)
        result.districts.append(district)
        result.communes.append(town)
        out.append((district, office))
    return out


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Any]:
    """``with count_queries() as n: ...`` then ``n()`` is the statements sent meanwhile."""
    engine = app_engine(app)

    @contextmanager
    def counting() -> Iterator[Callable[[], int]]:
        statements: list[str] = []

        def record(*args: Any) -> None:
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", record)
        try:
            yield lambda: len(statements)
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting
