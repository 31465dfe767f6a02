"""The body of an admin unit's create (POST) and update (PATCH).

The tree's rules that need the database (the parent's level, the children, a code
free among the units in force) are ``cmdb.services.place_rules`` and the
unique check's; this schema checks types, lengths and the validity dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import fields, validate

from cmdb.choices import AdminLevel
from web.api.schemas.write import WriteSchema, choice, day, ref, text, validity_errors


class AdminUnitWriteSchema(WriteSchema):
    code = fields.String(
        required=True,
        validate=[
            validate.Length(min=1, max=10),
            validate.Regexp(r"^\S+$", error="no spaces: a code like 20335"),
        ],
        metadata={
            "description": "The national (GSO) code; unique among the units in force",
            "pattern": r"^\S+$",
        },
    )
    name = text(120, required=True)
    level = choice(AdminLevel, required=True)
    kind = text(60, required=True)
    parent_id = ref(
        "parent unit (none for a province; a higher level for the others)", nullable=True
    )
    successor_id = ref("unit the whole of this one went into when it was dissolved", nullable=True)
    valid_from = day("first day in force (empty: always)")
    valid_to = day("first day no longer in force (empty: still in force)")

    def check_record(self, record: Mapping[str, Any]) -> dict[str, list[str]]:
        return validity_errors(record)
