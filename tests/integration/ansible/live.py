"""A live Headroom on 127.0.0.1 (waitress in a thread) and the real Ansible commands.

The inventory plugin and the playbook talk HTTP only, as they do on a controller
without Headroom installed; the server counts the inventory requests it answers,
so a test can tell a cached run from a fetching one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from waitress import create_server

ROOT = Path(__file__).resolve().parents[3]
ANSIBLE_DIR = ROOT / "ansible"
BIN = Path(sys.executable).parent
TIMEOUT_S = 180


@dataclass
class LiveServer:
    url: str
    requests: list[str] = field(default_factory=list)

    def count(self, prefix: str) -> int:
        return sum(path.startswith(prefix) for path in self.requests)


@contextmanager
def live_server(app: Flask) -> Iterator[LiveServer]:
    """Serve ``app`` on a free loopback port until the block ends."""
    live = LiveServer(url="")

    def counting(environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        live.requests.append(environ.get("PATH_INFO", ""))
        return app.wsgi_app(environ, start)

    server = create_server(counting, host="127.0.0.1", port=0, threads=4)
    live.url = f"http://127.0.0.1:{server.effective_port}"
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield live
    finally:
        server.close()
        thread.join(timeout=10)


def ansible_env(tmp: Path, url: str, token: str, **extra: str) -> dict[str, str]:
    """The environment of a controller: Headroom's URL and token, fail on an unparsed inventory."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ANSIBLE_", "HEADROOM_"))
    }
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        ANSIBLE_CONFIG=str(ANSIBLE_DIR / "ansible.cfg"),
        ANSIBLE_HOME=str(tmp / "ansible-home"),
        ANSIBLE_LOCAL_TEMP=str(tmp / "ansible-tmp"),
        ANSIBLE_INVENTORY_UNPARSED_FAILED="true",
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        HEADROOM_URL=url,
        HEADROOM_TOKEN=token,
        **extra,
    )
    return env


def run_ansible(args: list[str], env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """One Ansible command from ``ansible/``, as an operator would type it."""
    return subprocess.run(
        [str(BIN / args[0]), *args[1:]],
        cwd=ANSIBLE_DIR,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )


def inventory_file(tmp: Path, text: str, name: str = "test.headroom.yml") -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


#: The Headroom inventory with every host reached over the local connection with this
#: interpreter: the fact-sync playbook runs on this machine, whatever the host's address.
LOCAL_INVENTORY = f"""\
plugin: headroom.cmdb.headroom
compose:
  ansible_connection: "'local'"
  ansible_python_interpreter: "'{sys.executable}'"
"""


REACH = """\
- hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.debug:
        msg: "reached {{ inventory_hostname }}"
"""


def reach_playbook(tmp: Path) -> Path:
    """A playbook that only says which hosts it reached (``"msg": "reached NAME"``): no
    connection, so ``--limit`` is tested without a host to log in to."""
    path = tmp / "reach.yml"
    path.write_text(REACH, encoding="utf-8")
    return path
