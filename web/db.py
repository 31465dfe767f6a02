"""One engine per app, one session per request, closed at teardown.

The API's generated reads (a list, a record, its change log) take their session
in autocommit on PostgreSQL, as Django (hence NetBox) serves every request: no
BEGIN and no ROLLBACK around the statements. Besides two round trips a page,
this keeps psycopg's prepared statements, which it drops on every ROLLBACK —
so without it each page's statement was parsed and planned again. Those views
never write (a flush in such a session raises); everything else keeps one
transaction per request, committed by the view.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from cmdb.db import make_engine, make_session_factory

EXTENSION = "headroom_db"
READ_METHODS = frozenset({"GET", "HEAD"})
_READ_ONLY_ENDPOINTS: set[str] = set()


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        self.sessions: sessionmaker[Session] = make_session_factory(self.engine)
        self.read_sessions = self.sessions
        if self.engine.dialect.name == "postgresql":
            autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")
            self.read_sessions = make_session_factory(autocommit)
            event.listen(self.read_sessions, "before_flush", _refuse_write)


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Database(app.config["CMDB_DATABASE_URL"])
    app.teardown_appcontext(_close_session)


def get_db() -> Database:
    return current_app.extensions[EXTENSION]


def reads_only(endpoint: str) -> None:
    """Declare that ``endpoint``'s GET never writes: its session may autocommit."""
    _READ_ONLY_ENDPOINTS.add(endpoint)


def get_session() -> Session:
    """The request's session; the view (or command) decides when to commit."""
    if "db_session" not in g:
        db = get_db()
        g.db_session = (db.read_sessions if _request_reads_only() else db.sessions)()
    return g.db_session


def _request_reads_only() -> bool:
    return (
        has_request_context()
        and request.method in READ_METHODS
        and request.endpoint in _READ_ONLY_ENDPOINTS
    )


def _refuse_write(session: Session, _context: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a read-only request tried to write; declare its endpoint otherwise")


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
