"""The body of ``PUT /api/v1/network-settings/networks/<network>``: how capacity treats
one network's DC uplinks (DESIGN §6)."""

from __future__ import annotations

from marshmallow import fields, validate

from cmdb.choices import Redundancy, SiteKind
from web.api.schemas.write import WriteSchema, choice


class NetworkSettingWriteSchema(WriteSchema):
    redundancy = choice(Redundancy, required=True)
    uplink_site_kinds = fields.List(
        fields.String(validate=validate.OneOf([k.value for k in SiteKind])),
        required=True,
        validate=validate.Length(min=1, max=len(SiteKind)),
        metadata={
            "description": "A link from the DC is this network's DC uplink when its far end "
            "is a site of one of these kinds (default: pop)"
        },
    )
