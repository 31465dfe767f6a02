"""Who calls an action: a user of the API or the UI, a user the CLI acts as, or the
server's operator at the console.

Each interface builds one ``Caller`` per request or command; the action asks it
whether it may act and hands its change-log context to the unit of work, so every
change-log row names the acting user whichever interface wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmdb.actions import policy
from cmdb.actions.policy import Permission
from cmdb.models import ResourceRequest, User
from cmdb.services.provenance import ChangeContext
from cmdb.services.request_visibility import may_see_request


@dataclass(frozen=True)
class Caller:
    """``operator``: the person with the server's shell and its database (the CLI without
    ``--as``) holds every permission, as the database's owner does anyway."""

    user: User | None
    actor: str
    correlation_id: str | None = None
    operator: bool = False

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user is not None else None

    def may(self, permission: Permission) -> bool:
        return self.operator or policy.may(self.user, permission)

    def sees(self, req: ResourceRequest) -> bool:
        return self.operator or may_see_request(self.user, req)

    def may_act_for_agency(self, agency_id: int | None) -> bool:
        return self.operator or policy.may_act_for_agency(self.user, agency_id)

    def refusal(self) -> str:
        """Why a permission is refused, in the words the API has always answered."""
        who = self.user.role.value if self.user is not None else "anonymous caller"
        return f"a {who} may not do this"

    def change_context(self) -> ChangeContext:
        return ChangeContext(self.actor, self.user_id, self.correlation_id)


def user_caller(user: User | None, *, correlation_id: str | None = None) -> Caller:
    """The caller a logged-in user (or an anonymous visitor) is."""
    return Caller(user, user.username if user is not None else "anonymous", correlation_id)
