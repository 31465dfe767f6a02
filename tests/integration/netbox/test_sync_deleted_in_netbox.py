"""A record NetBox deleted says so, with the day from NetBox's change log: its page and
the list show "deleted in NetBox on …" rather than only "not seen" — whether the sync
that noticed was incremental (it reads the log's deletions) or full (it reads them too,
since the last sync, to date what it no longer finds). The record itself is kept."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from cmdb.choices import RunStatus, Source
from cmdb.models import Device, RecordSource, Site
from discovery.netbox.sync import run_sync
from tests.integration.netbox.conftest import Netbox
from web import create_app
from web.ui.formatting import format_day

pytestmark = pytest.mark.slow


@pytest.mark.long(reason="three syncs of the seeded NetBox, and the pages")
def test_deleted_device_and_site_show_the_day_netbox_deleted_them(
    netbox: Netbox, sessions: sessionmaker[Session], db_url: str
) -> None:
    api, tag = netbox.api, uuid.uuid4().hex[:6]
    province = netbox.seeded.ids["province"]
    site = api.dcim.sites.create(name=f"Điểm thử {tag}", slug=f"diem-{tag}", region=province)
    device = api.dcim.devices.create(
        name=f"rt-gone-{tag}",
        device_type=api.dcim.device_types.get(slug="isr4331").id,
        role=api.dcim.device_roles.get(slug="router").id,
        site=netbox.seeded.ids["site_dc"],
    )
    try:
        first = run_sync(sessions, netbox.url, netbox.token, full=True)
        assert first.status == RunStatus.SUCCEEDED, first.error
        before = datetime.now(UTC) - timedelta(seconds=5)
        device.delete()
        incremental = run_sync(sessions, netbox.url, netbox.token)
        assert incremental.stats and incremental.stats["deletions"] == "change log"
        device_id, deleted_at = _deleted(sessions, Device, str(device.id))
        assert before <= deleted_at <= datetime.now(UTC)
    finally:
        site.delete()
        if api.dcim.devices.get(device.id) is not None:
            device.delete()
    full = run_sync(sessions, netbox.url, netbox.token, full=True)
    assert full.status == RunStatus.SUCCEEDED, full.error
    assert _deleted(sessions, Device, str(device.id))[1] == deleted_at  # kept by a full sync

    app = create_app(
        {"TESTING": True, "CMDB_DATABASE_URL": db_url, "SECRET_KEY": "t"}
        | {"CMDB_ANONYMOUS_READ": True, "CMDB_DEFAULT_LANGUAGE": "en"}
    )
    client = app.test_client()
    with app.test_request_context():
        day = format_day(deleted_at.date())
    page = client.get(f"/devices/{device_id}").get_data(as_text=True)
    assert f"Deleted in NetBox on {day}" in page
    listing = client.get(f"/devices/?q=rt-gone-{tag}").get_data(as_text=True)
    assert f"deleted in NetBox on {day}" in listing
    site_id, site_deleted = _deleted(sessions, Site, str(site.id))  # dated by the full sync
    assert before <= site_deleted <= datetime.now(UTC)
    with app.test_request_context():
        site_day = format_day(site_deleted.date())
    site_page = client.get(f"/sites/{site_id}").get_data(as_text=True)
    assert f"Deleted in NetBox on {site_day}" in site_page
    assert f"deleted in NetBox on {site_day}" in client.get("/sites/").get_data(as_text=True)


def _deleted(sessions: sessionmaker[Session], model: Any, external_id: str) -> tuple[int, Any]:
    """The record's id and when NetBox deleted it (the mark on its NetBox source)."""
    with sessions() as session:
        mark = session.scalars(
            sa.select(RecordSource).where(
                RecordSource.object_type == model.__tablename__,
                RecordSource.source == Source.NETBOX,
                RecordSource.external_id == external_id,
            )
        ).one()
        assert session.get(model, mark.object_id) is not None  # kept: absence is no deletion
        assert mark.deleted_at is not None, f"{model.__tablename__} {external_id} not dated"
        at = mark.deleted_at
        return mark.object_id, at if at.tzinfo else at.replace(tzinfo=UTC)
