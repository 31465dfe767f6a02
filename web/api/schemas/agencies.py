"""The body of an agency's create (POST) and update (PATCH)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cmdb.choices import AgencyKind
from web.api.schemas.write import WriteSchema, choice, day, ref, text, validity_errors


class AgencyWriteSchema(WriteSchema):
    name = text(200, required=True)
    short_name = text(40, nullable=True)
    kind = choice(AgencyKind, required=True)
    admin_unit_id = ref("admin unit (a People's Committee's own unit)", nullable=True)
    valid_from = day("first day in force (empty: always)")
    valid_to = day("first day no longer in force (empty: still in force)")

    def check_record(self, record: Mapping[str, Any]) -> dict[str, list[str]]:
        return validity_errors(record)
