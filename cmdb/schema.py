"""Schema migrations through Alembic, with the URL given by the caller.

The CLI (``cmdb db …``) and the tests use these; nobody needs an ``alembic.ini``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import TextIO

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from cmdb.db import make_engine


def alembic_config(database_url: str, stdout: TextIO | None = None) -> Config:
    cfg = Config(stdout=stdout) if stdout is not None else Config()
    cfg.set_main_option("script_location", str(Path(str(files("migrations")))))
    # ConfigParser treats % as interpolation; URLs may hold %-escaped passwords.
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def ensure_sqlite_dir(database_url: str) -> None:
    """Create the directory of an embedded SQLite file so a first run just works."""
    prefix = "sqlite:///"
    if database_url.startswith(prefix) and database_url != "sqlite://":
        path = database_url[len(prefix) :]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)


def upgrade(database_url: str, revision: str = "head") -> None:
    ensure_sqlite_dir(database_url)
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def current_revision(database_url: str) -> str | None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def head_revisions(database_url: str = "sqlite://") -> tuple[str, ...]:
    script = ScriptDirectory.from_config(alembic_config(database_url))
    return tuple(script.get_heads())


def is_up_to_date(database_url: str) -> bool:
    return current_revision(database_url) in head_revisions(database_url)
