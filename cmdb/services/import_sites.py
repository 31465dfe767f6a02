"""Import of sites (columns: name, slug, kind, admin_unit_code, agency, address,
latitude, longitude, status).

``slug`` is the key (upsert). ``admin_unit_code`` must name a unit already in the
database (import the admin units first); ``agency`` names an existing agency by its
full name or, when unambiguous, its short name. Optional columns that a file leaves
out are left alone on update; an empty cell clears the value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import SiteKind, Source, Status
from cmdb.models import AdminUnit, Agency, Site
from cmdb.services.import_rows import (
    ImportResult,
    RowCheck,
    Table,
    check_header,
    check_keyed_rows,
)
from cmdb.services.import_upsert import upsert_rows
from cmdb.services.provenance import mark_seen

COLUMNS = (
    "name",
    "slug",
    "kind",
    "admin_unit_code",
    "agency",
    "address",
    "latitude",
    "longitude",
    "status",
)
REQUIRED = ("name", "slug", "kind", "admin_unit_code")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Lookups:
    """What rows may refer to: admin unit ids by code, agency ids by name/short name."""

    admin_units: Mapping[str, int]
    agencies: Mapping[str, int]
    short_names: Mapping[str, list[int]]


@dataclass(frozen=True)
class SiteRow:
    """A valid row: the fields to set (optional ones only when the file gives them)."""

    label: str
    slug: str
    values: dict[str, Any]


def check_site_rows(table: Table, lookups: Lookups) -> list[SiteRow]:
    """Validate every row; pure, raises ``ValidationError`` naming every bad row."""
    check_header(table, COLUMNS, REQUIRED)
    return check_keyed_rows(
        table, COLUMNS, lambda check: _read_site(check, lookups), lambda s: s.slug, "slug"
    )


def _read_site(check: RowCheck, lookups: Lookups) -> SiteRow | None:
    """The row's site; None when its slug is unusable. Only rows without errors are kept."""
    if not check.readable:
        return None
    values: dict[str, Any] = {
        "name": check.text("name", max_len=200, required=True),
        "kind": check.choice("kind", SiteKind, required=True),
        "admin_unit_id": _admin_unit(check, lookups),
    }
    slug = check.text("slug", max_len=100, required=True)
    if slug is not None and not SLUG_RE.match(slug):
        check.fail(f"slug: {slug!r} must be lowercase letters, digits and single hyphens")
    if check.has("agency"):
        values["agency_id"] = _agency(check, lookups)
    if check.has("address"):
        values["address"] = check.text("address", max_len=300)
    if check.has("status"):
        values["status"] = check.choice("status", Status) or Status.ACTIVE
    values |= _coordinates(check)
    if slug is None or not SLUG_RE.match(slug):
        return None
    return SiteRow(check.row.label, slug, values)


def _admin_unit(check: RowCheck, lookups: Lookups) -> int | None:
    code = check.text("admin_unit_code", max_len=10, required=True)
    if code is not None and code not in lookups.admin_units:
        check.fail(f"admin_unit_code: {code!r} is not a known admin unit")
    return lookups.admin_units.get(code) if code else None


def _agency(check: RowCheck, lookups: Lookups) -> int | None:
    name = check.text("agency", max_len=200)
    if name is None:
        return None
    if name in lookups.agencies:
        return lookups.agencies[name]
    matches = lookups.short_names.get(name, [])
    if len(matches) == 1:
        return matches[0]
    reason = "matches several agencies; use the full name" if matches else "is not a known agency"
    check.fail(f"agency: {name!r} {reason}")
    return None


def _coordinates(check: RowCheck) -> dict[str, float | None]:
    given = {n for n in ("latitude", "longitude") if check.has(n)}
    if not given:
        return {}
    latitude = check.number("latitude", -90, 90)
    longitude = check.number("longitude", -180, 180)
    if (latitude is None) != (longitude is None) and not check.errors:
        missing = "longitude" if latitude is not None else "latitude"
        check.fail(f"{missing}: required when the other coordinate is given")
    return {"latitude": latitude, "longitude": longitude}


def load_lookups(session: Session) -> Lookups:
    in_force = AdminUnit.valid_to.is_(None)  # a dissolved unit's code may be reused
    units = dict(session.execute(sa.select(AdminUnit.code, AdminUnit.id).where(in_force)).all())
    agencies: dict[str, int] = {}
    short: dict[str, list[int]] = {}
    for agency_id, name, short_name in session.execute(
        sa.select(Agency.id, Agency.name, Agency.short_name).order_by(Agency.id)
    ):
        agencies[name] = agency_id
        if short_name:
            short.setdefault(short_name, []).append(agency_id)
    return Lookups(units, agencies, short)


def import_sites(
    session: Session,
    table: Table,
    *,
    actor: str = "import",
    source: Source = Source.MANUAL,
    log_changes: bool = True,
) -> ImportResult:
    """Validate every row, then create or update by slug; nothing is written if any row is bad."""
    rows = check_site_rows(table, load_lookups(session))
    sites = {s.slug: s for s in session.scalars(sa.select(Site))}
    seen, result = upsert_rows(
        session, sites, ((row.slug, row.values) for row in rows),
        lambda slug: Site(slug=slug, status=Status.ACTIVE), actor=actor,
        describe=lambda site: f"{site.slug} {site.name}", log_changes=log_changes,
    )  # fmt: skip
    mark_seen(session, seen, source, lambda s: s.slug)
    return result
