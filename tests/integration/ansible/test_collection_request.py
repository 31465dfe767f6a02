"""The ``headroom.cmdb.request`` module through the real ``ansible-playbook`` against the
served demo: file, re-run unchanged, revise one field, and check mode writing nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from cmdb.choices import RequestStatus, Role
from cmdb.models import ChangeLog, ResourceRequest
from tests.integration.ansible.conftest import served_demo, token
from tests.integration.ansible.live import LiveServer, ansible_env, live_server, run_ansible
from tests.integration.api.conftest import portal
from web.db import get_db

pytestmark = pytest.mark.slow

PLAYBOOK = """\
- hosts: localhost
  gather_facts: false
  tasks:
    - headroom.cmdb.request:
        name: "{{ request_name }}"
        document: "{{ request_document }}"
        state: "{{ request_state | default('present') }}"
      register: filed
    - ansible.builtin.debug:
        msg: >-
          request {{ filed.request.id | default('none') }} changes {{ filed.changes | to_json }}
"""


@pytest.fixture
def demo_app(tmp_path: Path) -> Iterator[Flask]:
    """The demo (no forecasts: filing a request evaluates nothing), on the demo's day."""
    with served_demo(tmp_path / "demo.db", forecasts=False) as app:
        yield app


def play(tmp_path: Path, live: LiveServer, key: str, name: str, document: dict[str, Any],
         *extra: str) -> tuple[bool, str]:  # fmt: skip
    """One run of the playbook: (changed, its output); asserts it succeeded."""
    playbook, variables = tmp_path / "request.yml", tmp_path / "vars.json"
    playbook.write_text(PLAYBOOK, encoding="utf-8")
    variables.write_text(
        json.dumps({"request_name": name, "request_document": document}), encoding="utf-8"
    )
    env = ansible_env(tmp_path, live.url, key)
    run = run_ansible(["ansible-playbook", str(playbook), "-e", f"@{variables}", *extra], env)
    assert run.returncode == 0, run.stdout + run.stderr
    recap = re.search(r"localhost\s*:\s*ok=2\s+changed=(\d)", run.stdout)
    assert recap, run.stdout
    return recap.group(1) == "1", run.stdout


def requests_named(app: Flask, name: str) -> list[tuple[str, str, float, str]]:
    with app.app_context(), get_db().sessions() as session:
        rows = session.scalars(sa.select(ResourceRequest).where(ResourceRequest.name == name))
        return [(r.status.value, r.go_live.isoformat(), r.growth_pct_per_year, r.zone.value)
                for r in rows]  # fmt: skip


def change_log_rows(app: Flask) -> int:
    with app.app_context(), get_db().sessions() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(ChangeLog)) or 0


@pytest.mark.long(reason="five playbook runs against the served demo (~4 s each, loaded)")
def test_the_request_module_files_revises_is_idempotent_and_check_mode_writes_nothing(
    demo_app: Flask, tmp_path: Path
) -> None:
    key = token(demo_app, Role.PLANNER, "requester")
    document = portal()
    name = document.pop("name")
    with live_server(demo_app) as live:
        filed, out = play(tmp_path, live, key, name, document)
        assert filed and requests_named(demo_app, name) == [
            ("submitted", document["go_live"], document["growth_pct_per_year"], document["zone"])
        ]
        logged = change_log_rows(demo_app)

        again, out = play(tmp_path, live, key, name, document)
        assert not again and "changes {}" in out, out
        assert change_log_rows(demo_app) == logged  # nothing sent: no revision logged

        revised, out = play(tmp_path, live, key, name, {**document, "growth_pct_per_year": 12.5})
        assert revised and 'changes {\\"growth_pct_per_year\\": 12.5}' in out, out
        [(status, go_live, growth, zone)] = requests_named(demo_app, name)
        assert (status, go_live, growth, zone) == (
            "submitted",
            document["go_live"],
            12.5,
            document["zone"],
        )
        logged = change_log_rows(demo_app)

        checked = {**document, "growth_pct_per_year": 30.0, "go_live": "2028-01-01"}
        would, out = play(tmp_path, live, key, name, checked, "--check", "--diff")
        assert would and '"growth_pct_per_year": 30.0' in out and "2028-01-01" in out, out
        new, out_new = play(tmp_path, live, key, "Not filed (check)", document, "--check")
        patches = [p for p in live.requests if re.fullmatch(r"/api/v1/requests/\d+", p)]

    assert new and "request none" in out_new
    assert requests_named(demo_app, name) == [("submitted", document["go_live"], 12.5, zone)]
    assert requests_named(demo_app, "Not filed (check)") == []
    assert change_log_rows(demo_app) == logged
    assert patches == [patches[0]]  # the one revision; check mode sent none
    with demo_app.app_context(), get_db().sessions() as session:
        stored = session.scalars(sa.select(ResourceRequest).where(ResourceRequest.name == name))
        assert [r.status for r in stored] == [RequestStatus.SUBMITTED]
