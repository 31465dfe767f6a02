"""404 and 500 render inside the layout, with the navigation."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient


def test_unknown_address_is_404_in_the_layout(client: FlaskClient) -> None:
    response = client.get("/no-such-page")

    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page not found" in html
    assert 'class="navbar' in html and 'href="/devices/"' in html


def test_unhandled_error_is_500_in_the_layout(app: Flask) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken() -> str:
        raise RuntimeError("boom")

    app.add_url_rule("/broken", view_func=broken)

    response = app.test_client().get("/broken", headers={"Accept-Language": "en"})

    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "boom" not in html  # no internals leak to the page
    assert 'class="navbar' in html


def test_trailing_slash_redirect_is_not_an_error_page(client: FlaskClient) -> None:
    response = client.get("/devices")
    assert response.status_code == 308
    assert response.location.endswith("/devices/")
