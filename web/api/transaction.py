"""One unit of work per API action: the request's session, committed only on success."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from cmdb.db import committing
from cmdb.services.provenance import attribute_changes
from web.audit import request_change_context
from web.db import get_session


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """Yield the request's session; commit when the block ends, roll back on any error.

    The capacity actions never commit (callers own the transaction), so a failed
    approval or a request rejected half-way leaves nothing written. Every change
    logged inside names the caller and carries the request's correlation id.
    """
    with committing(get_session()) as session:
        attribute_changes(session, request_change_context())
        yield session
