"""The ``cmdb`` console script as a user runs it: a real subprocess, a real database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.databases import create_pg_database, drop_pg_database

CMDB = str(Path(sys.executable).parent / "cmdb")


def run_cmdb(
    *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CMDB, *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_db_upgrade_creates_the_default_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    env = {"CMDB_DATA_DIR": str(tmp_path / "data")}
    env.pop("CMDB_DATABASE_URL", None)
    result = run_cmdb("db", "upgrade", env=env | {"CMDB_DATABASE_URL": ""})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "headroom.db").is_file()
    current = run_cmdb("db", "current", env=env | {"CMDB_DATABASE_URL": ""})
    assert "up to date" in current.stdout


def test_db_current_says_base_before_upgrade(tmp_path: Path) -> None:
    env = {"CMDB_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    result = run_cmdb("db", "current", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("base (behind")


@pytest.mark.postgres
def test_db_upgrade_and_downgrade_on_postgresql() -> None:
    url = create_pg_database("headroom_cli")
    try:
        up = run_cmdb("db", "upgrade", env={"CMDB_DATABASE_URL": url})
        assert up.returncode == 0, up.stderr
        assert "database at revision" in up.stdout
        down = run_cmdb("db", "downgrade", "base", env={"CMDB_DATABASE_URL": url})
        assert down.returncode == 0, down.stderr
        assert "revision base" in down.stdout
    finally:
        drop_pg_database(url)


def test_serve_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    env = {"CMDB_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    result = run_cmdb("serve", "--port", "5999", env=env, timeout=60)
    assert result.returncode != 0
    assert "cmdb db upgrade" in result.stderr


def test_unreachable_database_gives_a_message_not_a_traceback(tmp_path: Path) -> None:
    env = {"CMDB_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    result = run_cmdb("db", "current", env=env, timeout=60)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "cannot use the database" in result.stderr
