"""The real ``ansible-inventory`` and ``ansible-playbook`` against a live Headroom: shared
names, hosts without an address, Jinja in a name, the cache file's mode and key."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from cmdb.choices import Role
from cmdb.db import transaction
from cmdb.models import Device, Workload
from tests.integration.ansible.conftest import token
from tests.integration.ansible.live import (
    ansible_env,
    inventory_file,
    live_server,
    reach_playbook,
    run_ansible,
)
from tests.integration.ansible.test_inventory_plugin import plain
from web.db import get_db

pytestmark = pytest.mark.slow

HOSTS = "/api/v1/ansible/hosts/"


@pytest.mark.long(reason="three ansible-core runs (list, playbook, refused playbook), ~10 s loaded")
def test_shared_names_bare_hosts_and_jinja_in_a_name(seeded, tmp_path: Path) -> None:
    app, ids = seeded
    with app.app_context(), transaction(get_db().sessions) as session:
        session.get(Workload, ids.vm_id).name = "hv-01"  # the device hv-01 keeps its name
        session.get(Device, ids.router_id).name = "rt-{{ 6 * 7 }}"
    path = inventory_file(tmp_path, "plugin: headroom.cmdb.headroom\n")
    playbook = reach_playbook(tmp_path)
    with live_server(app) as live:
        env = ansible_env(tmp_path, live.url, token(app, Role.VIEWER, "inventory"))
        listed = run_ansible(["ansible-inventory", "-i", str(path), "--list"], env)
        limited = run_ansible(
            ["ansible-playbook", "-i", str(path), str(playbook), "--limit", "rt-_6_7"], env
        )
        jinja_limit = run_ansible(
            ["ansible-playbook", "-i", str(path), str(playbook), "--limit", "rt-{{"], env
        )
    assert listed.returncode == 0, listed.stderr
    hostvars = plain(json.loads(listed.stdout)["_meta"]["hostvars"])
    renamed = f"hv-01-workload-{ids.vm_id}"
    assert hostvars["hv-01"]["headroom_kind"] == "device"
    assert hostvars[renamed]["headroom_id"] == ids.vm_id
    assert f"two hosts are named 'hv-01': workload {ids.vm_id} is '{renamed}'" in listed.stderr
    assert hostvars["rt-_6_7"]["headroom_name"] == "rt-{{ 6 * 7 }}"
    assert "is not a safe inventory name: 'rt-_6_7'" in listed.stderr
    assert "ansible_host" not in hostvars["hv-spare"]
    assert "hv-spare" in hostvars and hostvars["hv-01"]["ansible_host"]
    assert "2 hosts have no management address" in listed.stderr  # hv-spare, vm-no-address
    assert limited.returncode == 0, limited.stdout + limited.stderr
    assert '"msg": "reached rt-_6_7"' in limited.stdout
    assert limited.stdout.count('"msg": "reached') == 1
    assert jinja_limit.returncode != 0  # nothing matches: refused, not templated, not everyone
    assert "no hosts to target" in jinja_limit.stderr
    assert "reached" not in jinja_limit.stdout


def test_drop_without_address_leaves_bare_hosts_out(seeded, tmp_path: Path) -> None:
    app, _ = seeded
    path = inventory_file(tmp_path, "plugin: headroom.cmdb.headroom\ndrop_without_address: true\n")
    with live_server(app) as live:
        env = ansible_env(tmp_path, live.url, token(app, Role.VIEWER, "inventory"))
        listed = run_ansible(["ansible-inventory", "-i", str(path), "--list"], env)
    assert listed.returncode == 0, listed.stderr
    hostvars = json.loads(listed.stdout)["_meta"]["hostvars"]
    assert "hv-spare" not in hostvars and "hv-01" in hostvars
    assert "no management address" not in listed.stderr


@pytest.mark.long(reason="three ansible-core runs against two servers, ~10 s loaded")
def test_the_cache_is_private_and_keyed_by_url(seeded, tmp_path: Path) -> None:
    """Two Headrooms (here one app on two ports) through one inventory file and one cache
    directory: each answer is cached apart, and every cache file is 0600."""
    app, _ = seeded
    cache = tmp_path / "cache"
    text = (
        "plugin: headroom.cmdb.headroom\ncache: true\ncache_plugin: ansible.builtin.jsonfile\n"
        f"cache_connection: {cache}\ncache_timeout: 3600\n"
    )
    path = inventory_file(tmp_path, text)
    viewer = token(app, Role.VIEWER, "inventory")
    with live_server(app) as first, live_server(app) as second:
        env_first = ansible_env(tmp_path, first.url, viewer)
        env_second = ansible_env(tmp_path, second.url, viewer)
        runs = [
            run_ansible(["ansible-inventory", "-i", str(path), "--list"], env)
            for env in (env_first, env_second, env_first)
        ]
        assert first.count(HOSTS) == 1 and second.count(HOSTS) == 1
    for run in runs:
        assert run.returncode == 0, run.stderr
    urls = [
        plain(json.loads(run.stdout)["_meta"]["hostvars"]["hv-01"]["headroom_url"]) for run in runs
    ]
    assert [u.split("/api/")[0] for u in urls] == [
        first.url,
        second.url,
        first.url,  # from the first's cache entry, not the second's (written last)
    ]
    files = list(cache.iterdir())
    assert len(files) == 2
    assert {stat.S_IMODE(f.stat().st_mode) for f in files} == {0o600}
