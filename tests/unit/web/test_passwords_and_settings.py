"""Password hashes and the anonymous-read setting (no database)."""

from __future__ import annotations

import pytest

from cmdb.services.users import check_password, hash_password
from cmdb.settings import load_settings


def test_a_password_hash_checks_only_its_password() -> None:
    stored = hash_password("correct horse")
    assert stored.startswith("scrypt$") and "correct" not in stored
    assert check_password(stored, "correct horse")
    assert not check_password(stored, "Correct horse")
    assert hash_password("correct horse") != stored  # salted


def test_production_hashes_with_scrypt_at_n_16384(production_hash_cost: None) -> None:
    """The tests hash cheaper (``tests.cheap_hashes``); production's factor is this one."""
    stored = hash_password("correct horse")
    assert stored.startswith("scrypt$16384$8$1$") and check_password(stored, "correct horse")


@pytest.mark.parametrize(("text", "expected"), [("1", True), ("yes", True), ("0", False)])
def test_anonymous_read_setting(text: str, expected: bool) -> None:
    environ = {"CMDB_ANONYMOUS_READ": text, "CMDB_DATABASE_URL": "sqlite://"}
    assert load_settings(environ).anonymous_read is expected


def test_anonymous_read_is_off_by_default() -> None:
    assert load_settings({"CMDB_DATABASE_URL": "sqlite://"}).anonymous_read is False


def test_the_dcs_time_zone_is_a_setting_and_a_wrong_one_refuses_to_start() -> None:
    from cmdb.settings import load_settings

    assert load_settings({}).timezone == "Asia/Ho_Chi_Minh"
    assert load_settings({"CMDB_TIMEZONE": "UTC"}).timezone == "UTC"
    with pytest.raises(ValueError, match="CMDB_TIMEZONE"):
        load_settings({"CMDB_TIMEZONE": "Mars/Olympus_Mons"})
