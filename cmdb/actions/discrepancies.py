"""A discrepancy acknowledged by an engineer: from the API or the audit page, one action."""

from __future__ import annotations

from cmdb.actions.policy import Permission
from cmdb.actions.unit import UnitOfWork
from cmdb.models import Discrepancy
from cmdb.services.acknowledgement import acknowledge_discrepancy


def acknowledge(uow: UnitOfWork, discrepancy_id: int, comment: str | None) -> Discrepancy:
    """ValidationError without a comment, NotFoundError, ConflictError once not open."""
    with uow.begin(Permission.ACKNOWLEDGE_DISCREPANCY) as session:
        return acknowledge_discrepancy(
            session, discrepancy_id, by=uow.caller.actor, comment=comment
        )
