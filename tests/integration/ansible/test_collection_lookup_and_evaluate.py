"""The ``headroom.cmdb.headroom`` lookup and the ``headroom.cmdb.evaluate`` module through the
real ``ansible`` against the served demo."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from cmdb.choices import Role
from tests.integration.ansible.conftest import served_demo, token
from tests.integration.ansible.live import ansible_env, live_server, run_ansible
from tests.integration.api.conftest import portal

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo with its forecasts fitted (a cached copy), on the demo's day."""
    with served_demo(tmp_path_factory.mktemp("lookup") / "demo.db", forecasts=True) as app:
        yield app


def lookup(tmp_path: Path, url: str, key: str, expression: str) -> tuple[int, str, str]:
    env = ansible_env(tmp_path, url, key)
    args = ["ansible", "localhost", "-m", "ansible.builtin.debug", "-a", f"msg={expression}"]
    result = run_ansible(args, env)
    return result.returncode, result.stdout, result.stderr


@pytest.mark.long(reason="the capacity report of the demo (271 forecasts from cache) and ansible")
def test_the_lookup_gives_a_cluster_s_headroom_and_refuses_an_unknown_name(
    demo_app: Flask, tmp_path: Path
) -> None:
    key = token(demo_app, Role.VIEWER, "lookup")
    with live_server(demo_app) as live:
        code, out, err = lookup(
            tmp_path, live.url, key, "{{ query('headroom.cmdb.headroom', 'PROD-CL01') }}"
        )
        bad_code, bad_out, bad_err = lookup(
            tmp_path, live.url, key, "{{ lookup('headroom.cmdb.headroom', 'NO-SUCH-CL') }}"
        )
    assert code == 0, out + err
    rows = json.loads(out.split("=>", 1)[1])["msg"]  # "localhost | SUCCESS => {...}"
    assert {r["name"] for r in rows} == {"PROD-CL01"} and len(rows) >= 2
    assert {r["kind"] for r in rows} >= {"vcpu", "ram"}  # a cluster: one row per dimension
    for row in rows:
        assert isinstance(row["headroom"], float)
        assert "exhaustion_date" in row and "at_risk_date" in row
    assert bad_code != 0
    assert "Headroom has no cluster, pool or link named 'NO-SUCH-CL'" in bad_out + bad_err


def test_ansible_doc_renders_the_lookup_documentation(tmp_path: Path) -> None:
    env = ansible_env(tmp_path, "http://127.0.0.1:9", "unused")
    result = run_ansible(["ansible-doc", "-t", "lookup", "headroom.cmdb.headroom"], env)
    assert result.returncode == 0, result.stderr
    for text in ("exhaustion_date", "HEADROOM_URL", "at_risk_date", "api_endpoint"):
        assert text in result.stdout


EVALUATE = """\
- hosts: localhost
  gather_facts: false
  tasks:
    - headroom.cmdb.evaluate:
        document: "{{{{ lookup('ansible.builtin.file', '{document}') | from_json }}}}"
      register: verdict
    - ansible.builtin.debug:
        msg: "verdict {{{{ verdict.evaluation.verdict }}}} until {{{{ verdict.evaluation.until }}}}"
"""


@pytest.mark.long(reason="two playbook runs, each an evaluation of the demo (~10 s loaded)")
def test_evaluate_answers_the_verdict_and_changes_nothing_even_in_check_mode(
    demo_app: Flask, tmp_path: Path
) -> None:
    document = tmp_path / "portal.json"
    document.write_text(json.dumps(portal()), encoding="utf-8")
    playbook = tmp_path / "evaluate.yml"
    playbook.write_text(EVALUATE.format(document=document), encoding="utf-8")
    key = token(demo_app, Role.PLANNER, "evaluate")
    with live_server(demo_app) as live:
        env = ansible_env(tmp_path, live.url, key)
        runs = [
            run_ansible(["ansible-playbook", str(playbook), *extra], env)
            for extra in ([], ["--check"])
        ]
    for run in runs:
        assert run.returncode == 0, run.stdout + run.stderr
        assert '"msg": "verdict host_until until 2027-04-01"' in run.stdout
        assert re.search(r"localhost\s*:\s*ok=2\s+changed=0", run.stdout), run.stdout


def test_ansible_doc_renders_the_evaluate_module(tmp_path: Path) -> None:
    env = ansible_env(tmp_path, "http://127.0.0.1:9", "unused")
    result = run_ansible(["ansible-doc", "-t", "module", "headroom.cmdb.evaluate"], env)
    assert result.returncode == 0, result.stderr
    for text in ("document", "request_id", "HEADROOM_TOKEN", "check mode"):
        assert text in result.stdout


STORED = """\
- hosts: localhost
  gather_facts: false
  tasks:
    - headroom.cmdb.evaluate:
        request_id: {request_id}
      register: verdict
    - ansible.builtin.debug:
        msg: "stored {{{{ verdict.evaluation.verdict | default('none') }}}}"
"""


@pytest.mark.long(reason="two playbook runs against the demo, one evaluating (~10 s loaded)")
def test_evaluating_a_stored_request_is_a_change_and_check_mode_sends_nothing(
    demo_app: Flask, tmp_path: Path
) -> None:
    key = token(demo_app, Role.PLANNER, "stored")
    headers = {"Authorization": f"Token {key}"}
    created = demo_app.test_client().post("/api/v1/requests/", json=portal(), headers=headers)
    assert created.status_code == 201, created.get_json()
    request_id = created.get_json()["id"]
    playbook = tmp_path / "stored.yml"
    playbook.write_text(STORED.format(request_id=request_id), encoding="utf-8")
    with live_server(demo_app) as live:
        env = ansible_env(tmp_path, live.url, key)
        checked = run_ansible(["ansible-playbook", str(playbook), "--check"], env)
        evaluations = live.count(f"/api/v1/requests/{request_id}/evaluate")
        stored = run_ansible(["ansible-playbook", str(playbook)], env)
    assert checked.returncode == 0 and stored.returncode == 0, checked.stdout + stored.stdout
    assert evaluations == 0 and '"msg": "stored none"' in checked.stdout
    assert re.search(r"localhost\s*:\s*ok=2\s+changed=1", checked.stdout), checked.stdout
    assert '"msg": "stored host_until"' in stored.stdout
    assert re.search(r"localhost\s*:\s*ok=2\s+changed=1", stored.stdout), stored.stdout
