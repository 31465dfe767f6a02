"""Jobs without Redis: each in a local process of its own (``python -m web.jobs.local``).

Why a process and not a thread of the web server: waitress serves with threads
and gunicorn recycles its workers (``max_requests``, timeouts, reloads) — a job
in either would die with its server process, and a CPU-bound reconciliation
would hold the GIL against the requests. A child in its own session survives
its parent's recycling, needs no supervisor (unlike a standing local worker
that would have to be started alongside the server), and runs the same
``execute_run`` as an RQ work horse.

The child is handed the app's job context and the job's secrets on stdin (not
argv or the environment, which other local users can read). It names itself on
the run (``local:<host>:<pid>``, and as the run's runner when it claims it), so
any later job, worker or command can tell a run whose process died (killed,
machine rebooted) and end it failed: the sweep (``web.jobs.sweep``).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
from types import FrameType

from discovery.core.lifecycle import process_alive
from web.jobs.backend import BackendError
from web.jobs.context import JobContext
from web.jobs.runner import execute_run
from web.jobs.sweep import LOCAL_PREFIX as PREFIX
from web.jobs.sweep import PENDING, own_pid, sweep_dead_runs

log = logging.getLogger(__name__)


_children: list[subprocess.Popen[bytes]] = []


class LocalBackend:
    name = "local"
    keeps_payloads = False  # the secrets go down the child's stdin and are gone

    def __init__(self, context: JobContext) -> None:
        self.context = context

    def new_job_id(self) -> str:
        return PENDING

    def submit(self, run_id: int, job_id: str, secrets: dict[str, str]) -> None:
        _reap()
        payload = json.dumps({"context": self.context.to_dict(), "secrets": secrets}).encode()
        try:
            child = subprocess.Popen(
                [sys.executable, "-m", "web.jobs.local", str(run_id)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                start_new_session=True,  # not killed with the server's process group
                close_fds=True,
            )
        except OSError as exc:
            raise BackendError(f"cannot start a local job process: {exc}") from exc
        assert child.stdin is not None
        _children.append(child)
        try:
            child.stdin.write(payload)
            child.stdin.close()
        except OSError as exc:  # the child died at once (a broken install)
            raise BackendError(f"the local job process did not start: {exc}") from exc

    def stop(self, job_id: str) -> None:
        pid = own_pid(job_id)
        if pid is not None and process_alive(pid):
            os.kill(pid, signal.SIGTERM)


def _reap() -> None:
    """Collect children that ended, so none lingers as a zombie in a long-lived server."""
    _children[:] = [c for c in _children if c.poll() is None]


def _terminate(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(f"terminated by {signal.Signals(signum).name}")


def main(argv: list[str]) -> int:
    """The child: read the context, sweep, run the job; exit 1 when it failed."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s job %(process)d %(message)s")
    signal.signal(signal.SIGTERM, _terminate)
    payload = json.loads(sys.stdin.read() or "{}")
    context = JobContext(**payload["context"])
    run_id = int(argv[0])
    sweep_dead_runs(context.database_url)
    job_id = f"{PREFIX}{socket.gethostname()}:{os.getpid()}"
    try:
        status = execute_run(context, run_id, payload.get("secrets") or {}, job_id)
    except BaseException as exc:  # the run is already failed with the reason
        log.error("run %s failed: %s", run_id, exc)
        return 1
    log.info("run %s ended %s", run_id, status)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
