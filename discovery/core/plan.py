"""A plan: what the planner decided and the writer will do, printable by ``--dry-run``.

Records are named by ``Ref``: a known record by its id, a record this plan creates by
the label of the observation that made it, so a plan (parts of new hosts included)
reads whole before anything has an id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from cmdb.choices import DiscrepancyKind, Source
from discovery.core.identity import Conflict, MatchedBy
from discovery.core.observations import Details, Facts, FactValue, RecordKind


@dataclass(frozen=True)
class Ref:
    """A record: known (``id``) or created by this plan (``new``, an observation's label)."""

    kind: RecordKind
    id: int | None = None
    new: str | None = None

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}" if self.id is not None else f"{self.kind}:new:{self.new}"


@dataclass(frozen=True)
class Change:
    field: str
    before: FactValue
    after: FactValue


@dataclass(frozen=True)
class Create:
    """A new record with its values; a part's ``parent`` is its host; ``pending``:
    columns naming records this plan creates too (the writer gives them ids first)."""

    ref: Ref
    values: Facts
    parent: Ref | None = None
    pending: Mapping[str, Ref] = field(default_factory=dict)


@dataclass(frozen=True)
class Update:
    """Fields of a known record, each with its value before and after; ``pending``:
    columns that now name records this plan creates."""

    ref: Ref
    changes: tuple[Change, ...]
    pending: Mapping[str, Ref] = field(default_factory=dict)


@dataclass(frozen=True)
class Seen:
    """The source saw the record now: its mark moves, what it stated is kept.

    ``new_mark``: the source had no mark on it, or knew it under another id — a
    change of provenance; moving an existing mark's time is not a change.
    ``label``: the observation's, so a run can say which of its targets became which record.
    ``reported``, ``details``: the observation's, kept with what it stated (never planned).
    """

    ref: Ref
    source: Source
    source_id: str | None
    at: datetime
    stated: Facts
    matched_by: MatchedBy | None = None
    new_mark: bool = False
    label: str = ""
    row: bool = True  # the run keeps an observation row of ``stated`` (Observation.unrecorded)
    reported: Facts = field(default_factory=dict)
    details: Details = field(default_factory=dict)


@dataclass(frozen=True)
class NotSeen:
    """A record the run read the place of and did not find: "not seen by X since …".

    Only records inside the run's coverage are listed; nothing is deleted.
    """

    ref: Ref
    source: Source
    since: datetime


class DiscrepancyAction(StrEnum):
    OPEN = "open"  # a new disagreement
    REVISE = "revise"  # other values: an acknowledged one opens again
    CONFIRM = "confirm"  # the same disagreement found again: its "last seen" moves
    RESOLVE = "resolve"  # the sources agree again (only on what this run read)


@dataclass(frozen=True)
class DiscrepancyChange:
    """``values``: "record" and each source's value (RESOLVE: the agreeing ones); the
    audit's speed findings group each source's values under it (a mapping per source)."""

    action: DiscrepancyAction
    kind: DiscrepancyKind
    ref: Ref
    field: str
    values: Mapping[str, object]

    def line(self) -> str:
        """One line of ``--dry-run``: what happens, to which field, each source's value."""
        said = ", ".join(f"{source} {value!r}" for source, value in self.values.items())
        return f"{self.action} {self.kind} discrepancy {self.ref} {self.field}: {said}"


@dataclass(frozen=True)
class Refused:
    """An observation the plan could not place, and why: the run counts it as failed."""

    source: Source
    label: str
    reason: str


@dataclass(frozen=True)
class IdentityNote:
    """An identity resolved against the word of a weaker key: reported, never merged."""

    ref: Ref
    label: str
    conflicts: tuple[Conflict, ...]


@dataclass(frozen=True)
class Plan:
    source: Source
    creates: tuple[Create, ...] = ()
    updates: tuple[Update, ...] = ()
    seen: tuple[Seen, ...] = ()
    not_seen: tuple[NotSeen, ...] = ()
    discrepancies: tuple[DiscrepancyChange, ...] = ()
    refused: tuple[Refused, ...] = ()
    notes: tuple[IdentityNote, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        """Nothing changes: what planning again after applying must give.

        Moving "last seen" is bookkeeping, and "not seen since" is a report (the
        mark simply stops moving), so neither counts.
        """
        return not (
            self.creates or self.updates or self.discrepancies or any(s.new_mark for s in self.seen)
        )
