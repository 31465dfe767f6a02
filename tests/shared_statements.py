"""SQL compiled once per test process, not once per engine.

SQLAlchemy caches the SQL it compiles from each statement per engine, keyed by the
engine's dialect object. An app runs with one engine for its life, so after its first
requests every query is a cache hit; but the suite makes a new engine for nearly every
test (each on its own copy of a database), so each test compiled again every query it
ran. Here the engines whose dialects compile alike (same dialect class and parameter
style, label length, JSON functions) take one dialect object, already initialised by a
connection of an earlier engine (same driver, same server: the same version checks),
and one statement cache, as SQLAlchemy's documented ``compiled_cache`` execution option
lets a caller share one. The compiled SQL of a statement does not depend on which
database file or server database it is sent to; each engine keeps its own pool,
connections and events (the SQLite pragmas and ``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import util
from sqlalchemy.engine import Engine

_SIZE = 20_000  # the suite's distinct statements, with room: the default is 500
_dialects: dict[tuple[object, ...], Any] = {}
_caches: dict[tuple[object, ...], Any] = {}
_original_init = Engine.__init__


def _compiles_alike(engine: Engine) -> tuple[object, ...]:
    dialect: Any = engine.dialect
    return (
        type(dialect),
        dialect.paramstyle,
        dialect.label_length,
        getattr(dialect, "_json_serializer", None),
        getattr(dialect, "_json_deserializer", None),
    )


def _sharing_init(self: Engine, *args: Any, **kwargs: Any) -> None:
    _original_init(self, *args, **kwargs)
    if self._compiled_cache is None:  # the caller asked for no cache: left alone
        return
    key = _compiles_alike(self)
    shared = _dialects.get(key)
    if shared is None or shared.server_version_info is None:  # none initialised yet
        _dialects[key] = self.dialect  # initialised at this engine's first connection
        _caches[key] = util.LRUCache(_SIZE)
    else:
        self.dialect = shared
        self.pool._dialect = shared
    self._compiled_cache = _caches[key]


def pytest_configure(config: Any) -> None:
    Engine.__init__ = _sharing_init  # type: ignore[method-assign]
