"""``cmdb sync netbox``: take NetBox's documentation in, and optionally push SNMP finds back.

NetBox is read first (progress bar on stderr), then the inventory is written in
one transaction; a failed run exits 1 with its reason and writes nothing but the
failed run row; a run where some objects failed is partial and exits 3 (each one
listed). ``--json`` prints one object: ``status`` (the exit status's, the worse of
the sync's and the push's), ``exit_code``, ``error`` and ``kinds``
(created/updated/unchanged/failed per kind). The token is never printed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click
from flask.cli import AppGroup

from cmdb.choices import RunStatus
from discovery.core.runs import EXIT_CODES
from discovery.netbox.defaults import DEFAULT_PAGE_SIZE, DEFAULT_TIMEOUT_S
from discovery.netbox.records import REPORTED_KINDS
from web.cli.runs import EXIT_CODES_HELP, exit_with, sweep_dead_runs, worst

if TYPE_CHECKING:  # pynetbox and the models: imported by the sync, not by --help
    from cmdb.models import DiscoveryRun
    from discovery.netbox.push import PushReport

COUNTS = ("created", "updated", "unchanged", "failed")


@click.group("sync", cls=AppGroup)
def sync_group() -> None:
    """Take inventory in from other sources of truth."""


@sync_group.command("netbox", epilog=EXIT_CODES_HELP)
@click.option(
    "--url",
    envvar="CMDB_NETBOX_URL",
    required=True,
    callback=lambda _ctx, _param, url: _without_secret(url),
    help="NetBox's URL, without credentials [env CMDB_NETBOX_URL]",
)
@click.option(
    "--token",
    envvar="CMDB_NETBOX_TOKEN",
    required=True,
    help="API token, v1 (40 hex) or v2 (nbt_…) [env CMDB_NETBOX_TOKEN].",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]),
    help="Only objects NetBox changed since then (UTC); default: the last successful sync.",
)
@click.option("--full", is_flag=True, help="Read everything, not only what changed.")
@click.option(
    "--page-size",
    type=click.IntRange(1, 1000),
    default=DEFAULT_PAGE_SIZE,
    show_default=True,
    help="Objects per NetBox page.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(1, 600),
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    help="Seconds to wait for each NetBox answer.",
)
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.option(
    "--push",
    is_flag=True,
    help="Then create in NetBox (status planned, tag headroom) what SNMP found and NetBox lacks.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def sync_netbox(
    url: str,
    token: str,
    since: datetime | None,
    full: bool,
    page_size: int,
    timeout: float,
    dry_run: bool,
    push: bool,
    as_json: bool,
) -> None:
    """Sync regions, tenants, sites, racks, devices, interfaces, circuits and VMs from NetBox."""
    from discovery.netbox.push import push_to_netbox
    from discovery.netbox.sync import run_sync
    from web.db import get_db

    sweep_dead_runs()
    db = get_db()
    with _progress(as_json) as progress:
        run = run_sync(
            db.sessions,
            url,
            token,
            since=since.replace(tzinfo=UTC) if since else None,
            full=full,
            dry_run=dry_run,
            page_size=page_size,
            timeout_s=timeout,
            progress=progress,
        )
    pushed = None
    if push and run.status != RunStatus.FAILED:
        pushed = push_to_netbox(db.sessions, url, token, dry_run=dry_run, timeout_s=timeout)
    push_verdict = pushed.verdict if pushed is not None else None
    status = worst(run.status, *([push_verdict.status] if push_verdict else []))
    _print(run, pushed, as_json, dry_run, status)
    reason = run.error if run.status == status or push_verdict is None else push_verdict.summary
    exit_with(status, f"NetBox {'sync' if reason == run.error else 'push'} {reason}")


def _without_secret(url: str) -> str:
    from cmdb.settings import url_secret_problem

    problem = url_secret_problem(url)
    if problem:
        raise click.BadParameter(problem)
    return url


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[int, int | None, str], None]]:
    """A click progress bar on stderr fed by the sync's (done, total, message) callback."""
    if quiet:
        yield lambda _done, _total, _message: None
        return
    with click.progressbar(length=1, label="NetBox", file=sys.stderr) as bar:

        def update(done: int, total: int | None, message: str) -> None:
            bar.length = total or bar.length
            bar.label = message
            bar.update(done - bar.pos)

        yield update


def kinds_summary(run: DiscoveryRun) -> dict[str, dict[str, int]]:
    """The JSON ``kinds`` object: every reported kind, every count, zero when absent."""
    counts = (run.stats or {}).get("kinds", {})
    return {
        kind: {name: int(counts.get(kind, {}).get(name, 0)) for name in COUNTS}
        for kind in REPORTED_KINDS
    }


def _print(
    run: DiscoveryRun,
    pushed: PushReport | None,
    as_json: bool,
    dry_run: bool,
    status: RunStatus,
) -> None:
    failed = run.status == RunStatus.FAILED
    if as_json:
        payload: dict[str, Any] = {
            "status": str(status),
            "exit_code": EXIT_CODES[status],
            "sync_status": str(run.status),
            "error": run.error,
            "kinds": kinds_summary(run),
            "run_id": run.id,
            "dry_run": dry_run,
            "not_seen": (run.stats or {}).get("not_seen", []),
        }
        if pushed is not None:
            payload["push"] = pushed.as_dict()
        click.echo(json.dumps(payload, ensure_ascii=False))
        return
    if failed:
        return  # the reason is the exit's one line
    if dry_run:
        for line in (run.stats or {}).get("plan", []):
            click.echo(line)
    click.echo(f"{'kind':<12} {'created':>8} {'updated':>8} {'unchanged':>10} {'failed':>7}")
    for kind, c in kinds_summary(run).items():
        numbers = f"{c['created']:>8} {c['updated']:>8} {c['unchanged']:>10} {c['failed']:>7}"
        click.echo(f"{kind:<12} {numbers}")
    for failure in (run.stats or {}).get("failures", []):
        click.echo(f"failed: {failure['kind']} {failure['label']}: {failure['reason']}", err=True)
    not_seen = (run.stats or {}).get("not_seen_count", 0)
    if not_seen:
        click.echo(f"{not_seen} records no longer in NetBox: kept, marked not seen")
    deletions = str((run.stats or {}).get("deletions", ""))
    if deletions.startswith("id lists"):  # slower: a person may want to grant the log
        click.echo(f"deletions read from {deletions}")
    note = "dry run: nothing written" if dry_run else f"run {run.id}, {run.status}"
    click.echo(f"({note})")
    if pushed is not None:
        click.echo(pushed.summary())
