"""SNMP discovery and polling as background jobs: the CLI's use cases, in phases.

Read what the inventory knows in one short transaction, ask the agents with no
transaction open (progress commits in between, and SQLite would block them),
then write everything in one transaction that first checks the run is still
running — a run cancelled meanwhile keeps nothing of the job.

Credentials are named profiles of the worker's ``CMDB_SNMP_PROFILES`` file: a
community or a key never travels in a job or lands on a run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.db import transaction
from cmdb.errors import ValidationError
from cmdb.models import DiscoveryRun, Site
from cmdb.services.job_runs import lock_running
from cmdb.services.split_runs import settle_parent
from discovery.agent_records import remembered_profiles
from discovery.credentials import (
    ProfileError,
    SnmpProfile,
    assign_profiles,
    load_profiles,
    pick_profile,
    pick_profiles,
)
from discovery.discover import PlanDefaults, collect, reconcile_outcomes
from discovery.poll import fetch_readings, load_poll_plan, poll_targets, store_readings
from discovery.records import Target, TargetOutcome
from discovery.snmp.collector import Limits, Profiles
from discovery.targets import expand_range, parse_target, parse_targets_file, unique_targets
from web.jobs.base import JobError, JobRun, Prepared, RunCancelledError
from web.jobs.context import JobContext
from web.jobs.poll_split import should_split, split_poll


def check_discovery(session: Session, params: dict[str, Any], context: JobContext) -> Prepared:
    errors: dict[str, list[str]] = {}
    targets: list[Target] = []
    for i, line in enumerate(params["targets"]):
        parsed = _field(errors, f"parameters.targets[{i}]", lambda t=line: parse_targets_file([t]))
        targets += parsed or []
    for i, cidr in enumerate(params["ranges"]):
        _field(errors, f"parameters.ranges[{i}]", lambda c=cidr: expand_range(c))
    if not (params["targets"] or params["ranges"] or params["inventory"]):
        errors["parameters.targets"] = ["give targets, ranges or inventory"]
    if params["site"] is not None and _site_id(session, params["site"]) is None:
        errors["parameters.site"] = [f"no site with slug {params['site']!r}"]
    _check_profiles(errors, params["profile"], targets, context)
    if errors:
        raise ValidationError(errors)
    count = len(params["targets"]) + len(params["ranges"])
    scope = ", ".join([*params["targets"][:3], *params["ranges"][:3]]) or "the inventory"
    target = scope + (f" and {count - 6} more" if count > 6 else "")
    return Prepared(target=target, parameters=params, secrets={})


def check_poll(session: Session, params: dict[str, Any], context: JobContext) -> Prepared:
    errors: dict[str, list[str]] = {}
    only = [
        _field(errors, f"parameters.targets[{i}]", lambda t=text: parse_target(t))
        for i, text in enumerate(params["targets"])
    ]
    if not errors and not poll_targets(session, [t for t in only if t is not None]):
        errors["parameters.targets"] = ["no device to poll: discover them first"]
    _check_profiles(errors, params["profile"], [], context)
    if errors:
        raise ValidationError(errors)
    target = ", ".join(params["targets"]) or "every discovered device"
    params["chunk_size"] = params["chunk_size"] or context.poll_chunk_size  # stored: as run
    return Prepared(target=target, parameters=params, secrets={})


def execute_discovery(job: JobRun) -> None:
    p = job.parameters
    targets = parse_targets_file(p["targets"]) + [t for r in p["ranges"] for t in expand_range(r)]
    with transaction(job.sessions) as session:
        site_id = _site_id(session, p["site"]) if p["site"] else None
        known = poll_targets(session)
        remembered = remembered_profiles(session, known)
        if p["inventory"]:
            targets += list(known)
    pairs = _with_profiles(unique_targets(targets), p["profile"], job.context, remembered)
    job.progress(0, len(pairs), f"asking {len(pairs)} agents")
    outcomes = collect(pairs, _limits(p), lambda o: job.progress.step(_said(o)))
    job.progress.say("reconciling the answers with the inventory")
    with transaction(job.sessions) as session:
        run = _running(session, job.run_id)
        defaults = PlanDefaults(site_id=site_id, link_network=p["link_network"])
        report = reconcile_outcomes(session, outcomes, defaults, run=run)
        run.progress_done, run.progress_message = len(outcomes), _summary(report.counts)


def execute_poll(job: JobRun) -> None:
    p = job.parameters
    with transaction(job.sessions) as session:
        targets = poll_targets(session, [parse_target(t) for t in p["targets"]])
        plan = load_poll_plan(session, targets)
        remembered = remembered_profiles(session, targets)
    if not targets:
        raise JobError("no device to poll: discover them first")
    if should_split(job, len(targets)):
        split_poll(job, targets)  # the chunks poll; the run ends with the last of them
        return
    profile_for: dict[Target, Profiles] = dict(
        _with_profiles(list(targets), p["profile"], job.context, remembered)
    )
    job.progress(0, len(targets), f"polling {len(targets)} devices")
    outcomes = fetch_readings(plan, profile_for, _limits(p), lambda o: job.progress.step(_said(o)))
    job.progress.say("storing the samples")
    with transaction(job.sessions) as session:
        run = _running(session, job.run_id)
        report = store_readings(session, run, plan, outcomes)
        run.progress_done = len(outcomes)
        run.progress_message = f"stored {report.samples} samples"
        session.flush()
        settle_parent(session, run.parent_id)  # a chunk of a split poll: its parent follows


def _field(errors: dict[str, list[str]], name: str, parse: Any) -> Any:
    """``parse()``, its validation messages filed under ``name``."""
    try:
        return parse()
    except ValidationError as exc:
        errors.setdefault(name, []).extend(m for ms in exc.errors.values() for m in ms)
    return None


def _check_profiles(
    errors: dict[str, list[str]], name: str | None, targets: list[Target], context: JobContext
) -> None:
    """Every profile named exists in the server's file (workers are set up alike)."""
    wanted = {t.profile for t in targets if t.profile}
    try:
        profiles = _profiles(context)
        for profile in sorted(wanted):
            pick_profile(profiles, profile)
        if name:
            pick_profiles(profiles, name)
        if not name and "default" not in profiles and any(not t.profile for t in targets):
            raise ProfileError("give a profile (the profiles file has no 'default')")
    except ProfileError as exc:
        errors.setdefault("parameters.profile", []).append(str(exc))


def _profiles(context: JobContext) -> dict[str, SnmpProfile]:
    if not context.snmp_profiles:
        raise ProfileError("the server has no SNMP profiles file (set CMDB_SNMP_PROFILES)")
    return load_profiles(Path(context.snmp_profiles))


def _with_profiles(
    targets: list[Target],
    names: str | None,
    context: JobContext,
    remembered: dict[Target, str] | None = None,
) -> list[tuple[Target, tuple[SnmpProfile, ...]]]:
    profiles = _profiles(context)
    default = pick_profiles(profiles, names) if names else profiles.get("default")
    return assign_profiles(targets, profiles, default, remembered)


def _site_id(session: Session, slug: str) -> int | None:
    return session.scalar(sa.select(Site.id).where(Site.slug == slug))


def _limits(p: dict[str, Any]) -> Limits:
    return Limits(
        concurrency=p["concurrency"],
        deadline_s=p["deadline"],
        timeout_s=p["timeout"],
        retries=p["retries"],
    )


def _running(session: Session, run_id: int) -> DiscoveryRun:
    run = lock_running(session, run_id)
    if run is None:
        raise RunCancelledError(run_id)
    return run


def _said(outcome: TargetOutcome) -> str:
    if outcome.error:
        return f"{outcome.target.address}: {outcome.error}"
    return f"{outcome.target.address}: {outcome.status}"


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {value}" for name, value in counts.items())
