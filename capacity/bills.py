"""Two bills, by who pays (DESIGN §6): the DC's and the network operator's.

The DC pays for compute, storage and its own uplinks; the network operator for
the links on the paths to the target sites, per network (TSLCD, WAN, Internet).
Like link upgrades are one line ("126 TSLCD links of the target sites 10 → 20
Mbps, 9,600,000 VND/year each"): a director reads a bill, not 200 rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from capacity.expansion import PAYER_DC, PAYER_NETWORK, ExpansionItem

_ROLE_WORDS = {
    "dc_uplink": ("DC uplink", "DC uplinks"),
    "access": ("link of the target sites", "links of the target sites"),
    "path": ("link on the paths to the target sites", "links on the paths to the target sites"),
}


@dataclass(frozen=True)
class OwnNeed:
    """A resource that runs short within the horizon without the request.

    ``resource`` is what is expanded (``cluster:ID``, ``storage:ID``, ``link:ID``);
    ``runs_short`` the resource keys that run short; ``date`` the first monthly step
    that fails without the request; ``expansion`` what it needs to fit through the
    horizon on its own — the DC's (or the network operator's) budget, not the project's.
    """

    resource: str
    name: str
    payer: str
    network: str | None
    date: date
    runs_short: tuple[str, ...]
    expansion: tuple[ExpansionItem, ...]
    cost_vnd: float
    unresolved: tuple[str, ...]


@dataclass(frozen=True)
class BillLine:
    """Like purchases as one line: ``count`` items of ``quantity`` in all.

    For servers and shelves one line per cluster or pool (``count`` 1,
    ``quantity`` the units); for link upgrades one line per network, role and
    speeds (``count`` links, each at ``unit_price_vnd`` a year).
    """

    kind: str
    payer: str
    network: str | None
    role: str | None
    count: int
    quantity: int
    from_mbps: float | None
    to_mbps: float | None
    own_mbps: float | None
    unit_price_vnd: float
    cost_vnd: float
    description: str
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Bill:
    """What one payer must buy for the project, with its total (and per network)."""

    payer: str
    lines: tuple[BillLine, ...]
    total_vnd: float
    by_network: dict[str, float]


@dataclass(frozen=True)
class Bills:
    """The DC's bill and the network operator's."""

    dc: Bill
    network: Bill

    @property
    def total_vnd(self) -> float:
        return self.dc.total_vnd + self.network.total_vnd


def _key(item: ExpansionItem) -> tuple[object, ...]:
    if item.kind == "link_tier":
        return (
            item.kind,
            item.network,
            item.role,
            item.from_mbps,
            item.to_mbps,
            item.own_mbps,
            item.unit_price_vnd,
        )
    return (item.kind, item.target)


def _links_words(item: ExpansionItem, count: int) -> str:
    one, many = _ROLE_WORDS.get(item.role or "", ("link", "links"))
    return (
        f"{count} {(item.network or '').upper()} {one if count == 1 else many} "
        f"{item.from_mbps:g} → {item.to_mbps:g} Mbps"
    )


def _describe(first: ExpansionItem, count: int, quantity: int) -> str:
    if first.kind != "link_tier":
        return f"{quantity} × {first.description}"
    anyway = f" ({first.own_mbps:g} Mbps needed anyway)" if first.own_mbps is not None else ""
    return f"{_links_words(first, count)}{anyway}, {first.unit_price_vnd:,.0f} VND/year each"


def _line(items: Sequence[ExpansionItem]) -> BillLine:
    first = items[0]
    quantity = sum(i.quantity for i in items)
    return BillLine(
        kind=first.kind,
        payer=first.payer,
        network=first.network,
        role=first.role,
        count=len(items),
        quantity=quantity,
        from_mbps=first.from_mbps,
        to_mbps=first.to_mbps,
        own_mbps=first.own_mbps,
        unit_price_vnd=first.unit_price_vnd,
        cost_vnd=float(sum(i.cost_vnd for i in items)),
        description=_describe(first, len(items), quantity),
        targets=tuple(i.target for i in items),
    )


_KIND_ORDER = {"server": 0, "storage_shelf": 1, "link_tier": 2}


def group_items(items: Iterable[ExpansionItem]) -> tuple[BillLine, ...]:
    """Like items as one line each: servers, shelves, then links, dearest first."""
    groups: dict[tuple[object, ...], list[ExpansionItem]] = {}
    for item in items:
        groups.setdefault(_key(item), []).append(item)
    lines = [_line(g) for g in groups.values()]
    return tuple(sorted(lines, key=lambda ln: (_KIND_ORDER.get(ln.kind, 9), -ln.cost_vnd)))


def _bill(payer: str, items: Sequence[ExpansionItem]) -> Bill:
    mine = [i for i in items if i.payer == payer]
    by_network: dict[str, float] = {}
    for item in mine:
        if item.network is not None:
            by_network[item.network] = by_network.get(item.network, 0.0) + item.cost_vnd
    return Bill(
        payer=payer,
        lines=group_items(mine),
        total_vnd=float(sum(i.cost_vnd for i in mine)),
        by_network=by_network,
    )


def compute_bills(items: Sequence[ExpansionItem]) -> Bills:
    """Split the charged items between the DC and the network operator."""
    return Bills(dc=_bill(PAYER_DC, items), network=_bill(PAYER_NETWORK, items))


@dataclass(frozen=True)
class OwnNeedLine:
    """Like own needs as one line: the links that need the same upgrade anyway, with the
    earliest date one of them runs short; a cluster or a pool on a line of its own."""

    payer: str
    network: str | None
    count: int
    date: date
    cost_vnd: float
    description: str
    resources: tuple[str, ...]


def _own_key(need: OwnNeed) -> tuple[object, ...]:
    first = need.expansion[0] if need.expansion else None
    if first is None or first.kind != "link_tier":
        return (need.resource,)
    return (need.payer, need.network, first.role, first.from_mbps, first.to_mbps)


def _own_line(needs: Sequence[OwnNeed]) -> OwnNeedLine:
    first = needs[0]
    item = first.expansion[0] if first.expansion else None
    if item is not None and item.kind == "link_tier":
        words = _links_words(item, len(needs))
    else:
        bought = "; ".join(f"{i.quantity} × {i.description}" for i in first.expansion)
        words = f"{first.name}: {bought or 'nothing in the catalogue closes it'}"
    return OwnNeedLine(
        payer=first.payer,
        network=first.network,
        count=len(needs),
        date=min(n.date for n in needs),
        cost_vnd=float(sum(n.cost_vnd for n in needs)),
        description=words,
        resources=tuple(n.resource for n in needs),
    )


def summarize_own_needs(needs: Iterable[OwnNeed]) -> tuple[OwnNeedLine, ...]:
    """The DC's own needs grouped for reading, earliest first."""
    groups: dict[tuple[object, ...], list[OwnNeed]] = {}
    for need in needs:
        groups.setdefault(_own_key(need), []).append(need)
    lines = [_own_line(g) for g in groups.values()]
    return tuple(sorted(lines, key=lambda ln: (ln.date, ln.payer, ln.description)))
