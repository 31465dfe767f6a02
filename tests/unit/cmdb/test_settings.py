"""Settings come from defaults, then ``CMDB_*`` variables; nothing reads os.environ early."""

from pathlib import Path

import pytest

from cmdb.settings import default_database_url, load_settings


def test_defaults_use_an_embedded_sqlite_file_in_the_data_dir() -> None:
    settings = load_settings({})
    assert settings.database_url == default_database_url("var")
    assert settings.database_url.endswith(str(Path("var").resolve() / "headroom.db"))


def test_environment_overrides_defaults() -> None:
    env = {"CMDB_DATABASE_URL": "postgresql+psycopg://x@h/db", "CMDB_SECRET_KEY": "s3"}
    settings = load_settings(env)
    assert settings.database_url == "postgresql+psycopg://x@h/db"
    assert settings.secret_key == "s3"


def test_data_dir_moves_the_default_database(tmp_path: Path) -> None:
    settings = load_settings({"CMDB_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path.resolve() / 'headroom.db'}"


def test_empty_variables_are_ignored() -> None:
    assert load_settings({"CMDB_DATABASE_URL": ""}).database_url == default_database_url("var")


def test_whole_numbers_are_converted_and_checked() -> None:
    assert load_settings({"CMDB_PAGE_SIZE": "25"}).page_size == 25
    with pytest.raises(ValueError, match="CMDB_PAGE_SIZE must be a whole number"):
        load_settings({"CMDB_PAGE_SIZE": "lots"})


def test_cmdb_today_pins_the_day_and_a_bad_one_is_refused() -> None:
    assert load_settings({"CMDB_TODAY": "2026-01-15"}).today == "2026-01-15"
    assert load_settings({}).today is None
    with pytest.raises(ValueError, match=r"CMDB_TODAY must be a date \(YYYY-MM-DD\)"):
        load_settings({"CMDB_TODAY": "15/01/2026"})


def test_the_poll_chunk_size_is_a_positive_whole_number() -> None:
    assert load_settings({}).poll_chunk_size == 250
    assert load_settings({"CMDB_POLL_CHUNK_SIZE": "40"}).poll_chunk_size == 40
    with pytest.raises(ValueError, match="CMDB_POLL_CHUNK_SIZE must be at least 1, not 0"):
        load_settings({"CMDB_POLL_CHUNK_SIZE": "0"})
