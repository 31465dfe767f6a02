"""Who may write what on a resource request: the intended policy, stated once for the
role-matrix tests of every interface (API, UI forms, CLI) and not read from the code.

"own" is a requester of the request's agency, "other" one of another agency.
Requesters file, evaluate, revise and withdraw their own agency's requests;
planners also approve (reserve) and reject; admins do everything; the others nothing.
"""

from __future__ import annotations

FILERS = frozenset({"own", "planner", "admin"})
DECIDERS = frozenset({"planner", "admin"})
REQUEST_WRITES: dict[str, frozenset[str]] = {
    "file": FILERS,
    "evaluate": FILERS,
    "revise": FILERS,
    "withdraw": FILERS,
    "approve": DECIDERS,
    "reject": DECIDERS,
}
