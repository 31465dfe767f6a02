"""A parallel worker leaves as soon as pytest is done with it.

When a pytest-xdist worker has sent its last report and run every tear-down, what is
left of it is the interpreter's own shutdown: tearing down every module and freeing a
heap that holds each app, template and ORM object the session made. Measured on the
quick tier (2026-12-07, `make test-fast`, a plugin stamping each step): the workers'
last atexit handlers ran 0.4–1.1 s after their last test, and the controller, which
waits for them to end, finished 5–7 s after that: about a tenth of the tier's wall time.
Here a worker runs its atexit handlers (log handlers, pools) and then ends at once with
pytest's exit status (`os._exit`). Its results are already with the controller
(xdist's ``workerfinished`` is sent from ``pytest_sessionfinish``, before this), and
every fixture's tear-down (peers stopped, databases dropped) has run. A run without
xdist is left alone.
"""

from __future__ import annotations

import atexit
import os
import sys

import pytest

_status = [0]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _status[0] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    atexit._run_exitfuncs()  # private, as multiprocessing's children use it
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_status[0])
