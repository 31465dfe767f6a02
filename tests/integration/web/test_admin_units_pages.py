"""The admin-unit tree page: any depth, every site with its links, constant queries."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests import factories as f
from tests.integration.web.conftest import build_province
from web import create_app


def test_three_level_tree_shows_districts_communes_sites_and_links(
    client: FlaskClient, db: Session
) -> None:
    province = build_province(db, districts=2, communes_per_district=2)
    db.commit()

    html = client.get("/admin-units/").get_data(as_text=True)

    for unit in [*province.districts, *province.communes]:
        assert f'data-code="{unit.code}"' in html
    for site in province.commune_sites:
        assert f'id="site-{site.slug}"' in html
        assert site.name in html
    assert html.count('class="link"') == 2 * (2 + 2 * 2)  # each link shown at both ends
    assert "Huyện Thử 1" in html and "TTDL tỉnh" in html


def test_tree_nests_communes_under_districts_under_the_province(
    client: FlaskClient, db: Session
) -> None:
    province = build_province(db, districts=1, communes_per_district=1)
    db.commit()

    html = client.get("/admin-units/").get_data(as_text=True)

    province_at = html.index('data-code="49"')
    district = province.districts[0]
    district_at = html.index(f'data-code="{district.code}"')
    commune_at = html.index(f'data-code="{province.communes[-1].code}"')
    assert province_at < district_at < commune_at
    # the commune's <li> is inside the district's <details>, which is inside the province's
    district_block = html[district_at : html.index("</details>", commune_at)]
    assert f'data-code="{province.communes[-1].code}"' in district_block


def test_post_reform_tree_has_communes_directly_under_the_province(
    client: FlaskClient, db: Session
) -> None:
    province = build_province(db, reform=True, communes_per_district=3)
    db.commit()

    html = client.get("/admin-units/").get_data(as_text=True)

    assert "Huyện" not in html
    for commune, site in zip(province.communes[1:], province.commune_sites, strict=True):
        assert f'data-code="{commune.code}"' in html
        assert f"#site-{province.dc.slug}" in html  # commune offices link straight to the DC
        assert site.name in html
    assert html.count('class="link"') == 2 * 3


def test_a_communes_link_capacity_and_far_end_appear(client: FlaskClient, db: Session) -> None:
    province = build_province(db, districts=1, communes_per_district=1, commune_mbps=4.0)
    db.commit()
    commune = province.communes[-1]

    html = client.get(f"/admin-units/{commune.code}").get_data(as_text=True)

    site_block = html[html.index(f'id="site-{province.commune_sites[0].slug}"') :]
    link = re.search(
        r"TSLCD</span>\s*<a class=\"capacity[^\"]*\" href=\"(/links/\d+)\">4 Mbps</a>", site_block
    )
    assert link, "the link's capacity links to the link's page"
    assert client.get(link.group(1)).status_code == 200
    assert "UBND huyện 1" in site_block  # the far end: the district office


def test_unit_page_shows_only_its_subtree_with_breadcrumb(client: FlaskClient, db: Session) -> None:
    province = build_province(db, districts=2, communes_per_district=1)
    db.commit()
    first, second = province.districts

    html = client.get(f"/admin-units/{first.code}").get_data(as_text=True)

    assert f'data-code="{first.code}"' in html
    assert f'data-code="{second.code}"' not in html
    assert 'class="breadcrumb-item"><a href="/admin-units/49"' in html
    assert "TTDL tỉnh" in html  # the district office's uplink leads out of the subtree


def test_unknown_unit_is_404(client: FlaskClient) -> None:
    response = client.get("/admin-units/nope")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_empty_inventory_says_how_to_load_units(client: FlaskClient) -> None:
    html = client.get("/admin-units/").get_data(as_text=True)
    assert "No administrative units yet" in html


def test_tree_query_count_does_not_grow_with_the_number_of_units(
    client: FlaskClient, db: Session, count_queries
) -> None:
    build_province(db, code="48", districts=1, communes_per_district=1)
    db.commit()
    with count_queries() as small:
        assert client.get("/admin-units/").status_code == 200

    build_province(db, code="49", districts=6, communes_per_district=8)
    build_province(db, code="50", reform=True, communes_per_district=20)
    db.commit()
    with count_queries() as large:
        html = client.get("/admin-units/").get_data(as_text=True)

    assert html.count('class="unit ') > 80
    assert large() == small() <= 5, (small(), large())


def test_subtree_query_count_is_bounded(client: FlaskClient, db: Session, count_queries) -> None:
    province = build_province(db, districts=3, communes_per_district=10)
    f.link(db, a_site=province.commune_sites[0], b_site=province.commune_sites[1])
    db.commit()
    with count_queries() as n:
        assert client.get(f"/admin-units/{province.districts[0].code}").status_code == 200
    assert n() <= 6  # the tree's reads and one for the links' last daily peaks


def test_the_tree_is_shown_as_of_the_pinned_day(
    client: FlaskClient, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``CMDB_TODAY`` (a setting, from the environment) is the day the tree is drawn for."""
    province = build_province(db, districts=1, communes_per_district=1)
    f.admin_unit(db, code="99001", name="Xã Tương Lai", parent=province.districts[0],
                 valid_from=date(2040, 1, 1))  # fmt: skip
    db.commit()
    assert 'data-code="99001"' not in client.get("/admin-units/").text  # not yet in force

    monkeypatch.setenv("CMDB_TODAY", "2040-06-01")
    url = client.application.config["CMDB_DATABASE_URL"]
    pinned = create_app({"TESTING": True, "SECRET_KEY": "test", "CMDB_ANONYMOUS_READ": True,
                         "CMDB_DATABASE_URL": url})  # fmt: skip
    assert pinned.config["CMDB_TODAY"] == "2040-06-01"
    assert 'data-code="99001"' in pinned.test_client().get("/admin-units/").text


def test_an_unmapped_unit_is_in_the_tree_under_its_parent_and_says_so(
    client: FlaskClient, db: Session
) -> None:
    province = build_province(db, districts=1, communes_per_district=1)
    parent = province.districts[0]
    f.admin_unit(db, code="nb-r6", name="Data Centre Campus", unmapped=True, parent=parent)
    db.commit()

    html = client.get("/admin-units/").get_data(as_text=True)

    unmapped = html[html.index('data-code="nb-r6"') :].split("</li>", 1)[0]
    assert "Data Centre Campus" in unmapped and "unit-unmapped" in unmapped
    district = html[html.index(f'data-code="{parent.code}"') :]
    assert district.index('data-code="nb-r6"') < district.index("</details>")  # inside it
    assert html.count("unit-unmapped") == 1  # the national units carry no such badge
