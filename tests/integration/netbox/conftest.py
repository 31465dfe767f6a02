"""A real NetBox (its own venv, database and server on loopback) seeded once per session.

Starting it costs minutes on a loaded machine (the venv is cached; the database
comes from the shared migrated dump when present), so every module of this folder
shares one peer; a test that changes NetBox puts it back. Each test gets its own
empty, migrated Headroom database (a copy of one migrated SQLite file).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pynetbox
import pytest
from sqlalchemy.orm import Session, sessionmaker

from cmdb.db import make_engine, make_session_factory
from tests.databases import migrated_sqlite_url
from tests.integration.netbox.seed import Seeded, seed
from tests.peers.netbox_peer import NetboxPeer, PeerError, start_peer


@dataclass
class Netbox:
    peer: NetboxPeer
    api: pynetbox.api
    seeded: Seeded

    @property
    def url(self) -> str:
        return self.peer.url

    @property
    def token(self) -> str:
        return self.peer.token


@pytest.fixture(scope="session")
def netbox() -> Iterator[Netbox]:
    reused = os.environ.get("CMDB_TEST_NETBOX_PEER")
    if (
        reused
    ):  # a developer's loop: a peer kept running by `python -m tests.peers.netbox_peer --keep`
        yield _reuse(Path(reused))
        return
    try:
        peer = start_peer()
    except PeerError as exc:
        pytest.fail(f"cannot start the NetBox peer: {exc}")
    try:
        print(f"\nNetBox peer ready in {peer.timings}")
        api = pynetbox.api(peer.url, token=peer.token)
        yield Netbox(peer, api, seed(api))
    finally:
        peer.drop()
        shutil.rmtree(peer.root, ignore_errors=True)


def _reuse(state_file: Path) -> Netbox:
    """A peer started and seeded before, described by its state file (never torn down)."""
    state = json.loads(state_file.read_text())
    peer = NetboxPeer(state["url"], state["token"], state["database"], Path(state["root"]))
    peer.process = _Foreign(state["pid"])  # type: ignore[assignment]
    api = pynetbox.api(peer.url, token=peer.token)
    return Netbox(peer, api, Seeded(state["ids"]))


class _Foreign:
    """The server process of a reused peer, which this session did not start."""

    def __init__(self, pid: int) -> None:
        self.pid, self.returncode = pid, None

    def poll(self) -> int | None:
        try:
            os.kill(self.pid, 0)
        except OSError:
            return 1
        return None

    def terminate(self) -> None:
        os.kill(self.pid, signal.SIGTERM)

    def wait(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while self.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        return 0

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("netbox-sync") / "template.db"
    migrated_sqlite_url(path)
    return path


@pytest.fixture
def db_url(migrated_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "headroom.db"
    shutil.copyfile(migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()
