"""The demo through the real ``ansible-inventory --graph`` and ``ansible-playbook --limit``:
the admin tree nests (province ⊃ district ⊃ commune), before and after the 2025 reform."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from cmdb.choices import Role
from cmdb.db import transaction
from cmdb.demo.loader import load_demo
from tests.databases import migrated_sqlite_url
from tests.demo_databases import demo_sqlite_url
from tests.integration.ansible.conftest import token
from tests.integration.ansible.live import (
    ansible_env,
    inventory_file,
    live_server,
    reach_playbook,
    run_ansible,
)
from web import create_app
from web.db import get_db

pytestmark = pytest.mark.slow

# Servers only (15 in the demo), grouped by the tree alone: a district group holds no host
# itself, so reaching one through it proves the nesting.
INVENTORY = "plugin: headroom.cmdb.headroom\nroles: [server]\ngroup_by: [admin_unit]\n"
PROVINCE = "province_tinh_quang_nam_49"
DISTRICT = "district_thanh_pho_tam_ky_502"
COMMUNE = "commune_phuong_tan_thanh_20335"  # the DC's ward before the reform


def _app(url: str, *, as_of: date | None = None) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": url, "SECRET_KEY": "test"})
    if as_of is not None:
        with app.app_context(), transaction(get_db().sessions) as session:
            load_demo(session, as_of=as_of)
    yield app
    with app.app_context():
        get_db().engine.dispose()


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from _app(demo_sqlite_url(tmp_path_factory.mktemp("demo") / "demo.db"))


@pytest.fixture(scope="module")
def reformed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo loaded as of 1 January 2026: Quảng Nam merged into Đà Nẵng, no districts."""
    url = migrated_sqlite_url(tmp_path_factory.mktemp("reformed") / "demo.db")
    yield from _app(url, as_of=date(2026, 1, 1))


def graph(app: Flask, tmp_path: Path, text: str, user: str) -> str:
    path = inventory_file(tmp_path, text)
    with live_server(app) as live:
        env = ansible_env(tmp_path, live.url, token(app, Role.VIEWER, user))
        result = run_ansible(["ansible-inventory", "-i", str(path), "--graph"], env)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.long(reason="three ansible-core runs (graph, list, playbook) on the demo, ~15 s")
def test_the_demo_nests_communes_under_districts_and_limit_reaches_them(
    demo_app: Flask, tmp_path: Path
) -> None:
    shown = graph(demo_app, tmp_path, INVENTORY, "graph")
    assert f"  |--@{PROVINCE}:\n  |  |--@{DISTRICT}:\n  |  |  |--@{COMMUNE}:\n" in shown
    path = inventory_file(tmp_path, INVENTORY)
    playbook = reach_playbook(tmp_path)
    with live_server(demo_app) as live:
        env = ansible_env(tmp_path, live.url, token(demo_app, Role.VIEWER, "limit"))
        listed = run_ansible(["ansible-inventory", "-i", str(path), "--list"], env)
        run = run_ansible(
            ["ansible-playbook", "-i", str(path), str(playbook), "--limit", DISTRICT], env
        )
    assert listed.returncode == 0, listed.stderr
    inventory = json.loads(listed.stdout)
    assert "hosts" not in inventory[DISTRICT]  # only through its commune
    in_commune = set(inventory[COMMUNE]["hosts"])
    assert len(in_commune) == 15 and "prod-esx01" in in_commune
    assert run.returncode == 0, run.stdout + run.stderr
    assert set(re.findall(r'"msg": "reached (\S+)"', run.stdout)) == in_commune


@pytest.mark.long(reason="loads the demo after the reform (~15 s) and runs ansible-core twice")
def test_after_the_reform_communes_sit_under_the_new_province_and_as_of_shows_before(
    reformed_app: Flask, tmp_path: Path
) -> None:
    after = graph(reformed_app, tmp_path, INVENTORY, "after")
    assert (
        "  |--@province_thanh_pho_da_nang_48:\n  |  |--@commune_phuong_ban_thach_20335:\n" in after
    )
    assert "@district_" not in after and PROVINCE not in after
    before = graph(reformed_app, tmp_path, INVENTORY + 'as_of: "2025-06-30"\n', "before")
    assert f"  |--@{PROVINCE}:\n  |  |--@{DISTRICT}:\n  |  |  |--@{COMMUNE}:\n" in before
