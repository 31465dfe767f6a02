"""The inventory as the capacity engine sees it: specs, baseline forecasts, paths, reservations.

The adapter (the one module that reads the database) builds an
:class:`Inventory` once — forecasts are the expensive part and are cached — and
every evaluation and report reads only this snapshot.

Resources are named by stable string keys (:func:`cluster_vcpu_key` and friends)
so that reservations stored in the database, rows of an evaluation and the
capacity report all refer to the same thing the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import TypeVar

from capacity.forecast import Forecast
from capacity.model import ClusterSpec, LinkSpec, StoragePoolSpec


def cluster_vcpu_key(cluster_id: str) -> str:
    """Resource key of a cluster's vCPU."""
    return f"cluster:{cluster_id}:vcpu"


def cluster_ram_key(cluster_id: str) -> str:
    """Resource key of a cluster's RAM."""
    return f"cluster:{cluster_id}:ram"


def storage_key(pool_id: str) -> str:
    """Resource key of a storage pool."""
    return f"storage:{pool_id}"


def link_key(link_id: str) -> str:
    """Resource key of a link."""
    return f"link:{link_id}"


@dataclass(frozen=True, eq=False)
class ClusterState:
    """A cluster and the forecasts of its allocated vCPU and RAM (GB) without the request."""

    spec: ClusterSpec
    vcpu_baseline: Forecast
    ram_baseline: Forecast


@dataclass(frozen=True, eq=False)
class StoragePoolState:
    """A storage pool and the forecast of its used TB."""

    spec: StoragePoolSpec
    used_baseline: Forecast


@dataclass(frozen=True, eq=False)
class LinkState:
    """A link and the forecast of its daily p95 of max(in, out), in Mbps."""

    spec: LinkSpec
    p95_baseline: Forecast


@dataclass(frozen=True)
class Reservation:
    """Capacity held by an approved, not yet deployed request on one resource.

    It holds nothing before ``start`` and ``d0`` × (1 + g)^(years since start) from
    then on, the same growth law as a request's demand.
    """

    resource: str
    start: date
    d0: float
    growth_pct_per_year: float = 0.0
    request: str = ""

    def __post_init__(self) -> None:
        if self.d0 < 0:
            raise ValueError(f"reservation on {self.resource}: d0 must be ≥ 0")
        if self.growth_pct_per_year <= -100:
            raise ValueError(f"reservation on {self.resource}: growth must be > −100 %")


_K = TypeVar("_K")
_V = TypeVar("_V")


def _frozen(mapping: Mapping[_K, _V]) -> Mapping[_K, _V]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, eq=False)
class Inventory:
    """What the data centre has: pools and links with baselines, and how sites reach the DC.

    ``paths[network][site_id]`` is the sequence of link ids a site's traffic on
    that network crosses to reach the DC: the site's own access link first, up to
    and including the DC's uplink when the traffic crosses it (the evaluation adds
    the per-site demand to every link listed, once per site).
    ``dc_uplinks[network]`` are the DC's uplinks on that network; each listed one
    must carry the whole DC-side demand (active/standby: the cautious default), unless
    the network is in ``load_sharing``: then the demand splits over them in proportion
    to their capacity.
    """

    clusters: tuple[ClusterState, ...] = ()
    storage_pools: tuple[StoragePoolState, ...] = ()
    links: tuple[LinkState, ...] = ()
    paths: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    dc_uplinks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    load_sharing: frozenset[str] = frozenset()  # networks whose uplinks share the demand

    def __post_init__(self) -> None:
        for kind, items in (
            ("cluster", self.clusters),
            ("storage pool", self.storage_pools),
            ("link", self.links),
        ):
            ids = [item.spec.id for item in items]
            duplicates = {i for i in ids if ids.count(i) > 1}
            if duplicates:
                raise ValueError(f"duplicate {kind} ids: {sorted(duplicates)}")
        known_links = {link.spec.id for link in self.links}
        for network, by_site in self.paths.items():
            for site, path in by_site.items():
                unknown = set(path) - known_links
                if unknown:
                    raise ValueError(
                        f"path of site {site!r} on {network!r} uses unknown links {sorted(unknown)}"
                    )
        for network, uplinks in self.dc_uplinks.items():
            unknown = set(uplinks) - known_links
            if unknown:
                raise ValueError(f"DC uplinks of {network!r} are unknown links {sorted(unknown)}")
        object.__setattr__(self, "paths", _frozen({n: _frozen(p) for n, p in self.paths.items()}))
        object.__setattr__(self, "dc_uplinks", _frozen(self.dc_uplinks))

    def cluster(self, cluster_id: str) -> ClusterState:
        """The cluster with this id (KeyError if none)."""
        return _by_id(self.clusters, cluster_id, "cluster")

    def storage_pool(self, pool_id: str) -> StoragePoolState:
        """The storage pool with this id (KeyError if none)."""
        return _by_id(self.storage_pools, pool_id, "storage pool")

    def link(self, link_id: str) -> LinkState:
        """The link with this id (KeyError if none)."""
        return _by_id(self.links, link_id, "link")


_State = TypeVar("_State", ClusterState, StoragePoolState, LinkState)


def _by_id(items: tuple[_State, ...], item_id: str, kind: str) -> _State:
    for item in items:
        if item.spec.id == item_id:
            return item
    raise KeyError(f"unknown {kind} {item_id!r}")
