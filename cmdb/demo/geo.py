"""The province: admin units, agencies and the People's Committee sites.

Admin units come from the package file through the importer (so the demo exercises
the same validation a user's file gets). A site's admin unit is the smallest unit
that contains it: a commune People's Committee sits in its commune; a district
People's Committee sits in the commune-level unit of its district town —
``district_seat`` says which.
"""

from __future__ import annotations

from importlib.resources import files

import sqlalchemy as sa

from cmdb.choices import AdminLevel, AgencyKind, SiteKind, Source
from cmdb.demo.context import DemoContext
from cmdb.demo.text import inline_name, slugify
from cmdb.models import AdminUnit, Agency, Site
from cmdb.services.import_admin_units import import_admin_units
from cmdb.services.importer import Format, parse_table

PROVINCE_CODE = "49"
ADMIN_UNITS_FILE = "quang-nam-admin-units.csv"

# Where a district People's Committee sits. Rule: the district's thị trấn when it has
# exactly one (12 districts); this table for the other six: the central ward of a city
# or town, the commune of the district centre where there is no thị trấn, and Quế
# Sơn, which has two thị trấn (the committee is in Đông Phú).
DISTRICT_SEATS = {
    "502": "20335",  # Thành phố Tam Kỳ → Phường Tân Thạnh (city centre)
    "503": "20398",  # Thành phố Hội An → Phường Minh An (city centre, old town)
    "507": "20551",  # Thị xã Điện Bàn → Phường Vĩnh Điện (the former district town)
    "504": "20455",  # Huyện Tây Giang → Xã A Tiêng (district centre, no thị trấn)
    "516": "20944",  # Huyện Nam Trà My → Xã Trà Mai (district centre, no thị trấn)
    "509": "20641",  # Huyện Quế Sơn → Thị trấn Đông Phú (of its two thị trấn)
}
DC_WARD = "20335"  # Phường Tân Thạnh, Tam Kỳ: the provincial administrative centre

# (name, short name, kind): the provincial bodies that own systems or ask for resources.
PROVINCIAL_AGENCIES = (
    ("Ủy ban nhân dân tỉnh Quảng Nam", "UBND tỉnh", AgencyKind.PROVINCIAL_COMMITTEE),
    ("Văn phòng Ủy ban nhân dân tỉnh Quảng Nam", "VP UBND tỉnh", AgencyKind.DEPARTMENT),
    ("Sở Nội vụ", "SNV", AgencyKind.DEPARTMENT),
    ("Sở Tài chính", "STC", AgencyKind.DEPARTMENT),
    ("Sở Kế hoạch và Đầu tư", "SKHĐT", AgencyKind.DEPARTMENT),
    ("Sở Tài nguyên và Môi trường", "STNMT", AgencyKind.DEPARTMENT),
    ("Sở Y tế", "SYT", AgencyKind.DEPARTMENT),
    ("Sở Giáo dục và Đào tạo", "SGDĐT", AgencyKind.DEPARTMENT),
    ("Sở Thông tin và Truyền thông", "STTTT", AgencyKind.DEPARTMENT),
    ("Sở Tư pháp", "STP", AgencyKind.DEPARTMENT),
    ("Sở Giao thông vận tải", "SGTVT", AgencyKind.DEPARTMENT),
    ("Sở Xây dựng", "SXD", AgencyKind.DEPARTMENT),
    ("Sở Nông nghiệp và Phát triển nông thôn", "SNNPTNT", AgencyKind.DEPARTMENT),
    ("Sở Lao động - Thương binh và Xã hội", "SLĐTBXH", AgencyKind.DEPARTMENT),
    ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL", AgencyKind.DEPARTMENT),
    ("Sở Công Thương", "SCT", AgencyKind.DEPARTMENT),
    ("Sở Khoa học và Công nghệ", "SKHCN", AgencyKind.DEPARTMENT),
    ("Thanh tra tỉnh Quảng Nam", "Thanh tra tỉnh", AgencyKind.DEPARTMENT),
    ("Công an tỉnh Quảng Nam", "Công an tỉnh", AgencyKind.OTHER),
)

# (slug, name, kind, agency): the DC (run by the Sở TT&TT) and the providers' POPs.
DC_SITES = (
    ("ttdl-quang-nam", "Trung tâm Dữ liệu tỉnh Quảng Nam", SiteKind.DATA_CENTRE, "STTTT"),
    ("pop-vnpt-tam-ky", "VNPT Quảng Nam – POP Tam Kỳ (TSLCD, Internet)", SiteKind.POP, None),
    ("pop-viettel-tam-ky", "Viettel Quảng Nam – POP Tam Kỳ (Internet)", SiteKind.POP, None),
)


def admin_units_csv() -> str:
    """The package's admin-unit file (never read from outside the package)."""
    return (files("cmdb") / "data" / ADMIN_UNITS_FILE).read_text(encoding="utf-8")


def load_admin_units(ctx: DemoContext) -> None:
    import_admin_units(
        ctx.session,
        parse_table(admin_units_csv(), Format.CSV),
        actor="demo",
        source=Source.DEMO,
        log_changes=False,
    )
    ctx.units = {u.code: u for u in ctx.session.scalars(sa.select(AdminUnit))}


def district_seat(district: AdminUnit, communes: list[AdminUnit]) -> AdminUnit:
    """The commune-level unit the district People's Committee sits in (see DISTRICT_SEATS)."""
    if district.code in DISTRICT_SEATS:
        code = DISTRICT_SEATS[district.code]
        return next(c for c in communes if c.code == code)
    towns = [c for c in communes if c.kind == "Thị trấn"]
    if len(towns) != 1:
        raise LookupError(f"no seat chosen for {district.name} ({len(towns)} thị trấn)")
    return towns[0]


def load_agencies(ctx: DemoContext) -> None:
    province = ctx.units[PROVINCE_CODE]
    for name, short, kind in PROVINCIAL_AGENCIES:
        ctx.agencies[short] = Agency(name=name, short_name=short, kind=kind, admin_unit=province)
    for level, kind in (
        (AdminLevel.DISTRICT, AgencyKind.DISTRICT_COMMITTEE),
        (AdminLevel.COMMUNE, AgencyKind.COMMUNE_COMMITTEE),
    ):
        for unit in ctx.units_at(level):
            spoken = inline_name(unit.name, unit.kind)
            ctx.agencies[f"ubnd-{unit.code}"] = Agency(
                name=f"Ủy ban nhân dân {spoken}",
                short_name=f"UBND {spoken}"[:40],
                kind=kind,
                admin_unit=unit,
            )
    ctx.session.add_all(ctx.agencies.values())


def load_committee_sites(ctx: DemoContext) -> None:
    """One office per district and per commune People's Committee."""
    for district in ctx.units_at(AdminLevel.DISTRICT):
        communes = ctx.communes_of(district)
        seat = district_seat(district, communes)
        ctx.district_offices[district.code] = _site(
            ctx,
            slug=f"ubnd-{slugify(district.name)}",
            name=f"Trụ sở UBND {inline_name(district.name, district.kind)}",
            kind=SiteKind.DISTRICT_OFFICE,
            unit=seat,
            agency=f"ubnd-{district.code}",
            address=f"{seat.name}, {district.name}, Tỉnh Quảng Nam",
        )
        for commune in communes:
            ctx.commune_offices[commune.code] = _site(
                ctx,
                slug=f"ubnd-{slugify(commune.name)}-{commune.code}",
                name=f"Trụ sở UBND {inline_name(commune.name, commune.kind)}",
                kind=SiteKind.COMMUNE_OFFICE,
                unit=commune,
                agency=f"ubnd-{commune.code}",
                address=f"{commune.name}, {district.name}, Tỉnh Quảng Nam",
            )


def load_dc_sites(ctx: DemoContext) -> None:
    ward = ctx.units[DC_WARD]
    address = f"{ward.name}, Thành phố Tam Kỳ, Tỉnh Quảng Nam"
    for slug, name, kind, agency in DC_SITES:
        _site(ctx, slug=slug, name=name, kind=kind, unit=ward, agency=agency, address=address)


def _site(
    ctx: DemoContext,
    *,
    slug: str,
    name: str,
    kind: SiteKind,
    unit: AdminUnit,
    agency: str | None,
    address: str,
) -> Site:
    site = Site(
        slug=slug,
        name=name,
        kind=kind,
        admin_unit=unit,
        agency=ctx.agencies[agency] if agency else None,
        address=address,
    )
    ctx.session.add(site)
    ctx.sites[slug] = site
    return site
