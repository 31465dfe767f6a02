"""A NetBox sync whose every object fails to map is failed: exit 1, one line saying why.

NetBox answers (no network error): the token may see one site only, and that site names
an admin-unit code no unit has (and no region), so the one object the sync reads cannot
be taken. (A region without a code is no longer such an object: it is matched by name,
else kept as an unmapped unit.)
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
def one_site_token(netbox: Netbox) -> Iterator[str]:
    """A v2 token that may view one new site whose unit code names no unit, and nothing
    else."""
    api, tag = netbox.api, uuid.uuid4().hex[:6]
    site = api.dcim.sites.create(
        name=f"Trạm chưa có đơn vị {tag}",
        slug=f"tram-{tag}",
        custom_fields={"admin_unit_code": "00000"},
    )
    user = api.users.users.create(username=f"one-site-{tag}", password=f"Os-{uuid.uuid4().hex}")
    only = api.users.permissions.create(
        name=f"{user.username}-site",
        object_types=["dcim.site"],
        actions=["view"],
        users=[user.id],
        constraints={"id": site.id},
    )
    others = [t for t in _SYNCED_TYPES if t != "dcim.site"]
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
        for record in (token, none, only, user, site):
            record.delete()


@pytest.mark.long(reason="two syncs through the CLI, as a user and token made for them")
def test_every_object_failed_exits_1_with_a_one_line_reason(
    netbox: Netbox, db_url: str, one_site_token: str
) -> None:
    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": db_url, "SECRET_KEY": "t"})
    args = ["sync", "netbox", "--full", "--url", netbox.url, "--token", one_site_token]
    human = app.test_cli_runner().invoke(main, args)
    assert human.exit_code == 1, human.output
    reason = human.stderr.strip().splitlines()[-1]
    assert reason.startswith("NetBox sync failed: 0 of 1 done, 1 failed"), reason
    assert "no admin unit has code 00000" in reason

    as_json = app.test_cli_runner().invoke(main, [*args, "--json"])
    assert as_json.exit_code == 1
    payload = json.loads(as_json.stdout)
    assert (payload["status"], payload["exit_code"]) == ("failed", 1)
    assert payload["kinds"]["sites"]["failed"] == 1
