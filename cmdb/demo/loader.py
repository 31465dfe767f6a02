"""``load_demo``: a realistic, deterministic Quảng Nam provincial DC in a few seconds.

The steps run in dependency order on the caller's session and never commit (the
CLI commits once at the end, so an error leaves nothing half-written). Loading
into a database that already holds inventory is refused unless ``replace`` is
set, which empties it first (``clear_inventory``).

``as_of`` on or after 1 July 2025 loads the same DC after the 2025 reform: the
province is built as it was, the reform is applied through the reorganisation
service (so the tree as of 30 June 2025 is the old one, with its history), and
Đà Nẵng's DC — now the primary, joined to the Quảng Nam DC by 2 × 10 Gbps — is
added with its offices, circuits and systems; the pending requests are those of
today's structure. Without ``as_of`` the demo is the province before the reform.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time
from typing import cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import Source
from cmdb.db import Base
from cmdb.demo import (
    da_nang,
    datacentre,
    geo,
    network,
    operations,
    pending_requests,
    price_list,
    reform,
    samples,
    systems,
)
from cmdb.demo.context import DemoContext
from cmdb.demo.reset import clear_inventory, count_rows, inventory_counts
from cmdb.errors import CmdbError
from cmdb.models import (
    AdminUnit,
    Agency,
    Cluster,
    Device,
    InformationSystem,
    Interface,
    Link,
    Rack,
    RecordSource,
    ResourceRequest,
    SampleDaily,
    Series,
    Site,
    StoragePool,
    Workload,
)

DEFAULT_SEED = 2026

STEPS: tuple[tuple[str, Callable[[DemoContext], object]], ...] = (
    ("admin units of Quảng Nam", geo.load_admin_units),
    ("agencies", geo.load_agencies),
    ("data centre and points of presence", geo.load_dc_sites),
    ("People's Committee offices", geo.load_committee_sites),
    ("racks, servers, storage and network gear", datacentre.load_datacentre),
    ("links (uplinks and TSLCD)", network.load_links),
    ("information systems and VMs", systems.load_systems),
    ("two years of daily history", samples.load_history),
    ("pending resource requests", pending_requests.load_requests),
    ("discovery runs, VM addresses and open discrepancies", operations.load_operations),
    ("the DC's price list (expansion catalogue)", price_list.load_price_list),
    ("capacity settings of each network's DC uplinks", price_list.load_network_settings),
)
# After the reform: the province as it was, the reform, Đà Nẵng's DC, then history and requests.
POST_REFORM_STEPS: tuple[tuple[str, Callable[[DemoContext], object]], ...] = (
    *STEPS[:7],
    ("the 2025 reform: Quảng Nam into Đà Nẵng (241 communes → 78)", reform.apply_2025_reform),
    ("Đà Nẵng's DC, its offices and the 2 × 10 Gbps interconnect", da_nang.load_da_nang),
    *STEPS[7:],
)

# Every demo record says it came from the demo (admin units are marked by the importer).
MARKED: tuple[type[Base], ...] = (
    Agency,
    Site,
    Rack,
    Device,
    Interface,
    Cluster,
    StoragePool,
    Link,
    InformationSystem,
    Workload,
)


@dataclass(frozen=True)
class DemoSummary:
    """Rows per kind after the load."""

    admin_units: int
    agencies: int
    sites: int
    racks: int
    devices: int
    interfaces: int
    clusters: int
    storage_pools: int
    links: int
    information_systems: int
    workloads: int
    series: int
    daily_samples: int
    requests: int

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __str__(self) -> str:
        return "\n".join(f"{k.replace('_', ' '):>20}: {v:,}" for k, v in self.as_dict().items())


SUMMARY_MODELS: dict[str, type[Base]] = {
    "admin_units": AdminUnit,
    "agencies": Agency,
    "sites": Site,
    "racks": Rack,
    "devices": Device,
    "interfaces": Interface,
    "clusters": Cluster,
    "storage_pools": StoragePool,
    "links": Link,
    "information_systems": InformationSystem,
    "workloads": Workload,
    "series": Series,
    "daily_samples": SampleDaily,
    "requests": ResourceRequest,
}


class DatabaseNotEmptyError(CmdbError):
    """The demo would mix with existing inventory."""


def load_demo(
    session: Session,
    *,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
    replace: bool = False,
    as_of: date | None = None,
) -> DemoSummary:
    """Load the demo province; history ends yesterday relative to ``today``.

    ``as_of``: the structure of that day (after the 2025 reform from 1 July 2025);
    ``today`` defaults to it. Same ``seed``, ``today`` and ``as_of`` → the same
    rows. Raises ``DatabaseNotEmptyError`` when inventory exists and ``replace``
    is false.
    """
    report = progress or (lambda _msg: None)
    existing = inventory_counts(session)
    if existing and not replace:
        found = ", ".join(f"{n:,} {table}" for table, n in existing.items())
        raise DatabaseNotEmptyError(
            f"the database already holds inventory ({found}); "
            "load the demo with --reset to replace it, or use an empty database"
        )
    if replace:
        report("clearing the existing inventory" if existing else "the database is empty")
        clear_inventory(session)
    ctx = DemoContext(session, seed, today or as_of or date.today(), report)
    steps = POST_REFORM_STEPS if as_of is not None and as_of >= reform.REFORM_2025 else STEPS
    for number, (label, step) in enumerate(steps, start=1):
        report(f"[{number}/{len(steps)}] {label}")
        step(ctx)
    session.flush()
    _mark_demo_records(ctx)
    return summarize(session)


def _mark_demo_records(ctx: DemoContext) -> None:
    """One ``RecordSource(source=demo)`` per record, stamped with the demo's day."""
    at = datetime.combine(ctx.today, time(0), UTC)
    for model in MARKED:
        table = model.__table__
        ids = ctx.session.scalars(sa.select(table.c.id).order_by(table.c.id)).all()
        rows = [_demo_source(model.__tablename__, i, at) for i in ids]
        ctx.session.execute(cast(sa.Table, RecordSource.__table__).insert(), rows)


def _demo_source(table: str, object_id: int, at: datetime) -> dict[str, object]:
    return {
        "object_type": table,
        "object_id": object_id,
        "source": Source.DEMO.value,
        "first_seen_at": at,
        "last_seen_at": at,
    }


def summarize(session: Session) -> DemoSummary:
    """Count what is in the database now (one query)."""
    return DemoSummary(**count_rows(session, SUMMARY_MODELS))
