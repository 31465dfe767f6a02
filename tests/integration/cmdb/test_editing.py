"""The editing use cases on both backends: checks before writing, the change log after.

The API tests run on SQLite only (the demo template); here the same rules meet
PostgreSQL too, including what only the database refuses (a CHECK, a race).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import ChangeAction, Metric, Network, ResourceKind, Role, Source
from cmdb.errors import ConflictError, ValidationError
from cmdb.models import ChangeLog, Link, Rack, RecordSource, Series, Site
from cmdb.services.editing import create_record, delete_record, update_record
from cmdb.services.provenance import ChangeContext, attribute_changes
from cmdb.services.users import create_user
from tests import factories as f
from tests.integration.capacity.builders import SmallProvince, build_small_province


@pytest.fixture
def province(session: Session) -> SmallProvince:
    return build_small_province(session)


def log_of(session: Session, obj: object) -> list[ChangeLog]:
    table = obj.__tablename__  # type: ignore[attr-defined]
    stmt = sa.select(ChangeLog).where(
        ChangeLog.object_type == table,
        ChangeLog.object_id == obj.id,  # type: ignore[attr-defined]
    )
    return list(session.scalars(stmt.order_by(ChangeLog.id)))


def test_a_create_is_logged_with_the_user_and_correlation_id_of_the_session(
    session: Session, province: SmallProvince
) -> None:
    user = create_user(session, "kysu", Role.ENGINEER)
    attribute_changes(session, ChangeContext("kysu", user.id, "req-1"))
    rack = create_record(session, Rack, {"site_id": province.dc.id, "name": "R1"}, actor="kysu")
    [entry] = log_of(session, rack)
    assert (entry.action, entry.actor, entry.user_id, entry.correlation_id) == (
        ChangeAction.CREATE,
        "kysu",
        user.id,
        "req-1",
    )
    assert entry.before is None and entry.after == {
        "id": rack.id,
        "site_id": province.dc.id,
        "name": "R1",
        "u_height": 42,
    }


def test_an_update_logs_only_the_fields_whose_value_changed(
    session: Session, province: SmallProvince
) -> None:
    link = province.district_link
    update_record(
        session, link, {"commit_rate_mbps": 200.0, "network": Network.TSLCD}, actor="kysu"
    )
    [entry] = log_of(session, link)
    assert entry.before == {"commit_rate_mbps": 100.0}
    assert entry.after == {"commit_rate_mbps": 200.0}
    update_record(session, link, {"commit_rate_mbps": 200}, actor="kysu")  # same value
    assert len(log_of(session, link)) == 1


def test_a_reference_to_no_record_is_a_validation_error_on_its_field(
    session: Session, province: SmallProvince
) -> None:
    with pytest.raises(ValidationError) as error:
        create_record(session, Rack, {"site_id": 999_999, "name": "R1"}, actor="kysu")
    assert set(error.value.errors) == {"site_id"}


def test_a_taken_name_is_a_conflict_on_its_field_for_create_and_update(
    session: Session, province: SmallProvince
) -> None:
    create_record(session, Rack, {"site_id": province.dc.id, "name": "R1"}, actor="kysu")
    with pytest.raises(ConflictError) as error:
        create_record(session, Rack, {"site_id": province.dc.id, "name": "R1"}, actor="kysu")
    assert set(error.value.errors) == {"name"}
    other = create_record(session, Rack, {"site_id": province.dc.id, "name": "R2"}, actor="k")
    with pytest.raises(ConflictError):
        update_record(session, other, {"name": "R1"}, actor="kysu")
    # The same name at another site is free: the group is (site_id, name).
    create_record(session, Rack, {"site_id": province.district_site.id, "name": "R1"}, actor="k")


def test_deleting_an_end_of_a_cable_inside_a_site_is_a_conflict_not_a_broken_check(
    session: Session, province: SmallProvince
) -> None:
    """Its interface keys are SET NULL, which a link inside one site cannot hold."""
    cable = f.cable_inside(session, province.dc)
    session.flush()
    interface, device = cable.a_interface, cable.b_interface.device
    for end in (interface, device):
        with pytest.raises(ConflictError) as error:
            delete_record(session, end, actor="kysu")
        assert "inside one site" in error.value.errors["link"][0]
    delete_record(session, cable, actor="kysu")
    delete_record(session, interface, actor="kysu")  # once the cable is gone, nothing stops it
    delete_record(session, device, actor="kysu")


def test_deleting_a_referenced_site_is_a_conflict_naming_the_referrers(
    session: Session, province: SmallProvince
) -> None:
    with pytest.raises(ConflictError) as error:
        delete_record(session, province.district_site, actor="kysu")
    assert set(error.value.errors) == {"link"}
    assert session.get(Site, province.district_site.id) is not None


def test_a_link_with_time_series_cannot_be_deleted(
    session: Session, province: SmallProvince
) -> None:
    link = province.commune_links[0]
    session.add(
        Series(object_type=ResourceKind.LINK, object_id=link.id, metric=Metric.IN_MBPS, unit="M")
    )
    session.flush()
    with pytest.raises(ConflictError) as error:
        delete_record(session, link, actor="kysu")
    assert set(error.value.errors) == {"series"}


def test_delete_logs_the_record_as_it_was(session: Session, province: SmallProvince) -> None:
    link = province.commune_links[1]
    link_id = link.id
    delete_record(session, link, actor="kysu")
    assert session.get(Link, link_id) is None
    [entry] = log_of(session, link)
    assert entry.action is ChangeAction.DELETE and entry.after is None
    assert entry.before is not None and entry.before["commit_rate_mbps"] == 20.0


def test_what_only_the_database_refuses_is_still_a_clear_error(
    session: Session, province: SmallProvince
) -> None:
    """A body without its rules across fields (no ``check``) meets the table's CHECK."""
    values = {
        "name": "no capacity",
        "network": Network.WAN,
        "a_site_id": province.commune_sites[2].id,
        "b_site_id": province.dc.id,
    }
    with session.begin_nested(), pytest.raises(ValidationError) as error:
        create_record(session, Link, values, actor="kysu")
    assert "has_capacity" in error.value.errors["_schema"][0]


def test_deleting_a_device_logs_each_interface_that_goes_with_it(session: Session) -> None:
    device = f.server(session)
    ports = [f.interface(session, device=device, name=f"eth{n}") for n in range(2)]
    port_ids = [p.id for p in ports]
    session.add(RecordSource(object_type="interface", object_id=port_ids[0], source=Source.SNMP))
    delete_record(session, device, actor="kysu")
    logged = session.scalars(
        sa.select(ChangeLog).where(ChangeLog.action == ChangeAction.DELETE).order_by(ChangeLog.id)
    ).all()
    assert [(e.object_type, e.object_id) for e in logged] == [
        ("interface", port_ids[0]),
        ("interface", port_ids[1]),
        ("device", device.id),
    ]
    assert [e.before["name"] for e in logged[:2]] == ["eth0", "eth1"]
    assert all(e.actor == "kysu" for e in logged)
    left = sa.select(RecordSource).where(RecordSource.object_type == "interface")
    assert session.scalars(left.where(RecordSource.object_id.in_(port_ids))).all() == []


def test_deleting_a_system_logs_each_of_its_workloads(session: Session) -> None:
    system = f.information_system(session)
    vms = [f.workload(session, information_system=system) for _ in range(2)]
    delete_record(session, system, actor="kysu")
    for vm in vms:
        [entry] = log_of(session, vm)
        assert (entry.action, entry.before["name"], entry.after) == (
            ChangeAction.DELETE,
            vm.name,
            None,
        )


def test_an_interface_with_time_series_stops_its_devices_deletion(session: Session) -> None:
    """Its series would be orphaned by the cascade; the 409 names the interface."""
    port = f.interface(session)
    session.add(
        Series(
            object_type=ResourceKind.INTERFACE, object_id=port.id, metric=Metric.IN_MBPS, unit="M"
        )
    )
    session.flush()
    with pytest.raises(ConflictError) as error:
        delete_record(session, port.device, actor="kysu")
    assert error.value.errors["series"] == [
        f"interface {port.id} goes with it: 1 time series with their samples"
    ]
    assert log_of(session, port.device) == []
