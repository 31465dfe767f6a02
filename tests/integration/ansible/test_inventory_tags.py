"""The plugin's ``tags`` option against a live Headroom: Headroom filters (``?tag=``), every
tag must be there, and the cache keeps one answer per set of tags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmdb.choices import Role
from tests.integration.ansible.conftest import token
from tests.integration.ansible.live import ansible_env, inventory_file, live_server, run_ansible

pytestmark = pytest.mark.slow

HOSTS = "/api/v1/ansible/hosts/"
INVENTORY = """\
plugin: headroom.cmdb.headroom
{tags}
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: {cache}
cache_timeout: 3600
"""


@pytest.mark.long(reason="three ansible-core runs, ~10 s loaded")
def test_tags_keep_the_hosts_with_every_tag_and_key_the_cache(seeded, tmp_path: Path) -> None:
    """One inventory file, its tags changed between runs, one cache directory: a run with
    other tags must ask Headroom again, not read the hosts another set of tags cached."""
    app, _ = seeded
    cache = tmp_path / "cache"
    hosts: list[list[str]] = []
    with live_server(app) as live:
        env = ansible_env(tmp_path, live.url, token(app, Role.VIEWER, "inventory"))
        for tags in ("tags: [backup]", "tags: [backup, pci-dss]", "tags: [backup]"):
            text = INVENTORY.format(tags=tags, cache=cache)
            path = inventory_file(tmp_path, text)
            listed = run_ansible(["ansible-inventory", "-i", str(path), "--list"], env)
            assert listed.returncode == 0, listed.stderr
            hosts.append(sorted(json.loads(listed.stdout)["_meta"]["hostvars"]))
        fetched = live.count(HOSTS)
    assert hosts == [["hv-01", "vm-portal-01"], ["hv-01"], ["hv-01", "vm-portal-01"]]
    assert fetched == 2  # the third run read the first's cache entry
    assert len(list(cache.iterdir())) == 2


def test_ansible_doc_documents_the_tags_option(tmp_path: Path) -> None:
    env = ansible_env(tmp_path, "http://127.0.0.1:9", "unused")
    result = run_ansible(["ansible-doc", "-t", "inventory", "headroom.cmdb.headroom"], env)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "Only hosts that carry every one of these tags" in text
    assert "the cache key holds the tags" in text
