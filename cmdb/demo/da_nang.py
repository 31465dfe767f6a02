"""The post-reform demo's additions: Đà Nẵng's DC (primary), its circuits and offices.

Runs after the 2025 reform step, so the units are the new ones: the DC and the
points of presence stand in Phường Hải Châu; the 16 units that were Đà Nẵng's own
get their People's Committee (the reorganisation only made committees for the 78
that received Quảng Nam offices) and an office linked straight to the DC — no
district aggregation, unlike the former province's communes, whose links still
run through the former district seats to the Quảng Nam DC and on over the
interconnect. The Đặc khu Hoàng Sa committee sits on the mainland, in Hải Châu.
"""

from __future__ import annotations

import random

import sqlalchemy as sa

from cmdb.choices import AgencyKind, Network, SiteKind
from cmdb.demo import da_nang_catalog as dn
from cmdb.demo.context import DemoContext
from cmdb.demo.datacentre import build_datacentre
from cmdb.demo.history import TrafficProfile
from cmdb.demo.reform import REFORM_2025
from cmdb.demo.systems import build_systems
from cmdb.demo.text import inline_name, slugify
from cmdb.models import AdminUnit, Agency, Interface, Link, Site
from cmdb.services.as_of import unit_in_force
from cmdb.services.requests import COMMITTEE_AGENCY_KINDS


def load_da_nang(ctx: DemoContext) -> None:
    units = {
        u.code: u
        for u in ctx.session.scalars(sa.select(AdminUnit).where(unit_in_force(REFORM_2025)))
    }
    city, ward = units[dn.CITY_CODE], units[dn.DC_WARD]
    for name, short, kind in dn.AGENCIES:
        ctx.agencies[short] = Agency(name=name, short_name=short, kind=kind, admin_unit=city)
    ctx.session.add_all(ctx.agencies[short] for _, short, _ in dn.AGENCIES)
    for slug, name, site_kind in dn.SITES:
        owner = ctx.agencies[dn.DC_OWNER] if site_kind == SiteKind.DATA_CENTRE else None
        _site(ctx, slug, name, SiteKind(site_kind), ward, owner, city)
    offices = _city_offices(ctx, units, city, ward)
    ctx.session.flush()
    build_datacentre(ctx, ctx.sites[dn.DC_SLUG], dn.CATALOGUE, "datacentre/da-nang")
    ctx.session.flush()
    rng = ctx.rng("links/da-nang")
    _uplinks(ctx, rng)
    _interconnect(ctx, rng)
    for unit, office in offices:
        _office_link(ctx, rng, unit, office)
    build_systems(ctx, dn.SYSTEMS)


def _site(
    ctx: DemoContext, slug: str, name: str, kind: SiteKind, unit: AdminUnit,
    agency: Agency | None, city: AdminUnit,
) -> Site:  # fmt: skip
    site = Site(
        slug=slug, name=name, kind=kind, admin_unit=unit, agency=agency,
        address=f"{unit.name}, {city.name}",
    )  # fmt: skip
    ctx.session.add(site)
    ctx.sites[slug] = site
    return site


def _city_offices(
    ctx: DemoContext, units: dict[str, AdminUnit], city: AdminUnit, ward: AdminUnit
) -> list[tuple[AdminUnit, Site]]:
    """A committee and an office for every commune-level unit that has no committee yet."""
    has_committee = set(
        ctx.session.scalars(
            sa.select(Agency.admin_unit_id).where(Agency.kind.in_(COMMITTEE_AGENCY_KINDS))
        )
    )
    offices = []
    for unit in sorted(units.values(), key=lambda u: u.code):
        if unit.parent is not city or unit.id in has_committee:
            continue
        spoken = inline_name(unit.name, unit.kind)
        agency = Agency(
            name=f"Ủy ban nhân dân {spoken}, {inline_name(city.name, 'Thành phố')}",
            short_name=f"UBND {spoken}"[:40],
            kind=AgencyKind.COMMUNE_COMMITTEE,
            admin_unit=unit,
        )
        ctx.session.add(agency)
        seat = ward if unit.code == dn.HOANG_SA else unit
        office = _site(
            ctx, f"ubnd-{slugify(unit.name)}-{unit.code}", f"Trụ sở UBND {spoken}",
            SiteKind.COMMUNE_OFFICE, seat, agency, city,
        )  # fmt: skip
        offices.append((unit, office))
    return offices


def _port(ctx: DemoContext, device: str, name: str) -> Interface:
    return next(i for i in ctx.devices[device].interfaces if i.name == name)


def _uplinks(ctx: DemoContext, rng: random.Random) -> None:
    dc = ctx.sites[dn.DC_SLUG]
    for router, port, network, mbps, provider, circuit, pop, share, growth in dn.UPLINKS:
        label = "Internet" if network is Network.INTERNET else "TSLCD"
        link = Link(
            name=f"{label} {provider} – Trung tâm Dữ liệu thành phố Đà Nẵng",
            network=network, a_site=ctx.sites[pop], b_site=dc,
            b_interface=_port(ctx, router, port), commit_rate_mbps=float(mbps),
            port_speed_mbps=10_000.0, provider=provider, circuit_id=circuit,
        )  # fmt: skip
        ctx.session.add(link)
        p95 = mbps * share * rng.uniform(0.95, 1.05)
        ctx.link_traffic.append(
            (link, TrafficProfile(float(mbps), p95, growth, rng.uniform(0.4, 0.6)))
        )


def _interconnect(ctx: DemoContext, rng: random.Random) -> None:
    """Two 10 Gbps circuits between the DCs (TSLCD: the communes' traffic crosses them)."""
    for n, (router, port, provider, circuit, share) in enumerate(dn.INTERCONNECT, start=1):
        link = Link(
            name=f"Liên kết TTDL Quảng Nam – TTDL Đà Nẵng #{n} (10 Gbps)",
            network=Network.TSLCD, a_site=ctx.sites[dn.QUANG_NAM_DC_SLUG],
            b_site=ctx.sites[dn.DC_SLUG], b_interface=_port(ctx, router, port),
            port_speed_mbps=float(dn.INTERCONNECT_MBPS), provider=provider, circuit_id=circuit,
        )  # fmt: skip
        ctx.session.add(link)
        cap = float(dn.INTERCONNECT_MBPS)
        profile = TrafficProfile(cap, cap * share, dn.INTERCONNECT_GROWTH, rng.uniform(0.8, 1.0))
        ctx.link_traffic.append((link, profile))


def _office_link(ctx: DemoContext, rng: random.Random, unit: AdminUnit, office: Site) -> None:
    cap = float(dn.CITY_OFFICE_MBPS)
    link = Link(
        name=f"TSLCD {inline_name(unit.name, unit.kind)} – Trung tâm Dữ liệu thành phố Đà Nẵng",
        network=Network.TSLCD, a_site=office, b_site=ctx.sites[dn.DC_SLUG],
        commit_rate_mbps=cap, port_speed_mbps=1000.0, provider="VNPT",
        circuit_id=f"TSLCD-DNG-{unit.code}",
    )  # fmt: skip
    ctx.session.add(link)
    profile = TrafficProfile(
        cap, cap * rng.uniform(0.15, 0.35), rng.uniform(0.08, 0.18), rng.uniform(0.25, 0.45)
    )
    ctx.link_traffic.append((link, profile))
