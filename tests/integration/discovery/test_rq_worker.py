"""``cmdb worker``'s RQ worker ends its command listener (a pubsub thread) when it ends.

Real Redis, an in-process worker: its listener is started and stopped as
``Worker.work`` does, in the state a worker usually ends in and in the state
RQ's own teardown raced it into (the listener had read the UNSUBSCRIBE reply
before its stop flag was down, and waited a minute for a subscription).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from rq import Worker

from tests.integration.discovery.jobs_support import REDIS_URL, queue_name
from web.jobs.redis_queue import make_worker

__all__ = ["queue_name"]

# Far above what ending takes here (a fraction of a second), far below the
# minute RQ's listener waited: a hang fails the test instead of slowing it.
LIMIT_S = 15.0


def listener_idle(_worker: Worker) -> None:
    """The listener waits for a command, as it does while the worker works or waits."""


def listener_unsubscribed(worker: Worker) -> None:
    """The listener has read an UNSUBSCRIBE reply and waits for a subscription."""
    assert worker.pubsub is not None
    worker.pubsub.unsubscribe()
    deadline = time.monotonic() + LIMIT_S
    while worker.pubsub.subscribed:  # the listener thread clears it when it reads the reply
        assert time.monotonic() < deadline, "the listener did not read the UNSUBSCRIBE reply"
        time.sleep(0.01)


@pytest.mark.parametrize("state", [listener_idle, listener_unsubscribed])
def test_a_worker_ending_stops_its_command_listener(
    queue_name: str, state: Callable[[Worker], None]
) -> None:
    worker = make_worker(REDIS_URL, [queue_name])
    worker.subscribe()
    listener = worker.pubsub_thread
    assert listener is not None and listener.is_alive()
    state(worker)
    ending = threading.Thread(target=worker.unsubscribe, daemon=True)
    ending.start()
    ending.join(LIMIT_S)
    assert not ending.is_alive(), f"the worker's end waited over {LIMIT_S:g} s on its listener"
    assert not listener.is_alive()
    assert worker.pubsub is not None and worker.pubsub.connection is None  # closed
