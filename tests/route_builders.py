"""Werkzeug's URL builders, compiled once per test process instead of once per app.

The suite builds about 500 apps. Each of their ~160 routes makes werkzeug generate and
``compile()`` two URL-builder functions from an AST: 85 % of ``create_app``'s time.
The generated function depends only on the rule's parsed parts, its defaults and
whether unknown arguments are appended (converters are looked up through ``self``
when it runs), so the same rule gives the same code in every app; it is compiled
the first time and reused after. Rules whose defaults fill a dynamic part (their
code depends on a converter) are compiled as before. The app's behaviour is
unchanged; ``create_app`` costs about a sixth of what it did.

If werkzeug changes the private method this wraps, the plugin does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing.rules import Rule

Builder = Callable[..., tuple[str, str]]
_original = getattr(Rule, "_compile_builder", None)
_compiled: dict[tuple[object, ...], Builder] = {}


def _cached_compile_builder(self: Rule, append_unknown: bool = True) -> Builder:
    defaults = self.defaults or {}
    dynamic = {data for is_dynamic, data in self._trace if is_dynamic}
    if dynamic & defaults.keys():
        return _original(self, append_unknown)  # type: ignore[misc]
    key = (tuple(self._trace), append_unknown, tuple(sorted(map(str, defaults))))
    builder = _compiled.get(key)
    if builder is None:
        builder = _compiled[key] = _original(self, append_unknown)  # type: ignore[misc]
    return builder


def pytest_configure(config: Any) -> None:
    if _original is not None:
        Rule._compile_builder = _cached_compile_builder  # type: ignore[method-assign]
