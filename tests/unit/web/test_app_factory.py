"""create_app: configuration from defaults, then CMDB_* variables, then the test config."""

from __future__ import annotations

import pytest

from web import create_app
from web.db import get_db

MEMORY = {"CMDB_DATABASE_URL": "sqlite://"}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CMDB_DEFAULT_LANGUAGE", "CMDB_SECRET_KEY", "CMDB_DATABASE_URL", "CMDB_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_apply_without_variables() -> None:
    app = create_app(MEMORY)
    assert app.config["CMDB_DEFAULT_LANGUAGE"] == "vi"
    assert app.config["CMDB_PAGE_SIZE"] == 50


def test_environment_overrides_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMDB_DEFAULT_LANGUAGE", "en")
    monkeypatch.setenv("CMDB_SECRET_KEY", "from-env")

    app = create_app(MEMORY)

    assert app.config["CMDB_DEFAULT_LANGUAGE"] == "en"
    assert app.config["SECRET_KEY"] == "from-env"


def test_test_config_overrides_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMDB_DEFAULT_LANGUAGE", "en")
    monkeypatch.setenv("CMDB_SECRET_KEY", "from-env")

    app = create_app(MEMORY | {"CMDB_DEFAULT_LANGUAGE": "fr", "SECRET_KEY": "from-test"})

    assert app.config["CMDB_DEFAULT_LANGUAGE"] == "fr"
    assert app.config["SECRET_KEY"] == "from-test"


def test_database_url_from_the_environment_is_the_one_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("CMDB_DATABASE_URL", url)

    app = create_app()

    with app.app_context():
        assert get_db().url == url == app.config["CMDB_DATABASE_URL"]


def test_the_pages_are_registered() -> None:
    rules = {rule.rule for rule in create_app(MEMORY).url_map.iter_rules()}
    assert {
        "/",
        "/admin-units/",
        "/admin-units/<code>",
        "/devices/",
        "/devices/<int:device_id>",
    } <= rules
    assert "/vendor/plotly.min.js" in rules
