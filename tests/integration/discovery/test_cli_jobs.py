"""``cmdb worker`` and ``cmdb jobs``: refusing to start without Redis, listing, showing,
cancelling and sweeping runs."""

from __future__ import annotations

import json
import signal
import socket
import subprocess

from cmdb.choices import RunKind, RunStatus, Source
from cmdb.db import transaction
from cmdb.models import DiscoveryResult, DiscoveryRun
from web.cli import main
from web.db import get_db


def add_run(app, status: RunStatus, job_id: str | None = None) -> int:
    with app.app_context(), transaction(get_db().sessions) as session:
        run = DiscoveryRun(
            source=Source.SNMP,
            kind=RunKind.DISCOVERY,
            status=status,
            target="10.0.0.1",
            job_id=job_id,
            requested_by="alice",
            progress_done=1,
            progress_total=2,
        )
        session.add(run)
        session.add(DiscoveryResult(run=run, address="10.0.0.1:161", status=RunStatus.FAILED))
        session.flush()
        return run.id


def test_worker_without_redis_says_no_worker_is_needed(app, runner) -> None:
    app.config["CMDB_REDIS_URL"] = None
    result = runner.invoke(main, ["worker", "--burst"])
    assert result.exit_code == 1
    assert "needs CMDB_REDIS_URL" in result.output and "no worker is needed" in result.output


def test_jobs_list_show_and_cancel(app, runner) -> None:
    app.config["CMDB_REDIS_URL"] = None
    # a live local job process (every `cmdb jobs` command ends the runs of dead ones first)
    job = subprocess.Popen(["sleep", "60"])
    run_id = add_run(app, RunStatus.RUNNING, job_id=f"local:{socket.gethostname()}:{job.pid}")
    listing = runner.invoke(main, ["jobs", "list", "--unfinished"])
    assert listing.exit_code == 0
    assert "running" in listing.output and "1/2" in listing.output and "alice" in listing.output
    shown = json.loads(runner.invoke(main, ["jobs", "show", str(run_id)]).output)
    assert shown["status"] == "running" and shown["results"][0]["address"] == "10.0.0.1:161"
    cancelled = runner.invoke(main, ["jobs", "cancel", str(run_id)])
    assert cancelled.exit_code == 0, cancelled.output
    assert job.wait(timeout=10) == -signal.SIGTERM  # the cancel stopped its process
    again = runner.invoke(main, ["jobs", "cancel", str(run_id)])
    assert again.exit_code == 1 and "already ended (failed)" in again.output
    missing = runner.invoke(main, ["jobs", "show", "999999"])
    assert missing.exit_code == 1 and "no discovery run 999999" in missing.output


def test_jobs_sweep_ends_runs_whose_local_process_is_gone(app, runner) -> None:
    app.config["CMDB_REDIS_URL"] = None
    gone = add_run(app, RunStatus.RUNNING, job_id=f"local:{socket.gethostname()}:999999999")
    elsewhere = add_run(app, RunStatus.RUNNING, job_id="local:another-host:1")
    result = runner.invoke(main, ["jobs", "sweep"])
    assert result.exit_code == 0
    assert f"run {gone} ended failed" in result.output and "1 stale runs" in result.output
    with app.app_context(), get_db().sessions() as session:
        assert session.get(DiscoveryRun, elsewhere).status is RunStatus.RUNNING
