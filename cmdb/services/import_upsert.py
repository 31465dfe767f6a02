"""The write half every import shares: create or update records by their key, log each
change, count what was created, updated and left as it was."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from cmdb.choices import ChangeAction
from cmdb.services.import_rows import ImportResult
from cmdb.services.provenance import Sourced, log_change

M = TypeVar("M", bound=Sourced)


def upsert_rows(
    session: Session,
    existing: dict[str, M],
    rows: Iterable[tuple[str, Mapping[str, Any]]],
    new: Callable[[str], M],
    *,
    actor: str,
    describe: Callable[[M], str],
    log_changes: bool = True,
) -> tuple[list[M], ImportResult]:
    """Each (key, values) row sets ``values`` on the record ``existing`` holds under the key,
    or on a new one (``new(key)``, added to the session); a row whose values the record
    already holds changes nothing. The records of every row, and the counts."""
    changes: list[tuple[M, dict[str, Any] | None, dict[str, Any]]] = []
    seen: list[M] = []
    for key, values in rows:
        record = existing.get(key)
        before = None if record is None else {k: getattr(record, k) for k in values}
        if record is None:
            record = existing[key] = new(key)
            session.add(record)
        if before != values:
            for name, value in values.items():
                setattr(record, name, value)
            changes.append((record, before, dict(values)))
        seen.append(record)
    session.flush()
    for record, before, after in changes if log_changes else []:
        action = ChangeAction.CREATE if before is None else ChangeAction.UPDATE
        log_change(session, actor=actor, action=action, obj=record,
                   object_repr=describe(record), before=before, after=after)  # fmt: skip
    created = sum(1 for _, before, _ in changes if before is None)
    return seen, ImportResult(created, len(changes) - created, len(seen) - len(changes))
