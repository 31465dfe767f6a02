"""``/search/?q=``: every kind at once, grouped, each record linked to its page."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cmdb.choices import AdminLevel
from tests import factories as f


def test_quang_nam_finds_the_units_and_sites_written_with_marks(
    client: FlaskClient, db: Session
) -> None:
    province = f.admin_unit(db, code="49", name="Tỉnh Quảng Nam", level=AdminLevel.PROVINCE)
    site = f.site(db, name="UBND tỉnh Quảng Nam", admin_unit=province)
    f.server(db, name="qn-core", site=site, serial="QNAM-01")
    db.commit()

    html = client.get("/search/?q=quang nam").get_data(as_text=True)

    assert re.findall(r'id="found-([a-z-]+)"', html) == ["admin-units", "sites"]
    assert 'href="/admin-units/49">Tỉnh Quảng Nam</a>' in html
    assert f'href="/sites/{site.id}">UBND tỉnh Quảng Nam</a>' in html
    assert 'value="quang nam"' in html  # the navbar and the page keep the words


def test_nothing_found_and_no_words_answer_200(client: FlaskClient) -> None:
    assert 'id="no-results"' in client.get("/search/?q=kh%C3%B4ng-c%C3%B3").text
    empty = client.get("/search/")
    assert empty.status_code == 200 and 'id="no-results"' not in empty.text
    assert client.get("/search/?q=" + "x" * 5000).status_code == 200


def test_every_page_has_the_search_box(client: FlaskClient) -> None:
    html = client.get("/devices/").get_data(as_text=True)
    box = html[html.index('id="nav-search"') :].split("</form>", 1)[0]
    assert 'action="/search/"' in html and 'name="q"' in box
