"""A person acknowledges a discrepancy with a comment: the use case the CLI, API and page share."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cmdb.errors import ConflictError, NotFoundError, ValidationError
from cmdb.models import Discrepancy
from cmdb.services.discrepancies import NotAcknowledgeableError, acknowledge

MAX_COMMENT = 2000


def acknowledge_discrepancy(
    session: Session, discrepancy_id: int, *, by: str, comment: str | None
) -> Discrepancy:
    """Acknowledge an open discrepancy; an empty comment is refused (it is the point).

    Raises ``ValidationError`` (no comment), ``NotFoundError``, ``ConflictError`` (not
    open: already acknowledged or resolved). Does not commit.
    """
    text = (comment or "").strip()
    if not text:
        raise ValidationError({"comment": ["say why it is acknowledged"]})
    if len(text) > MAX_COMMENT:
        raise ValidationError({"comment": [f"at most {MAX_COMMENT} characters"]})
    found = session.get(Discrepancy, discrepancy_id)
    if found is None:
        raise NotFoundError(f"no discrepancy {discrepancy_id}")
    try:
        acknowledge(found, by=by, comment=text)
    except NotAcknowledgeableError as exc:
        raise ConflictError(f"{exc}: only an open discrepancy can be acknowledged") from exc
    session.flush()
    return found
