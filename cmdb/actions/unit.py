"""The unit of work of an action: permission first, one transaction, change log attributed.

One idiom for every interface: the action opens ``UnitOfWork.begin(permission)``,
which refuses a caller without the permission before anything is read, attributes
every change-log row to the caller, flushes at the end (a refused write, a taken
name, is still the action's error) and commits once — or rolls back on any error,
so a refused or failed action leaves nothing written. Only *when* it commits is the
interface's: the API waits until its answer is built (``commit``), so a write is
never kept behind a 500; the UI and the CLI commit when the block ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cmdb.actions.caller import Caller
from cmdb.actions.policy import Permission
from cmdb.errors import ForbiddenError
from cmdb.services.provenance import attribute_changes

Commit = Callable[[Session], None]


def commit_now(session: Session) -> None:
    session.commit()


@dataclass(frozen=True)
class UnitOfWork:
    """The session an action writes in, who acts, and how the interface commits."""

    session: Session
    caller: Caller
    commit: Commit = commit_now

    def require(self, permission: Permission) -> None:
        if not self.caller.may(permission):
            raise ForbiddenError(self.caller.refusal())

    @contextmanager
    def begin(self, permission: Permission | None) -> Iterator[Session]:
        """The action's transaction: refused (ForbiddenError) unless the caller may.
        None only for a reader whose one write is a cache (fitted forecasts)."""
        if permission is not None:
            self.require(permission)
        session = self.session
        attribute_changes(session, self.caller.change_context())
        try:
            yield session
            session.flush()
        except BaseException:
            session.rollback()
            raise
        self.commit(session)
