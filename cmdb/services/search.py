"""Global search: every kind of record by name, serial, address, circuit id, asset tag.

Case and diacritics do not matter, on SQLite as on PostgreSQL: Vietnamese typed
without its marks ("quang nam") finds the names written with them ("Quảng
Nam"). Both sides of a *named* column are folded the same way — marks stripped,
đ → d, lower case: the search text in Python (``fold``), the column in SQL
(``folded``): PostgreSQL's built-in ``translate`` with the Vietnamese letters
(no extension to install), SQLite a Python function (``cmdb.folding``).

Folding a column visits every row, which is cheap for the named kinds (units,
agencies, sites, links, pools…: hundreds to thousands of rows) and not for the
100,000 devices and million interfaces; their columns are identifiers (host
names, serials, addresses, MACs), matched by ``ILIKE`` in any case, which their
pg_trgm indexes serve (a fold of 1,000,000 interfaces took 16 s on the bench).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from cmdb.folding import fold, folded
from cmdb.models import (
    AdminUnit,
    Agency,
    Cluster,
    Device,
    InformationSystem,
    Interface,
    Link,
    Rack,
    Site,
    StoragePool,
    Workload,
)
from cmdb.services.listing import like_pattern

PER_KIND = 10
MAX_QUERY = 200


@dataclass(frozen=True)
class Kind:
    """A kind of record search looks through: its model, the columns that match folded
    (``columns``, the first one orders) and those matched as typed, in any case (``plain``)."""

    key: str  # the list page's path, /<key>/
    model: type[Any]
    columns: tuple[str, ...]
    plain: tuple[str, ...] = ()
    loads: tuple[str, ...] = ()

    @property
    def shown(self) -> tuple[str, ...]:
        """The columns a result shows besides its name."""
        return (*self.columns[1:], *self.plain)


KINDS: tuple[Kind, ...] = (
    Kind("admin-units", AdminUnit, ("name",), plain=("code",)),
    Kind("agencies", Agency, ("name", "short_name")),
    Kind("sites", Site, ("name", "address"), plain=("slug",)),
    Kind("racks", Rack, ("name", "location"), loads=("site",)),
    Kind("devices", Device, (), plain=("name", "serial", "management_address", "asset_tag")),
    Kind(
        "interfaces", Interface, (), plain=("name", "mac_address", "description"), loads=("device",)
    ),
    Kind("links", Link, ("name", "provider"), plain=("circuit_id",)),
    Kind("clusters", Cluster, ("name",)),
    Kind("storage-pools", StoragePool, ("name",)),
    Kind("information-systems", InformationSystem, ("name", "code")),
    Kind("workloads", Workload, ("name", "management_address")),
)


@dataclass(frozen=True)
class Found:
    """The records of one kind that match: at most ``PER_KIND``, and whether more do."""

    kind: Kind
    records: Sequence[Any]
    more: bool


def search_all(session: Session, text: str) -> list[Found]:
    """The records of every kind whose columns contain ``text`` (any case, any marks),
    by kind; kinds with no match are left out. One query per kind."""
    typed = text.strip()[:MAX_QUERY]
    if not typed:
        return []
    patterns = {
        "folded": like_pattern(fold(typed) or ""),
        "typed": like_pattern(typed),
    }
    found = []
    for kind in KINDS:
        records = _matches(session, kind, patterns)
        if records:
            found.append(Found(kind, records[:PER_KIND], len(records) > PER_KIND))
    return found


def _matches(session: Session, kind: Kind, patterns: dict[str, str]) -> list[Any]:
    """At most ``PER_KIND`` + 1 matches, by name. A kind matched only as typed (the big
    tables) is not ordered in SQL: the database stops at the first matches it finds."""
    model = kind.model
    folded_pattern = sa.bindparam("folded", type_=sa.String)
    typed_pattern = sa.bindparam("typed", type_=sa.String)
    where = sa.or_(
        *(folded(getattr(model, c)).like(folded_pattern, escape="\\") for c in kind.columns),
        *(getattr(model, c).ilike(typed_pattern, escape="\\") for c in kind.plain),
    )
    stmt = (
        sa.select(model)
        .where(where)
        .options(*(joinedload(getattr(model, name)) for name in kind.loads))
        .limit(PER_KIND + 1)
    )
    if kind.columns:
        stmt = stmt.order_by(getattr(model, kind.columns[0]), model.id)
    records = list(session.scalars(stmt, patterns))
    return records if kind.columns else sorted(records, key=lambda r: (r.name, r.id))
