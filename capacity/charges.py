"""What the project is charged: the marginal cost of what it adds (DESIGN §6).

The DC's own growth is not the project's cost. Every resource the request
touches is sized twice from the catalogue, with the request (B + R + D) and
without it (B + R alone); the project is charged the difference, and what the
resource needs without it is the DC's own need, reported apart with the date it
runs short. So a small request that fits into servers the DC must buy anyway
costs nothing, one that tips a resource over pays the whole step, and one that
deepens a shortfall the DC has anyway pays only the extra.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from capacity.bills import OwnNeed
from capacity.expansion import (
    NOTHING,
    PAYER_DC,
    PAYER_NETWORK,
    Catalogue,
    ComputeNeed,
    Expansion,
    ExpansionItem,
    LinkNeed,
    LinkTier,
    Purchase,
    StorageNeed,
    cheapest_servers,
    cheapest_shelves,
    plan_link_tier,
)
from capacity.model import ClusterSpec, LinkSpec, StoragePoolSpec, VmSize, fits_within
from capacity.timeline import ResourceTimeline

ROLE_DC_UPLINK = "dc_uplink"
ROLE_ACCESS = "access"
ROLE_PATH = "path"
"""Where a link sits for the request: a DC uplink, a target site's own (access) link,
or a link further along a site's path to the DC."""


@dataclass(frozen=True)
class ComputeTarget:
    """The chosen cluster, its vCPU and RAM timelines, and the VMs that must fit a host."""

    cluster: ClusterSpec
    vcpu: ResourceTimeline
    ram: ResourceTimeline
    vms: tuple[VmSize, ...]


@dataclass(frozen=True)
class StorageTarget:
    pool: StoragePoolSpec
    used: ResourceTimeline


@dataclass(frozen=True)
class LinkTarget:
    link: LinkSpec
    load: ResourceTimeline
    role: str

    @property
    def payer(self) -> str:
        return PAYER_DC if self.role == ROLE_DC_UPLINK else PAYER_NETWORK


@dataclass(frozen=True)
class Targets:
    """Everything an expansion may have to grow for one request."""

    compute: ComputeTarget | None
    storage: StorageTarget | None
    links: tuple[LinkTarget, ...]


@dataclass(frozen=True)
class Charges:
    """The project's marginal expansion, and the needs the resources have without it."""

    expansion: Expansion
    own_needs: tuple[OwnNeed, ...]


@dataclass(frozen=True)
class _Moment:
    """Which load to size on: at go-live or the horizon's peak; with or without the request."""

    with_request: bool
    horizon: bool


def _size_compute(
    target: ComputeTarget, at: _Moment, catalogue: Catalogue
) -> tuple[Purchase | None, str | None]:
    need = ComputeNeed(
        target.cluster,
        target.vcpu.load(with_request=at.with_request, horizon=at.horizon),
        target.ram.load(with_request=at.with_request, horizon=at.horizon),
        target.vms if at.with_request else (),
    )
    purchase = cheapest_servers(need, catalogue.servers)
    if purchase is None:
        return None, (
            f"cluster:{target.cluster.id}: a VM does not fit one server of the catalogue "
            "after ratios"
        )
    return purchase, None


def _item(kind: str, key: str, bought: Purchase, own: Purchase = NOTHING) -> ExpansionItem | None:
    """What the request adds beyond ``own`` (what the resource needs without it): more
    of the same model, or — when the larger need is cheapest with another model — the
    whole purchase at the difference of the two costs."""
    if bought.cost_vnd <= own.cost_vnd:
        return None
    if own.quantity == 0:
        return ExpansionItem(kind, key, bought.quantity, bought.name, bought.unit_price_vnd,
                             bought.cost_vnd)  # fmt: skip
    if own.name == bought.name and not bought.parts:
        extra = bought.quantity - own.quantity
        return ExpansionItem(kind, key, extra, bought.name, bought.unit_price_vnd,
                             extra * bought.unit_price_vnd)  # fmt: skip
    words = f"{bought.name} (instead of {own.quantity} × {own.name} needed anyway: the difference)"
    return ExpansionItem(kind, key, bought.quantity, words, bought.unit_price_vnd,
                         bought.cost_vnd - own.cost_vnd)  # fmt: skip


def _compute_item(
    target: ComputeTarget, at: _Moment, catalogue: Catalogue
) -> tuple[ExpansionItem | None, str | None]:
    """The servers the request needs beyond those the cluster needs without it."""
    bought, problem = _size_compute(target, at, catalogue)
    if bought is None:
        return None, problem
    own, _ = _size_compute(target, _Moment(False, at.horizon), catalogue)
    return _item("server", f"cluster:{target.cluster.id}", bought, own or NOTHING), None


def _shelves(target: StorageTarget, at: _Moment, catalogue: Catalogue) -> Purchase | None:
    load = target.used.load(with_request=at.with_request, horizon=at.horizon)
    return cheapest_shelves(StorageNeed(target.pool, load), catalogue.shelves)


def _storage_item(
    target: StorageTarget, at: _Moment, catalogue: Catalogue
) -> tuple[ExpansionItem | None, str | None]:
    bought = _shelves(target, at, catalogue)
    key = f"storage:{target.pool.id}"
    if bought is None:
        return None, f"{key}: the catalogue has no storage shelf"
    own = _shelves(target, _Moment(False, at.horizon), catalogue) or NOTHING
    return _item("storage_shelf", key, bought, own), None


def _tier(
    target: LinkTarget, at: _Moment, tiers: Sequence[LinkTier]
) -> tuple[bool, LinkTier | None]:
    """Whether the link fits as it is, and else the slowest tier that carries the load."""
    link = target.link
    load = target.load.load(with_request=at.with_request, horizon=at.horizon)
    if fits_within(load, link.capacity_mbps * link.ceiling_pct):
        return True, None
    return False, plan_link_tier(LinkNeed(link, load), tiers)


def _unreachable(target: LinkTarget, at: _Moment, catalogue: Catalogue) -> str:
    link = target.link
    load = target.load.load(with_request=at.with_request, horizon=at.horizon)
    tiers = catalogue.tiers_for(link.network)
    fastest = tiers[-1].mbps if tiers else 0
    return (
        f"link:{link.id}: needs {load / link.ceiling_pct:.0f} Mbps, "
        f"above the fastest tier ({fastest:.0f} Mbps)"
    )


def _link_item(
    target: LinkTarget, tier: LinkTier, years: float, own_tier: LinkTier | None = None
) -> ExpansionItem:
    """An upgrade to ``tier``, priced at its yearly fee × ``years``; when the link needs
    ``own_tier`` anyway without the request, only the difference of the fees."""
    link = target.link
    yearly = tier.yearly_price_vnd - (own_tier.yearly_price_vnd if own_tier else 0.0)
    words = f"upgrade {link.capacity_mbps:g} → {tier.mbps:g} Mbps for {years:g} years"
    if own_tier is not None:
        words += f" ({own_tier.mbps:g} Mbps needed without the project: the difference)"
    return ExpansionItem(
        "link_tier",
        f"link:{link.id}",
        1,
        words,
        yearly,
        yearly * years,
        payer=target.payer,
        network=link.network,
        role=target.role,
        from_mbps=link.capacity_mbps,
        to_mbps=tier.mbps,
        own_mbps=own_tier.mbps if own_tier else None,
    )


def _link_charge(
    target: LinkTarget, at: _Moment, catalogue: Catalogue, years: float
) -> tuple[ExpansionItem | None, str | None]:
    """The faster circuit the request needs, less the one the link needs without it.

    The gross fee of the faster circuit is charged (the current circuit's fee is not
    netted off); a link that needs an upgrade anyway is charged the difference
    between the two tiers' fees, nothing when the same tier does for both.
    """
    tiers = catalogue.tiers_for(target.link.network)
    fits, tier = _tier(target, at, tiers)
    if fits:
        return None, None
    if tier is None:
        return None, _unreachable(target, at, catalogue)
    _, own_tier = _tier(target, _Moment(False, at.horizon), tiers)
    if own_tier is not None and own_tier.mbps >= tier.mbps:
        return None, None
    return _link_item(target, tier, years, own_tier), None


def _charged(
    targets: Targets, at: _Moment, catalogue: Catalogue, years: float
) -> tuple[tuple[ExpansionItem, ...], tuple[str, ...]]:
    items: list[ExpansionItem | None] = []
    unresolved: list[str | None] = []
    if targets.compute is not None:
        item, problem = _compute_item(targets.compute, at, catalogue)
        items.append(item)
        unresolved.append(problem)
    if targets.storage is not None:
        item, problem = _storage_item(targets.storage, at, catalogue)
        items.append(item)
        unresolved.append(problem)
    for link in targets.links:
        item, problem = _link_charge(link, at, catalogue, years)
        items.append(item)
        unresolved.append(problem)
    return (
        tuple(i for i in items if i is not None),
        tuple(u for u in unresolved if u is not None),
    )


_ALONE = _Moment(with_request=False, horizon=True)


def _first_own_fail(timelines: Sequence[ResourceTimeline]) -> tuple[int | None, tuple[str, ...]]:
    fails = [(t.own_first_fail_index, t.resource) for t in timelines]
    failing = [(i, key) for i, key in fails if i is not None]
    if not failing:
        return None, ()
    return min(i for i, _ in failing), tuple(key for _, key in failing)


def _own_compute(target: ComputeTarget, catalogue: Catalogue) -> OwnNeed | None:
    index, short = _first_own_fail((target.vcpu, target.ram))
    if index is None:
        return None
    bought, _ = _size_compute(target, _ALONE, catalogue)
    item = _item("server", f"cluster:{target.cluster.id}", bought) if bought else None
    items = (item,) if item else ()
    unresolved = () if bought is not None else (f"more than the catalogue allows on {short[0]}",)
    return _own_need(
        target.vcpu, f"cluster:{target.cluster.id}", PAYER_DC, None, index, short, items, unresolved
    )


def _own_storage(target: StorageTarget, catalogue: Catalogue) -> OwnNeed | None:
    index, short = _first_own_fail((target.used,))
    if index is None:
        return None
    bought = _shelves(target, _ALONE, catalogue)
    item = _item("storage_shelf", f"storage:{target.pool.id}", bought) if bought else None
    items = (item,) if item else ()
    unresolved = () if bought is not None else ("the catalogue has no storage shelf",)
    return _own_need(
        target.used, target.used.resource, PAYER_DC, None, index, short, items, unresolved
    )


def _own_link(target: LinkTarget, catalogue: Catalogue, years: float) -> OwnNeed | None:
    index, short = _first_own_fail((target.load,))
    if index is None:
        return None
    _, tier = _tier(target, _ALONE, catalogue.tiers_for(target.link.network))
    items = (_link_item(target, tier, years),) if tier is not None else ()
    unresolved = () if tier is not None else (_unreachable(target, _ALONE, catalogue),)
    return _own_need(
        target.load,
        target.load.resource,
        target.payer,
        target.link.network,
        index,
        short,
        items,
        unresolved,
    )


def _own_need(
    timeline: ResourceTimeline,
    resource: str,
    payer: str,
    network: str | None,
    index: int,
    short: tuple[str, ...],
    items: tuple[ExpansionItem, ...],
    unresolved: tuple[str, ...],
) -> OwnNeed:
    return OwnNeed(
        resource=resource,
        name=timeline.name,
        payer=payer,
        network=network,
        date=timeline.steps[index],
        runs_short=short,
        expansion=items,
        cost_vnd=float(sum(i.cost_vnd for i in items)),
        unresolved=unresolved,
    )


def compute_own_needs(targets: Targets, catalogue: Catalogue, years: float) -> tuple[OwnNeed, ...]:
    """What each resource needs within the horizon without the request, earliest first."""
    needs = [
        _own_compute(targets.compute, catalogue) if targets.compute else None,
        _own_storage(targets.storage, catalogue) if targets.storage else None,
        *(_own_link(link, catalogue, years) for link in targets.links),
    ]
    present = [n for n in needs if n is not None]
    return tuple(sorted(present, key=lambda n: (n.date, n.payer, n.resource)))


def compute_charges(
    targets: Targets,
    catalogue: Catalogue,
    years: float,
    problems: Sequence[str] = (),
) -> Charges:
    """The project's marginal expansion (at go-live and through the horizon) and the
    DC's own needs. ``problems`` are what no purchase fixes, listed first as unresolved."""
    go_items, go_unresolved = _charged(targets, _Moment(True, False), catalogue, years)
    hz_items, hz_unresolved = _charged(targets, _Moment(True, True), catalogue, years)
    unresolved = tuple(dict.fromkeys([*problems, *go_unresolved, *hz_unresolved]))
    return Charges(
        expansion=Expansion(at_go_live=go_items, at_horizon=hz_items, unresolved=unresolved),
        own_needs=compute_own_needs(targets, catalogue, years),
    )
