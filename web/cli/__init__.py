"""The ``cmdb`` command: Flask's CLI with Headroom's command groups."""

from __future__ import annotations

from typing import Any

import click
import sqlalchemy as sa
from flask.cli import FlaskGroup

from cmdb.errors import CmdbError
from web import create_app
from web.cli.capacity import capacity_group
from web.cli.db import db_group
from web.cli.demo import demo_group
from web.cli.imports import import_group
from web.cli.requests import request_group
from web.cli.serve import serve_command


class HeadroomGroup(FlaskGroup):
    """Turns the errors a user can act on into a message and exit code 1, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CmdbError as exc:
            raise click.ClickException(str(exc)) from exc
        except sa.exc.OperationalError as exc:
            first_line = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise click.ClickException(
                f"cannot use the database: {first_line}\n"
                "Check CMDB_DATABASE_URL and run 'cmdb db upgrade'."
            ) from exc


@click.group(cls=HeadroomGroup, create_app=create_app, add_version_option=False)
def main() -> None:
    """Headroom: inventory (CMDB) and capacity of the provincial data centre.

    The database is CMDB_DATABASE_URL (default: the SQLite file var/headroom.db).
    """


main.add_command(db_group)
main.add_command(demo_group)
main.add_command(import_group)
main.add_command(capacity_group)
main.add_command(request_group)
main.add_command(serve_command)

# Registered last, apart from the block above: issue 9 (administrative reorganisation).
from web.cli.admin_units import admin_units_group  # noqa: E402

main.add_command(admin_units_group)

from web.cli.discovery import discover_group, poll_command  # noqa: E402 - discovery's commands

main.add_command(discover_group)
main.add_command(poll_command)

from web.cli.users import demo_users_command, token_group, user_group  # noqa: E402 - issue 6

main.add_command(user_group)
main.add_command(token_group)
demo_group.add_command(demo_users_command)

from web.cli.audit import audit_group  # noqa: E402 - issue 5: the audit

main.add_command(audit_group)
from web.cli.netbox import sync_group  # noqa: E402 - issue 5: NetBox sync and write-back

main.add_command(sync_group)

from web.cli.jobs import jobs_group, worker_command  # noqa: E402 - issue 6: background jobs

main.add_command(worker_command)
main.add_command(jobs_group)
