"""One engine per app, one session per request, closed at teardown.

The API's generated reads (a list, a record, its change log) take their session
in autocommit on PostgreSQL, as Django (hence NetBox) serves every request: no
BEGIN and no ROLLBACK around the statements. Besides two round trips a page,
this keeps psycopg's prepared statements, which it drops on every ROLLBACK —
so without it each page's statement was parsed and planned again. Those views
never write (a flush in such a session raises); everything else keeps one
transaction per request, committed by the view — the API's once its answer is ready
(``commit_when_answered``).

On SQLite, a request that may write (any method but GET and HEAD) takes the
database's write lock when its transaction begins and waits for it there, so
concurrent writers queue instead of failing (``cmdb.db.make_engine``). A GET or
HEAD only reads: its transaction begins deferred, beside the writer. The one
thing a page may write is a cache (fitted forecasts), which it skips when the
lock is taken (``capacity.inputs``).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, has_request_context, request
from flask.typing import ResponseReturnValue
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import ServiceUnavailable

from cmdb.db import is_write_conflict, make_engine, make_session_factory, reading

EXTENSION = "headroom_db"
READ_METHODS = frozenset({"GET", "HEAD"})
RETRY_AFTER_S = 5
_READ_ONLY_ENDPOINTS: set[str] = set()


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        self.sessions: sessionmaker[Session] = make_session_factory(self.engine)
        # GET and HEAD: no write lock on SQLite; the same as ``sessions`` on PostgreSQL.
        self.page_sessions = make_session_factory(reading(self.engine))
        reads = reading(self.engine)
        if self.engine.dialect.name == "postgresql":
            reads = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self.read_sessions = make_session_factory(reads)
        event.listen(self.read_sessions, "before_flush", _refuse_write)


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Database(app.config["CMDB_DATABASE_URL"])
    app.after_request(_commit_answered)
    app.teardown_appcontext(_close_session)
    app.register_error_handler(sa.exc.OperationalError, _busy)


def _busy(error: sa.exc.OperationalError) -> ResponseReturnValue:
    """503 with Retry-After when SQLite's write lock stayed taken for the whole busy
    timeout (a long import, an overloaded server): try again, nothing was written.
    Any other database failure is the server's error (500), as without this handler."""
    if not is_write_conflict(error):
        raise error
    busy = ServiceUnavailable(
        "the database is busy with other writes: try again shortly", retry_after=RETRY_AFTER_S
    )
    return current_app.handle_http_exception(busy)


def get_db() -> Database:
    return current_app.extensions[EXTENSION]


def reads_only(endpoint: str) -> None:
    """Declare that ``endpoint``'s GET never writes: its session may autocommit."""
    _READ_ONLY_ENDPOINTS.add(endpoint)


def get_session() -> Session:
    """The request's session; the view (or command) decides when to commit."""
    if "db_session" not in g:
        g.db_session = _session_factory(get_db())()
    return g.db_session


def _session_factory(db: Database) -> sessionmaker[Session]:
    """Writes for a command, a job or a request that may write; reads for GET and HEAD."""
    if not has_request_context() or request.method not in READ_METHODS:
        return db.sessions
    return db.read_sessions if request.endpoint in _READ_ONLY_ENDPOINTS else db.page_sessions


def commit_when_answered() -> None:
    """Commit the request's session once its response is built, unless that is a 5xx.

    A write the server then fails to answer is not kept: the client, told 500, may
    send it again. Whatever the view raises after its unit of work ends (presenting
    the record, serialising it) rolls it back; a 4xx it answers on purpose keeps it.
    """
    g.commit_when_answered = True


def _commit_answered(response: Response) -> Response:
    if g.pop("commit_when_answered", False):
        session = g.db_session
        if response.status_code < 500:
            session.commit()
        else:
            session.rollback()
    return response


def _refuse_write(session: Session, _context: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a read-only request tried to write; declare its endpoint otherwise")


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
