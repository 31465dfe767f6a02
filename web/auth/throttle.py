"""Wrong secrets from one client are throttled: passwords at the log-in form, and API
tokens (issue 18), counted by the same machinery (``cmdb.services.login_throttle``).

A wrong token is counted as a failed log-in of the name ``token@<address>`` from that
address: a token has no username, so the client is the unit that the per-username
limit (20 by default) holds, as for one account at the form; and the address's own
count (of every wrong secret it sent, passwords too) still applies. Once over either
limit, the next wrong token is answered 429 with Retry-After and not counted again.
Nothing of the key is kept. A valid token is found first and never throttled: a
collector behind the same NAT as a guesser keeps working, and a key of 160 random
bits gives a guesser nothing to learn from the difference.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, request

from cmdb.db import transaction, utcnow
from cmdb.services.login_throttle import ThrottleLimits, load_retry_at, save_failure
from web.db import get_db, get_session


def throttle_limits() -> ThrottleLimits:
    config = current_app.config
    return ThrottleLimits(
        per_username=int(config["CMDB_LOGIN_FAILURES"]),
        per_address=int(config["CMDB_LOGIN_FAILURES_PER_ADDRESS"]),
        window=timedelta(seconds=int(config["CMDB_LOGIN_WINDOW_S"])),
    )


def count_token_failure() -> datetime | None:
    """Count a wrong token of this client; when it was already over the limit, return when
    it may try again (and count nothing more)."""
    address = request.remote_addr or "unknown"
    name = f"token@{address}"
    limits, now = throttle_limits(), utcnow()
    # The request's own transaction may hold SQLite's write lock (a write method): end
    # it first, or the count below would wait for it. Nothing has been written in it.
    get_session().rollback()
    with transaction(get_db().sessions) as db:
        retry_at = load_retry_at(db, name, address, limits, now)
        if retry_at is None:
            save_failure(db, name, address, limits, now)
    return retry_at
