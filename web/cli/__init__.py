"""The ``cmdb`` command: Flask's CLI with Headroom's command groups.

Every command is named here with its one-line help, and its module is imported
only when that command runs (or its own ``--help`` is asked for): ``cmdb --help``
imports no command and builds no app. Headroom's commands run in an app without
pages or API (``create_base_app``); Flask's own (``run``, ``shell``, ``routes``),
the API's ``openapi`` and ``serve`` get the whole app.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click
from flask.cli import FlaskGroup, ScriptInfo

from cmdb.errors import CmdbError

if TYPE_CHECKING:
    from flask import Flask


@dataclass(frozen=True)
class LazyCommand:
    """Where a command is defined, and its help's first paragraph for ``cmdb --help``."""

    target: str  # "module:attribute"
    help: str
    whole_app: bool = False  # needs the pages and API registered, not only config and database

    def load(self) -> click.Command:
        module, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module), attribute)


COMMANDS: dict[str, LazyCommand] = {
    "admin-units": LazyCommand(
        "web.cli.admin_units:admin_units_group",
        "Administrative units: reorganisations (merges, abolished levels) and dated trees.",
    ),
    "audit": LazyCommand(
        "web.cli.audit:audit_group",
        "Discrepancies between NetBox, SNMP, Ansible facts and people's edits.",
    ),
    "capacity": LazyCommand(
        "web.cli.capacity:capacity_group", "Capacity of clusters, storage pools and links."
    ),
    "catalogue": LazyCommand(
        "web.cli.catalogue:catalogue_group",
        "The expansion catalogue (server models, shelves, link tiers): import, list.",
    ),
    "db": LazyCommand("web.cli.db:db_group", "Create and migrate the database schema."),
    "demo": LazyCommand(
        "web.cli.demo:demo_group", "Demo data: a realistic Quảng Nam provincial data centre."
    ),
    "discover": LazyCommand(
        "web.cli.discovery:discover_group",
        "Discover devices, interfaces and links from the network.",
    ),
    "import": LazyCommand(
        "web.cli.imports:import_group",
        "Import admin units, agencies or sites from CSV or JSON (header row: the field names).",
    ),
    "jobs": LazyCommand(
        "web.cli.jobs:jobs_group", "Background jobs: their runs, progress and results."
    ),
    "poll": LazyCommand(
        "web.cli.discovery:poll_command",
        "Read interface counters (and host CPU, RAM, storage) of discovered devices.",
    ),
    "prune": LazyCommand(
        "web.cli.prune:prune_command",
        "Delete history older than its retention (raw samples, observations, rollups).",
    ),
    "request": LazyCommand(
        "web.cli.requests:request_group", "Resource requests: can the data centre host them?"
    ),
    "serve": LazyCommand(
        "web.cli.serve:serve_command",
        "Serve Headroom with waitress until interrupted.",
        whole_app=True,
    ),
    "sync": LazyCommand(
        "web.cli.netbox:sync_group", "Take inventory in from other sources of truth."
    ),
    "token": LazyCommand(
        "web.cli.users:token_group", "API tokens (``Authorization: Token <key>``)."
    ),
    "user": LazyCommand(
        "web.cli.users:user_group",
        "Users and their roles (viewer, requester, engineer, planner, admin).",
    ),
    "worker": LazyCommand(
        "web.cli.jobs:worker_command",
        "Run background jobs (discovery, polling, NetBox sync) from Redis.",
    ),
}

# Commands the app's extensions add to ``app.cli`` (flask-smorest), with their help:
# listed without building the app, found in the app when one of them runs.
APP_COMMANDS: dict[str, str] = {"openapi": "OpenAPI commands."}


def _create_app() -> Flask:
    from web import create_app

    return create_app()


def _create_base_app() -> Flask:
    from web import create_base_app

    return create_base_app()


class HeadroomGroup(FlaskGroup):
    """Finds commands by name without importing them; turns the errors a user can act on
    into a message and exit code 1, not a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        return sorted({*self.commands, *COMMANDS, *APP_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        self._load_plugin_commands()
        if name in COMMANDS and name not in self.commands:
            self.add_command(COMMANDS[name].load(), name)
        if name in self.commands or name in APP_COMMANDS:
            return super().get_command(ctx, name)  # an app command builds the app
        return None  # no need to build the app to know it has no such command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            name, command, rest = super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:  # suggest from every name, loaded or not
            raise click.exceptions.NoSuchCommand(
                exc.command_name, possibilities=self.list_commands(ctx), ctx=ctx
            ) from None
        entry = COMMANDS.get(name or "")
        info = ctx.ensure_object(ScriptInfo)
        if entry is not None and not entry.whole_app and info.create_app is self.create_app:
            info.create_app = _create_base_app  # not when a test runner brings its own app
        return name, command, rest

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Click's list of commands, with the help of those not loaded taken from the table."""
        commands = [(name, self._listed(name)) for name in self.list_commands(ctx)]
        commands = [(name, c) for name, c in commands if not c.hidden]
        if not commands:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in commands)
        with formatter.section("Commands"):
            formatter.write_dl([(name, c.get_short_help_str(limit)) for name, c in commands])

    def _listed(self, name: str) -> click.Command:
        if name in self.commands:
            return self.commands[name]
        summary = COMMANDS[name].help if name in COMMANDS else APP_COMMANDS[name]
        return click.Command(name, help=summary)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CmdbError as exc:
            raise click.ClickException(str(exc)) from exc
        except Exception as exc:
            reason = _database_error(exc)
            if reason is None:
                raise
            raise click.ClickException(
                f"cannot use the database: {reason}\n"
                "Check CMDB_DATABASE_URL and run 'cmdb db upgrade'."
            ) from exc


def _database_error(exc: Exception) -> str | None:
    """The first line of a SQLAlchemy OperationalError, else None. Looked up without
    importing SQLAlchemy: a command that never imported it cannot have raised one."""
    errors = sys.modules.get("sqlalchemy.exc")
    if errors is None or not isinstance(exc, errors.OperationalError):
        return None
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)


@click.group(cls=HeadroomGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Headroom: inventory (CMDB) and capacity of the provincial data centre.

    The database is CMDB_DATABASE_URL (default: the SQLite file var/headroom.db).
    """
