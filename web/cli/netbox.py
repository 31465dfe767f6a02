"""``cmdb sync netbox``: take NetBox's documentation in, and optionally push SNMP finds back.

NetBox is read first (progress bar on stderr), then the inventory is written in
one transaction; a failed run exits 1 with its reason and writes nothing but the
failed run row; a run where some objects failed is partial and exits 3. Every
failed object is written to the run (``stats.failures``: NetBox page and reason) and
to ``--json``'s ``failures``; the terminal shows the first ``SHOWN_FAILURES``. An
object deliberately not stored (a console cable) is no failure — the run stays
succeeded — but is listed the same way (``stats.skipped``, ``--json``'s ``skipped``,
the first ones in the terminal), with its reason.
``--json`` prints one object: ``status`` (the exit status's, the worse of the sync's
and the push's), ``exit_code``, ``error``, ``kinds``
(created/updated/unchanged/failed/incomplete/skipped per kind), ``failures`` and
``skipped``. The token is never printed.
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

from cmdb.choices import Network, RunStatus
from discovery.core.runs import EXIT_CODES
from discovery.netbox.defaults import DEFAULT_PAGE_SIZE, DEFAULT_TIMEOUT_S
from discovery.netbox.records import REPORTED_KINDS
from web.cli.runs import EXIT_CODES_HELP, exit_with, sweep_dead_runs, worst

if TYPE_CHECKING:  # pynetbox and the models: imported by the sync, not by --help
    from cmdb.models import DiscoveryRun
    from discovery.netbox.push import PushReport

COUNTS = ("created", "updated", "unchanged", "failed", "incomplete", "skipped")
SHOWN_FAILURES = 20  # in the terminal, and as many skipped; the run keeps (and --json
# prints) every one


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
@click.option(
    "--circuit-networks",
    envvar="CMDB_NETBOX_CIRCUIT_NETWORKS",
    callback=lambda _ctx, _param, text: _circuit_networks(text),
    help="Circuit types whose name names no network: 'mpls=wan,*=internet' (default: wan)"
    " [env CMDB_NETBOX_CIRCUIT_NETWORKS]",
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
    circuit_networks: dict[str, Network],
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
            circuit_networks=circuit_networks,
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


def _circuit_networks(text: str | None) -> dict[str, Network]:
    from cmdb.settings import parse_circuit_networks

    try:
        return parse_circuit_networks(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


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


def _print_counts(run: DiscoveryRun) -> None:
    widths = {
        "created": 8,
        "updated": 8,
        "unchanged": 10,
        "failed": 7,
        "incomplete": 11,
        "skipped": 8,
    }
    click.echo(f"{'kind':<12} " + " ".join(f"{w:>{n}}" for w, n in widths.items()))
    for kind, c in kinds_summary(run).items():
        click.echo(f"{kind:<12} " + " ".join(f"{c[w]:>{n}}" for w, n in widths.items()))


def _print_listed(run: DiscoveryRun, key: str, word: str) -> None:
    """The first failed (or skipped) objects on stderr, each with its NetBox page and
    reason; the run keeps them all."""
    rows = (run.stats or {}).get(key) or []
    for row in rows[:SHOWN_FAILURES]:
        where = f" ({row['url']})" if row.get("url") else ""
        label = row.get("label") or row.get("external_id")
        click.echo(f"{word}: {row['kind']} {label}{where}: {row['reason']}", err=True)
    if len(rows) > SHOWN_FAILURES:
        more = len(rows) - SHOWN_FAILURES
        click.echo(f"… and {more} more {word}: every one is in run {run.id} (--json)", err=True)


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
            "failures": (run.stats or {}).get("failures", []),
            "skipped": (run.stats or {}).get("skipped", []),
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
    _print_counts(run)
    _print_listed(run, "failures", "failed")
    _print_listed(run, "skipped", "skipped")
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
