"""SQL compiled once per test process, not once per engine.

SQLAlchemy caches the SQL it compiles from each statement per engine, keyed by the
engine's dialect object. An app runs with one engine for its life, so after its first
requests every query is a cache hit; but the suite makes a new engine for nearly every
test (each on its own copy of a database), so each test compiled again every query it
ran. Here the engines whose dialects were created alike (same class, same arguments:
isolation level, JSON functions, parameter style...) take one dialect object, already
initialised by a connection of an earlier engine (same driver, same server: the same
version checks), and one statement cache, as SQLAlchemy's documented
``compiled_cache`` execution option lets a caller share one. The compiled SQL of a
statement does not depend on which database file or server database it is sent to;
each engine keeps its own pool, connections and events (the SQLite pragmas and
``BEGIN IMMEDIATE``). A new app's first four requests on the demo: 85–97 → 48–57 ms
of CPU (`/api/v1/devices/`, `/devices/`, `/api/v1/sites/`, `/sites/1`).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from sqlalchemy import util
from sqlalchemy.engine import Engine

_SIZE = 20_000  # the suite's distinct statements, with room: the default is 500
_shared: dict[tuple[object, ...], tuple[Any, Any]] = {}  # a dialect and its statement cache
_original_init = Engine.__init__


# Made anew for each dialect object; every other attribute a dialect has before its
# first connection comes from create_engine's arguments, so engines made alike agree.
_PER_OBJECT = {"identifier_preparer", "type_compiler", "type_compiler_instance"}


def _compiles_alike(engine: Engine) -> tuple[object, ...]:
    """The dialect's class and its state as created (isolation level, JSON functions,
    parameter style, label length...), before any connection initialised it."""
    dialect: Any = engine.dialect
    state = sorted(
        (name, value if isinstance(value, Hashable) else repr(value))
        for name, value in vars(dialect).items()
        if name not in _PER_OBJECT
    )
    return (type(dialect), *state)


def _sharing_init(self: Engine, *args: Any, **kwargs: Any) -> None:
    _original_init(self, *args, **kwargs)
    if self._compiled_cache is None:  # the caller asked for no cache: left alone
        return
    key = _compiles_alike(self)
    dialect, cache = _shared.get(key, (None, None))
    if dialect is None or dialect.server_version_info is None:  # none initialised yet
        dialect, cache = _shared[key] = (self.dialect, util.LRUCache(_SIZE))
    self.dialect = self.pool._dialect = dialect  # the first: initialised at its connection
    self._compiled_cache = cache


def pytest_configure(config: Any) -> None:
    Engine.__init__ = _sharing_init  # type: ignore[method-assign]
