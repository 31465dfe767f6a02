"""A NetBox URL with credentials in it is refused wherever one is taken — the setting and
``cmdb sync netbox`` here, the job's parameters in the API's tests — so that no secret is
stored on a run, shown to readers or written to a log (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from cmdb.models import DiscoveryRun
from cmdb.settings import load_settings
from tests.integration.web.secured_app import secured_app
from web.cli import main
from web.db import get_db

WITH_SECRETS = (
    "http://admin:s3cret-pw@127.0.0.1:8000",
    "http://s3cret-pw@127.0.0.1:8000/",
    "https://netbox.example/?token=s3cret-pw",
    "https://netbox.example/#s3cret-pw",
)


@pytest.mark.parametrize("url", WITH_SECRETS)
def test_the_setting_is_refused_without_repeating_the_secret(url: str) -> None:
    with pytest.raises(ValueError, match="CMDB_NETBOX_URL must not hold") as refused:
        load_settings({"CMDB_NETBOX_URL": url})
    assert "s3cret" not in str(refused.value)


def test_a_plain_url_is_taken() -> None:
    assert load_settings({"CMDB_NETBOX_URL": "https://netbox.example:8443/"}).netbox_url


@pytest.mark.parametrize("url", WITH_SECRETS[:3])
def test_cmdb_sync_netbox_refuses_the_url_and_starts_no_run(tmp_path: Path, url: str) -> None:
    app = secured_app(tmp_path).app
    result = app.test_cli_runner().invoke(
        main, ["sync", "netbox", "--url", url, "--token", "x" * 40]
    )
    assert result.exit_code == 2, result.output
    assert "must not hold" in result.output and "s3cret" not in result.output
    with app.app_context(), get_db().sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(DiscoveryRun)) == 0
        get_db().engine.dispose()
