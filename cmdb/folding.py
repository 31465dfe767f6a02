"""Case- and diacritic-insensitive matching: "quang nam" finds "Quảng Nam".

Both sides of a comparison are folded the same way — marks stripped, đ → d, lower
case: the text in Python (``fold``), a column in SQL (``folded``): PostgreSQL's built-in
``translate`` with the Vietnamese letters (no extension to install), SQLite a Python
function every connection gets (``cmdb.db``). Global search (``cmdb.services.search``)
and the lists' ``q=`` (``cmdb.services.listing``) use it.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

SQLITE_FUNCTION = "hr_fold"


def fold(text: str | None) -> str | None:
    """``text`` without diacritics (đ → d), in lower case: what search compares."""
    if text is None:
        return None
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()


#: The letters of Vietnamese with marks, both cases (and the other accented Latin-1
#: letters): ``translate`` costs time per letter of its table, so it holds only these.
MARKED = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđçñäëïöüÿ"


def _translate_table() -> tuple[str, str]:
    """Each marked letter (both cases) and its fold: ``translate``'s arguments."""
    source, target = [], []
    for char in MARKED + MARKED.upper():
        folded = fold(char) or ""
        if len(folded) == 1 and folded.isascii() and folded != char.lower():
            source.append(char)
            target.append(folded)
    return "".join(source), "".join(target)


TRANSLATE_FROM, TRANSLATE_TO = _translate_table()


class folded(FunctionElement[str]):  # noqa: N801 (an SQL function, named as one)
    """``fold(column)`` in SQL."""

    type = sa.String()
    inherit_cache = True


@compiles(folded)
def _folded_default(element: folded, compiler: Any, **kw: Any) -> str:  # SQLite
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"


@compiles(folded, "postgresql")
def _folded_postgresql(element: folded, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    table = compiler.process(sa.literal(TRANSLATE_FROM), **kw)
    into = compiler.process(sa.literal(TRANSLATE_TO), **kw)
    return f"lower(translate({column}, {table}, {into}))"
