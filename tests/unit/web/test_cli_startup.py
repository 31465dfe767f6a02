"""``cmdb --help`` and each group's ``--help`` load no command's dependencies and build no app.

Asserted on the import graph of a fresh interpreter (``sys.modules`` after the
command), not on wall time: a module imported is the cost, whatever the machine.
"""

from __future__ import annotations

import json
import subprocess
import sys

import click

from web import create_app
from web.cli import APP_COMMANDS, COMMANDS, main

# What only running a command may load: the app's pages and API, the forecasts and
# their numerics, the protocol clients, the job queue.
HEAVY = (
    "web.api",
    "web.ui",
    "web.db",  # the app's database: imported when an app is built
    "flask_smorest",
    "plotly",
    "numpy",
    "pandas",
    "scipy",
    "statsforecast",
    "pysnmp",
    "pynetbox",
    "rq",
    "redis",
)
# ``cmdb --help`` and ``cmdb db --help`` need no database code at all.
DATABASE = ("sqlalchemy", "alembic", "cmdb.models", "cmdb.schema")

RUN_AND_LIST_MODULES = """
import json, sys
from web.cli import main
for args in json.loads(sys.argv[1]):
    try:
        main(args, prog_name="cmdb")
    except SystemExit as exc:
        assert not exc.code, (args, exc.code)
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def modules_after(*commands: list[str]) -> set[str]:
    """The modules a fresh interpreter holds after running ``commands`` (one ``cmdb`` each)."""
    result = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, json.dumps(list(commands))],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def loaded(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(p for p in packages if any(m == p or m.startswith(f"{p}.") for m in modules))


def test_cmdb_help_and_db_help_load_no_database_code_and_build_no_app() -> None:
    modules = modules_after(["--help"], ["db", "--help"])
    assert loaded(modules, HEAVY + DATABASE) == []
    other_commands = {e.target.partition(":")[0] for n, e in COMMANDS.items() if n != "db"}
    assert sorted(other_commands & modules) == []  # the list came from the table alone


def test_every_groups_help_loads_none_of_the_heavy_dependencies() -> None:
    modules = modules_after(*([name, "--help"] for name in COMMANDS))
    assert loaded(modules, HEAVY) == []


def test_the_table_names_every_command_with_its_own_help() -> None:
    for name, entry in COMMANDS.items():
        command = entry.load()
        listed = click.Command(name, help=entry.help)
        assert command.name == name
        for limit in (20, 45, 60, 200):
            assert listed.get_short_help_str(limit) == command.get_short_help_str(limit), name


def test_the_apps_own_commands_are_listed_with_their_help() -> None:
    app_cli = create_app({"CMDB_DATABASE_URL": "sqlite://"}).cli
    ctx = click.Context(main)
    assert set(app_cli.list_commands(ctx)) == set(APP_COMMANDS)
    for name, summary in APP_COMMANDS.items():
        command = app_cli.get_command(ctx, name)
        assert command is not None
        assert command.get_short_help_str(200) == summary
