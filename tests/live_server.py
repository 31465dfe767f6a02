"""A real server for concurrency tests: waitress on a loopback port, in a thread, with
``cmdb serve``'s 8 worker threads, and a pool of client threads that call it at once.

The Flask test client runs one request at a time in the test's thread; only a real
server with real threads lets two requests hold database transactions together.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import requests
from flask import Flask
from waitress import create_server, wasyncore

SERVE_THREADS = 8  # ``cmdb serve``'s default
TIMEOUT_S = 60


@contextmanager
def serving(app: Flask, threads: int = SERVE_THREADS) -> Iterator[str]:
    """Serve ``app`` on a free loopback port until the block ends; yields its base URL."""
    channels: dict[int, Any] = {}  # waitress's socket map: its loop runs while it is not empty
    server = create_server(
        app, map=channels, host="127.0.0.1", port=0, threads=threads, asyncore_loop_timeout=0.1
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.task_dispatcher.shutdown()
        left = dict(channels)
        channels.clear()  # the loop ends at its next turn; then its sockets are closed
        thread.join(timeout=10)
        wasyncore.close_all(left)


Call = Callable[[requests.Session], requests.Response]


def all_at_once(calls: Sequence[Call]) -> list[requests.Response]:
    """Make every call from a thread of its own, released together; answers in order."""
    start = threading.Barrier(len(calls))

    def run(call: Call) -> requests.Response:
        with requests.Session() as http:
            start.wait(timeout=TIMEOUT_S)
            return call(http)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def call(method: str, url: str, token: str, body: Any = None) -> Call:
    """A call of ``method`` on ``url`` with an API token and an optional JSON body."""
    headers = {"Authorization": f"Token {token}"}
    return lambda http: http.request(method, url, json=body, headers=headers, timeout=TIMEOUT_S)
