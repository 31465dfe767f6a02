"""The reads behind the UI pages, on SQLite and PostgreSQL: sources and history of a
record, the links' current peaks, the dashboard's counts, the capacity fingerprint."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from capacity.inputs import load_capacity_fingerprint, load_link_peaks
from capacity.outlook import load_capacity_overview, load_resource_outlook
from capacity.utilisation import CurrentPeak
from cmdb.choices import DiscrepancyKind, DiscrepancyStatus, Metric, ResourceKind, RunStatus
from cmdb.choices import Source as Src
from cmdb.models import ChangeLog, DiscoveryRun, Discrepancy, RecordSource, SampleDaily, Series
from cmdb.services.dashboard import count_open_discrepancies, load_link_places
from cmdb.services.record_history import diff_fields, load_changes, load_sightings
from cmdb.services.samples import refresh_daily_marks
from tests import factories as f

SEEN = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)
DAY = date(2026, 1, 15)


def _daily(session: Session, link_id: int, metric: Metric, values: list[float]) -> None:
    series = Series(object_type=ResourceKind.LINK, object_id=link_id, metric=metric, unit="Mbps")
    session.add(series)
    session.flush()
    for k, v in enumerate(values):
        day = DAY - timedelta(days=len(values) - k)
        session.add(SampleDaily(series_id=series.id, day=day, avg=v, max=v, p95=v, count=1))
    session.flush()
    refresh_daily_marks(session, [series.id])


def test_a_source_that_ran_since_it_last_saw_a_record_no_longer_sees_it(
    session: Session,
) -> None:
    device = f.server(session)
    session.add_all([
        RecordSource(object_type="device", object_id=device.id, source=Src.NETBOX,
                     external_id="17", first_seen_at=SEEN, last_seen_at=SEEN),
        RecordSource(object_type="device", object_id=device.id, source=Src.SNMP,
                     first_seen_at=SEEN - timedelta(days=9), last_seen_at=SEEN - timedelta(days=9)),
        DiscoveryRun(source=Src.SNMP, status=RunStatus.SUCCEEDED, started_at=SEEN),
        DiscoveryRun(source=Src.NETBOX, status=RunStatus.FAILED, started_at=SEEN + timedelta(1)),
    ])  # fmt: skip
    session.flush()

    sightings = {s.source: s for s in load_sightings(session, "device", device.id)}

    assert sightings["snmp"].missing  # a complete SNMP run after it was last seen
    assert not sightings["netbox"].missing  # a failed run proves nothing
    assert sightings["netbox"].external_id == "17"


def test_changes_come_newest_first_with_only_the_fields_that_changed(session: Session) -> None:
    device = f.server(session)
    first, second = {"name": "a", "serial": "1"}, {"name": "a", "serial": "2"}
    for k, (before, after) in enumerate([(None, first), (first, second)]):
        session.add(
            ChangeLog(
                actor="netbox-sync", action="create" if k == 0 else "update",
                object_type="device", object_id=device.id, object_repr="a",
                before=before, after=after, at=SEEN + timedelta(hours=k),
            )
        )  # fmt: skip
    session.flush()

    changes = load_changes(session, "device", device.id)

    assert [c.action for c in changes] == ["update", "create"]
    assert changes[0].fields == (("serial", "1", "2"),)
    assert diff_fields({}, {"b": 1, "a": 2}) == (("a", None, 2), ("b", None, 1))


def test_a_links_current_peak_is_the_last_complete_weeks_busier_direction(
    session: Session,
) -> None:
    busy, quiet = f.link(session), f.link(session)
    # 1–14 January 2026; today (the 15th) is a Thursday, so 5–11 January is the last
    # complete week: the 4th is the week before, the 13th the current week.
    inbound, outbound = [1.0] * 14, [1.0] * 14
    inbound[3], inbound[10] = 50.0, 12.0  # 4 and 11 January
    outbound[6], outbound[12] = 20.0, 90.0  # 7 and 13 January
    _daily(session, busy.id, Metric.IN_MBPS, inbound)
    _daily(session, busy.id, Metric.OUT_MBPS, outbound)
    session.flush()

    assert load_link_peaks(session, None, at=DAY) == {busy.id: CurrentPeak(date(2026, 1, 5), 20.0)}
    assert load_link_peaks(session, [quiet.id], at=DAY) == {}


def test_dashboard_counts_unsettled_discrepancies_and_places_links(session: Session) -> None:
    link = f.link(session)
    for status in (DiscrepancyStatus.OPEN, DiscrepancyStatus.ACKNOWLEDGED,
                   DiscrepancyStatus.RESOLVED):  # fmt: skip
        session.add(
            Discrepancy(
                kind=DiscrepancyKind.MISMATCH, object_type="device", object_id=1,
                field=status.value, values={}, status=status,
            )
        )  # fmt: skip
    session.flush()

    assert count_open_discrepancies(session) == {"mismatch": 2}
    place = load_link_places(session, [link.id])[link.id]
    assert place.site_name == link.a_site.name and place.unit_code == link.a_site.admin_unit.code


def test_the_capacity_report_is_reused_until_its_inputs_change(session: Session) -> None:
    dc_link = f.link(session, commit_rate_mbps=100.0)
    _daily(session, dc_link.id, Metric.IN_MBPS, [40.0] * 30)
    first = load_capacity_overview(session, at=DAY)
    assert load_capacity_overview(session, at=DAY) is first
    before = load_capacity_fingerprint(session)

    dc_link.commit_rate_mbps = 50.0
    session.flush()

    assert load_capacity_fingerprint(session) != before
    again = load_capacity_overview(session, at=DAY)
    assert again is not first
    assert [r.capacity for r in again.rows if r.resource == f"link:{dc_link.id}"] == [50.0]
    outlook = load_resource_outlook(session, at=DAY, link_id=dc_link.id)
    assert [o.status.capacity for o in outlook] == [50.0]
    assert len(outlook[0].daily) == 30
