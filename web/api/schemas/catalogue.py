"""The body of a catalogue entry's create (POST) and update (PATCH): the DC's price list."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from marshmallow import fields, validate

from cmdb.choices import CatalogueKind, Network
from web.api.schemas.write import WriteSchema, choice, integer, number, text

#: The sizes each kind needs (the table's CHECK ``kind_fields``); the others stay empty.
NEEDS: dict[str, tuple[str, ...]] = {
    CatalogueKind.SERVER.value: ("cores", "ram_gb"),
    CatalogueKind.STORAGE_SHELF.value: ("raw_tb",),
    CatalogueKind.LINK_TIER.value: ("mbps",),
}
SIZES = ("cores", "ram_gb", "raw_tb", "mbps")
MAX_SIZE = 1e7
MAX_PRICE_VND = 1e15


class CatalogueItemWriteSchema(WriteSchema):
    kind = choice(CatalogueKind, required=True)
    name = text(120, required=True)
    network = choice(Network)
    cores = integer(1, 100_000, nullable=True)
    ram_gb = number(0, MAX_SIZE, min_inclusive=False, nullable=True)
    raw_tb = number(0, MAX_SIZE, min_inclusive=False, nullable=True)
    mbps = number(0, MAX_SIZE, min_inclusive=False, nullable=True)
    price_vnd = number(0, MAX_PRICE_VND, required=True)
    priced_on = fields.Date(
        required=True,
        validate=validate.Range(min=date(1990, 1, 1), max=date(2200, 12, 31)),
        metadata={"description": "day the price was quoted"},
    )

    def check_record(self, record: Mapping[str, Any]) -> dict[str, list[str]]:
        kind = record.get("kind")
        kind = getattr(kind, "value", kind)
        if kind not in NEEDS:
            return {}
        errors: dict[str, list[str]] = {}
        for size in SIZES:
            if size in NEEDS[kind] and record.get(size) is None:
                errors[size] = [f"a {kind} needs it"]
            elif size not in NEEDS[kind] and record.get(size) is not None:
                errors[size] = [f"not used by a {kind} (leave it empty)"]
        if kind != CatalogueKind.LINK_TIER.value and record.get("network") is not None:
            errors["network"] = [f"only a link tier has a network, not a {kind}"]
        return errors
