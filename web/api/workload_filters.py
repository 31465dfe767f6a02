"""The workload list's filter that is not a column's value: whether a VM is incomplete.

``incomplete`` stores what the source lacked (a stock NetBox's VM without size or
tenant) as text; a reader asks the yes-or-no question, ``?incomplete=true``.
"""

from __future__ import annotations

import sqlalchemy as sa
from marshmallow import fields

from cmdb.models import Workload
from web.api.resource import ExtraFilter


def _incomplete() -> fields.Field:
    return fields.Boolean(
        metadata={
            "description": "true: only VMs kept without what capacity counts with (their"
            " `incomplete` says what); false: only complete ones"
        }
    )


def _is_incomplete(wanted: bool) -> sa.ColumnElement[bool]:
    column = Workload.__table__.c.incomplete
    return column.is_not(None) if wanted else column.is_(None)


EXTRA_FILTERS = (ExtraFilter("incomplete", _incomplete, _is_incomplete),)
