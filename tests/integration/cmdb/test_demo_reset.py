"""Refusing to mix the demo with existing inventory, and emptying it for ``--reset``."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import ChangeAction, Network
from cmdb.db import Base
from cmdb.demo import DatabaseNotEmptyError, clear_inventory, inventory_counts, load_demo
from cmdb.demo.reset import KEPT_TABLES
from cmdb.models import AdminUnit, ChangeLog, Device, RecordSource, User
from cmdb.services.provenance import log_change
from tests import factories as f


def _small_inventory(session: Session) -> None:
    parent = f.admin_unit(session, level="district", kind="Huyện")
    child = f.admin_unit(session, parent=parent)
    workload = f.workload(session)
    f.link(session, a_site=f.site(session, admin_unit=child), network=Network.TSLCD)
    f.server(session, cluster=workload.cluster)
    session.add(RecordSource(object_type="site", object_id=1, source="manual"))
    session.add(User(username="planner"))
    session.flush()


def test_loading_into_a_database_with_inventory_is_refused(session: Session) -> None:
    _small_inventory(session)
    before = inventory_counts(session)
    with pytest.raises(DatabaseNotEmptyError, match="--reset"):
        load_demo(session)
    assert inventory_counts(session) == before


def test_clear_inventory_empties_every_table_but_users_and_tokens(
    session: Session,
) -> None:
    _small_inventory(session)
    clear_inventory(session)
    session.flush()
    for table in Base.metadata.sorted_tables:
        if table.name not in KEPT_TABLES:
            assert session.scalar(sa.select(sa.func.count()).select_from(table)) == 0, table.name
    assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    assert inventory_counts(session) == {}
    assert session.scalars(sa.select(AdminUnit)).all() == []


def test_a_reused_id_carries_no_history_of_the_deleted_record(session: Session) -> None:
    """SQLite gives a new row the id of a deleted one: the reset must take its log along."""
    old = f.server(session, name="old-host")
    log_change(
        session,
        actor="manual",
        action=ChangeAction.UPDATE,
        obj=old,
        object_repr=old.name,
        before={"ram_gb": 256},
        after={"ram_gb": 512},
    )
    session.add(RecordSource(object_type="device", object_id=old.id, source="snmp"))
    session.flush()
    old_id = old.id
    clear_inventory(session)
    new = f.server(session, name="new-host")
    session.flush()
    assert session.scalar(sa.select(sa.func.count()).select_from(ChangeLog)) == 0
    history = sa.select(ChangeLog).where(
        ChangeLog.object_type == "device", ChangeLog.object_id == new.id
    )
    assert session.scalars(history).all() == []
    marks = sa.select(RecordSource).where(RecordSource.object_id == new.id)
    assert session.scalars(marks).all() == []
    assert session.get(Device, new.id).name == "new-host"
    if session.get_bind().dialect.name == "sqlite":
        assert new.id == old_id  # the reuse this guards against
