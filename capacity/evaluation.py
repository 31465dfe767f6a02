"""The answer to a request, as plain records: the evaluation JSON of issue 3.

Kept apart from the search that produces it so the API, the CLI and the stored
evaluations can read and render an answer without the engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from typing import Any, NotRequired, TypedDict

import numpy as np

from capacity.bills import Bills, OwnNeed, OwnNeedLine, summarize_own_needs
from capacity.expansion import PAYER_DC, Expansion, ExpansionDocument, expansion_to_dict
from capacity.series import SeriesDocument
from capacity.snapshot import Reservation

VERDICT_HOST = "host"
VERDICT_HOST_UNTIL = "host_until"
VERDICT_CANNOT_HOST = "cannot_host"
VERDICT_RANK: Mapping[str, int] = {VERDICT_CANNOT_HOST: 0, VERDICT_HOST_UNTIL: 1, VERDICT_HOST: 2}
"""Order of verdicts from worst to best, for comparisons and property tests."""


@dataclass(frozen=True)
class Shortfall:
    """The first resource that stops fitting (the binding one), when, and who must act.

    ``payer`` is who must expand it: ``dc`` (compute, storage, the DC's uplinks) or
    ``network`` (a link on the paths to the target sites, on ``network``);
    ``without_request`` says it runs short at that date even without the request
    (the DC's own need, not the project's cost).
    """

    resource: str
    date: date
    payer: str = PAYER_DC
    network: str | None = None
    without_request: bool = False


@dataclass(frozen=True)
class Problem:
    """A reason the request cannot be placed that no load figure expresses."""

    resource: str
    message: str


@dataclass(frozen=True)
class Placement:
    """Where the request would run (None: not needed, or nowhere eligible).

    Ids are the inventory's; the names are what a person reads.
    """

    cluster: str | None
    storage_pool: str | None
    cluster_name: str | None = None
    storage_pool_name: str | None = None


@dataclass(frozen=True)
class ResourceRow:
    """One resource at go-live, and how it fares over the horizon."""

    resource: str
    name: str
    kind: str
    unit: str
    capacity: float
    ceiling_pct: float
    ceiling: float
    baseline: float
    reserved: float
    demand: float
    headroom: float
    first_shortfall_date: date | None
    shortfall_at_go_live: float
    shortfall_at_horizon: float
    max_shortfall: float
    baseline_model: str


@dataclass(frozen=True)
class LinkRow(ResourceRow):
    """A link row, with the target sites whose traffic crosses it."""

    network: str
    sites: tuple[str, ...]
    carries_dc_demand: bool


@dataclass(frozen=True)
class Candidate:
    """A placement considered, for explaining the choice."""

    cluster: str | None
    storage_pool: str | None
    first_shortfall_date: date | None
    min_headroom_pct: float


@dataclass(frozen=True)
class IneligibleCluster:
    """A cluster the request may not use, and why in words (its certification)."""

    cluster: str
    name: str
    reason: str


@dataclass(frozen=True)
class Cost:
    """What the project is charged against what it would buy itself.

    ``expansion_vnd`` is the charged (marginal) expansion, ``dc_vnd`` and
    ``network_vnd`` its two bills; ``dc_own_need_vnd`` what the touched resources
    need without the request (not charged). ``avoided_vnd`` = own hardware −
    charged expansion, only when the estimate is given and the difference is not
    negative: a negative saving is no saving, and ``avoided_note`` says why in words.
    """

    expansion_vnd: float
    dc_vnd: float
    network_vnd: float
    dc_own_need_vnd: float
    own_hardware_vnd: float | None
    avoided_vnd: float | None
    avoided_note: str | None


def compute_cost(
    bills: Bills, own_needs: Sequence[OwnNeed], own_hardware_vnd: float | None
) -> Cost:
    """The project's cost from its bills, and the investment avoided (DESIGN §6)."""
    charged = bills.total_vnd
    avoided: float | None = None
    note: str | None = None
    if own_hardware_vnd is None:
        note = "no own-hardware estimate given"
    elif own_hardware_vnd < charged:
        note = (
            f"the charged expansion ({charged:,.0f} VND) costs more than the project's "
            f"own hardware ({own_hardware_vnd:,.0f} VND): nothing is avoided"
        )
    else:
        avoided = own_hardware_vnd - charged
    return Cost(
        expansion_vnd=charged,
        dc_vnd=bills.dc.total_vnd,
        network_vnd=bills.network.total_vnd,
        dc_own_need_vnd=float(sum(n.cost_vnd for n in own_needs)),
        own_hardware_vnd=own_hardware_vnd,
        avoided_vnd=avoided,
        avoided_note=note,
    )


class ClusterAssumptions(TypedDict):
    """The chosen cluster's figures behind the vCPU and RAM verdict."""

    id: str
    hosts: int
    cpu_ratio: float
    ram_ratio: float
    ha_reserve_hosts: int
    capacity_vcpu: float
    capacity_ram_gb: float
    largest_vm_vcpu: float
    largest_vm_ram_gb: float
    vms_fit_one_host: bool


class PoolAssumptions(TypedDict):
    """The chosen storage pool's figures behind the storage verdict."""

    id: str
    raw_tb: float
    protection: str
    efficiency: float
    usable_tb: float


class Assumptions(TypedDict):
    """The rules and figures an answer rests on, in words a reviewer checks: the
    steps, the fit rule, the growth and baseline used, each resource's ceiling (%) and
    forecast model by resource key; the cluster and pool only when one was chosen."""

    steps: str
    fit_rule: str
    demand_growth: str
    baseline_bound: str
    baseline: str
    storage_demand: str
    dc_uplinks: str
    ceilings: dict[str, float]
    forecast_models: dict[str, str]
    cluster: NotRequired[ClusterAssumptions]
    storage_pool: NotRequired[PoolAssumptions]


RecordJson = dict[str, object]
"""One of the records above (:class:`ResourceRow`, :class:`LinkRow`, :class:`Placement`,
…) in an :class:`EvaluationDocument`: its fields by name, dates as ISO text, floats
rounded. The dataclass is its schema; a TypedDict per record would repeat every field."""


class EvaluationDocument(TypedDict):
    """The evaluation JSON of issue 3, as served and as stored with a request."""

    request: str
    verdict: str
    until: str | None
    first_shortfall: RecordJson | None
    placement: RecordJson
    go_live: str
    horizon_end: str
    resources: list[RecordJson]
    links: list[RecordJson]
    expansion: ExpansionDocument
    bills: dict[str, RecordJson]
    dc_own_need: list[RecordJson]
    dc_own_need_summary: list[RecordJson]
    cost: RecordJson
    problems: list[RecordJson]
    candidates: list[RecordJson]
    ineligible_clusters: list[RecordJson]
    reservations: list[RecordJson]
    assumptions: Assumptions
    series: SeriesDocument


@dataclass(frozen=True)
class Evaluation:
    """The answer to a request; :meth:`to_dict` is the evaluation JSON of issue 3."""

    request: str
    verdict: str
    until: date | None
    first_shortfall: Shortfall | None
    placement: Placement
    go_live: date
    horizon_end: date
    resources: tuple[ResourceRow, ...]
    links: tuple[LinkRow, ...]
    expansion: Expansion
    bills: Bills
    dc_own_need: tuple[OwnNeed, ...]
    cost: Cost
    problems: tuple[Problem, ...]
    candidates: tuple[Candidate, ...]
    assumptions: Assumptions
    series: SeriesDocument
    """Monthly B, R, D and ceiling of the charted resources (``capacity.series``)."""
    ineligible_clusters: tuple[IneligibleCluster, ...] = ()
    reservations: tuple[Reservation, ...] = ()
    """The approved requests' reservations on the resources this evaluation touched."""

    @property
    def dc_own_need_summary(self) -> tuple[OwnNeedLine, ...]:
        """The DC's own needs grouped for reading (like link upgrades on one line)."""
        return summarize_own_needs(self.dc_own_need)

    @property
    def rows(self) -> tuple[ResourceRow, ...]:
        """Every resource row, links included."""
        return (*self.resources, *self.links)

    def to_dict(self) -> EvaluationDocument:
        """JSON-serialisable form: dates ISO, floats rounded to 6 decimals."""
        out = {
            "request": self.request,
            "verdict": self.verdict,
            "until": self.until,
            "first_shortfall": self.first_shortfall,
            "placement": self.placement,
            "go_live": self.go_live,
            "horizon_end": self.horizon_end,
            "resources": self.resources,
            "links": self.links,
            "expansion": expansion_to_dict(self.expansion),
            "bills": {"dc": self.bills.dc, "network": self.bills.network},
            "dc_own_need": self.dc_own_need,
            "dc_own_need_summary": self.dc_own_need_summary,
            "cost": self.cost,
            "problems": self.problems,
            "candidates": self.candidates,
            "ineligible_clusters": self.ineligible_clusters,
            "reservations": self.reservations,
            "assumptions": self.assumptions,
            "series": self.series,
        }
        # One generic walk makes every record JSON the same way (see RecordJson); it keeps
        # each key and value type the TypedDict names, so its Any is taken as the document.
        document: EvaluationDocument = _jsonable(out)
        return document


def _jsonable(value: Any) -> Any:
    """Dates as ISO text, records and mappings as dicts, sequences as lists (sets
    sorted), numpy scalars as Python ones, floats rounded to 6 decimals (None when not
    finite); anything else as it is.

    It is called on every value of a document (thousands of series points), so the
    kind of a value is decided once per type (:func:`_converter_for`), not by a chain
    of ``isinstance`` tests per value.
    """
    convert = _CONVERTERS.get(type(value))
    if convert is None:
        convert = _converter_for(type(value))
    return convert(value)


def _as_is(value: Any) -> Any:
    return value


def _iso(value: date) -> str:
    return value.isoformat()


def _rounded(value: float) -> float | None:
    return round(value, 6) if math.isfinite(value) else None


def _numpy_scalar(value: np.generic) -> Any:
    item = value.item()
    return _rounded(item) if isinstance(item, float) else item


def _mapping(value: Mapping[Any, Any]) -> dict[str, Any]:
    return {str(k): _jsonable(v) for k, v in value.items()}


def _sequence(value: Sequence[Any]) -> list[Any]:
    # Floats inline: a charted series is hundreds of them.
    return [round(v, 6) if type(v) is float and math.isfinite(v) else _jsonable(v) for v in value]


def _unordered(value: set[Any] | frozenset[Any]) -> list[Any]:
    return [_jsonable(v) for v in sorted(value)]


def _record(names: tuple[str, ...]) -> Callable[[Any], dict[str, Any]]:
    def convert(value: Any) -> dict[str, Any]:
        return {name: _jsonable(getattr(value, name)) for name in names}

    return convert


_CONVERTERS: dict[type, Callable[[Any], Any]] = {
    str: _as_is,
    int: _as_is,
    bool: _as_is,
    type(None): _as_is,
    float: _rounded,
    list: _sequence,
    tuple: _sequence,
    dict: _mapping,
}


def _converter_for(kind: type) -> Callable[[Any], Any]:
    """How :func:`_jsonable` converts a value of type ``kind`` (decided once, then kept)."""
    convert: Callable[[Any], Any]
    if issubclass(kind, date):
        convert = _iso
    elif is_dataclass(kind):
        convert = _record(tuple(f.name for f in fields(kind)))
    elif issubclass(kind, Mapping):
        convert = _mapping
    elif issubclass(kind, set | frozenset):
        convert = _unordered
    elif issubclass(kind, list | tuple):
        convert = _sequence
    elif issubclass(kind, np.generic):
        convert = _numpy_scalar
    elif issubclass(kind, float):
        convert = _rounded
    else:
        convert = _as_is
    _CONVERTERS[kind] = convert
    return convert
