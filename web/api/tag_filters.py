"""``?tag=<slug>`` on the device and VM lists: repeatable, every tag must be there."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from cmdb.models import Device, Workload
from cmdb.services.tag_filter import MAX_TAG_LENGTH, has_tags
from web.api.resource import ExtraFilter


def _tag() -> fields.Field:
    return fields.List(
        fields.String(validate=validate.Length(min=1, max=MAX_TAG_LENGTH)),
        validate=validate.Length(min=1),
        metadata={"description": "Tag slug; repeat (`?tag=a&tag=b`) for rows with every one"},
    )


def tag_filter(column: Any) -> ExtraFilter:
    def criterion(slugs: Sequence[str]) -> Any:
        return has_tags(column, slugs)

    return ExtraFilter("tag", _tag, criterion, label=_l("Tag"))


DEVICE_FILTERS = (tag_filter(Device.tags),)
WORKLOAD_FILTERS = (tag_filter(Workload.tags),)
