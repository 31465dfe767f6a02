"""Resource requests: resolve what a document names, store requests, evaluations and
reservations, and serialise approvals. Services never commit; callers do."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypedDict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import AdminLevel, AgencyKind, ChangeAction, RequestStatus, SiteKind, Verdict
from cmdb.db import utcnow
from cmdb.errors import NotFoundError, ValidationError
from cmdb.models import (
    AdminUnit,
    Agency,
    CapacityReservation,
    Cluster,
    RequestEvaluation,
    ResourceRequest,
    Site,
    StoragePool,
)
from cmdb.schemas.request import RequestDocument, SitesDocument, SubmittedRequest
from cmdb.services.as_of import load_successors, site_placement_at, unit_in_force
from cmdb.services.provenance import log_change

COMMITTEE_SITE_KINDS = (SiteKind.DISTRICT_OFFICE, SiteKind.COMMUNE_OFFICE)
COMMITTEE_AGENCY_KINDS = (AgencyKind.DISTRICT_COMMITTEE, AgencyKind.COMMUNE_COMMITTEE)


@dataclass
class RequestRefs:
    """What a request document names, found in the inventory."""

    agency: Agency
    site_ids: list[int] = field(default_factory=list)
    cluster_id: int | None = None
    storage_pool_id: int | None = None


def resolve_request_refs(session: Session, doc: RequestDocument) -> RequestRefs:
    """Find the agency, target sites and pinned pools a validated document names.

    Every unknown name is reported at once, per field, as a ValidationError.
    """
    errors: dict[str, list[str]] = {}
    agency = _find_agency(session, doc["agency"])
    if agency is None:
        errors["agency"] = [f"unknown agency {doc['agency']!r} (give its name or short name)"]
    site_ids: list[int] = []
    if doc["sites"]:
        site_ids = _resolve_sites(session, doc["sites"], doc["go_live"], errors)
    cluster_id = _find_id(session, Cluster, doc["cluster"], "cluster", errors)
    pool_id = _find_id(session, StoragePool, doc["storage_pool"], "storage_pool", errors)
    if errors:
        raise ValidationError(errors, "invalid request")
    assert agency is not None
    return RequestRefs(agency, site_ids, cluster_id, pool_id)


def _find_agency(session: Session, name: str) -> Agency | None:
    wanted = name.strip().casefold()
    stmt = sa.select(Agency).where(
        sa.or_(sa.func.lower(Agency.name) == wanted, sa.func.lower(Agency.short_name) == wanted)
    )
    found = session.scalars(stmt).first()
    if found is None:  # SQLite's lower() folds ASCII only; compare Vietnamese names in Python
        found = next(
            (a for a in session.scalars(sa.select(Agency)) if wanted in _agency_names(a)), None
        )
    return found


def _agency_names(agency: Agency) -> set[str]:
    return {n.casefold() for n in (agency.name, agency.short_name) if n}


def _find_id(
    session: Session, model: type[Cluster] | type[StoragePool], name: str | None, key: str,
    errors: dict[str, list[str]],
) -> int | None:  # fmt: skip
    if not name:
        return None
    found = session.scalar(sa.select(model.id).where(model.name == name))
    if found is None:
        errors[key] = [f"unknown {key.replace('_', ' ')} {name!r}"]
    return found


def _resolve_sites(
    session: Session, sites: SitesDocument, go_live: date, errors: dict[str, list[str]]
) -> list[int]:
    """Committee sites of the units named, as the inventory stands on ``go_live``.

    Codes name units in force on that day. A code dissolved by then (a request
    written before a reform, or "every commune of Đà Nẵng that was in Quảng Nam":
    ``["49"]``) is followed to the units that took it over.
    """
    units = _units_in_force(session, go_live)
    by_code = {u.code: u for u in units}
    roots: list[AdminUnit] = []
    for i, code in enumerate(sites["admin_units"]):
        found = [by_code[code]] if code in by_code else load_successors(session, code, go_live)
        if found:
            roots.extend(found)
        else:
            errors.setdefault(f"sites.admin_units[{i}]", []).append(
                f"unknown admin unit code {code!r}"
            )
    levels = {AdminLevel(level) for level in sites["levels"] or [AdminLevel.COMMUNE]}
    targets = compute_units_at_levels(units, roots, levels)
    if roots and not targets:
        wanted = ", ".join(sorted(levels))
        errors.setdefault("sites.admin_units", []).append(
            f"no unit at level {wanted} under the units named, on {go_live}"
        )
    committee_sites = load_committee_sites(session, [u.id for u in targets], on=go_live)
    missing = [u.code for u in targets if u.id not in committee_sites]
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        errors.setdefault("sites.admin_units", []).append(
            f"no People's Committee site in the inventory for {len(missing)} unit(s): {shown}"
        )
    listed = [int(s) for s in sites["site_ids"]]
    known = set(session.scalars(sa.select(Site.id).where(Site.id.in_(listed)))) if listed else set()
    for i, site_id in enumerate(listed):
        if site_id not in known:
            errors.setdefault(f"sites.site_ids[{i}]", []).append(f"unknown site id {site_id}")
    ordered = [committee_sites[u.id] for u in targets if u.id in committee_sites]
    return list(dict.fromkeys([*ordered, *listed]))


def _units_in_force(session: Session, on: date) -> list[AdminUnit]:
    stmt = sa.select(AdminUnit).where(unit_in_force(on))
    return list(session.scalars(stmt.order_by(AdminUnit.code)))


def compute_units_at_levels(
    units: Sequence[AdminUnit], roots: Iterable[AdminUnit], levels: set[AdminLevel]
) -> list[AdminUnit]:
    """Every unit at one of ``levels`` in the subtrees of ``roots`` (roots included).

    Pure over the loaded rows (parent ids), so a tree of any depth — with or
    without a district level — is walked the same way.
    """
    children: dict[int | None, list[AdminUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    seen: dict[int, AdminUnit] = {}
    stack = list(roots)
    while stack:
        unit = stack.pop()
        if unit.id in seen:
            continue
        seen[unit.id] = unit
        stack.extend(children.get(unit.id, []))
    return sorted((u for u in seen.values() if u.level in levels), key=lambda u: u.code)


def load_committee_sites(
    session: Session, unit_ids: Sequence[int], *, on: date | None = None
) -> dict[int, int]:
    """The People's Committee site of each unit: unit id → site id.

    It is found through its agency (the committee of that unit), not through the
    site's own admin unit: a district committee stands in a commune of its town.
    A unit whose committee the inventory does not know falls back on a
    committee-office site placed in the unit itself.
    With ``on``, sites are taken as they stood that day (a reform hands old
    commune offices to the new committees; a request going live before it still
    reaches the old ones).
    """
    if not unit_ids:
        return {}
    placed = site_placement_at(on) if on is not None else None
    site_id = placed.c.site_id if placed is not None else Site.id
    agency_id = placed.c.agency_id if placed is not None else Site.agency_id
    kind = placed.c.kind if placed is not None else Site.kind
    stmt = (
        sa.select(Agency.admin_unit_id, sa.func.min(site_id))
        .select_from(placed if placed is not None else Site)
        .join(Agency, agency_id == Agency.id)
        .where(
            Agency.admin_unit_id.in_(unit_ids),
            Agency.kind.in_(COMMITTEE_AGENCY_KINDS),
            kind.in_(COMMITTEE_SITE_KINDS),
        )
        .group_by(Agency.admin_unit_id)
    )
    found = {unit_id: site_id for unit_id, site_id in session.execute(stmt)}
    missing = [u for u in unit_ids if u not in found]
    return found | (_office_sites(session, missing, on) if missing else {})


def _office_sites(session: Session, unit_ids: Sequence[int], on: date | None) -> dict[int, int]:
    """Where the inventory has no committee agency (a fresh install, a NetBox without
    agencies): the unit's own committee-office site (a site of a committee kind placed
    in that very unit), the lowest id when there are several."""
    placed = site_placement_at(on) if on is not None else None
    site_id = placed.c.site_id if placed is not None else Site.id
    unit_id = placed.c.admin_unit_id if placed is not None else Site.admin_unit_id
    kind = placed.c.kind if placed is not None else Site.kind
    stmt = (
        sa.select(unit_id, sa.func.min(site_id))
        .select_from(placed if placed is not None else Site)
        .where(unit_id.in_(unit_ids), kind.in_(COMMITTEE_SITE_KINDS))
        .group_by(unit_id)
    )
    return {unit: site for unit, site in session.execute(stmt)}


def save_request(
    session: Session, doc: RequestDocument, document: SubmittedRequest, refs: RequestRefs,
    *, actor: str = "api",
) -> ResourceRequest:  # fmt: skip
    """Store a validated request; ``document`` is kept as submitted (JSON types)."""
    req = ResourceRequest(
        name=doc["name"],
        agency_id=refs.agency.id,
        status=RequestStatus.SUBMITTED,
        security_level=doc["security_level"],
        zone=doc["zone"],
        go_live=doc["go_live"],
        horizon_years=doc["horizon_years"],
        growth_pct_per_year=doc["growth_pct_per_year"],
        own_hardware_cost_vnd=doc["own_hardware_cost_vnd"],
        spec=document,
    )
    session.add(req)
    session.flush()
    log_change(
        session, actor=actor, action=ChangeAction.CREATE, obj=req, object_repr=req.name,
        before=None, after={"status": req.status, "name": req.name, "go_live": req.go_live},
    )  # fmt: skip
    return req


def get_request(session: Session, request_id: int, *, for_update: bool = False) -> ResourceRequest:
    stmt = sa.select(ResourceRequest).where(ResourceRequest.id == request_id)
    if for_update:  # the ORM then reads it again, even when the session holds it already
        stmt = stmt.with_for_update()
    req = session.scalar(stmt)
    if req is None:
        raise NotFoundError(f"request {request_id} does not exist")
    return req


class EvaluationVerdict(TypedDict):
    """What the store reads of an evaluation document: its verdict and, for HOST UNTIL,
    the date (ISO). ``capacity.evaluation.EvaluationDocument`` has these keys and the
    rest of the answer; the whole document is stored as given."""

    verdict: str
    until: str | None


def save_evaluation(
    session: Session, req: ResourceRequest, result: EvaluationVerdict, *, status: RequestStatus
) -> RequestEvaluation:
    until = result["until"]
    evaluation = RequestEvaluation(
        request_id=req.id,
        verdict=Verdict(result["verdict"]),
        until=date.fromisoformat(until) if until else None,
        result=dict(result),
    )
    session.add(evaluation)
    req.status = status
    session.flush()
    return evaluation


def lock_capacity(session: Session) -> None:
    """Serialise the approvals of every session until this transaction ends.

    Two approvals racing for the last capacity must not both succeed: each must
    evaluate against the other's reservations. PostgreSQL: a transaction-scoped
    advisory lock. SQLite: a writing transaction holds the database's write lock
    from its BEGIN (``cmdb.db.make_engine``), so the second approval waits there and
    then reads committed data; the no-op write below asserts it holds that lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(4801202601)"))
    else:
        session.execute(sa.text("UPDATE capacity_reservation SET id = id WHERE 1 = 0"))


def load_reservation_rows(session: Session) -> list[CapacityReservation]:
    """Reservations of approved, not yet deployed requests."""
    stmt = (
        sa.select(CapacityReservation)
        .join(ResourceRequest, ResourceRequest.id == CapacityReservation.request_id)
        .where(ResourceRequest.status == RequestStatus.APPROVED)
        .order_by(CapacityReservation.id)
    )
    return list(session.scalars(stmt))


class ReservationRow(TypedDict):
    """A ``capacity_reservation`` row of an approval, without its request."""

    resource: str
    start: date
    d0: float
    growth_pct_per_year: float


def save_approval(
    session: Session, req: ResourceRequest, reservations: Iterable[ReservationRow],
    *, cluster_id: int | None, storage_pool_id: int | None, approved_by_id: int | None,
    actor: str = "planner", at: datetime | None = None,
) -> None:  # fmt: skip
    before = {"status": req.status.value}
    for row in reservations:
        session.add(CapacityReservation(request_id=req.id, **row))
    req.status = RequestStatus.APPROVED
    req.cluster_id, req.storage_pool_id = cluster_id, storage_pool_id
    req.approved_at = at or utcnow()
    req.approved_by_id = approved_by_id
    session.flush()
    log_change(
        session, actor=actor, action=ChangeAction.UPDATE, obj=req, object_repr=req.name,
        before=before, after={"status": req.status.value, "cluster_id": cluster_id,
                              "storage_pool_id": storage_pool_id},
    )  # fmt: skip


def save_rejection(
    session: Session, req: ResourceRequest, reason: str, *, actor: str = "planner"
) -> None:
    """Turn a request down; the reason goes to the change log with the new status."""
    before = {"status": req.status.value}
    req.status = RequestStatus.REJECTED
    session.flush()
    log_change(
        session, actor=actor, action=ChangeAction.UPDATE, obj=req, object_repr=req.name,
        before=before, after={"status": req.status.value, "reason": reason},
    )  # fmt: skip
