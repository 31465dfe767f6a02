"""Sample ingest on both backends: idempotent per (series, time), rolled up, all or nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import Metric, ResourceKind
from cmdb.errors import ValidationError
from cmdb.models import Sample, SampleDaily, SampleHourly, Series
from cmdb.services.sample_ingest import IngestResult, Point, ingest_samples
from tests.integration.capacity.builders import SmallProvince, build_small_province

HANOI = timezone(timedelta(hours=7))
DAY = date(2026, 3, 2)


@pytest.fixture
def province(session: Session) -> SmallProvince:
    return build_small_province(session)


def link_points(province: SmallProvince, values: list[float]) -> list[Point]:
    """Five-minute points on ``DAY`` (Hanoi time 08:00 on), by series key."""
    key = (ResourceKind.LINK, province.district_link.id, Metric.IN_MBPS)
    start = datetime(2026, 3, 2, 8, 0, tzinfo=HANOI)
    return [Point(key, start + timedelta(minutes=5 * i), v) for i, v in enumerate(values)]


def count(session: Session, model: type) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_a_first_batch_creates_the_series_the_samples_and_their_rollups(
    session: Session, province: SmallProvince
) -> None:
    result = ingest_samples(session, link_points(province, [10, 20, 30]), actor="collector")
    assert result == IngestResult(created=3, updated=0, unchanged=0, series_created=1)
    series = session.scalars(sa.select(Series)).one()
    assert (series.unit, series.daily_through, series.daily_count) == ("Mbps", DAY, 1)
    assert series.last_sample_at is not None
    assert series.last_sample_at.replace(tzinfo=UTC) == datetime(2026, 3, 2, 1, 10, tzinfo=UTC)
    daily = session.scalars(sa.select(SampleDaily)).one()
    assert (daily.avg, daily.max, daily.count) == (20.0, 30.0, 3)
    assert count(session, SampleHourly) == 1


def test_the_same_batch_again_writes_nothing(session: Session, province: SmallProvince) -> None:
    points = link_points(province, [10, 20, 30])
    ingest_samples(session, points, actor="collector")
    again = ingest_samples(session, points, actor="collector")
    assert again == IngestResult(created=0, updated=0, unchanged=3, series_created=0)
    assert count(session, Sample) == 3


def test_a_changed_value_replaces_the_stored_one_and_its_rollup(
    session: Session, province: SmallProvince
) -> None:
    ingest_samples(session, link_points(province, [10, 20, 30]), actor="collector")
    result = ingest_samples(session, link_points(province, [10, 20, 90]), actor="collector")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    daily = session.scalars(sa.select(SampleDaily)).one()
    assert (daily.max, daily.count) == (90.0, 3)


def test_a_series_by_id_takes_samples_too(session: Session, province: SmallProvince) -> None:
    ingest_samples(session, link_points(province, [1]), actor="collector")
    series_id = session.scalars(sa.select(Series.id)).one()
    later = datetime(2026, 3, 3, tzinfo=UTC)
    result = ingest_samples(session, [Point(series_id, later, 5.0)], actor="collector")
    assert result.created == 1
    assert session.get(Series, series_id).daily_through == date(2026, 3, 3)  # type: ignore[union-attr]


def test_a_bad_point_refuses_the_whole_batch(session: Session, province: SmallProvince) -> None:
    points = [
        *link_points(province, [1, 2]),
        Point(999_999, datetime(2026, 3, 2, tzinfo=UTC), 1.0),
        Point((ResourceKind.CLUSTER, 999_999, Metric.VCPU_ALLOCATED), datetime.now(UTC), 1.0),
    ]
    with pytest.raises(ValidationError) as error:
        ingest_samples(session, points, actor="collector")
    assert set(error.value.errors) == {"[2].series", "[3].series.resource_id"}
    assert count(session, Sample) == count(session, Series) == 0


def test_one_point_twice_with_two_values_is_refused(
    session: Session, province: SmallProvince
) -> None:
    first, second = link_points(province, [1, 2])
    twice = [first, second, Point(first.series, first.at.astimezone(UTC), 7.0)]
    with pytest.raises(ValidationError) as error:
        ingest_samples(session, twice, actor="collector")
    assert list(error.value.errors) == ["[2].value"]
    same = ingest_samples(session, [first, first], actor="collector")
    assert same.created == 1
