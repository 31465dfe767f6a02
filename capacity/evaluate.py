"""Can the DC host this request? The verdict of DESIGN.md §6 at monthly steps.

For every resource the request touches — the chosen cluster's vCPU and RAM, its
storage pool, the DC uplink of each network it uses, and every link on the path
from each target site to the DC — the request fits at step t when
B(t) + R(t) + D(t) ≤ ceiling × C, with D(t) = D₀ × (1 + g)^(m/12) at month m.
Each VM must also fit one host after ratios.

Placement is a joint choice of cluster and storage pool among the eligible
pairs: the pair that keeps fitting longest, ties broken by the most headroom at
go-live — headroom as a fraction of each resource's ceiling, compared smallest
first (the tightest resource decides; if it ties, the next tightest). Choosing
jointly keeps the verdict monotone — more demand never improves it — which
choosing the cluster first and then the pool would not be when pools are tied
to clusters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from capacity.bills import compute_bills
from capacity.charges import (
    ROLE_ACCESS,
    ROLE_DC_UPLINK,
    ROLE_PATH,
    ComputeTarget,
    LinkTarget,
    StorageTarget,
    Targets,
    compute_charges,
)
from capacity.dates import monthly_steps
from capacity.evaluation import (
    VERDICT_CANNOT_HOST,
    VERDICT_HOST,
    VERDICT_HOST_UNTIL,
    VERDICT_RANK,
    Assumptions,
    Candidate,
    Cost,
    Evaluation,
    IneligibleCluster,
    LinkRow,
    Placement,
    Problem,
    ResourceRow,
    Shortfall,
    compute_cost,
)
from capacity.expansion import PAYER_DC, PAYER_NETWORK, Catalogue
from capacity.forecast import Bound
from capacity.model import (
    ClusterSpec,
    StoragePoolSpec,
    compute_cluster_capacity,
    compute_largest_vm,
    compute_protection_efficiency,
    compute_usable_tb,
    vm_fits_host,
)
from capacity.request import Request
from capacity.series import compute_series, select_charted
from capacity.snapshot import (
    ClusterState,
    Inventory,
    LinkState,
    Reservation,
    StoragePoolState,
    cluster_ram_key,
    cluster_vcpu_key,
    link_key,
    storage_key,
)
from capacity.timeline import ResourceTimeline, build_timeline

__all__ = [
    "VERDICT_CANNOT_HOST",
    "VERDICT_HOST",
    "VERDICT_HOST_UNTIL",
    "VERDICT_RANK",
    "Candidate",
    "Cost",
    "Evaluation",
    "LinkRow",
    "Placement",
    "Problem",
    "ResourceRow",
    "Shortfall",
    "compute_reservations",
    "evaluate_request",
    "is_cluster_eligible",
    "is_pool_usable",
]

# -- eligibility -------------------------------------------------------------------


def is_cluster_eligible(cluster: ClusterSpec, request: Request) -> bool:
    """Certified for the request's security level and zone."""
    return explain_ineligible(cluster, request) is None


def explain_ineligible(cluster: ClusterSpec, request: Request) -> str | None:
    """Why ``cluster`` may not host ``request`` (its certification), or None if it may."""
    reasons = []
    if cluster.max_security_level < request.security_level:
        reasons.append(
            f"certified up to security level {cluster.max_security_level}, "
            f"the request needs {request.security_level}"
        )
    if request.zone not in cluster.zones:
        zones = ", ".join(sorted(cluster.zones)) or "none"
        reasons.append(f"not certified for zone {request.zone!r} (only: {zones})")
    return "; ".join(reasons) or None


def compute_ineligible(inventory: Inventory, request: Request) -> tuple[IneligibleCluster, ...]:
    """The clusters the request may not use, each with its reason (none without compute)."""
    if not request.needs_compute:
        return ()
    out = []
    for state in inventory.clusters:
        reason = explain_ineligible(state.spec, request)
        if reason is not None:
            out.append(IneligibleCluster(state.spec.id, state.spec.name or state.spec.id, reason))
    return tuple(out)


def is_pool_usable(pool: StoragePoolSpec, cluster_id: str | None) -> bool:
    """Whether the cluster can mount the pool (a pool with no cluster list is shared)."""
    return not pool.cluster_ids or cluster_id is None or cluster_id in pool.cluster_ids


# -- the evaluation ------------------------------------------------------------------


@dataclass
class _Context:
    request: Request
    reservations: Mapping[str, list[Reservation]]
    steps: tuple[date, ...]
    ordinals: np.ndarray
    growth: np.ndarray
    bound: Bound

    def timeline(self, **kwargs: Any) -> ResourceTimeline:
        return build_timeline(
            reservations=self.reservations.get(kwargs["resource"], ()),
            growth=self.growth,
            steps=self.steps,
            step_ordinals=self.ordinals,
            bound=self.bound,
            **kwargs,
        )


@dataclass
class _ClusterOption:
    state: ClusterState
    vcpu: ResourceTimeline
    ram: ResourceTimeline
    vms_fit: bool

    @property
    def fail_index(self) -> int | None:
        """First failing step of vCPU or RAM; 0 when a VM fits no host."""
        if not self.vms_fit:
            return 0
        return _min_index([self.vcpu.first_fail_index, self.ram.first_fail_index])


def _min_index(indices: Sequence[int | None]) -> int | None:
    present = [i for i in indices if i is not None]
    return min(present) if present else None


def _cluster_option(ctx: _Context, state: ClusterState) -> _ClusterOption:
    spec = state.spec
    cap = compute_cluster_capacity(spec)
    label = spec.name or spec.id
    vcpu = ctx.timeline(
        resource=cluster_vcpu_key(spec.id),
        kind="vcpu",
        owner_id=spec.id,
        name=label,
        unit="vCPU",
        capacity=cap.vcpu,
        ceiling_pct=spec.ceiling_pct,
        baseline=state.vcpu_baseline,
        demand0=ctx.request.vcpu,
    )
    ram = ctx.timeline(
        resource=cluster_ram_key(spec.id),
        kind="ram",
        owner_id=spec.id,
        name=label,
        unit="GB",
        capacity=cap.ram_gb,
        ceiling_pct=spec.ceiling_pct,
        baseline=state.ram_baseline,
        demand0=ctx.request.ram_gb,
    )
    vms_fit = all(vm_fits_host(spec, vm) for vm in ctx.request.largest_vms)
    return _ClusterOption(state=state, vcpu=vcpu, ram=ram, vms_fit=vms_fit)


def _pool_timeline(ctx: _Context, state: StoragePoolState) -> ResourceTimeline:
    spec = state.spec
    return ctx.timeline(
        resource=storage_key(spec.id),
        kind="storage",
        owner_id=spec.id,
        name=spec.name or spec.id,
        unit="TB",
        capacity=compute_usable_tb(spec),
        ceiling_pct=spec.ceiling_pct,
        baseline=state.used_baseline,
        demand0=ctx.request.storage_demand_tb,
    )


def _link_timeline(ctx: _Context, state: LinkState, demand0: float) -> ResourceTimeline:
    spec = state.spec
    return ctx.timeline(
        resource=link_key(spec.id),
        kind="link",
        owner_id=spec.id,
        name=spec.name or spec.id,
        unit="Mbps",
        capacity=spec.capacity_mbps,
        ceiling_pct=spec.ceiling_pct,
        baseline=state.p95_baseline,
        demand0=demand0,
    )


def _cluster_options(
    ctx: _Context, inventory: Inventory, problems: list[Problem]
) -> list[_ClusterOption | None]:
    request = ctx.request
    if not request.needs_compute:
        return [None]
    named = [c for c in inventory.clusters if request.cluster_id in (None, c.spec.id)]
    if request.cluster_id is not None and not named:
        problems.append(Problem("placement:cluster", f"unknown cluster {request.cluster_id!r}"))
        return [None]
    eligible = [c for c in named if is_cluster_eligible(c.spec, request)]
    if not eligible:
        problems.append(
            Problem(
                "placement:cluster",
                f"no cluster{' ' + repr(request.cluster_id) if request.cluster_id else ''} "
                f"is certified for security level {request.security_level} "
                f"and zone {request.zone!r}",
            )
        )
        return [None]
    return [_cluster_option(ctx, c) for c in eligible]


def _pool_options(
    ctx: _Context, inventory: Inventory, problems: list[Problem]
) -> list[tuple[StoragePoolState, ResourceTimeline]] | None:
    """Candidate pools with their timelines; None when the request stores nothing."""
    request = ctx.request
    if request.storage_demand_tb <= 0:
        return None
    named = [p for p in inventory.storage_pools if request.storage_pool_id in (None, p.spec.id)]
    if not named:
        what = (
            f"unknown storage pool {request.storage_pool_id!r}"
            if request.storage_pool_id
            else "the inventory has no storage pool"
        )
        problems.append(Problem("placement:storage_pool", what))
        return []
    return [(p, _pool_timeline(ctx, p)) for p in named]


def _choose_placement(
    clusters: list[_ClusterOption | None],
    pools: list[tuple[StoragePoolState, ResourceTimeline]] | None,
    steps: tuple[date, ...],
    problems: list[Problem],
) -> tuple[_ClusterOption | None, ResourceTimeline | None, tuple[Candidate, ...]]:
    """The (cluster, pool) pair that fits longest, then has the most headroom at go-live.

    A pair without a pool when the request stores data fails at go-live, so a
    cluster cannot win by having nowhere to put the disks.
    """
    never = len(steps)
    scored: list[
        tuple[int, tuple[float, ...], int, _ClusterOption | None, ResourceTimeline | None]
    ] = []
    for cluster in clusters:
        cluster_id = cluster.state.spec.id if cluster else None
        pool_tls: list[ResourceTimeline | None] = [None]
        if pools:
            usable = [tl for p, tl in pools if is_pool_usable(p.spec, cluster_id)]
            pool_tls = list(usable) or [None]
        for pool_tl in pool_tls:
            timelines = ([cluster.vcpu, cluster.ram] if cluster else []) + (
                [pool_tl] if pool_tl else []
            )
            fails = [cluster.fail_index if cluster else None]
            fails.append(pool_tl.first_fail_index if pool_tl else None)
            if pools is not None and pool_tl is None:
                fails.append(0)
            fail = _min_index(fails)
            headroom = tuple(sorted(t.relative_headroom_at_start for t in timelines))
            rank = never if fail is None else fail
            scored.append((rank, headroom, len(scored), cluster, pool_tl))
    # Most headroom first, smallest fraction compared first: negate element-wise.
    scored.sort(key=lambda s: (-s[0], tuple(-h for h in s[1]), s[2]))
    _, _, _, best_cluster, best_pool = scored[0]
    if pools and best_pool is None:
        problems.append(
            Problem("placement:storage_pool", "no storage pool is usable by an eligible cluster")
        )
    candidates = tuple(
        Candidate(
            cluster=c.state.spec.id if c else None,
            storage_pool=p.owner_id if p else None,
            first_shortfall_date=None if fail >= never else steps[fail],
            min_headroom_pct=100.0 * h[0] if h and np.isfinite(h[0]) else float("nan"),
        )
        for fail, h, _, c, p in scored
        if c is not None or p is not None
    )
    return best_cluster, best_pool, candidates


def compute_uplink_shares(
    inventory: Inventory, network: str, uplinks: Sequence[str]
) -> dict[str, float]:
    """The share of a network's DC-side demand each of its uplinks carries: all of it on
    each (active/standby), or in proportion to capacity (load-sharing; DESIGN §6)."""
    if network not in inventory.load_sharing:
        return dict.fromkeys(uplinks, 1.0)
    capacity = {i: inventory.link(i).spec.capacity_mbps for i in uplinks}
    total = sum(capacity.values())
    if total <= 0:
        return dict.fromkeys(uplinks, 1.0)
    return {i: c / total for i, c in capacity.items()}


def _route_demand(
    request: Request, inventory: Inventory, problems: list[Problem]
) -> tuple[dict[str, float], dict[str, set[str]], set[str]]:
    """Mbps of the request on each link, the sites behind each link, the DC uplinks used."""
    demand: dict[str, float] = {}
    sites_behind: dict[str, set[str]] = {}
    uplinks_used: set[str] = set()
    for need in request.dc_bandwidth:
        uplinks = inventory.dc_uplinks.get(need.network, ())
        if not uplinks:
            problems.append(
                Problem(f"uplink:{need.network}", f"the DC has no uplink on {need.network!r}")
            )
        for link_id, share in compute_uplink_shares(inventory, need.network, uplinks).items():
            demand[link_id] = demand.get(link_id, 0.0) + need.mbps * share
            sites_behind.setdefault(link_id, set())
            uplinks_used.add(link_id)
    for site_need in request.sites:
        paths = inventory.paths.get(site_need.network, {})
        for site in dict.fromkeys(site_need.site_ids):
            path = paths.get(site)
            if path is None:
                problems.append(
                    Problem(
                        f"path:{site_need.network}:{site}",
                        f"site {site!r} has no path to the DC on {site_need.network!r}",
                    )
                )
                continue
            for link_id in dict.fromkeys(path):
                demand[link_id] = demand.get(link_id, 0.0) + site_need.per_site_mbps
                sites_behind.setdefault(link_id, set()).add(site)
    return demand, sites_behind, uplinks_used


def _row(tl: ResourceTimeline) -> ResourceRow:
    return ResourceRow(
        resource=tl.resource,
        name=tl.name,
        kind=tl.kind,
        unit=tl.unit,
        capacity=float(tl.capacity),
        ceiling_pct=float(tl.ceiling_pct),
        ceiling=float(tl.limit),
        baseline=float(tl.baseline[0]),
        reserved=float(tl.reserved[0]),
        demand=float(tl.demand[0]),
        headroom=float(tl.headroom[0]),
        first_shortfall_date=tl.first_fail_date,
        shortfall_at_go_live=float(tl.shortfall[0]),
        shortfall_at_horizon=float(tl.shortfall[-1]),
        max_shortfall=float(tl.shortfall.max()),
        baseline_model=tl.baseline_model,
    )


def _link_row(
    row: ResourceRow, network: str, sites: tuple[str, ...], carries_dc_demand: bool
) -> LinkRow:
    # A LinkRow is its ResourceRow and three fields more: the row's fields are copied by
    # name rather than listed a second time.
    return LinkRow(**vars(row), network=network, sites=sites, carries_dc_demand=carries_dc_demand)


def _problem_shortfall(problem: Problem, go_live: date) -> Shortfall:
    """A problem binds at go-live: a site with no path is the network's, the rest the DC's."""
    kind, _, rest = problem.resource.partition(":")
    network = rest.split(":", 1)[0] if kind in ("path", "uplink") else None
    payer = PAYER_NETWORK if kind == "path" else PAYER_DC
    return Shortfall(problem.resource, go_live, payer=payer, network=network)


def _first_shortfall(
    timelines: Sequence[ResourceTimeline],
    cluster: _ClusterOption | None,
    problems: Sequence[Problem],
    steps: tuple[date, ...],
    path_links: Mapping[str, str],
) -> Shortfall | None:
    """The earliest failing step; at that step problems first, then an oversized VM,
    then the resource furthest over its ceiling (relative to it).

    ``path_links`` maps the resource key of each link on the paths to the target
    sites (not a DC uplink) to its network: those are the network operator's to grow.
    """
    if problems:
        return _problem_shortfall(problems[0], steps[0])
    if cluster is not None and not cluster.vms_fit:
        return Shortfall(f"cluster:{cluster.state.spec.id}:vm", steps[0])
    failing = [t for t in timelines if t.first_fail_index is not None]
    if not failing:
        return None
    first = min(t.first_fail_index for t in failing if t.first_fail_index is not None)

    def overshoot(t: ResourceTimeline) -> float:
        return float(t.shortfall[first] / t.limit) if t.limit > 0 else np.inf

    at_first = [t for t in failing if t.first_fail_index == first]
    worst = max(at_first, key=overshoot)
    network = path_links.get(worst.resource)
    return Shortfall(
        worst.resource,
        steps[first],
        payer=PAYER_DC if network is None else PAYER_NETWORK,
        network=network,
        without_request=bool(worst.own_shortfall[first] > 0),
    )


def _link_role(link_id: str, uplinks_used: set[str], access: set[str]) -> str:
    if link_id in uplinks_used:
        return ROLE_DC_UPLINK
    return ROLE_ACCESS if link_id in access else ROLE_PATH


def _targets(
    cluster: _ClusterOption | None,
    pool: ResourceTimeline | None,
    pool_spec: StoragePoolSpec | None,
    links: Sequence[tuple[LinkState, ResourceTimeline]],
    uplinks_used: set[str],
    request: Request,
    inventory: Inventory,
) -> Targets:
    """What an expansion may grow, each link with its role (DC uplink, a target site's
    own link, or a link further along the paths)."""
    access = {
        path[0]
        for need in request.sites
        for site in need.site_ids
        if (path := inventory.paths.get(need.network, {}).get(site))
    }
    return Targets(
        compute=(
            ComputeTarget(cluster.state.spec, cluster.vcpu, cluster.ram, request.largest_vms)
            if cluster is not None
            else None
        ),
        storage=StorageTarget(pool_spec, pool) if pool is not None and pool_spec else None,
        links=tuple(
            LinkTarget(state.spec, t, _link_role(state.spec.id, uplinks_used, access))
            for state, t in links
        ),
    )


def evaluate_request(
    request: Request,
    inventory: Inventory,
    reservations: Sequence[Reservation] = (),
    catalogue: Catalogue | None = None,
    bound: Bound = "mean",
) -> Evaluation:
    """Evaluate ``request`` against ``inventory`` and the approved ``reservations``.

    ``bound`` is the baseline forecast used: the point forecast by default; "hi80"
    plans against the upper 80 % bound for a cautious what-if.
    """
    catalogue = catalogue or Catalogue()
    steps = tuple(monthly_steps(request.go_live, request.horizon_months))
    by_resource: dict[str, list[Reservation]] = {}
    for r in reservations:
        by_resource.setdefault(r.resource, []).append(r)
    ctx = _Context(
        request=request,
        reservations=by_resource,
        steps=steps,
        ordinals=np.array([d.toordinal() for d in steps]),
        growth=np.array([request.growth_factor(m / 12) for m in range(len(steps))]),
        bound=bound,
    )
    problems: list[Problem] = []

    cluster_options = _cluster_options(ctx, inventory, problems)
    pool_options = _pool_options(ctx, inventory, problems)
    cluster, pool_tl, candidates = _choose_placement(cluster_options, pool_options, steps, problems)
    pool_spec = inventory.storage_pool(pool_tl.owner_id).spec if pool_tl else None

    link_demand, sites_behind, uplinks_used = _route_demand(request, inventory, problems)
    link_states = [inventory.link(link_id) for link_id in link_demand]
    link_tls = [(s, _link_timeline(ctx, s, link_demand[s.spec.id])) for s in link_states]

    resource_tls = ([cluster.vcpu, cluster.ram] if cluster else []) + ([pool_tl] if pool_tl else [])
    all_tls = resource_tls + [t for _, t in link_tls]
    path_links = {
        t.resource: state.spec.network for state, t in link_tls if state.spec.id not in uplinks_used
    }
    first = _first_shortfall(all_tls, cluster, problems, steps, path_links)
    if first is None:
        verdict, until = VERDICT_HOST, None
    elif first.date == steps[0]:
        verdict, until = VERDICT_CANNOT_HOST, None
    else:
        verdict, until = VERDICT_HOST_UNTIL, first.date

    charges = compute_charges(
        _targets(cluster, pool_tl, pool_spec, link_tls, uplinks_used, request, inventory),
        catalogue,
        request.horizon_years,
        problems=[p.message for p in problems],
    )
    bills = compute_bills(charges.expansion.at_horizon)
    cost = compute_cost(bills, charges.own_needs, request.own_hardware_cost_vnd)

    links = tuple(
        _link_row(
            _row(t),
            network=state.spec.network,
            sites=tuple(sorted(sites_behind.get(state.spec.id, ()))),
            carries_dc_demand=state.spec.id in uplinks_used,
        )
        for state, t in link_tls
    )
    return Evaluation(
        request=request.name,
        verdict=verdict,
        until=until,
        first_shortfall=first,
        placement=Placement(
            cluster=cluster.state.spec.id if cluster else None,
            storage_pool=pool_tl.owner_id if pool_tl else None,
            cluster_name=(cluster.state.spec.name or cluster.state.spec.id) if cluster else None,
            storage_pool_name=pool_tl.name if pool_tl else None,
        ),
        go_live=steps[0],
        horizon_end=steps[-1],
        resources=tuple(_row(t) for t in resource_tls),
        links=links,
        expansion=charges.expansion,
        bills=bills,
        dc_own_need=charges.own_needs,
        cost=cost,
        problems=tuple(problems),
        candidates=candidates,
        assumptions=_assumptions(request, cluster, pool_spec, all_tls, inventory, bound, steps),
        series=compute_series(
            select_charted(resource_tls, [t for _, t in link_tls], uplinks_used), steps
        ),
        ineligible_clusters=compute_ineligible(inventory, request),
        reservations=tuple(r for t in all_tls for r in by_resource.get(t.resource, ())),
    )


def _uplink_rule(inventory: Inventory) -> str:
    shared = ", ".join(sorted(inventory.load_sharing))
    if not shared:
        return "each DC uplink of a network carries the whole DC-side demand (active/standby)"
    return (
        f"load-sharing on {shared}: the DC-side demand splits over the uplinks in proportion "
        "to capacity; on the other networks each uplink carries all of it (active/standby)"
    )


def _assumptions(
    request: Request,
    cluster: _ClusterOption | None,
    pool: StoragePoolSpec | None,
    timelines: Sequence[ResourceTimeline],
    inventory: Inventory,
    bound: Bound,
    steps: tuple[date, ...],
) -> Assumptions:
    out: Assumptions = {
        "steps": f"{len(steps)} monthly steps from {steps[0].isoformat()} "
        f"to {steps[-1].isoformat()}",
        "fit_rule": "B(t) + R(t) + D(t) ≤ ceiling × C; exactly at the ceiling fits",
        "demand_growth": f"D(t) = D0 × (1 + {request.growth_pct_per_year:g} %)^(m/12)",
        "baseline_bound": bound,
        "baseline": "forecast of weekly peaks (vCPU/RAM allocated, TB used, daily p95 Mbps)",
        "storage_demand": "VM disks at provisioned size + storage_tb; 1 TB = 1000 GB",
        "dc_uplinks": _uplink_rule(inventory),
        "ceilings": {t.resource: t.ceiling_pct for t in timelines},
        "forecast_models": {t.resource: t.baseline_model for t in timelines},
    }
    if cluster is not None:
        spec = cluster.state.spec
        cap = compute_cluster_capacity(spec)
        largest = compute_largest_vm(spec)
        out["cluster"] = {
            "id": spec.id,
            "hosts": len(spec.hosts),
            "cpu_ratio": spec.cpu_ratio,
            "ram_ratio": spec.ram_ratio,
            "ha_reserve_hosts": spec.ha_reserve_hosts,
            "capacity_vcpu": cap.vcpu,
            "capacity_ram_gb": cap.ram_gb,
            "largest_vm_vcpu": largest.vcpu,
            "largest_vm_ram_gb": largest.ram_gb,
            "vms_fit_one_host": cluster.vms_fit,
        }
    if pool is not None:
        out["storage_pool"] = {
            "id": pool.id,
            "raw_tb": pool.raw_tb,
            "protection": pool.protection,
            "efficiency": compute_protection_efficiency(pool.protection),
            "usable_tb": compute_usable_tb(pool),
        }
    return out


def compute_reservations(request: Request, evaluation: Evaluation) -> tuple[Reservation, ...]:
    """The reservations an approval stores: the request's D₀ on every resource it touches.

    They start at go-live and grow like the request, so a later evaluation sees
    exactly the load this one added.
    """
    return tuple(
        Reservation(
            resource=row.resource,
            start=evaluation.go_live,
            d0=row.demand,
            growth_pct_per_year=request.growth_pct_per_year,
            request=request.name,
        )
        for row in evaluation.rows
        if row.demand > 0
    )
