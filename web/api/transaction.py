"""One unit of work per API action: the action layer's (``cmdb.actions.unit``), with the
permission of the route being served, committed only once the response is ready.

The generated inventory writes, samples, facts, discovery runs and acknowledgements
open it here; the request lifecycle opens it in its actions
(``capacity.request_actions``) with the unit ``web.auth.caller.api_unit`` builds.
Either way one idiom: the permission checked, every change logged inside naming the
caller and carrying the request's correlation id, rolled back on any error, and
committed once — after the answer is built, so a write is never kept behind a 500.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import request
from sqlalchemy.orm import Session

from web.auth.caller import api_unit
from web.auth.permissions import READ_METHODS, endpoint_permission


@contextmanager
def unit_of_work(*, commit_now: bool = False) -> Iterator[Session]:
    """The route's unit of work; ``commit_now`` commits when the block ends instead, for a
    view that then hands the work to another process (a job), which must find it stored.
    A read (the capacity report) may write only its forecast cache: no permission."""
    uow = api_unit(commit_at_end=commit_now)
    permission = None if request.method in READ_METHODS else endpoint_permission()
    with uow.begin(permission) as session:
        yield session
