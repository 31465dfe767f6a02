"""The list pages cost a fixed number of queries, whatever the number of rows shown.

Each list page is counted with 10 rows, then with 100 (the page size is above
both): the counts must be equal. A relation read per row would add 90.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cmdb.choices import SiteKind
from cmdb.models import ChangeLog, Rack
from tests import factories as f


@pytest.fixture
def app(app: Flask) -> Flask:
    app.config["CMDB_PAGE_SIZE"] = 200
    return app


def _dc(db: Session) -> Any:
    return f.site(db, name="TTDL", slug="dc", kind=SiteKind.DATA_CENTRE)


def add_sites(db: Session, n: int) -> None:
    agency = f.agency(db)
    for _ in range(n):
        f.site(db, agency=agency)


def add_links(db: Session, n: int) -> None:
    dc = db.query(f.Site).filter_by(slug="dc").one_or_none() or _dc(db)
    for _ in range(n):
        f.link(db, b_site=dc)


def add_clusters(db: Session, n: int) -> None:
    for _ in range(n):
        f.cluster(db)


def add_pools(db: Session, n: int) -> None:
    for _ in range(n):
        f.storage_pool(db)


def add_systems(db: Session, n: int) -> None:
    for _ in range(n):
        f.information_system(db)


def add_workloads(db: Session, n: int) -> None:
    cluster = f.cluster(db)
    pool = f.storage_pool(db)
    for _ in range(n):
        f.workload(db, cluster=cluster, storage_pool=pool)


def add_devices(db: Session, n: int) -> None:
    cluster = f.cluster(db)
    for _ in range(n):
        f.server(db, cluster=cluster)


def add_interfaces(db: Session, n: int) -> None:
    device = f.server(db)
    for _ in range(n):
        f.interface(db, device=device)


def add_racks(db: Session, n: int) -> None:
    site = f.site(db)
    for i in range(n):
        db.add(Rack(site=site, name=f"R{i:03d}-{id(site)}"))


def add_changes(db: Session, n: int) -> None:
    for i in range(n):
        db.add(ChangeLog(actor="test", action="update", object_type="device", object_id=i,
                         object_repr=f"d{i}", before={}, after={}))  # fmt: skip


def add_units(db: Session, n: int) -> None:
    for _ in range(n):
        f.admin_unit(db)


LISTS: tuple[tuple[str, Callable[[Session, int], None]], ...] = (
    ("/sites/", add_sites),
    ("/links/", add_links),
    ("/clusters/", add_clusters),
    ("/storage-pools/", add_pools),
    ("/information-systems/", add_systems),
    ("/workloads/", add_workloads),
    ("/devices/", add_devices),
    ("/interfaces/", add_interfaces),
    ("/racks/", add_racks),
    ("/changes/", add_changes),
    ("/admin-units/?view=list", add_units),
)


@pytest.mark.parametrize(("url", "add"), LISTS, ids=[url for url, _ in LISTS])
def test_list_page_queries_do_not_grow_with_rows(
    client: FlaskClient, db: Session, count_queries: Any, url: str,
    add: Callable[[Session, int], None],
) -> None:  # fmt: skip
    add(db, 10)
    db.commit()
    client.get(url)  # warm-up: the first request of an app loads what every request shares
    with count_queries() as ten:
        assert client.get(url).status_code == 200
    add(db, 90)
    db.commit()
    with count_queries() as hundred:
        response = client.get(url)
    assert response.status_code == 200
    assert ten() == hundred(), f"{url}: {ten()} queries for 10 rows, {hundred()} for 100"


def test_detail_pages_queries_do_not_grow_with_related_rows(
    client: FlaskClient, db: Session, count_queries: Any
) -> None:
    dc = _dc(db)
    cluster = f.cluster(db, site=dc)
    pool = f.storage_pool(db, site=dc)
    system = f.information_system(db)

    def grow(n: int) -> None:
        for _ in range(n):
            f.server(db, site=dc, cluster=cluster)
            f.workload(db, cluster=cluster, storage_pool=pool, information_system=system)
            f.link(db, b_site=dc)
        db.commit()

    urls = [f"/clusters/{cluster.id}", f"/storage-pools/{pool.id}", f"/sites/{dc.id}",
            f"/information-systems/{system.id}"]  # fmt: skip
    grow(10)
    counts = {}
    for url in urls:
        client.get(url)
        with count_queries() as n:
            assert client.get(url).status_code == 200
        counts[url] = n()
    grow(90)
    for url in urls:
        with count_queries() as n:
            assert client.get(url).status_code == 200
        assert n() == counts[url], f"{url}: {counts[url]} queries, then {n()} with 10x the rows"
