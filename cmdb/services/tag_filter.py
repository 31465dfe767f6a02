"""Which devices and VMs carry given tags: ``?tag=`` on the lists and the Ansible hosts.

Tags are a JSON list of slugs per row (migration 0025), so "has the tag" is a
question about a JSON array (``cmdb.services.json_sql``). Every tag asked for must be
there (``pci-dss`` and ``backup`` narrows, as a second filter does), not any one of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.expression import ColumnElement

from cmdb.services.json_sql import json_array_holds

#: A NetBox tag slug is at most 100 characters.
MAX_TAG_LENGTH = 100


def has_tags(column: Any, slugs: Sequence[str]) -> ColumnElement[bool]:
    """Every slug of ``slugs`` is among the row's tags (no slugs: every row)."""
    return sa.and_(
        sa.true(),
        *(json_array_holds(column, sa.literal(s, sa.String)) for s in dict.fromkeys(slugs)),
    )
