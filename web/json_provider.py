"""Flask's JSON written by orjson: the same documents, about five times faster.

An API page of 50 devices is some 1,100 values; the standard library's encoder
spent more CPU on them than building the page did. Output keeps Flask's choices
that clients may see — keys sorted, compact, dates and dataclasses through
Flask's own ``default`` — but text is UTF-8 rather than ``\\u`` escapes (as
NetBox's API writes Vietnamese names). Anything orjson refuses (an integer past
64 bits, a keyword it does not know) goes to the standard library unchanged.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider

OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_NON_STR_KEYS
    | orjson.OPT_PASSTHROUGH_DATETIME  # to Flask's default: RFC 822, as before
    | orjson.OPT_PASSTHROUGH_DATACLASS
)
COMPACT = (",", ":")


class OrjsonProvider(DefaultJSONProvider):
    ensure_ascii = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        indent = kwargs.get("indent")
        plain = set(kwargs) <= {"indent", "separators"} and indent in (None, 2)
        if not plain or kwargs.get("separators", COMPACT) != COMPACT:
            return super().dumps(obj, **kwargs)
        options = OPTIONS | (orjson.OPT_INDENT_2 if indent else 0)
        try:
            return orjson.dumps(obj, default=self.default, option=options).decode()
        except orjson.JSONEncodeError:
            return super().dumps(obj, **kwargs)
