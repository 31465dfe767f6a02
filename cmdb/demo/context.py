"""What the demo steps share: the session, the seed, the day, and what earlier steps built.

Each step draws from its own random stream (``rng(step)``), derived from the seed
and the step's name, so changing one step never shifts the numbers of another and
the same seed always gives the same province.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from sqlalchemy.orm import Session

from cmdb.choices import AdminLevel
from cmdb.demo.dc_catalog import ClusterSpec, PoolSpec
from cmdb.demo.history import TrafficProfile
from cmdb.models import (
    AdminUnit,
    Agency,
    Cluster,
    Device,
    Link,
    Site,
    StoragePool,
)

HISTORY_DAYS = 730


@dataclass
class DemoContext:
    """The load's inputs and, keyed for later steps, what the earlier steps created.

    Keys: admin units by code, agencies by short name (committees by ``ubnd-<code>``),
    sites by slug, offices by their unit's code, DC gear by device name, clusters and
    pools by catalogue key.
    """

    session: Session
    seed: int
    today: date
    progress: Callable[[str], None]
    units: dict[str, AdminUnit] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)
    sites: dict[str, Site] = field(default_factory=dict)
    district_offices: dict[str, Site] = field(default_factory=dict)
    commune_offices: dict[str, Site] = field(default_factory=dict)
    devices: dict[str, Device] = field(default_factory=dict)
    clusters: dict[str, Cluster] = field(default_factory=dict)
    pools: dict[str, StoragePool] = field(default_factory=dict)
    link_traffic: list[tuple[Link, TrafficProfile]] = field(default_factory=list)
    cluster_specs: list[ClusterSpec] = field(default_factory=list)  # built, in order
    pool_specs: list[PoolSpec] = field(default_factory=list)
    post_reform: bool = False  # the 2025 reform applied (``load_demo(as_of=…)``)

    def rng(self, step: str) -> random.Random:
        """A random stream of its own for one step (str seeds are hashed stably)."""
        return random.Random(f"headroom-demo/{self.seed}/{step}")

    @cached_property
    def history_days(self) -> list[date]:
        """The 730 days of history, ending yesterday."""
        first = self.today - timedelta(days=HISTORY_DAYS)
        return [first + timedelta(days=i) for i in range(HISTORY_DAYS)]

    def units_at(self, level: AdminLevel) -> list[AdminUnit]:
        """Units of one level in code order (stable, whatever the insertion order)."""
        return sorted((u for u in self.units.values() if u.level == level), key=lambda u: u.code)

    def communes_of(self, district: AdminUnit) -> list[AdminUnit]:
        """The district's communes, in code order."""
        return [u for u in self.units_at(AdminLevel.COMMUNE) if u.parent is district]
