"""A real NetBox for the tests: its own Python 3.12 venv, database, and server on loopback.

NetBox is a Django application published on PyPI as the ``netbox`` wheel
(Python ≥ 3.12 only), so it cannot live in Headroom's 3.11 venv. This module:

- builds, once, a cached venv with the pinned wheel (``~/.cache/headroom/peers/
  netbox-<version>``, or under ``CMDB_NETBOX_PEER_DIR``), with the interpreter
  ``CMDB_NETBOX_PYTHON`` or the first ``python3.12`` found. The cache lives outside
  the checkout so that a clean clone (CI's) reuses what an earlier run built;
- gives each start a fresh PostgreSQL database, restored from a migrated dump when
  one exists (seconds): the shared one (``CMDB_NETBOX_DUMP``, empty to ignore it),
  else our own cached one (``<peer dir>/netbox-<version>-empty-migrated.pgdump``);
  without either it migrates from nothing (6–8 min idle, 38 min measured at load
  8–10) and then keeps that cached dump (``pg_dump -Fc``, before any user or token)
  so that only the first start pays for it;
- writes ``<root>/conf/configuration.py`` (the wheel's NETBOX_ROOT layout), applies
  the missing migrations and creates a superuser and a v2 API token in one ``netbox
  shell`` (one Django start-up) (``nbt_<key>.<secret>``, sent as
  ``Bearer`` — pynetbox ≥ 7.6 picks the scheme from the prefix), serves with
  gunicorn on a free port, and waits (bounded) for ``/api/status/``.

``python -m tests.peers.netbox_peer`` builds the venv alone (``make netbox-peer``).
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

NETBOX_VERSION = "4.7.3"
DUMP_NAME = f"netbox-{NETBOX_VERSION}-empty-migrated.pgdump"
# An empty, migrated database of this exact version (pg_dump -Fc), shared between machines'
# checkouts when present; the project must work without it (see ``_seed_database``).
SHARED_DUMP_DEFAULT = Path("/work/shared/peers/netbox") / DUMP_NAME
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
REDIS_TASKS_DB, REDIS_CACHE_DB = 12, 13
START_TIMEOUT_S = 300.0  # importing NetBox takes 1–2 min when 2 cores are shared
# Migrations from nothing: 6–8 min idle, 38.5 min measured at load 8–10 (BENCHMARKS.md).
MIGRATE_TIMEOUT_S = 5400.0
DUMP_TIMEOUT_S = 300.0


class PeerError(RuntimeError):
    """The NetBox peer could not be built or started; the message says which step."""


@dataclass
class NetboxPeer:
    url: str
    token: str
    database: str
    root: Path
    process: subprocess.Popen[bytes] | None = None
    timings: dict[str, float] = field(default_factory=dict)

    def stop(self) -> None:
        """Stop the server (the database stays until ``drop``)."""
        if self.process is not None and self.process.poll() is None:
            _signal_group(self.process, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                _signal_group(self.process, signal.SIGKILL)
                self.process.wait(timeout=5)
        if self.process is not None:
            # The master may be gone while a worker lingers: its group still names it.
            _signal_group(self.process, signal.SIGKILL)
        self.process = None

    def drop(self) -> None:
        self.stop()
        _psql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    """Signal gunicorn's whole process group (master and workers); gone is fine."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def peer_dir() -> Path:
    return Path(os.environ.get("CMDB_NETBOX_PEER_DIR") or user_cache() / "peers") / (
        f"netbox-{NETBOX_VERSION}"
    )


def user_cache() -> Path:
    """Headroom's cache of this user (``$XDG_CACHE_HOME/headroom``, else ``~/.cache``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "headroom"


def shared_dump() -> Path | None:
    """The shared migrated dump: ``CMDB_NETBOX_DUMP`` ("" ignores it), else the default path."""
    configured = os.environ.get("CMDB_NETBOX_DUMP")
    if configured is None:
        return SHARED_DUMP_DEFAULT
    return Path(configured) if configured.strip() else None


def cached_dump() -> Path:
    """Our own migrated dump, written after the first start that had to migrate."""
    return peer_dir() / DUMP_NAME


def find_python312() -> str:
    """An interpreter that really runs 3.12 (a pyenv shim may exist and refuse)."""
    candidates = [os.environ.get("CMDB_NETBOX_PYTHON")]
    candidates += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.12*/bin/python3.12")))
    candidates += sorted(glob.glob("/root/.pyenv/versions/3.12*/bin/python3.12"))
    candidates.append(shutil.which("python3.12"))
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK) and _is_python312(candidate):
            return candidate
    raise PeerError("NetBox needs Python 3.12: set CMDB_NETBOX_PYTHON or install python3.12")


def _is_python312(python: str) -> bool:
    try:
        done = subprocess.run([python, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and done.stdout.startswith("Python 3.12")


def ensure_venv() -> Path:
    """The venv's ``bin`` directory, building it when missing (a stamp marks completion)."""
    venv = peer_dir() / "venv"
    stamp = venv / f".netbox-{NETBOX_VERSION}"
    if stamp.exists():
        return venv / "bin"
    if venv.exists():
        shutil.rmtree(venv)  # a half-built venv from an interrupted run
    venv.parent.mkdir(parents=True, exist_ok=True)
    _run([find_python312(), "-m", "venv", str(venv)], "create the NetBox venv", 300)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    _run([*pip, f"netbox=={NETBOX_VERSION}"], "install the netbox wheel", 1800)
    stamp.touch()
    return venv / "bin"


def start_peer(name_prefix: str = "headroom_netbox", dump: Path | None = None) -> NetboxPeer:
    """A running NetBox with a database of its own: empty and migrated, or ``dump``'s."""
    timings: dict[str, float] = {}
    t0 = time.monotonic()
    bin_dir = ensure_venv()
    timings["venv_s"] = time.monotonic() - t0
    database = f"{name_prefix}_{uuid.uuid4().hex[:10]}"
    root = peer_dir() / "instances" / database
    _write_configuration(root, database)
    env = {**os.environ, "NETBOX_ROOT": str(root), "PYTHONWARNINGS": "ignore"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    _psql(f'CREATE DATABASE "{database}"')
    try:
        netbox = str(bin_dir / "netbox")
        _prepare_database(database, netbox, env, timings, dump)
        t2 = time.monotonic()
        token = _migrate_and_create_token(netbox, env)
        timings["migrate_and_token_s"] = time.monotonic() - t2
        t3 = time.monotonic()
        port = _free_port()
        process = subprocess.Popen(
            [
                str(bin_dir / "gunicorn"),
                "netbox.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                "--workers=1",  # one process imports NetBox once; threads serve in parallel
                "--threads=4",
                "--timeout=120",
                "--log-level=warning",
            ],
            env=env,
            cwd=str(root),
            stdout=subprocess.DEVNULL,
            start_new_session=True,  # its own group: stop() ends the workers too
            stderr=(root / "gunicorn.log").open("wb"),
        )
        peer = NetboxPeer(f"http://127.0.0.1:{port}", token, database, root, process, timings)
        _wait_ready(peer)
        timings["serve_s"] = time.monotonic() - t3
        timings["total_s"] = time.monotonic() - t0
        return peer
    except BaseException:
        _psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(root, ignore_errors=True)
        raise


def restart(peer: NetboxPeer) -> None:
    """Start the server of a stopped peer again, on the same port."""
    port = int(peer.url.rsplit(":", 1)[1])
    env = {**os.environ, "NETBOX_ROOT": str(peer.root), "PYTHONWARNINGS": "ignore"}
    peer.process = subprocess.Popen(
        [
            str(peer_dir() / "venv" / "bin" / "gunicorn"),
            "netbox.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "--threads=4",
            "--log-level=warning",
        ],
        env=env,
        cwd=str(peer.root),
        stdout=subprocess.DEVNULL,
        start_new_session=True,
        stderr=(peer.root / "gunicorn.log").open("ab"),
    )
    _wait_ready(peer)


def _write_configuration(root: Path, database: str) -> None:
    (root / "conf").mkdir(parents=True, exist_ok=True)
    for sub in ("media", "reports", "scripts", "static"):
        (root / sub).mkdir(exist_ok=True)
    config = {
        "ALLOWED_HOSTS": ["127.0.0.1", "localhost"],
        "DATABASE": {"NAME": database, "USER": PG_USER, "HOST": PG_HOST, "PORT": PG_PORT},
        "REDIS": {
            "tasks": {"HOST": "127.0.0.1", "PORT": 6379, "DATABASE": REDIS_TASKS_DB},
            "caching": {"HOST": "127.0.0.1", "PORT": 6379, "DATABASE": REDIS_CACHE_DB},
        },
        "SECRET_KEY": uuid.uuid4().hex + uuid.uuid4().hex,
        "API_TOKEN_PEPPERS": {1: uuid.uuid4().hex + uuid.uuid4().hex},
        "LOGIN_REQUIRED": True,
        "CENSUS_REPORTING_ENABLED": False,
        "RELEASE_CHECK_URL": None,
        "TIME_ZONE": "UTC",
    }
    lines = ["# Written by tests/peers/netbox_peer.py for one test session."]
    lines += [f"{key} = {value!r}" for key, value in config.items()]
    (root / "conf" / "configuration.py").write_text("\n".join(lines) + "\n")


def _prepare_database(
    database: str,
    netbox: str,
    env: dict[str, str],
    timings: dict[str, float],
    dump: Path | None = None,
) -> None:
    """``dump``'s database, else a migrated empty one: restored (``restore_s``), else
    migrated (``migrate_s``) and dumped for the next start (``dump_s``)."""
    t0 = time.monotonic()
    if _seed_database(database, dump) is not None:
        timings["restore_s"] = time.monotonic() - t0
        return
    _migrate_from_nothing(netbox, env)
    timings["migrate_s"] = time.monotonic() - t0
    t1 = time.monotonic()
    _keep_dump(database)
    timings["dump_s"] = time.monotonic() - t1


def _seed_database(database: str, wanted: Path | None = None) -> Path | None:
    """Restore ``wanted``, else the shared dump, else our cached one; ``None`` when there
    is none of them."""
    if not shutil.which("pg_restore"):
        return None
    for dump in (wanted, shared_dump(), cached_dump()):
        if dump is not None and dump.is_file():
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    f"--role={PG_USER}",
                    *_pg_args(),
                    "-d",
                    database,
                    str(dump),
                ],
                f"restore the migrated NetBox dump {dump}",
                300,
            )
            return dump
    return None


def _migrate_from_nothing(netbox: str, env: dict[str, str]) -> None:
    _run(
        [netbox, "migrate", "--no-input"],
        "migrate an empty NetBox database",
        MIGRATE_TIMEOUT_S,
        env,
    )


def _keep_dump(database: str) -> None:
    """Dump the freshly migrated, still empty database (before any user or token) as our
    cached seed; written aside and renamed, so a concurrent start never reads half a file."""
    if not shutil.which("pg_dump"):
        return
    target = cached_dump()
    partial = target.with_name(f"{target.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        _run(
            ["pg_dump", "-Fc", *_pg_args(), "-f", str(partial), database],
            "dump the migrated NetBox database",
            DUMP_TIMEOUT_S,
        )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def _pg_args() -> list[str]:
    return ["-h", PG_HOST, "-p", str(PG_PORT), "-U", PG_USER]


# One Django start-up (tens of seconds on a loaded machine) does both jobs: apply what
# migrations are missing — none after a dump of this version, so nothing after the
# restore or the first migration — and create the superuser with a v2 token.
_SETUP_SCRIPT = """
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from users.models import Token, User

executor = MigrationExecutor(connection)
missing = executor.migration_plan(executor.loader.graph.leaf_nodes())
if missing:
    call_command("migrate", interactive=False, verbosity=0)
print("MIGRATIONS_APPLIED=%d" % len(missing))
user = User.objects.filter(username="headroom").first() or User.objects.create_superuser(
    "headroom", "headroom@example.org", "{password}"
)  # a restored dump of a seeded peer has the user already (its tokens' pepper is gone)
token = Token(user=user, version=2, write_enabled=True, description="Headroom tests")
token.save()
print("TOKEN=nbt_" + token.key + "." + token.token)
"""


def _migrate_and_create_token(netbox: str, env: dict[str, str]) -> str:
    script = _SETUP_SCRIPT.format(password=uuid.uuid4().hex)
    out = _run(
        [netbox, "shell", "--no-startup", "-c", script],
        "migrate NetBox and create the API token",
        MIGRATE_TIMEOUT_S,
        env,
    )
    for line in out.splitlines():
        if line.startswith("TOKEN="):
            return line.removeprefix("TOKEN=").strip()
    raise PeerError(f"no token in the output of 'netbox shell': {out[-500:]}")


def dump_database(peer: NetboxPeer, path: Path) -> None:
    """Keep the peer's database as ``path`` (``pg_dump -Fc``), for ``start_peer(dump=path)``."""
    partial = path.with_suffix(".partial")
    cmd = ["pg_dump", "-Fc", "-h", PG_HOST, "-p", str(PG_PORT), "-U", PG_USER]
    _run([*cmd, "-f", str(partial), peer.database], f"dump {peer.database}", 600)
    partial.rename(path)


def netbox_shell(peer: NetboxPeer, script: str, env: dict[str, str], timeout_s: float) -> str:
    """Run ``script`` in the peer's ``netbox shell`` (Django's ORM); its output."""
    full_env = {**os.environ, **env, "NETBOX_ROOT": str(peer.root), "PYTHONWARNINGS": "ignore"}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    netbox = str(peer_dir() / "venv" / "bin" / "netbox")
    return _run(
        [netbox, "shell", "--no-startup", "-c", script],
        "run a NetBox shell script",
        timeout_s,
        full_env,
    )


def _wait_ready(peer: NetboxPeer) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    request = urllib.request.Request(
        f"{peer.url}/api/status/", headers={"Authorization": f"Bearer {peer.token}"}
    )
    last = "no answer"
    while time.monotonic() < deadline:
        if peer.process is not None and peer.process.poll() is not None:
            log = (peer.root / "gunicorn.log").read_text(errors="replace")[-2000:]
            raise PeerError(f"NetBox exited with {peer.process.returncode}: {log}")
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                json.load(answer)
                return
        except (OSError, urllib.error.URLError, ValueError) as exc:
            last = str(exc)
            time.sleep(0.5)
    peer.stop()
    raise PeerError(f"NetBox did not answer /api/status/ within {START_TIMEOUT_S:.0f} s: {last}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _psql(sql: str) -> None:
    _run(["psql", *_pg_args(), "-q", "-c", sql], sql, 60)


def _run(cmd: list[str], what: str, timeout: float, env: dict[str, str] | None = None) -> str:
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, env=env, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PeerError(f"cannot {what}: {exc}") from exc
    if done.returncode != 0:
        raise PeerError(f"cannot {what} (exit {done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def keep(state_file: Path) -> None:
    """Start and seed a peer, describe it in ``state_file``, serve until interrupted."""
    import pynetbox

    from tests.integration.netbox.seed import seed

    peer = start_peer("headroom_netbox_dev")
    try:
        seeded = seed(pynetbox.api(peer.url, token=peer.token))
        state = {
            "url": peer.url,
            "token": peer.token,
            "database": peer.database,
            "root": str(peer.root),
            "pid": peer.process.pid if peer.process else None,
            "ids": seeded.ids,
            "timings": peer.timings,
        }
        state_file.write_text(json.dumps(state, indent=1))
        print(f"NetBox at {peer.url}; CMDB_TEST_NETBOX_PEER={state_file}", flush=True)
        while True:
            time.sleep(3600)
    finally:
        peer.drop()


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "--keep":
        keep(Path(sys.argv[2]))
    else:
        print(ensure_venv())
