"""Links: the DC's uplinks and the TSLCD tree through which every commune reaches the DC.

Topology (a-side = the end nearer the users, b-side = the end nearer the DC):
commune office → its district office → the DC, all TSLCD (VNPT), plus the DC's
Internet uplinks (VNPT 2 Gbps, Viettel 1 Gbps) and its uplink to the national TSLCD
at VNPT's point of presence.

Load (today's typical weekday p95, see ``history.TrafficProfile``; weekly peaks run
~10 % higher): commune links mostly 15–40 % of 20 Mbps; six hot lowland ones at
54–60 % growing ~25 %/year (their peaks cross the 70 % ceiling within a year or
so); eight mountain communes on slow circuits (4–10 Mbps) at 35–55 % — the ones a
video-conferencing roll-out trips on. A district link carries its office's own
traffic plus half the sum of its communes' peaks (peaks do not coincide), at most
55 % of its capacity: 200 Mbps for districts of 15 communes or more, else 100 Mbps.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from cmdb.choices import AdminLevel, Network
from cmdb.demo.context import DemoContext
from cmdb.demo.history import TrafficProfile
from cmdb.demo.text import inline_name
from cmdb.models import AdminUnit, Interface, Link, Site

MOUNTAIN_DISTRICTS = ("504", "505", "510", "511", "515", "516")
SLOW_COMMUNES = 8
SLOW_RATES_MBPS = (4, 6, 8, 10)
HOT_COMMUNES = 6
COMMUNE_MBPS = 20
BIG_DISTRICT_COMMUNES = 15
NETWORK_LABEL = {Network.INTERNET: "Internet", Network.TSLCD: "TSLCD"}


@dataclass(frozen=True)
class Uplink:
    """A DC uplink: the POP at its a-side, the DC router port, the contract and the load."""

    pop: str
    router: str
    port: str
    network: Network
    commit_mbps: int
    provider: str
    circuit_id: str
    p95_share: float
    growth_per_year: float


UPLINKS = (
    Uplink(
        "pop-vnpt-tam-ky",
        "rt-01",
        "TenGigabitEthernet0/1/0",
        Network.INTERNET,
        2000,
        "VNPT",
        "VNPT-QNM-DIA-0049",
        0.35,
        0.10,
    ),
    Uplink(
        "pop-viettel-tam-ky",
        "rt-02",
        "TenGigabitEthernet0/1/0",
        Network.INTERNET,
        1000,
        "Viettel",
        "VTL-QNM-DIA-1102",
        0.30,
        0.10,
    ),
    Uplink(
        "pop-vnpt-tam-ky",
        "rt-01",
        "TenGigabitEthernet0/1/1",
        Network.TSLCD,
        1000,
        "VNPT",
        "TSLCD-QNM-TTDL",
        0.25,
        0.15,
    ),
)


def load_links(ctx: DemoContext) -> None:
    rng = ctx.rng("links")
    _uplinks(ctx, rng)
    slow, hot = _special_communes(ctx, rng)
    for district in ctx.units_at(AdminLevel.DISTRICT):
        office = ctx.district_offices[district.code]
        commune_p95 = 0.0
        for commune in ctx.communes_of(district):
            profile = _commune_profile(rng, slow.get(commune.code), commune.code in hot)
            commune_p95 += profile.p95_mbps
            _link(ctx, ctx.commune_offices[commune.code], office, commune, profile)
        _district_link(ctx, rng, district, office, commune_p95)


def _uplinks(ctx: DemoContext, rng: random.Random) -> None:
    dc = ctx.sites["ttdl-quang-nam"]
    for up in UPLINKS:
        link = Link(
            name=f"{NETWORK_LABEL[up.network]} {up.provider} – Trung tâm Dữ liệu tỉnh",
            network=up.network,
            a_site=ctx.sites[up.pop],
            b_site=dc,
            b_interface=_interface(ctx, up.router, up.port),
            commit_rate_mbps=float(up.commit_mbps),
            port_speed_mbps=10_000.0,
            provider=up.provider,
            circuit_id=up.circuit_id,
        )
        ctx.session.add(link)
        p95 = up.commit_mbps * up.p95_share * rng.uniform(0.95, 1.05)
        profile = TrafficProfile(up.commit_mbps, p95, up.growth_per_year, rng.uniform(0.4, 0.6))
        ctx.link_traffic.append((link, profile))


def _interface(ctx: DemoContext, device: str, name: str) -> Interface:
    return next(i for i in ctx.devices[device].interfaces if i.name == name)


def _special_communes(ctx: DemoContext, rng: random.Random) -> tuple[dict[str, int], set[str]]:
    """Slow mountain communes (code → Mbps) and hot lowland ones; district seats excluded."""
    seats = {office.admin_unit.code for office in ctx.district_offices.values()}
    communes = [u for u in ctx.units_at(AdminLevel.COMMUNE) if u.code not in seats]
    in_mountains = {u.code for u in communes if u.parent and u.parent.code in MOUNTAIN_DISTRICTS}
    slow_codes = rng.sample(sorted(in_mountains), SLOW_COMMUNES)
    slow = {code: rng.choice(SLOW_RATES_MBPS) for code in slow_codes}
    lowland = [u.code for u in communes if u.code not in in_mountains]
    return slow, set(rng.sample(lowland, HOT_COMMUNES))


def _commune_profile(rng: random.Random, slow_mbps: int | None, hot: bool) -> TrafficProfile:
    if slow_mbps is not None:
        share, growth, cap = rng.uniform(0.35, 0.55), rng.uniform(0.10, 0.18), slow_mbps
    elif hot:
        share, growth, cap = rng.uniform(0.54, 0.60), rng.uniform(0.22, 0.28), COMMUNE_MBPS
    else:
        share, growth, cap = rng.uniform(0.15, 0.40), rng.uniform(0.08, 0.20), COMMUNE_MBPS
    return TrafficProfile(float(cap), cap * share, growth, rng.uniform(0.25, 0.45))


def _district_link(
    ctx: DemoContext, rng: random.Random, district: AdminUnit, office: Site, commune_p95: float
) -> None:
    big = len(ctx.communes_of(district)) >= BIG_DISTRICT_COMMUNES
    cap = 200.0 if big else 100.0
    p95 = min(rng.uniform(8, 15) + 0.5 * commune_p95, 0.55 * cap)
    profile = TrafficProfile(cap, p95, rng.uniform(0.10, 0.16), rng.uniform(0.3, 0.45))
    _link(ctx, office, ctx.sites["ttdl-quang-nam"], district, profile, port_mbps=1000.0)


def _link(
    ctx: DemoContext,
    a_site: Site,
    b_site: Site,
    unit: AdminUnit,
    profile: TrafficProfile,
    port_mbps: float = 100.0,
) -> None:
    link = Link(
        name=f"TSLCD {inline_name(unit.name, unit.kind)} – {b_site.name.removeprefix('Trụ sở ')}",
        network=Network.TSLCD,
        a_site=a_site,
        b_site=b_site,
        commit_rate_mbps=profile.capacity_mbps,
        port_speed_mbps=port_mbps,
        provider="VNPT",
        circuit_id=f"TSLCD-QNM-{unit.code}",
    )
    ctx.session.add(link)
    ctx.link_traffic.append((link, profile))
