"""``cmdb discover snmp`` and ``cmdb poll``: build the inventory from SNMP, then poll it.

Agents are asked first (progress bar on stderr), then the database is written in
one transaction; ``--dry-run`` prints the plan and rolls back. Both exit 0 when every
target succeeded, 3 when some failed (partial), 1 when all failed (``web.cli.runs``).
Credentials come from named profiles (``--profiles-file`` or ``CMDB_SNMP_PROFILES``)
or ``--community``; no command prints a community or a key.

pysnmp, SQLAlchemy and the models are imported by the commands that run, not by
``--help``: the options' defaults come from ``discovery.snmp.defaults``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click
from flask.cli import AppGroup, with_appcontext

from discovery.credentials import (
    SnmpProfile,
    assign_profiles,
    community_profile,
    load_profiles,
    pick_profiles,
)
from discovery.records import TargetOutcome
from discovery.report import device_rows, plan_lines, summary_line
from discovery.snmp.defaults import DEFAULT_CONCURRENCY, DEFAULT_DEADLINE_S
from discovery.targets import expand_range, parse_target, parse_targets_file, unique_targets
from web.cli.runs import EXIT_CODES_HELP, exit_with, sweep_dead_runs

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from discovery.discover import DiscoveryReport
    from discovery.snmp.collector import Limits


def _credential_options(f: Callable) -> Callable:
    for option in reversed(
        (
            click.option(
                "--community", help="SNMPv2c community (a profile keeps it out of shell history)."
            ),
            click.option(
                "--profile",
                "profile_name",
                help="Named credential profile, or several ('a,b'): tried in order on first"
                " contact; the one that answered is remembered and tried first after.",
            ),
            click.option(
                "--profiles-file",
                type=click.Path(exists=True, dir_okay=False, path_type=Path),
                envvar="CMDB_SNMP_PROFILES",
                help="YAML or TOML file of named profiles [env CMDB_SNMP_PROFILES].",
            ),
            click.option(
                "--concurrency",
                type=click.IntRange(1, 1024),
                default=DEFAULT_CONCURRENCY,
                show_default=True,
                help="Agents asked at once.",
            ),
            click.option(
                "--timeout",
                type=click.FloatRange(0.1, 60),
                default=1.0,
                show_default=True,
                help="Seconds to wait for each response.",
            ),
            click.option("--retries", type=click.IntRange(0, 5), default=1, show_default=True),
            click.option(
                "--deadline",
                type=click.FloatRange(1, 3600),
                default=DEFAULT_DEADLINE_S,
                show_default=True,
                help="Seconds allowed per device.",
            ),
        )
    ):
        f = option(f)
    return f


def _profiles(profiles_file: Path | None) -> dict[str, SnmpProfile]:
    return load_profiles(profiles_file) if profiles_file else {}


def _default_profiles(
    profiles: dict[str, SnmpProfile], community: str | None, names: str | None
) -> list[SnmpProfile]:
    if community:
        return [community_profile(community)]
    if names:
        return pick_profiles(profiles, names)
    return [profiles["default"]] if "default" in profiles else []


@contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[TargetOutcome], None]]:
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield lambda _outcome: bar.update(1)


def _limits(concurrency: int, timeout: float, retries: int, deadline: float) -> Limits:
    from discovery.snmp.collector import Limits

    return Limits(concurrency=concurrency, deadline_s=deadline, timeout_s=timeout, retries=retries)


@click.group("discover", cls=AppGroup)
def discover_group() -> None:
    """Discover devices, interfaces and links from the network."""


@discover_group.command("snmp", epilog=EXIT_CODES_HELP)
@click.option("--target", "hosts", multiple=True, help="HOST or HOST:PORT; repeatable.")
@click.option("--range", "ranges", multiple=True, help="CIDR range (its hosts); repeatable.")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=161,
    show_default=True,
    help="SNMP port of the hosts of --range.",
)
@click.option(
    "--targets-file", type=click.File(encoding="utf-8"), help="One 'host[:port] [profile]' a line."
)
@click.option("--inventory", is_flag=True, help="Also every device SNMP discovered before.")
@click.option("--site", "site_slug", help="Site (slug) for new devices.")
@click.option(
    "--link-network",
    type=click.Choice(["wan", "man", "lan", "tslcd", "internet"]),
    default="wan",
    show_default=True,
    help="Network of links LLDP finds.",
)
@click.option("--dry-run", is_flag=True, help="Print the plan; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (devices, summary).")
@_credential_options
def discover_snmp(
    hosts: tuple[str, ...],
    ranges: tuple[str, ...],
    port: int,
    targets_file: TextIO | None,
    inventory: bool,
    site_slug: str | None,
    link_network: str,
    dry_run: bool,
    as_json: bool,
    community: str | None,
    profile_name: str | None,
    profiles_file: Path | None,
    concurrency: int,
    timeout: float,
    retries: int,
    deadline: float,
) -> None:
    """Ask SNMP agents what they are and reconcile the answers with the inventory.

    A target that does not answer, or that the inventory cannot take, fails; the run
    (and the exit status) is partial when some failed, failed when all did.
    """
    from cmdb.db import transaction
    from discovery.agent_records import remembered_profiles
    from discovery.discover import PlanDefaults, collect, reconcile_outcomes
    from discovery.poll import poll_targets
    from web.db import get_db

    sweep_dead_runs()
    targets = [parse_target(h) for h in hosts]
    targets += [t for r in ranges for t in expand_range(r, port)]
    if targets_file is not None:
        targets += parse_targets_file(targets_file)
    db = get_db()
    with transaction(db.sessions) as session:  # a wrong --site fails before the network work
        site_id = _site_id(session, site_slug)
        known = poll_targets(session)
        remembered = remembered_profiles(session, known)
        if inventory:
            targets += list(known)
    targets = unique_targets(targets)
    if not targets:
        raise click.UsageError(
            "nothing to discover: give --target, --range, --targets-file or --inventory"
        )
    profiles = _profiles(profiles_file)
    run_profiles = _default_profiles(profiles, community, profile_name)
    pairs = assign_profiles(targets, profiles, run_profiles, remembered)
    with _progress(len(pairs), "discovering") as progress:
        outcomes = collect(pairs, _limits(concurrency, timeout, retries, deadline), progress)
    with transaction(db.sessions) as session:
        defaults = PlanDefaults(site_id=site_id, link_network=link_network)
        report = reconcile_outcomes(session, outcomes, defaults, dry_run=dry_run)
        if dry_run:
            session.rollback()
    _print_discovery(report, as_json, dry_run)
    exit_with(report.verdict.status, report.verdict.summary)


def _site_id(session: Session, slug: str | None) -> int | None:
    import sqlalchemy as sa

    from cmdb.errors import NotFoundError
    from cmdb.models import Site

    if slug is None:
        return None
    site_id = session.scalar(sa.select(Site.id).where(Site.slug == slug))
    if site_id is None:
        raise NotFoundError(f"no site with slug {slug!r}")
    return site_id


def _print_discovery(report: DiscoveryReport, as_json: bool, dry_run: bool) -> None:
    if as_json:
        payload = {
            "run_id": report.run_id,
            "dry_run": dry_run,
            "devices": device_rows(report.outcomes),
            "summary": report.counts,
            **report.verdict.as_json(),
        }
        click.echo(json.dumps(payload, ensure_ascii=False))
        return
    if dry_run:
        for line in plan_lines(report.plan.core):
            click.echo(line)
    for row in device_rows(report.outcomes):
        if row["error"]:
            click.echo(f"{row['address']}: {row['status']}: {row['error']}", err=True)
        for warning in row["warnings"]:
            click.echo(f"{row['address']}: warning: {warning}", err=True)
    note = " (dry run: nothing written)" if dry_run else f" (run {report.run_id})"
    click.echo(summary_line(report.counts) + note)


@click.command("poll", epilog=EXIT_CODES_HELP)
@with_appcontext
@click.option(
    "--target", "hosts", multiple=True, help="Only these inventory devices (HOST[:PORT])."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_credential_options
def poll_command(
    hosts: tuple[str, ...],
    as_json: bool,
    community: str | None,
    profile_name: str | None,
    profiles_file: Path | None,
    concurrency: int,
    timeout: float,
    retries: int,
    deadline: float,
) -> None:
    """Read interface counters (and host CPU, RAM, storage) of discovered devices.

    Rates go into the interfaces' and their links' series, rolled up hourly and
    daily (avg, max, p95) for the capacity forecasts. Run it every 5 minutes.
    """
    from cmdb.db import transaction
    from discovery.agent_records import remembered_profiles
    from discovery.poll import poll_in_steps, poll_targets
    from web.db import get_db

    sweep_dead_runs()
    db = get_db()
    profiles = _profiles(profiles_file)
    run_profiles = _default_profiles(profiles, community, profile_name)
    with transaction(db.sessions) as session:
        targets = poll_targets(session, [parse_target(h) for h in hosts])
        remembered = remembered_profiles(session, targets)
    if not targets:
        raise click.ClickException("no device to poll: discover them first (cmdb discover snmp)")
    profile_for = dict(assign_profiles(list(targets), profiles, run_profiles, remembered))
    limits = _limits(concurrency, timeout, retries, deadline)
    with _progress(len(targets), "polling") as progress:  # no transaction open meanwhile
        report = poll_in_steps(db.sessions, targets, profile_for, limits, progress)
    verdict = report.verdict
    assert verdict is not None  # stored: the run has ended
    failed = [o for o in report.outcomes if o.error]
    if as_json:
        click.echo(
            json.dumps(
                {
                    "run_id": report.run_id,
                    "samples": report.samples,
                    "resets": report.resets,
                    "devices": device_rows(report.outcomes),
                    **verdict.as_json(),
                }
            )
        )
    else:
        for o in failed:
            click.echo(f"{o.target.address}: {o.status}: {o.error}", err=True)
        click.echo(
            f"polled {len(report.outcomes) - len(failed)} devices, failed {len(failed)}, "
            f"stored {report.samples} samples, resets {len(report.resets)} (run {report.run_id})"
        )
    exit_with(verdict.status, verdict.summary)
