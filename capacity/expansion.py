"""The smallest purchase that closes a shortfall, from the DC's catalogue (DESIGN §6).

Decision 6a of the province funds only what the DC cannot already provide; this
module prices that gap so it can be set against what the project would spend on
its own hardware. The catalogue is data (server models, storage shelves, link
tiers per network, in VND with the date of the price): the planners keep it in
the database and ``capacity.inputs`` passes it in. ``Catalogue()`` holds round
Vietnamese-market figures (VND, 2025) for an install whose catalogue is empty.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TypedDict

from capacity.model import (
    ClusterSpec,
    HostSpec,
    LinkSpec,
    StoragePoolSpec,
    VmSize,
    compute_cluster_capacity,
    compute_hosts_capacity,
    compute_protection_efficiency,
    compute_usable_tb,
    fits_within,
    vm_fits_host,
)

_MAX_EXTRA_SERVERS = 10_000


@dataclass(frozen=True)
class ServerModel:
    """A virtualisation host the DC can buy."""

    name: str
    cores: int
    ram_gb: float
    price_vnd: float
    priced_on: date | None = None

    def __post_init__(self) -> None:
        if self.cores <= 0 or self.ram_gb <= 0 or self.price_vnd < 0:
            raise ValueError("server model needs cores > 0, ram_gb > 0, price ≥ 0")


@dataclass(frozen=True)
class StorageShelf:
    """A disk shelf added to a pool; its usable TB follow the pool's protection scheme."""

    name: str
    raw_tb: float
    price_vnd: float
    priced_on: date | None = None

    def __post_init__(self) -> None:
        if self.raw_tb <= 0 or self.price_vnd < 0:
            raise ValueError("storage shelf needs raw_tb > 0, price ≥ 0")


@dataclass(frozen=True)
class LinkTier:
    """A circuit speed one can order, with its yearly fee; ``network`` None: any network."""

    mbps: float
    yearly_price_vnd: float
    network: str | None = None
    priced_on: date | None = None


def _default_link_tiers() -> tuple[LinkTier, ...]:
    return (
        LinkTier(10, 6_000_000),
        LinkTier(20, 9_600_000),
        LinkTier(50, 18_000_000),
        LinkTier(100, 30_000_000),
        LinkTier(200, 54_000_000),
        LinkTier(500, 120_000_000),
        LinkTier(1_000, 216_000_000),
        LinkTier(2_000, 390_000_000),
        LinkTier(10_000, 1_500_000_000),
    )


def _default_servers() -> tuple[ServerModel, ...]:
    return (ServerModel("2U 2×32-core, 512 GB", 64, 512, 650_000_000),)


def _default_shelves() -> tuple[StorageShelf, ...]:
    return (StorageShelf("24 × 8 TB NL-SAS shelf", 192, 900_000_000),)


@dataclass(frozen=True)
class Catalogue:
    """What the DC can buy to expand: server models, shelves, link tiers (per network).

    A network with tiers of its own is priced from them; any other network from
    the tiers without a network.
    """

    servers: tuple[ServerModel, ...] = field(default_factory=_default_servers)
    shelves: tuple[StorageShelf, ...] = field(default_factory=_default_shelves)
    link_tiers: tuple[LinkTier, ...] = field(default_factory=_default_link_tiers)

    def __post_init__(self) -> None:
        object.__setattr__(self, "link_tiers", tuple(sorted(self.link_tiers, key=lambda t: t.mbps)))

    def tiers_for(self, network: str | None) -> tuple[LinkTier, ...]:
        """The tiers one can order on ``network``, slowest first."""
        own = tuple(t for t in self.link_tiers if network is not None and t.network == network)
        return own or tuple(t for t in self.link_tiers if t.network is None)


PAYER_DC = "dc"
PAYER_NETWORK = "network"
"""Who pays (DESIGN §6): the DC for compute, storage and its own uplinks; the network
operator for the links on the paths to the target sites."""


@dataclass(frozen=True)
class ExpansionItem:
    """One line of a purchase: what, for which resource, how many, at what cost, who pays.

    A link upgrade also says its network, its role on the paths (``dc_uplink``,
    ``access`` — a target site's own link — or ``path``) and its speeds, so like
    upgrades can be grouped on a bill.
    """

    kind: str  # "server" | "storage_shelf" | "link_tier"
    target: str  # resource key it relieves
    quantity: int
    description: str
    unit_price_vnd: float
    cost_vnd: float
    payer: str = PAYER_DC
    network: str | None = None
    role: str | None = None
    from_mbps: float | None = None
    to_mbps: float | None = None
    own_mbps: float | None = None
    """The tier the link needs anyway without the request: only the difference is charged."""


@dataclass(frozen=True)
class Expansion:
    """What the project is charged: the purchases to fit at go-live and through the horizon.

    Each item is the marginal one (``capacity.charges``): what the request needs
    beyond what the DC needs anyway without it. The horizon plan covers the
    go-live one (it is sized on the largest load of any monthly step), so its cost
    is the investment to budget. ``unresolved``
    says what no purchase from the catalogue can fix (no certified cluster, a VM
    bigger than the standard server, a link beyond the fastest tier).
    """

    at_go_live: tuple[ExpansionItem, ...] = ()
    at_horizon: tuple[ExpansionItem, ...] = ()
    unresolved: tuple[str, ...] = ()

    @property
    def cost_vnd(self) -> float:
        """Cost of the horizon plan."""
        return float(sum(item.cost_vnd for item in self.at_horizon))

    @property
    def go_live_cost_vnd(self) -> float:
        """Cost of the go-live plan alone."""
        return float(sum(item.cost_vnd for item in self.at_go_live))


@dataclass(frozen=True)
class ComputeNeed:
    """A cluster and the peak vCPU and RAM load (baseline + reserved + demand) it must carry."""

    cluster: ClusterSpec
    vcpu_load: float
    ram_load: float
    vms: tuple[VmSize, ...] = ()


@dataclass(frozen=True)
class StorageNeed:
    """A storage pool and the peak TB it must carry."""

    pool: StoragePoolSpec
    tb_load: float


@dataclass(frozen=True)
class LinkNeed:
    """A link and the peak Mbps it must carry."""

    link: LinkSpec
    mbps_load: float


def _ceil(x: float) -> int:
    # 2.0000000000000004 servers is two servers, not three.
    return max(0, math.ceil(x - 1e-9))


def _cluster_fits(cluster: ClusterSpec, need: ComputeNeed) -> bool:
    cap = compute_cluster_capacity(cluster)
    return (
        fits_within(need.vcpu_load, cap.vcpu * cluster.ceiling_pct)
        and fits_within(need.ram_load, cap.ram_gb * cluster.ceiling_pct)
        and all(vm_fits_host(cluster, vm) for vm in need.vms)
    )


def _host(model: ServerModel) -> HostSpec:
    return HostSpec(cores=model.cores, ram_gb=model.ram_gb, name=model.name)


class _Grown:
    """``need``'s cluster with extra hosts of ``models``: whether it fits, by count of each.

    ``fits(counts)`` is ``_cluster_fits`` of the cluster with ``counts[i]`` hosts of
    ``models[i]`` appended, computed from the hosts' cores and RAM
    (:func:`compute_hosts_capacity`, the arithmetic of :func:`compute_cluster_capacity`)
    and, per VM, whether a current host or a host of each model takes it (asked once):
    the purchase searches probe hundreds of counts, and building a spec per probe was
    most of their cost.
    """

    def __init__(self, need: ComputeNeed, models: Sequence[ServerModel]) -> None:
        cluster = need.cluster
        self._need = need
        self._models = tuple(models)
        self._cores = [h.cores for h in cluster.hosts]
        self._rams = [h.ram_gb for h in cluster.hosts]
        # Per VM: taken by a current host, and by a host of each model.
        self._vms = [
            (
                vm_fits_host(cluster, vm),
                tuple(vm_fits_host(replace(cluster, hosts=(_host(m),)), vm) for m in models),
            )
            for vm in need.vms
        ]

    def vms_fit(self, counts: Sequence[int]) -> bool:
        """Whether every VM has a host that takes it, with ``counts`` extra hosts."""
        return all(
            current or any(n > 0 and fits for n, fits in zip(counts, by_model, strict=True))
            for current, by_model in self._vms
        )

    def fits(self, counts: Sequence[int]) -> bool:
        cluster = self._need.cluster
        cores, rams = list(self._cores), list(self._rams)
        for model, n in zip(self._models, counts, strict=True):
            if n:
                cores += [model.cores] * n
                rams += [model.ram_gb] * n
        cap = compute_hosts_capacity(cores, rams, cluster)
        return (
            fits_within(self._need.vcpu_load, cap.vcpu * cluster.ceiling_pct)
            and fits_within(self._need.ram_load, cap.ram_gb * cluster.ceiling_pct)
            and self.vms_fit(counts)
        )


def plan_servers(need: ComputeNeed, server: ServerModel) -> int | None:
    """Fewest standard servers to add so the cluster carries the load; None if none can.

    Starts from ⌈shortfall / (server cores × cpu_ratio × ceiling)⌉, and the same for
    RAM, then adds one at a time until the cluster truly fits: a new server larger
    than the current ones also enlarges the HA reserve, which the formula alone
    would miss.
    """
    cluster = need.cluster
    if _cluster_fits(cluster, need):
        return 0
    grown = _Grown(need, (server,))
    if not grown.vms_fit((1,)):
        return None
    cap = compute_cluster_capacity(cluster)
    ceiling = cluster.ceiling_pct
    vcpu_short = need.vcpu_load - cap.vcpu * ceiling
    ram_short = need.ram_load - cap.ram_gb * ceiling
    n = max(
        1,
        _ceil(vcpu_short / (server.cores * cluster.cpu_ratio * ceiling)),
        _ceil(ram_short / (server.ram_gb * cluster.ram_ratio * ceiling)),
    )
    while n <= _MAX_EXTRA_SERVERS:
        if grown.fits((n,)):
            return n
        n += 1
    return None


def plan_shelves(need: StorageNeed, shelf: StorageShelf) -> int:
    """⌈TB shortfall / (shelf usable TB × ceiling)⌉, usable by the pool's protection scheme."""
    pool = need.pool
    shortfall = need.tb_load - compute_usable_tb(pool) * pool.ceiling_pct
    if fits_within(need.tb_load, compute_usable_tb(pool) * pool.ceiling_pct):
        return 0
    per_shelf = shelf.raw_tb * compute_protection_efficiency(pool.protection) * pool.ceiling_pct
    return _ceil(shortfall / per_shelf)


@dataclass(frozen=True)
class Purchase:
    """``quantity`` units of one catalogue entry (a server model or a shelf), or a mix of
    server models (``parts``, one purchase per model; then ``unit_price_vnd`` is the
    average and ``name`` says the mix)."""

    name: str
    quantity: int
    unit_price_vnd: float
    parts: tuple[Purchase, ...] = ()

    @property
    def cost_vnd(self) -> float:
        if self.parts:
            return float(sum(part.cost_vnd for part in self.parts))
        return self.quantity * self.unit_price_vnd


def _mix(parts: Sequence[Purchase]) -> Purchase:
    """One purchase of several models ("servers (2 × A + 1 × B)"); one model is itself."""
    bought = tuple(p for p in parts if p.quantity > 0)
    if len(bought) == 1:
        return bought[0]
    quantity = sum(p.quantity for p in bought)
    cost = float(sum(p.cost_vnd for p in bought))
    words = " + ".join(f"{p.quantity} × {p.name}" for p in bought)
    return Purchase(f"servers ({words})", quantity, cost / quantity, bought)


NOTHING = Purchase("", 0, 0.0)


def _cheapest(options: Sequence[Purchase]) -> Purchase:
    # Ties go to fewer units (less rack space), then to the name, so the choice is stable.
    return min(options, key=lambda p: (p.cost_vnd, p.quantity, p.name))


def cheapest_servers(need: ComputeNeed, servers: Sequence[ServerModel]) -> Purchase | None:
    """The cheapest servers that let the cluster carry the load — one model, or a mix of
    models when that costs less (a large model for the RAM, a small one for the last
    cores); NOTHING when it fits already, None when no model can (a VM bigger than any)."""
    if _cluster_fits(need.cluster, need):
        return NOTHING
    options = []
    for model in servers:
        n = plan_servers(need, model)
        if n is not None:
            options.append(Purchase(model.name, n, model.price_vnd))
    if not options:
        return None
    best = _cheapest(options)
    mixed = _cheapest_mix(need, servers, max(o.quantity for o in options), best.cost_vnd)
    return mixed if mixed is not None and mixed.cost_vnd < best.cost_vnd else best


#: Models a mix is searched over (the cheapest per core): the search is exhaustive over
#: their counts, so it stays small whatever the catalogue holds.
MAX_MIXED_MODELS = 4


def _cheapest_mix(
    need: ComputeNeed, servers: Sequence[ServerModel], most: int, budget: float
) -> Purchase | None:
    """The cheapest mix of up to ``MAX_MIXED_MODELS`` models, each at most ``most`` units,
    costing under ``budget``; None if none does.

    Every count of all models but the last is tried while it costs less than the best so
    far; the last model's count is the fewest that fits (``_fewest_that_fit``).
    """
    models = sorted(servers, key=lambda m: (m.price_vnd / m.cores, m.name))[:MAX_MIXED_MODELS]
    if len(models) < 2:
        return None
    best: Purchase | None = None
    grown = _Grown(need, models)

    def limit() -> float:  # a head that costs the best mix found so far cannot beat it
        return best.cost_vnd if best is not None else budget

    for counts in _head_counts(models[:-1], most, limit):
        head_cost = sum(n * m.price_vnd for m, n in zip(models, counts, strict=False))
        last = _fewest_that_fit(grown, counts, most)
        if last is not None and head_cost + last * models[-1].price_vnd < limit():
            chosen = zip(models, [*counts, last], strict=True)
            best = _mix([Purchase(m.name, n, m.price_vnd) for m, n in chosen])
    return best


def _head_counts(
    models: Sequence[ServerModel], most: int, limit: Callable[[], float], spent: float = 0.0
) -> Iterator[tuple[int, ...]]:
    """Every count of ``models`` (0 … ``most`` each) that, with ``spent``, costs less than
    ``limit()`` — asked at each step, so the search narrows as cheaper mixes are found."""
    if not models:
        yield ()
        return
    first, rest = models[0], models[1:]
    for n in range(most + 1):
        cost = spent + n * first.price_vnd
        if cost >= limit():
            return
        for tail in _head_counts(rest, most, limit, cost):
            yield (n, *tail)


def _fewest_that_fit(grown: _Grown, head: Sequence[int], most: int) -> int | None:
    """The fewest of the last model that, with ``head`` of the others, fits; by bisection:
    adding a host never lowers a cluster's capacity (the HA reserve is the largest host,
    and a new one adds at least what it may take), so fitting is monotone in the count."""

    def fits(last: int) -> bool:
        return grown.fits((*head, last))

    if not fits(most):
        return None
    lo, hi = 0, most
    while lo < hi:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if fits(mid) else (mid + 1, hi)
    return lo


def cheapest_shelves(need: StorageNeed, shelves: Sequence[StorageShelf]) -> Purchase | None:
    """The cheapest number of one shelf model that closes the pool's shortfall;
    NOTHING when it fits already, None when the catalogue has no shelf."""
    pool = need.pool
    if fits_within(need.tb_load, compute_usable_tb(pool) * pool.ceiling_pct):
        return NOTHING
    options = [Purchase(s.name, plan_shelves(need, s), s.price_vnd) for s in shelves]
    return _cheapest(options) if options else None


def plan_link_tier(need: LinkNeed, tiers: Sequence[LinkTier]) -> LinkTier | None:
    """The slowest tier whose ceiling carries the load (≥ load / ceiling); None if none does."""
    link = need.link
    if fits_within(need.mbps_load, link.capacity_mbps * link.ceiling_pct):
        return None
    required = need.mbps_load / link.ceiling_pct
    for tier in sorted(tiers, key=lambda t: t.mbps):
        if fits_within(required, tier.mbps):
            return tier
    return None


class ExpansionItemDocument(TypedDict):
    """The JSON form of an :class:`ExpansionItem`."""

    kind: str
    target: str
    quantity: int
    description: str
    unit_price_vnd: float
    cost_vnd: float
    payer: str
    network: str | None
    role: str | None
    from_mbps: float | None
    to_mbps: float | None
    own_mbps: float | None


class ExpansionDocument(TypedDict):
    """The JSON form of an :class:`Expansion`, with the totals."""

    at_go_live: list[ExpansionItemDocument]
    at_horizon: list[ExpansionItemDocument]
    go_live_cost_vnd: float
    horizon_cost_vnd: float
    unresolved: list[str]


def expansion_to_dict(expansion: Expansion) -> ExpansionDocument:
    """JSON form of an expansion, with the totals."""

    def rows(items: tuple[ExpansionItem, ...]) -> list[ExpansionItemDocument]:
        return [
            {
                "kind": i.kind,
                "target": i.target,
                "quantity": i.quantity,
                "description": i.description,
                "unit_price_vnd": i.unit_price_vnd,
                "cost_vnd": i.cost_vnd,
                "payer": i.payer,
                "network": i.network,
                "role": i.role,
                "from_mbps": i.from_mbps,
                "to_mbps": i.to_mbps,
                "own_mbps": i.own_mbps,
            }
            for i in items
        ]

    return {
        "at_go_live": rows(expansion.at_go_live),
        "at_horizon": rows(expansion.at_horizon),
        "go_live_cost_vnd": expansion.go_live_cost_vnd,
        "horizon_cost_vnd": expansion.cost_vnd,
        "unresolved": list(expansion.unresolved),
    }
