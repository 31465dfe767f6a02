"""Who the change log names for the current HTTP request, and the request's correlation id.

Every change one request writes shares one correlation id: the caller's
``X-Request-ID`` when it sends a usable one (a proxy or a collector that
retries), else a new one. The API echoes it, so a client can ask
``/api/v1/changes/?correlation_id=…`` what its call changed.
"""

from __future__ import annotations

import re
import uuid

from flask import Response, g, request

from cmdb.services.provenance import ChangeContext
from web.auth.identity import actor, current_user

HEADER = "X-Request-ID"
USABLE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def correlation_id() -> str:
    """This request's correlation id, chosen on first use."""
    if "correlation_id" not in g:
        sent = request.headers.get(HEADER, "")
        g.correlation_id = sent if USABLE.match(sent) else uuid.uuid4().hex
    return str(g.correlation_id)


def request_change_context() -> ChangeContext:
    """The change-log context of the current caller (a user, or ``anonymous``)."""
    user = current_user()
    return ChangeContext(
        actor=actor(),
        user_id=user.id if user is not None else None,
        correlation_id=correlation_id(),
    )


def echo_correlation_id(response: Response) -> Response:
    """Return the correlation id to a caller whose request wrote something."""
    if "correlation_id" in g:
        response.headers[HEADER] = g.correlation_id
    return response
