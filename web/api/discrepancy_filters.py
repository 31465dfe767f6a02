"""The discrepancy list's filters that are not columns: the record's site, a source's presence."""

from __future__ import annotations

from marshmallow import fields, validate

from cmdb.services.discrepancy_filter import SOURCE_KEYS, at_site, has_source
from web.api.resource import ExtraFilter


def _site() -> fields.Field:
    return fields.String(
        validate=validate.Length(min=1, max=100),
        metadata={"description": "Site slug of the record (a link: either end)"},
    )


def _source() -> fields.Field:
    return fields.String(
        validate=validate.OneOf(SOURCE_KEYS),
        metadata={"description": "Only discrepancies this source has a value in"},
    )


EXTRA_FILTERS = (
    ExtraFilter("site", _site, at_site),
    ExtraFilter("source", _source, has_source),
)
