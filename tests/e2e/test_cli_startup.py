"""Read commands of the ``cmdb`` script load what they read with, not the whole app.

A real subprocess on a migrated SQLite file; asserted on ``sys.modules`` after the
command (the import graph), not on wall time.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.unit.web.test_cli_startup import HEAVY, loaded, modules_after

# A read command opens the database (``web.db``); the forecasts, protocol clients, job
# queue and the pages and API stay out.
NOT_FOR_READING = tuple(m for m in HEAVY if m != "web.db")


@pytest.fixture
def database(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CMDB_DATABASE_URL", sqlite_url)  # inherited by the subprocess
    return sqlite_url


@pytest.mark.parametrize(
    "command",
    [["jobs", "list"], ["db", "current"], ["admin-units", "tree"], ["audit", "list"]],
    ids=" ".join,
)
def test_a_read_command_loads_no_forecasts_protocols_or_pages(
    database: str, command: list[str]
) -> None:
    assert loaded(modules_after(command), NOT_FOR_READING) == []


def test_flasks_own_commands_still_see_the_whole_app(database: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from web.cli import main; main(prog_name='cmdb')", "routes"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "/api/v1/openapi.json" in result.stdout
    assert "/login" in result.stdout
