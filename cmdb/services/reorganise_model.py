"""Plain records of a reorganisation: the inventory as the planner sees it, and the plan.

Kept apart from the planner and the writer so both (and the CLI that prints a
plan) share one vocabulary, and so the planner is tested on hand-made rows
without a database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from cmdb.choices import AdminLevel, AgencyKind, SiteKind


@dataclass(frozen=True, slots=True)
class UnitNow:
    id: int
    code: str
    name: str
    level: AdminLevel
    kind: str
    parent_id: int | None
    valid_from: date | None = None
    valid_to: date | None = None
    successor_id: int | None = None


@dataclass(frozen=True, slots=True)
class SiteNow:
    """A site's current placement; ``placed_since``: when it last changed (None: always)."""

    id: int
    slug: str
    name: str
    kind: SiteKind
    admin_unit_id: int
    agency_id: int | None
    placed_since: date | None = None


@dataclass(frozen=True, slots=True)
class AgencyNow:
    id: int
    name: str
    kind: AgencyKind
    admin_unit_id: int | None
    valid_to: date | None = None


@dataclass(frozen=True, slots=True)
class LinkNow:
    id: int
    name: str
    a_site_id: int
    b_site_id: int


@dataclass(frozen=True)
class Current:
    """What the planner reads: every unit, site, agency and link (ids and keys only)."""

    units: Mapping[int, UnitNow]
    sites: Sequence[SiteNow] = ()
    agencies: Sequence[AgencyNow] = ()
    links: Sequence[LinkNow] = ()


@dataclass(frozen=True, slots=True)
class UnitCreation:
    """A unit of the units file that is not in force yet: created from the effective date."""

    code: str
    name: str
    level: AdminLevel
    kind: str
    parent_code: str | None


@dataclass(frozen=True, slots=True)
class Dissolution:
    """An old unit ending on the effective date; ``successor_code`` receives all of it."""

    unit: UnitNow
    successor_code: str | None


@dataclass(frozen=True, slots=True)
class SiteChange:
    """What happens to one site: moved to ``to_code`` and/or handed to the committee of
    ``committee_of`` (a unit code), with ``kind`` (unchanged unless a committee office
    becomes an ordinary agency office or the new committee's seat)."""

    site: SiteNow
    from_unit: UnitNow
    to_code: str | None
    committee_of: str | None
    kind: SiteKind

    @property
    def moved(self) -> bool:
        return self.to_code is not None


@dataclass(frozen=True, slots=True)
class CommitteeCreation:
    """The People's Committee of a unit that receives committee offices but has none."""

    unit_code: str
    name: str
    short_name: str
    kind: AgencyKind


@dataclass(frozen=True, slots=True)
class InternalLink:
    """A link whose two ends stood in different units and now stand in one."""

    link: LinkNow
    unit_code: str


@dataclass(frozen=True)
class SkippedRow:
    """A mapping row left out with ``--skip-unknown``: its old unit is not in force."""

    label: str
    old_code: str
    reason: str


@dataclass(frozen=True)
class Plan:
    """Everything a reorganisation will write; empty when it has been applied already."""

    effective: date
    creations: tuple[UnitCreation, ...] = ()
    dissolutions: tuple[Dissolution, ...] = ()
    site_changes: tuple[SiteChange, ...] = ()
    committees: tuple[CommitteeCreation, ...] = ()
    merges: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    internal_links: tuple[InternalLink, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)
    skipped: tuple[SkippedRow, ...] = ()  # never written: listed, so none goes unnoticed
    ended_committees: tuple[AgencyNow, ...] = ()  # of dissolved units: end on the day

    @property
    def moves(self) -> list[SiteChange]:
        return [c for c in self.site_changes if c.moved]

    @property
    def is_empty(self) -> bool:
        return not (
            self.creations
            or self.dissolutions
            or self.site_changes
            or self.committees
            or self.ended_committees
        )

    def counts(self) -> dict[str, int]:
        """The figures ``--json`` prints."""
        return {
            "units_created": len(self.creations),
            "units_dissolved": len(self.dissolutions),
            "sites_moved": len(self.moves),
            "sites_reassigned": sum(1 for c in self.site_changes if c.committee_of is not None),
            "committees_created": len(self.committees),
            "committees_ended": len(self.ended_committees),
        }
