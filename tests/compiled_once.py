"""What every app of the suite compiles the same way, compiled once per test process.

**URL builders.**
The suite builds about 500 apps. Each of their ~160 routes makes werkzeug generate and
``compile()`` two URL-builder functions from an AST: 85 % of ``create_app``'s time.
The generated function depends only on the rule's parsed parts, its defaults and
whether unknown arguments are appended (converters are looked up through ``self``
when it runs), so the same rule gives the same code in every app; it is compiled
the first time and reused after. Rules whose defaults fill a dynamic part (their
code depends on a converter) are compiled as before. The app's behaviour is
unchanged; ``create_app`` went from 46 to 19 ms (ten builds, timed alone). With the
rule parsing below and the API's components made on first read (``web.api``), 36–37 →
7–20 ms of CPU on the slower machine of 2026-12-07's third session.

If werkzeug changes the private method this wraps, this part does nothing.

**Rule parsing.**
Each rule's text is parsed into its regular-expression parts again in every app
(``Rule._parse_rule``: two fifths of what was left of ``create_app`` in a py-spy
profile of the quick tier). The parts depend on
the text and on the converters' classes; the parse also records the rule's trace,
arguments and converter instances, which belong to the app's map. The parts and trace
are kept per text and converter table, and each rule still gets converters of its own,
made by its map as the parse would.

**Templates.** Each app has its own Jinja environment and compiled every template it
rendered again (about 5 % of the quick tier's time). The environments share one
in-memory bytecode cache, Jinja's own mechanism for this: a template's code is keyed
by its name and checked against its source's checksum before it is reused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask
from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
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


_original_parse = getattr(Rule, "_parse_rule", None)
_Call = tuple[str, str, tuple[Any, ...], dict[str, Any]]  # variable, converter, args, kwargs
_parsed: dict[tuple[object, ...], tuple[list[Any], list[tuple[bool, str]], list[_Call]]] = {}


def _cached_parse_rule(self: Rule, rule: str) -> Iterator[Any]:
    assert self.map is not None
    key = (rule, tuple(self.map.converters.items()))
    found = _parsed.get(key)
    if found is None:
        calls: list[_Call] = []
        get_converter = self.get_converter

        def recording(variable: str, name: str, args: Any, kwargs: Any) -> Any:
            calls.append((variable, name, tuple(args), dict(kwargs)))
            return get_converter(variable, name, args, kwargs)

        start = len(self._trace)
        self.get_converter = recording  # type: ignore[method-assign]
        try:
            parts = list(_original_parse(self, rule))  # type: ignore[misc]
        finally:
            del self.get_converter
        found = _parsed[key] = (parts, self._trace[start:], calls)
        return iter(parts)
    parts, trace, calls = found
    for variable, name, args, kwargs in calls:
        self._converters[variable] = self.get_converter(variable, name, args, kwargs)
        self.arguments.add(variable)
    self._trace.extend(trace)
    return iter(parts)


class _SharedBytecode(BytecodeCache):
    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # ignored if the source's checksum changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


_templates = _SharedBytecode()
_create_jinja_environment = Flask.create_jinja_environment


def _with_shared_bytecode(app: Flask) -> Environment:
    environment = _create_jinja_environment(app)
    environment.bytecode_cache = _templates
    return environment


def pytest_configure(config: Any) -> None:
    if _original is not None:
        Rule._compile_builder = _cached_compile_builder  # type: ignore[method-assign]
    if _original_parse is not None:
        Rule._parse_rule = _cached_parse_rule  # type: ignore[method-assign]
    Flask.create_jinja_environment = _with_shared_bytecode  # type: ignore[method-assign]
