"""The audit over real NetBox syncs: it concludes only from what each sync read.

An incremental sync reads what changed since the last one; a partial sync could not
map some objects; neither may say that an object it did not read is gone from NetBox.
So acknowledgements (with their comments) survive them, discrepancies on objects they
did not read stay open, and "not in NetBox" is never opened for an object NetBox
still has. Against the real NetBox peer (esx-01 and esx-02 are documented, active and
addressed; nothing answers SNMP for them, so the audit finds them "not on the network").
"""

from __future__ import annotations

from collections.abc import Iterator

import pynetbox
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from cmdb.choices import DiscrepancyKind, DiscrepancyStatus, RunStatus, Source
from cmdb.db import utcnow
from cmdb.models import Device, Discrepancy, RecordSource
from cmdb.services.discrepancies import acknowledge
from discovery.audit.run import run_audit
from discovery.netbox.sync import run_sync
from tests.integration.discovery.audit_data import observe, run
from tests.integration.netbox.conftest import Netbox

pytestmark = pytest.mark.slow

COMMENT = "esx-01 is powered off for the RMA, back next week"


def _audit(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, s.begin():
        run_audit(s, requested_by="test")


def _presence(sessions: sessionmaker[Session]) -> dict[tuple[str, str], Discrepancy]:
    """Every discrepancy on a device (settled or not), by (kind, device name)."""
    with sessions() as s:
        rows = s.execute(
            sa.select(Discrepancy, Device.name)
            .join(Device, Device.id == Discrepancy.object_id)
            .where(Discrepancy.object_type == "device")
        ).all()
        for row, _ in rows:
            s.expunge(row)
    return {(str(row.kind), name): row for row, name in rows}


def _every(sessions: sessionmaker[Session]) -> dict[int, tuple[str, str, int, str, str | None]]:
    """Every discrepancy: kind, record, status and note, by id."""
    with sessions() as s:
        rows = s.scalars(sa.select(Discrepancy)).all()
        return {
            r.id: (str(r.kind), r.object_type, r.object_id, str(r.status), r.note) for r in rows
        }


def _answering(sessions: sessionmaker[Session], name: str) -> None:
    """SNMP answered for ``name`` just now (what a discovery leaves: its mark)."""
    with sessions() as s, s.begin():
        device = s.scalars(sa.select(Device).where(Device.name == name)).one()
        s.add(
            RecordSource(
                object_type="device",
                object_id=device.id,
                source=Source.SNMP,
                external_id="127.0.0.1:161",
                last_seen_at=utcnow(),
            )
        )


def _acknowledge(sessions: sessionmaker[Session], name: str) -> None:
    with sessions() as s, s.begin():
        row = s.scalars(
            sa.select(Discrepancy)
            .join(Device, Device.id == Discrepancy.object_id)
            .where(Discrepancy.object_type == "device", Device.name == name)
        ).one()
        acknowledge(row, by="lan.nt", comment=COMMENT)


@pytest.fixture
def esx1(netbox: Netbox) -> Iterator[pynetbox.core.response.Record]:
    device = netbox.api.dcim.devices.get(netbox.seeded.ids["esx1"])
    yield device
    netbox.api.dcim.devices.update([{"id": device.id, "asset_tag": "QN-TTDL-0041"}])


@pytest.mark.long(reason="a full and two incremental syncs of the NetBox peer, each audited")
def test_incremental_sync_keeps_acknowledgements_and_what_it_did_not_read(
    netbox: Netbox, sessions: sessionmaker[Session], esx1: pynetbox.core.response.Record
) -> None:
    assert run_sync(sessions, netbox.url, netbox.token, full=True).status == RunStatus.SUCCEEDED
    _answering(sessions, "core-sw-01")  # documented and answering: nothing to say
    _audit(sessions)
    found = _presence(sessions)
    assert set(found) == {("not_on_network", "esx-01"), ("not_on_network", "esx-02")}
    _acknowledge(sessions, "esx-01")

    esx1.update({"asset_tag": "QN-TTDL-0041-B"})  # the next sync reads esx-01 only
    incremental = run_sync(sessions, netbox.url, netbox.token)
    assert incremental.stats["mode"] == "incremental", incremental.stats
    assert incremental.stats["kinds"]["devices"]["updated"] == 1
    _audit(sessions)
    found = _presence(sessions)
    assert set(found) == {("not_on_network", "esx-01"), ("not_on_network", "esx-02")}
    read = found[("not_on_network", "esx-01")]  # read again, the same values: still acknowledged
    assert (read.status, read.note) == (DiscrepancyStatus.ACKNOWLEDGED, COMMENT)
    unread = found[("not_on_network", "esx-02")]  # not read: still open, not resolved
    assert unread.status == DiscrepancyStatus.OPEN

    _acknowledge(sessions, "esx-02")
    again = run_sync(sessions, netbox.url, netbox.token)  # esx-02 is not read
    assert again.stats["mode"] == "incremental"
    assert again.stats["kinds"]["devices"]["updated"] == 0
    _audit(sessions)
    found = _presence(sessions)
    assert set(found) == {("not_on_network", "esx-01"), ("not_on_network", "esx-02")}
    assert {(r.status, r.note) for r in found.values()} == {
        (DiscrepancyStatus.ACKNOWLEDGED, COMMENT)
    }


@pytest.fixture
def core(netbox: Netbox) -> Iterator[pynetbox.core.response.Record]:
    """core-sw-01, put back in its rack afterwards (the test moves it to a site a sync
    cannot place: no region, and an admin-unit code no unit has)."""
    api, ids = netbox.api, netbox.seeded.ids
    device = api.dcim.devices.get(ids["core"])
    nowhere = api.dcim.sites.create(
        name="Trạm không rõ", slug="tram-khong-ro", custom_fields={"admin_unit_code": "00000"}
    )
    try:
        yield device
    finally:
        api.dcim.devices.update(
            [
                {
                    "id": device.id,
                    "site": ids["site_dc"],
                    "location": ids["location_row"],
                    "rack": ids["rack"],
                    "position": 40,
                    "face": "front",
                }
            ]
        )
        nowhere.delete()


@pytest.mark.long(reason="two full syncs of the NetBox peer, each audited")
def test_partial_sync_resolves_and_opens_nothing_for_what_it_could_not_map(
    netbox: Netbox, sessions: sessionmaker[Session], core: pynetbox.core.response.Record
) -> None:
    run_sync(sessions, netbox.url, netbox.token, full=True)
    _answering(sessions, "core-sw-01")
    _audit(sessions)
    _acknowledge(sessions, "esx-01")
    before = _every(sessions)
    assert set(_presence(sessions)) == {
        ("not_on_network", "esx-01"),
        ("not_on_network", "esx-02"),
    }

    nowhere = netbox.api.dcim.sites.get(slug="tram-khong-ro")
    # A sync cannot map it now (nor its ports, nor its cable): its site names no unit.
    core.update(
        {"site": nowhere.id, "location": None, "rack": None, "position": None, "face": None}
    )
    partial = run_sync(sessions, netbox.url, netbox.token, full=True)
    assert partial.status == RunStatus.PARTIAL, partial.error
    failed = {(f["kind"], f["label"]): f["reason"] for f in partial.stats["failures"]}
    assert "no admin unit has code 00000" in failed[("devices", "core-sw-01")]
    _audit(sessions)
    # core-sw-01 still answers and NetBox still has it (unmapped): not "not in NetBox";
    # nothing opened, resolved or reopened, the acknowledgement and its comment kept
    after = _every(sessions)
    assert after == before
    assert (str(DiscrepancyStatus.ACKNOWLEDGED), COMMENT) in {(r[3], r[4]) for r in after.values()}
    assert not any(r[0] == DiscrepancyKind.NOT_IN_NETBOX.value for r in after.values())


def _snmp_says_serial(sessions: sessionmaker[Session], name: str, serial: str) -> None:
    """What an SNMP discovery leaves: its run and its observation of the device's serial."""
    with sessions() as s, s.begin():
        device = s.scalars(sa.select(Device).where(Device.name == name)).one()
        discovery = run(s, Source.SNMP, utcnow())
        observe(s, discovery, device, name=name, serial=serial)


def _serial_rows(sessions: sessionmaker[Session], name: str) -> list[Discrepancy]:
    with sessions() as s:
        rows = s.scalars(
            sa.select(Discrepancy)
            .join(Device, Device.id == Discrepancy.object_id)
            .where(Discrepancy.object_type == "device", Device.name == name)
            .where(Discrepancy.field == "serial")
        ).all()
        for row in rows:
            s.expunge(row)
    return list(rows)


@pytest.mark.long(reason="four syncs of the NetBox peer and an audit")
def test_the_sync_opens_and_settles_mismatches_by_the_audits_rule(
    netbox: Netbox, sessions: sessionmaker[Session]
) -> None:
    """NetBox's serial against SNMP's: the sync opens the mismatch (one rule, the core's),
    the audit finds the same values (confirmed, not revised), an acknowledgement survives
    the next sync, and the sync that reads agreement again resolves it."""
    assert run_sync(sessions, netbox.url, netbox.token, full=True).status == RunStatus.SUCCEEDED
    _snmp_says_serial(sessions, "core-sw-01", "FOC9999ZZZZ")
    opened = run_sync(sessions, netbox.url, netbox.token, full=True)
    assert opened.stats["discrepancies"] == {"open": 1}, opened.stats["discrepancies"]
    [row] = _serial_rows(sessions, "core-sw-01")
    values = {"record": "FOC2233X0AB", "netbox": "FOC2233X0AB", "snmp": "FOC9999ZZZZ"}
    assert (row.kind, row.status, row.values) == (
        DiscrepancyKind.MISMATCH,
        DiscrepancyStatus.OPEN,
        values,
    )

    _audit(sessions)
    [audited] = _serial_rows(sessions, "core-sw-01")
    assert (audited.id, audited.values) == (row.id, values)
    with sessions() as s, s.begin():
        acknowledge(s.get_one(Discrepancy, row.id), by="lan.nt", comment=COMMENT)
    again = run_sync(sessions, netbox.url, netbox.token, full=True)
    assert again.stats["discrepancies"] == {}
    [kept] = _serial_rows(sessions, "core-sw-01")
    assert (kept.status, kept.note) == (DiscrepancyStatus.ACKNOWLEDGED, COMMENT)

    _snmp_says_serial(sessions, "core-sw-01", "FOC2233X0AB")  # the swap was undone
    settled = run_sync(sessions, netbox.url, netbox.token, full=True)
    assert settled.stats["discrepancies"] == {"resolve": 1}
    [resolved] = _serial_rows(sessions, "core-sw-01")
    assert resolved.status == DiscrepancyStatus.RESOLVED
