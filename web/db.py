"""One engine per app, one session per request, closed at teardown."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from cmdb.db import make_engine, make_session_factory

EXTENSION = "headroom_db"


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        self.sessions: sessionmaker[Session] = make_session_factory(self.engine)


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Database(app.config["CMDB_DATABASE_URL"])
    app.teardown_appcontext(_close_session)


def get_db() -> Database:
    return current_app.extensions[EXTENSION]


def get_session() -> Session:
    """The request's session; the view (or command) decides when to commit."""
    if "db_session" not in g:
        g.db_session = get_db().sessions()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
