"""A NetBox sync whose every object fails to map is failed: exit 1, one line saying why.

NetBox answers (no network error): the token may see one region only, and that region
has no admin-unit code, so the one object the sync reads cannot be taken.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest

from tests.integration.netbox.conftest import Netbox
from tests.integration.netbox.test_sync_deletions import _SYNCED_TYPES
from web import create_app
from web.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture
def one_region_token(netbox: Netbox) -> Iterator[str]:
    """A v2 token that may view one new region without a code, and nothing else."""
    api, tag = netbox.api, uuid.uuid4().hex[:6]
    region = api.dcim.regions.create(name=f"Vùng chưa có mã {tag}", slug=f"vung-{tag}")
    user = api.users.users.create(username=f"one-region-{tag}", password=f"Or-{uuid.uuid4().hex}")
    only = api.users.permissions.create(
        name=f"{user.username}-region",
        object_types=["dcim.region"],
        actions=["view"],
        users=[user.id],
        constraints={"id": region.id},
    )
    others = [t for t in _SYNCED_TYPES if t != "dcim.region"]
    none = api.users.permissions.create(
        name=f"{user.username}-none",
        object_types=others,
        actions=["view"],
        users=[user.id],
        constraints={"id": 0},  # no object has id 0: each list answers, empty
    )
    token = api.users.tokens.create(user=user.id, version=2)
    try:
        yield f"nbt_{token.key}.{token.token}"
    finally:
        for record in (token, none, only, user, region):
            record.delete()


@pytest.mark.long(reason="two syncs through the CLI, as a user and token made for them")
def test_every_object_failed_exits_1_with_a_one_line_reason(
    netbox: Netbox, db_url: str, one_region_token: str
) -> None:
    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": db_url, "SECRET_KEY": "t"})
    args = ["sync", "netbox", "--full", "--url", netbox.url, "--token", one_region_token]
    human = app.test_cli_runner().invoke(main, args)
    assert human.exit_code == 1, human.output
    reason = human.stderr.strip().splitlines()[-1]
    assert reason.startswith("NetBox sync failed: 0 of 1 done, 1 failed"), reason
    assert "has no admin unit code" in reason

    as_json = app.test_cli_runner().invoke(main, [*args, "--json"])
    assert as_json.exit_code == 1
    payload = json.loads(as_json.stdout)
    assert (payload["status"], payload["exit_code"]) == ("failed", 1)
    assert payload["kinds"]["admin_units"]["failed"] == 1
