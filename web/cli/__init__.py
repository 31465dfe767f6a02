"""The ``cmdb`` command: Flask's CLI with Headroom's command groups."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from web import create_app
from web.cli.db import db_group
from web.cli.serve import serve_command


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False)
def main() -> None:
    """Headroom: inventory (CMDB) and capacity of the provincial data centre.

    The database is CMDB_DATABASE_URL (default: the SQLite file var/headroom.db).
    """


main.add_command(db_group)
main.add_command(serve_command)
