"""Everything a page loads comes from the app itself: the DC may have no Internet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

import web

WEB = Path(web.__file__).parent
URL = re.compile(r"https?://", re.IGNORECASE)


def test_bootstrap_css_is_served_locally(client: FlaskClient) -> None:
    response = client.get("/static/vendor/bootstrap/css/bootstrap.min.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert b"Bootstrap  v5." in response.data[:200]


def test_bootstrap_js_is_served_locally(client: FlaskClient) -> None:
    response = client.get("/static/vendor/bootstrap/js/bootstrap.bundle.min.js")
    assert response.status_code == 200
    assert "javascript" in response.mimetype
    assert b"Bootstrap v5." in response.data[:200]


def test_bootstrap_licence_ships_with_it() -> None:
    assert "MIT License" in (WEB / "static/vendor/bootstrap/LICENSE").read_text()


def test_plotly_js_is_served_from_the_python_package(client: FlaskClient) -> None:
    response = client.get("/vendor/plotly.min.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert b"plotly.js v" in response.data[:200]
    assert len(response.data) > 1_000_000


def test_plotly_js_is_not_committed() -> None:
    assert not list((WEB / "static").rglob("plotly*.js"))


def test_own_assets_are_served(client: FlaskClient) -> None:
    assert client.get("/static/js/headroom.js").status_code == 200
    assert client.get("/static/css/headroom.css").mimetype == "text/css"


@pytest.mark.parametrize(
    "path",
    sorted(
        p.relative_to(WEB)
        for p in [*(WEB / "templates").rglob("*"), *(WEB / "static").rglob("*")]
        if p.is_file() and "vendor" not in p.parts
    ),
    ids=str,
)
def test_no_template_or_own_asset_references_an_external_url(path: Path) -> None:
    text = (WEB / path).read_text(encoding="utf-8")
    assert not URL.search(text), f"{path} references {URL.search(text)}"


@pytest.mark.parametrize("page", ["/", "/admin-units/", "/devices/", "/no-such-page"])
def test_rendered_pages_load_only_local_assets(client: FlaskClient, page: str) -> None:
    html = client.get(page).get_data(as_text=True)
    references = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert references, "the layout loads its assets"
    assert all(ref.startswith("/") and not ref.startswith("//") for ref in references)
