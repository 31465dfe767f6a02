"""The body of a site's create (POST) and update (PATCH)."""

from __future__ import annotations

from cmdb.choices import SiteKind, Status
from web.api.schemas.write import WriteSchema, choice, flag, number, ref, slug, text


class SiteWriteSchema(WriteSchema):
    name = text(200, required=True)
    slug = slug(100)
    kind = choice(SiteKind, required=True)
    status = choice(Status)
    admin_unit_id = ref("admin unit the site is in", required=True)
    agency_id = ref("agency that owns the site", nullable=True)
    address = text(300, nullable=True)
    latitude = number(-90, 90, nullable=True)
    longitude = number(-180, 180, nullable=True)
    is_dc = flag()  # "the DC" (DESIGN §6): at most one site; none: the most clusters' site
