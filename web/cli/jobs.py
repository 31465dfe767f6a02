"""``cmdb worker`` and ``cmdb jobs``: run background jobs from Redis, list and follow them.

Start ``cmdb worker`` on as many machines as polling needs: every worker takes
jobs from the same queue. Without ``CMDB_REDIS_URL`` no worker is needed: each
job runs in a local process the web app starts.

Each command imports what it uses (SQLAlchemy, the models, rq and the job kinds
with pysnmp behind them): listing runs needs no Redis client and no SNMP stack.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from web.cli.tables import Column, format_table

if TYPE_CHECKING:
    from cmdb.models import DiscoveryRun


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (tests, cron).")
@click.option(
    "--queue", "queues", multiple=True, help="Queue to take jobs from [default CMDB_JOB_QUEUE]."
)
@click.option("--name", help="Worker name (unique per machine and process).")
@click.option(
    "--prune-daily",
    is_flag=True,
    help="Also queue 'cmdb prune' once a day (one prune a day whatever the number of "
    "workers with the flag; without it, run 'cmdb prune' from cron).",
)
@with_appcontext
def worker_command(
    burst: bool, queues: tuple[str, ...], name: str | None, prune_daily: bool
) -> None:
    """Run background jobs (discovery, polling, NetBox sync) from Redis.

    On start it ends failed the runs whose process or job died (a worker killed with
    its work horse, a job Redis no longer has), whichever worker ran them.
    """
    from redis.exceptions import RedisError

    from web.db import get_db
    from web.jobs.context import JobContext, set_job_context
    from web.jobs.redis_queue import make_worker

    config = current_app.config
    url = config.get("CMDB_REDIS_URL")
    if not url:
        raise click.ClickException(
            "cmdb worker needs CMDB_REDIS_URL; without Redis, each job runs in a local "
            "process the web app starts, and no worker is needed"
        )
    names = list(queues) or [config["CMDB_JOB_QUEUE"]]
    context = JobContext.from_config(config)
    set_job_context(context)  # the work horses fork from here and inherit it
    try:
        get_db().engine.dispose()  # no pooled connection may cross into a forked horse
        daily = None
        if prune_daily:
            from web.retention import retention_of
            from web.today import today_or_real

            daily = (retention_of(config), today_or_real)
        worker = make_worker(url, names, name, daily)
        worker.work(burst=burst, logging_level="INFO", with_scheduler=False)
    except RedisError as exc:
        raise click.ClickException(f"cannot use Redis at {url.split('@')[-1]}: {exc}") from exc


SWEPT = "headroom.swept"  # what the group's sweep ended, for ``jobs sweep`` to print

LIST_COLUMNS = (
    Column("id", 6, right=True),
    Column("source", 7),
    Column("kind", 9),
    Column("status", 9),
    Column("progress", 9, right=True),
    Column("by", 14),
    Column("target", 40),
)


@click.group("jobs", cls=AppGroup)
@click.pass_context
@with_appcontext
def jobs_group(ctx: click.Context) -> None:
    """Background jobs: their runs, progress and results.

    Every ``cmdb jobs`` command first ends failed the runs whose process or job died.
    """
    from web.cli.runs import sweep_dead_runs

    ctx.meta[SWEPT] = sweep_dead_runs()


@jobs_group.command("list")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--unfinished", is_flag=True, help="Only queued and running runs.")
def list_jobs(limit: int, unfinished: bool) -> None:
    """The latest runs, newest first."""
    import sqlalchemy as sa

    from cmdb.db import transaction
    from cmdb.models import DiscoveryRun
    from web.db import get_db

    stmt = sa.select(DiscoveryRun).order_by(DiscoveryRun.id.desc()).limit(limit)
    if unfinished:
        stmt = stmt.where(DiscoveryRun.status.in_(("queued", "running")))
    with transaction(get_db().sessions) as session:
        rows = [
            [
                str(r.id),
                r.source.value,
                r.kind.value,
                r.status.value,
                _progress(r),
                r.requested_by or "",
                r.target or "",
            ]
            for r in session.scalars(stmt)
        ]
    click.echo(format_table(LIST_COLUMNS, rows))


@jobs_group.command("show")
@click.argument("run_id", type=int)
def show_job(run_id: int) -> None:
    """One run as JSON: status, progress, stats, error and per-target results."""
    from cmdb.db import transaction
    from cmdb.errors import NotFoundError
    from cmdb.models import DiscoveryRun
    from web.db import get_db

    with transaction(get_db().sessions) as session:
        run = session.get(DiscoveryRun, run_id)
        if run is None:
            raise NotFoundError(f"no discovery run {run_id}")
        payload = {
            "id": run.id,
            "source": run.source.value,
            "kind": run.kind.value,
            "status": run.status.value,
            "job_id": run.job_id,
            "requested_by": run.requested_by,
            "parameters": run.parameters,
            "progress": {
                "done": run.progress_done,
                "total": run.progress_total,
                "message": run.progress_message,
            },
            "stats": run.stats,
            "error": run.error,
            "parent": run.parent_id,
            "parts": _parts(session, run.id),
            "results": [
                {"address": r.address, "status": r.status.value, "error": r.error}
                for r in run.results
            ],
        }
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


@jobs_group.command("cancel")
@click.argument("run_id", type=int)
def cancel_command(run_id: int) -> None:
    """End a queued or running job's run failed and stop its job."""
    from cmdb.db import transaction
    from web.db import get_db
    from web.jobs.actions import end_job, stop_job
    from web.jobs.backend import backend_for

    with transaction(get_db().sessions) as session:
        job_ids = end_job(session, run_id, "cli")
    stop_job(backend_for(current_app.config), job_ids)
    click.echo(f"run {run_id}: cancelled")


def _parts(session: Any, run_id: int) -> list[dict[str, Any]]:
    """The chunks of a split run (a poll shared by several workers), each with its worker."""
    from cmdb.services.run_list import run_parts

    return [
        {
            "id": c.id,
            "status": c.status.value,
            "done": c.progress_done,
            "total": c.progress_total,
            "runner": f"{c.runner_host}:{c.runner_pid}" if c.runner_pid else None,
        }
        for c in run_parts(session, run_id)
    ]


@jobs_group.command("sweep")
@click.pass_context
def sweep_command(ctx: click.Context) -> None:
    """End failed the runs whose job died (a killed process, a lost Redis job).

    The group has swept already (every ``cmdb jobs`` command does, listing each run it
    ended on stderr); this counts them.
    """
    click.echo(f"{len(ctx.meta.get(SWEPT, {}))} stale runs")


def _progress(run: DiscoveryRun) -> str:
    if run.progress_total:
        return f"{run.progress_done}/{run.progress_total}"
    return str(run.progress_done or "")
