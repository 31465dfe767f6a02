"""Migration 0020: the links LLDP made before the core keep being found (their SNMP marks
lose the ``lldp:<id>`` the old writer gave them, which the core's key match would have
skipped), an all-zero chassis id stops being stored as an identity, and the series take
an interface's health metrics — on SQLite and PostgreSQL, up and down."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cmdb import schema
from cmdb.choices import Metric, ResourceKind, Source
from cmdb.db import make_engine
from cmdb.models import Device, RecordSource, Series
from tests import factories
from tests.databases import upgrade_empty

AT = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)


def _mark(session: Session, kind: str, object_id: int, source: Source, external: str) -> None:
    session.add(
        RecordSource(
            object_type=kind,
            object_id=object_id,
            source=source,
            external_id=external,
            first_seen_at=AT,
            last_seen_at=AT,
        )
    )


def test_old_lldp_marks_and_zero_chassis_ids_are_cleared(empty_url: str) -> None:
    """The rows are made with today's models at head, taken down to the revision before
    0020 and given the old state with SQL (the models hold columns of later revisions)."""
    upgrade_empty(empty_url)
    engine = make_engine(empty_url)
    with Session(engine) as session, session.begin():
        zero = factories.server(session, name="a", chassis_id="ac:16:2d:92:7d:20")
        real = factories.server(session, name="b", chassis_id="ac:16:2d:92:7d:21")
        link = factories.link(session)
        _mark(session, "link", link.id, Source.SNMP, "placeholder")
        _mark(session, "link", link.id, Source.NETBOX, "77")
        _mark(session, "device", real.id, Source.SNMP, "10.0.0.1:161")
        ids = zero.id, real.id, link.id
    engine.dispose()
    schema.downgrade(empty_url, "0019")
    engine = make_engine(empty_url)
    with engine.begin() as conn:  # what the old writer left
        conn.execute(
            sa.text(
                "UPDATE record_source SET external_id = :old WHERE external_id = 'placeholder'"
            ),
            {"old": f"lldp:{ids[2]}"},
        )
        conn.execute(
            sa.text("UPDATE device SET chassis_id = '00:00:00:00:00:00' WHERE id = :id"),
            {"id": ids[0]},
        )
    schema.upgrade(empty_url)
    with Session(engine) as session:
        marks = {
            (m.object_type, m.source): m.external_id
            for m in session.scalars(sa.select(RecordSource))
        }
        chassis = [session.get(Device, i).chassis_id for i in ids[:2]]
    assert marks == {
        ("link", Source.SNMP): None,
        ("link", Source.NETBOX): "77",
        ("device", Source.SNMP): "10.0.0.1:161",
    }
    assert chassis == [None, "ac:16:2d:92:7d:21"]
    engine.dispose()
    schema.downgrade(empty_url, "0019")
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        mark = conn.scalar(
            sa.text(
                "SELECT external_id FROM record_source WHERE object_type = 'link' "
                "AND source = 'snmp'"
            )
        )
    assert mark == f"lldp:{ids[2]}"
    engine.dispose()


@pytest.mark.parametrize("metric", [Metric.OPER_UP, Metric.IN_ERRORS_PPS])
def test_series_take_the_health_metrics_only_after_the_upgrade(empty_url: str, metric) -> None:
    upgrade_empty(empty_url, "0019")
    engine = make_engine(empty_url)
    row = {"object_type": ResourceKind.INTERFACE, "object_id": 1, "metric": metric, "unit": "x"}
    with Session(engine) as session, pytest.raises(IntegrityError):  # the old CHECK refuses
        session.add(Series(**row))
        session.flush()
    schema.upgrade(empty_url)
    with Session(engine) as session, session.begin():
        session.add(Series(**row))
    schema.downgrade(empty_url, "0019")  # the health series go with the metrics they used
    with Session(engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Series)) == 0
    engine.dispose()
