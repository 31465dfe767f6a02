"""What every ``cmdb`` command that runs or reads runs shares: the sweep on start, and the
exit code of a run's status (``discovery.core.runs``: 0 succeeded, 3 partial, 1 failed;
2 stays click's usage error), with a one-line reason on stderr when it did not succeed."""

from __future__ import annotations

import click
from flask import current_app

from cmdb.choices import RunStatus
from discovery.core.runs import EXIT_CODES

WORST_FIRST = (RunStatus.FAILED, RunStatus.PARTIAL, RunStatus.SUCCEEDED)
EXIT_CODES_HELP = (
    "Exit status: 0 succeeded, 3 partial (some targets or objects failed: each is listed), "
    "1 failed (the last line on stderr says why), 2 a usage error."
)


def sweep_dead_runs() -> dict[int, str]:
    """End failed the runs whose process or job died (``web.jobs.sweep``), saying so on
    stderr; what was ended, by run id."""
    from web.db import get_db
    from web.jobs.sweep import sweep_with

    config = current_app.config
    queues = [config.get("CMDB_JOB_QUEUE") or "headroom"]
    reasons = sweep_with(get_db().sessions, config.get("CMDB_REDIS_URL"), queues)
    for run_id, reason in reasons.items():
        click.echo(f"run {run_id} ended failed: {reason}", err=True)
    return reasons


def worst(*statuses: RunStatus | str) -> RunStatus:
    """The status a command reports for several runs (a sync and its push)."""
    given = {RunStatus(s) for s in statuses}
    return next(s for s in WORST_FIRST if s in given)


def exit_with(status: RunStatus | str, reason: str | None) -> None:
    """Exit with the code of ``status``; unless it succeeded, ``reason``'s first line on
    stderr first (a run's error starts with its one-line summary)."""
    status = RunStatus(status)
    if status is not RunStatus.SUCCEEDED:
        lines = (reason or str(status)).strip().splitlines() or [str(status)]
        click.echo(lines[0], err=True)
    code = EXIT_CODES.get(status, EXIT_CODES[RunStatus.FAILED])
    if code:
        raise click.exceptions.Exit(code)
