"""Reading discovery runs for the pages: one page of runs, one run with its results."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from cmdb.models import DiscoveryResult, DiscoveryRun, Site
from cmdb.services.paging import Page, clamp_page


def load_runs(session: Session, page: int, page_size: int) -> Page[DiscoveryRun]:
    """Runs newest first."""
    total = session.scalar(sa.select(sa.func.count()).select_from(DiscoveryRun)) or 0
    number = clamp_page(page, total, page_size)
    stmt = (
        sa.select(DiscoveryRun)
        .order_by(DiscoveryRun.id.desc())
        .limit(page_size)
        .offset((number - 1) * page_size)
    )
    return Page(list(session.scalars(stmt)), total, number, page_size)


def get_run(session: Session, run_id: int) -> DiscoveryRun | None:
    """A run with its per-target results and their devices (failures first)."""
    stmt = (
        sa.select(DiscoveryRun)
        .where(DiscoveryRun.id == run_id)
        .options(selectinload(DiscoveryRun.results).selectinload(DiscoveryResult.device))
    )
    return session.scalars(stmt).first()


def run_parts(session: Session, run_id: int) -> list[DiscoveryRun]:
    """The chunks of a split run (a poll shared by several workers), in order."""
    stmt = sa.select(DiscoveryRun).where(DiscoveryRun.parent_id == run_id)
    return list(session.scalars(stmt.order_by(DiscoveryRun.id)))


def load_site_choices(session: Session) -> list[tuple[str, str]]:
    """(slug, name) of every site: where a discovery may put the devices it finds."""
    return [
        (slug, name)
        for slug, name in session.execute(sa.select(Site.slug, Site.name).order_by(Site.name))
    ]
