"""``cmdb serve``: the UI and API behind a production WSGI server (waitress)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("serve")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
def serve_command(host: str, port: int, threads: int) -> None:
    """Serve Headroom with waitress until interrupted."""
    from waitress import serve

    from cmdb import schema

    url = current_app.config["CMDB_DATABASE_URL"]
    if not schema.is_up_to_date(url):
        raise click.ClickException("the database schema is not up to date: run 'cmdb db upgrade'")
    click.echo(f"Headroom on http://{host}:{port}/ (database {_redact(url)})")
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy
    serve(app, host=host, port=port, threads=threads)


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
