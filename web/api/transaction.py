"""One unit of work per API action: the request's session, committed only on success,
and only once the response is ready (``web.db.commit_when_answered``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import has_request_context
from sqlalchemy.orm import Session

from cmdb.services.provenance import attribute_changes
from web.audit import request_change_context
from web.db import commit_when_answered, get_session


@contextmanager
def unit_of_work(*, commit_now: bool = False) -> Iterator[Session]:
    """Yield the request's session; roll it back on any error, else commit it once answered.

    The block's writes are flushed when it ends, so a refused write (a unique name
    taken) is still the view's error. The commit waits until the response is built:
    a write is never kept behind a 500 (presenting the record, serialising it).
    ``commit_now`` commits when the block ends instead, for a view that then hands
    the work to another process (a job), which must find it stored.
    The capacity actions never commit (callers own the transaction), so a failed
    approval or a request rejected half-way leaves nothing written. Every change
    logged inside names the caller and carries the request's correlation id.
    """
    session = get_session()
    attribute_changes(session, request_change_context())
    try:
        yield session
        session.flush()
    except BaseException:
        session.rollback()
        raise
    if commit_now or not has_request_context():
        session.commit()
    else:
        commit_when_answered()
