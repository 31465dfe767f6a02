"""``cmdb demo load --as-of 2026-01-01``: the same DC after the 2025 reform (SQLite).

One load for the module (about 10 s, with the forecasts of the first evaluation):
the command's output, the two trees, the consolidated network (Đà Nẵng's DC
primary, the Quảng Nam DC behind the interconnect) and the pending requests
evaluated on today's structure. The pages of ``/admin-units/`` with ``as_of`` are
checked on the same database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from click.testing import Result
from flask import Flask
from sqlalchemy.orm import Session

from capacity import actions, inputs
from cmdb.models import AdminUnit, Link, ResourceRequest, Site
from cmdb.services.admin_tree import UnitNode, load_admin_tree
from cmdb.services.as_of import unit_in_force
from cmdb.services.requests import load_committee_sites
from tests.databases import migrated_sqlite_url
from web import create_app
from web.cli import main
from web.db import get_db

pytestmark = pytest.mark.long(
    reason="the CLI's post-reform demo load, the path a new install on today's structure takes"
)

AS_OF = date(2026, 1, 1)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, Result]]:
    url = migrated_sqlite_url(tmp_path_factory.mktemp("post") / "demo.db")
    config = {"TESTING": True, "CMDB_DATABASE_URL": url, "SECRET_KEY": "test"}
    app = create_app(config | {"CMDB_ANONYMOUS_READ": True})  # pages readable without login
    result = app.test_cli_runner().invoke(main, ["demo", "load", "--as-of", AS_OF.isoformat()])
    yield app, result


@pytest.fixture
def session(loaded: tuple[Flask, Result]) -> Iterator[Session]:
    """A session on the module's database; committed after each test, so the forecasts
    fitted by the first evaluation are cached for the next (the data is not changed)."""
    app, _ = loaded
    with app.app_context(), get_db().sessions() as s:
        yield s
        s.commit()


def levels(roots: list[UnitNode]) -> Counter[str]:
    out: Counter[str] = Counter()
    stack = list(roots)
    while stack:
        node = stack.pop()
        out[str(node.unit.level)] += 1
        stack.extend(node.children)
    return out


def test_the_load_applies_the_reform_and_adds_da_nang(loaded: tuple[Flask, Result]) -> None:
    _, result = loaded
    assert result.exit_code == 0, result.output
    assert "[8/14] the 2025 reform: Quảng Nam into Đà Nẵng (241 communes → 78)" in result.output
    assert "[9/14] Đà Nẵng's DC, its offices and the 2 × 10 Gbps interconnect" in result.output


def test_today_94_units_under_the_city_each_with_its_committee_office(session: Session) -> None:
    assert levels(load_admin_tree(session, as_of=AS_OF)) == {"province": 1, "commune": 94}
    communes = session.scalars(
        sa.select(AdminUnit.id).where(unit_in_force(AS_OF), AdminUnit.level == "commune")
    ).all()
    assert len(load_committee_sites(session, communes, on=AS_OF)) == 94


def test_the_day_before_the_reform_the_province_had_18_districts_and_241_communes(
    session: Session,
) -> None:
    tree = load_admin_tree(session, as_of=date(2025, 6, 30))
    assert levels(tree) == {"province": 1, "district": 18, "commune": 241}


def test_communes_reach_da_nang_s_dc_the_former_province_over_the_interconnect(
    session: Session,
) -> None:
    inventory = inputs.load_inventory(session, today=AS_OF)
    site = {s.slug: s.id for s in session.scalars(sa.select(Site))}
    link = {lk.circuit_id: lk.id for lk in session.scalars(sa.select(Link))}
    tslcd = inventory.paths["tslcd"]
    hai_chau = tslcd[str(site["ubnd-phuong-hai-chau-20242"])]
    assert hai_chau == (str(link["TSLCD-DNG-20242"]),)  # straight to the DC
    tam_thang = tslcd[str(site["ubnd-xa-tam-thang-20362"])]
    assert tam_thang[-1] == str(link["DC-DC-QNM-DNG-01"])  # commune → district seat → QN DC → DN
    assert len(tam_thang) == 3
    assert set(inventory.dc_uplinks["internet"]) == {
        str(link["VNPT-DNG-DIA-0048"]), str(link["VTL-DNG-DIA-2201"]),
    }  # fmt: skip


def test_the_pending_requests_evaluate_on_today_s_structure(session: Session) -> None:
    requests = session.scalars(sa.select(ResourceRequest).order_by(ResourceRequest.id)).all()
    verdicts = [actions.evaluate_document(session, r.spec, today=AS_OF) for r in requests]
    video, land, cameras, portal = verdicts
    assert len(video.links) > 94 and len({s for row in video.links for s in row.sites}) == 94
    assert len({s for row in land.links for s in row.sites}) == 78  # "49": the former province
    assert len({s for row in cameras.links for s in row.sites}) == 3
    assert portal.verdict == "host"


def test_the_tree_page_as_of_a_date_shows_the_old_province(loaded: tuple[Flask, Result]) -> None:
    app, _ = loaded
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    today = client.get("/admin-units/?as_of=2026-01-01").get_data(as_text=True)
    before = client.get("/admin-units/?as_of=2025-06-30").get_data(as_text=True)
    assert 'data-code="48"' in today and 'class="unit level-district' not in today
    assert before.count('class="unit level-district"') == 18
    assert before.count('class="unit level-commune"') == 241
    assert "until 1 Jul 2025" in before  # dates per language: 01/07/2025 in Vietnamese


def test_a_dissolved_unit_s_page_redirects_to_its_last_day(loaded: tuple[Flask, Result]) -> None:
    app, _ = loaded
    client = app.test_client()
    response = client.get("/admin-units/502")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin-units/502?as_of=2025-06-30")
    page = client.get("/admin-units/20335?as_of=2025-06-30").get_data(as_text=True)
    assert "Phường Tân Thạnh" in page and "Trung tâm Dữ liệu tỉnh Quảng Nam" in page
    assert client.get("/admin-units/?as_of=30-06-2025").status_code == 400
