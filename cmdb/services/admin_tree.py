"""The administrative tree with each unit's sites and each site's links to other sites.

Reading it is a fixed number of flat queries (units, sites, links) whatever the
size of the province; ``compute_admin_tree`` then nests the rows in Python. That
keeps the page fast on 260 units as on 10,000, and keeps the nesting testable
without a database. Depth is never assumed: after the 2025 reform communes hang
directly under the province.

``as_of`` shows the tree on a date: the units in force that day, each site where
it stood that day (``site_history``), its links as they are (links are not
dated). Without it every unit is read, dissolved or not — callers that show a
tree pass today's date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, TypeAlias

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from cmdb.models import AdminUnit, Link, Site
from cmdb.services.as_of import in_force, site_placement_at, unit_in_force

#: Bound of the recursive queries: far deeper than any real tree (province →
#: district → commune is 3), it only stops a corrupt parent cycle from looping.
MAX_DEPTH = 16


@dataclass(frozen=True, slots=True)
class UnitRow:
    """A unit; ``valid_to`` and ``successor_code`` say when it ended and what took it over."""

    id: int
    parent_id: int | None
    code: str
    name: str
    level: str
    kind: str
    valid_from: date | None = None
    valid_to: date | None = None
    successor_code: str | None = None
    unmapped: bool = False  # a source's unit that names no unit of the national list


@dataclass(frozen=True, slots=True)
class SiteRow:
    id: int
    admin_unit_id: int
    name: str
    slug: str
    kind: str
    status: str


@dataclass(frozen=True, slots=True)
class SiteRef:
    """The far end of a link, enough to name it and point at its unit."""

    id: int
    name: str
    slug: str
    unit_code: str


@dataclass(frozen=True, slots=True)
class LinkRow:
    """A link with both ends; ``a`` is the end nearer the users, ``b`` nearer the DC."""

    id: int
    name: str
    network: str
    status: str
    capacity_mbps: float
    a: SiteRef
    b: SiteRef


@dataclass(frozen=True, slots=True)
class LinkEnd:
    """A link seen from one of its sites: ``uplink`` when this site is the user end."""

    link: LinkRow
    uplink: bool
    other: SiteRef


@dataclass(slots=True)
class SiteNode:
    site: SiteRow
    links: list[LinkEnd] = field(default_factory=list)


@dataclass(slots=True)
class UnitNode:
    unit: UnitRow
    depth: int = 0
    children: list[UnitNode] = field(default_factory=list)
    sites: list[SiteNode] = field(default_factory=list)
    unit_count: int = 0  # units below this one, at any depth
    site_count: int = 0  # sites in this unit and below


def compute_admin_tree(
    units: Iterable[UnitRow], sites: Iterable[SiteRow], links: Iterable[LinkRow]
) -> list[UnitNode]:
    """Nest flat rows into trees; a unit whose parent is not among ``units`` is a root.

    Children are ordered by code, sites by name, a site's uplinks before its
    downlinks. Rows that point at units or sites not given are left out, so a
    subtree's rows can be passed as they are.
    """
    nodes = {u.id: UnitNode(unit=u) for u in units}
    roots: list[UnitNode] = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id) if node.unit.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)
    site_nodes = _attach_sites(nodes, sites)
    _attach_links(site_nodes, links)
    roots.sort(key=lambda n: n.unit.code)
    for root in roots:
        _finish(root, depth=0)
    return roots


def _attach_sites(nodes: dict[int, UnitNode], sites: Iterable[SiteRow]) -> dict[int, SiteNode]:
    site_nodes: dict[int, SiteNode] = {}
    for site in sites:
        unit = nodes.get(site.admin_unit_id)
        if unit is not None:
            site_nodes[site.id] = SiteNode(site=site)
            unit.sites.append(site_nodes[site.id])
    return site_nodes


def _attach_links(site_nodes: dict[int, SiteNode], links: Iterable[LinkRow]) -> None:
    for link in links:
        if link.a.id in site_nodes:
            site_nodes[link.a.id].links.append(LinkEnd(link=link, uplink=True, other=link.b))
        if link.b.id in site_nodes:
            site_nodes[link.b.id].links.append(LinkEnd(link=link, uplink=False, other=link.a))


def _finish(node: UnitNode, depth: int) -> None:
    """Order, set depths and roll the counts up (depth-first; trees are shallow)."""
    node.depth = depth
    node.children.sort(key=lambda n: n.unit.code)
    node.sites.sort(key=lambda s: (s.site.name, s.site.id))
    for site in node.sites:
        site.links.sort(key=lambda e: (not e.uplink, e.link.network, e.other.name, e.link.id))
    node.unit_count, node.site_count = 0, len(node.sites)
    for child in node.children:
        _finish(child, depth + 1)
        node.unit_count += 1 + child.unit_count
        node.site_count += child.site_count


def find_unit(roots: Sequence[UnitNode], code: str) -> UnitNode | None:
    """The node with ``code`` anywhere under ``roots`` (breadth-first)."""
    queue = list(roots)
    while queue:
        node = queue.pop(0)
        if node.unit.code == code:
            return node
        queue.extend(node.children)
    return None


# --- reading -----------------------------------------------------------------


def get_unit_path(session: Session, code: str, as_of: date | None = None) -> list[UnitRow]:
    """The unit with ``code`` (the one in force on ``as_of``; without a date the newest)
    and its ancestors, province first; empty if unknown. One query."""
    start = sa.select(AdminUnit.id, AdminUnit.parent_id, sa.literal(0).label("up"))
    chain = start.where(AdminUnit.id == _version_id(code, as_of)).cte("chain", recursive=True)
    parent = aliased(AdminUnit)
    chain = chain.union_all(
        sa.select(parent.id, parent.parent_id, (chain.c.up + 1).label("up")).where(
            parent.id == chain.c.parent_id, chain.c.up < MAX_DEPTH
        )
    )
    stmt = _unit_select().join(chain, chain.c.id == AdminUnit.id).order_by(chain.c.up.desc())
    return [UnitRow(*row) for row in session.execute(stmt)]


def _version_id(code: str, as_of: date | None) -> sa.ScalarSelect[int]:
    """The id of the unit bearing ``code``: in force on ``as_of``, else the newest
    (in force now, else the last dissolved) — codes are reused by reforms."""
    version = aliased(AdminUnit)
    stmt = sa.select(version.id).where(version.code == code)
    if as_of is not None:
        stmt = stmt.where(unit_in_force(as_of, version))
    newest = (version.valid_to.is_(None).desc(), version.valid_to.desc(), version.id.desc())
    return stmt.order_by(*newest).limit(1).scalar_subquery()


#: The date and the subtree's root, bound when a statement runs: each statement is
#: built once per shape (whole tree or subtree, dated or not), which is most of what
#: reading the tree cost — SQLAlchemy adapts every aliased column anew when a statement
#: is built, and the date as a literal would defeat its compiled-statement cache too.
AS_OF = sa.bindparam("as_of", type_=sa.Date)
ROOT_ID = sa.bindparam("root_id", type_=sa.Integer)
Statement: TypeAlias = "sa.Select[*tuple[Any, ...]]"


def load_admin_tree(
    session: Session, root_id: int | None = None, *, as_of: date | None = None
) -> list[UnitNode]:
    """The whole tree, or the subtree under ``root_id``, in three queries."""
    units, sites, links = _tree_statements(root_id is not None, as_of is not None)
    params = {"as_of": as_of, "root_id": root_id}
    params = {k: v for k, v in params.items() if v is not None}
    return compute_admin_tree(
        [UnitRow(*row) for row in session.execute(units, params)],
        [SiteRow(*row) for row in session.execute(sites, params)],
        [
            LinkRow(r[0], r[1], r[2], r[3], float(r[4]), SiteRef(*r[5:9]), SiteRef(*r[9:13]))
            for r in session.execute(links, params)
        ],
    )


@cache
def _tree_statements(subtree: bool, dated: bool) -> tuple[Statement, Statement, Statement]:
    on = AS_OF if dated else None
    unit_ids = _subtree_ids(ROOT_ID, on) if subtree else None
    return _units_stmt(unit_ids, on), _sites_stmt(unit_ids, on), _links_stmt(unit_ids, on)


def _subtree_ids(root_id: Any, as_of: Any) -> sa.Select[int]:
    """Ids of a unit and every unit below it (a recursive CTE: SQLite and PostgreSQL)."""
    start = sa.select(AdminUnit.id, sa.literal(0).label("down")).where(AdminUnit.id == root_id)
    tree = start.cte("subtree", recursive=True)
    child = aliased(AdminUnit)
    step = [child.parent_id == tree.c.id, tree.c.down < MAX_DEPTH]
    if as_of is not None:
        step.append(unit_in_force(as_of, child))
    tree = tree.union_all(sa.select(child.id, (tree.c.down + 1).label("down")).where(*step))
    return sa.select(tree.c.id)


def _unit_select() -> Statement:
    successor = aliased(AdminUnit)
    return sa.select(
        AdminUnit.id,
        AdminUnit.parent_id,
        AdminUnit.code,
        AdminUnit.name,
        AdminUnit.level,
        AdminUnit.kind,
        AdminUnit.valid_from,
        AdminUnit.valid_to,
        successor.code,
        AdminUnit.unmapped,
    ).outerjoin(successor, successor.id == AdminUnit.successor_id)


def _units_stmt(unit_ids: sa.Select[int] | None, as_of: Any) -> Statement:
    stmt = _unit_select()
    if unit_ids is not None:
        stmt = stmt.where(AdminUnit.id.in_(unit_ids))
    if as_of is not None:
        stmt = stmt.where(unit_in_force(as_of))
    return stmt


def _sites_stmt(unit_ids: sa.Select[int] | None, as_of: Any) -> Statement:
    if as_of is None:
        stmt = sa.select(Site.id, Site.admin_unit_id, Site.name, Site.slug, Site.kind, Site.status)
        unit_col: sa.SQLColumnExpression[Any] = Site.admin_unit_id
    else:
        placed = site_placement_at(as_of)
        unit_col = placed.c.admin_unit_id
        stmt = sa.select(Site.id, unit_col, Site.name, Site.slug, placed.c.kind, Site.status).join(
            placed, placed.c.site_id == Site.id
        )
    if unit_ids is not None:
        stmt = stmt.where(unit_col.in_(unit_ids))
    return stmt


def _links_stmt(unit_ids: sa.Select[int] | None, as_of: Any) -> Statement:
    a_site, b_site = aliased(Site), aliased(Site)
    a_unit, b_unit = aliased(AdminUnit), aliased(AdminUnit)
    a_unit_id: sa.SQLColumnExpression[Any]
    b_unit_id: sa.SQLColumnExpression[Any]
    if as_of is None:
        a_unit_id, b_unit_id = a_site.admin_unit_id, b_site.admin_unit_id
    else:
        a_placed = site_placement_at(as_of, "a_placement")
        b_placed = site_placement_at(as_of, "b_placement")
        a_unit_id, b_unit_id = a_placed.c.admin_unit_id, b_placed.c.admin_unit_id
    capacity = sa.func.coalesce(Link.commit_rate_mbps, Link.port_speed_mbps)
    stmt = (
        sa.select(Link.id, Link.name, Link.network, Link.status, capacity)
        .add_columns(a_site.id, a_site.name, a_site.slug, a_unit.code)
        .add_columns(b_site.id, b_site.name, b_site.slug, b_unit.code)
        .join(a_site, a_site.id == Link.a_site_id)
        .join(b_site, b_site.id == Link.b_site_id)
        .where(Link.a_site_id != Link.b_site_id)  # a cable inside a site joins no two places
    )
    if as_of is not None:
        stmt = stmt.join(a_placed, a_placed.c.site_id == a_site.id).join(
            b_placed, b_placed.c.site_id == b_site.id
        )
        stmt = stmt.where(in_force(as_of, Link))  # not a link that came later or had ended
    stmt = stmt.join(a_unit, a_unit.id == a_unit_id).join(b_unit, b_unit.id == b_unit_id)
    if unit_ids is not None:
        stmt = stmt.where(sa.or_(a_unit_id.in_(unit_ids), b_unit_id.in_(unit_ids)))
    return stmt
