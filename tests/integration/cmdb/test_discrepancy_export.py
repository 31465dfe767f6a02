"""The discrepancy filter and export on both backends: site and source are not columns,
so their SQL (a JSON key test per dialect, the record's site) is checked on each."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy.orm import Session

from cmdb.choices import DiscrepancyKind, DiscrepancyStatus
from cmdb.errors import ConflictError, NotFoundError, ValidationError
from cmdb.models import Interface
from cmdb.services.acknowledgement import acknowledge_discrepancy
from cmdb.services.discrepancies import raise_discrepancy
from cmdb.services.discrepancy_export import (
    count_discrepancies,
    load_discrepancy_rows,
    to_csv,
    to_json,
)
from cmdb.services.discrepancy_filter import DiscrepancyFilter, parse_filter
from tests import factories as f


def raise_on(session: Session, obj: object, kind: DiscrepancyKind, field: str, values: dict):
    row, _ = raise_discrepancy(
        session,
        kind=kind,
        object_type=obj.__tablename__,  # type: ignore[attr-defined]
        object_id=obj.id,  # type: ignore[attr-defined]
        field=field,
        values=values,
    )
    session.flush()
    return row


@pytest.fixture
def spread(session: Session) -> dict:
    """One discrepancy on a device, an interface, a link and a workload, each at a known site."""
    dc = f.site(session, name="TTDL", slug="ttdl")
    commune = f.site(session, name="UBND xã A", slug="xa-a")
    device = f.server(session, name="sw-1", site=dc)
    itf = Interface(device=device, name="Gi0/1", speed_mbps=100)
    session.add(itf)
    session.flush()
    link = f.link(session, name="TSLCD xã A", a_site=commune, b_site=dc)
    vm = f.workload(session, name="vm-portal", cluster=f.cluster(session, site=dc))
    return {
        "device": raise_on(
            session, device, DiscrepancyKind.MISMATCH, "serial", {"netbox": "A", "snmp": "B"}
        ),
        "interface": raise_on(
            session,
            itf,
            DiscrepancyKind.NOT_IN_NETBOX,
            "presence",
            {"snmp": "Gi0/1", "netbox": None},
        ),
        "link": raise_on(
            session,
            link,
            DiscrepancyKind.SPEED_VS_COMMIT,
            "commit_rate_mbps",
            {"netbox": {"commit_rate_mbps": 200}, "snmp": {"speed_mbps": 100}},
        ),
        "workload": raise_on(
            session, vm, DiscrepancyKind.VM_SIZING, "vcpu", {"inventory": 4, "ansible": 8}
        ),
    }


def ids(session: Session, **where: object) -> set[int]:
    return {r.id for r in load_discrepancy_rows(session, DiscrepancyFilter(**where))}  # type: ignore[arg-type]


def test_filters_by_site_through_the_record(session: Session, spread: dict) -> None:
    everything = {d.id for d in spread.values()}
    assert ids(session, site="ttdl") == everything  # the link's b end is the DC
    assert ids(session, site="xa-a") == {spread["link"].id}
    assert ids(session, site="nowhere") == set()


def test_filters_by_source_kind_status_and_type(session: Session, spread: dict) -> None:
    assert ids(session, source="netbox") == {
        spread["device"].id,
        spread["interface"].id,  # NetBox named with a null: it is a party
        spread["link"].id,
    }
    assert ids(session, source="ansible") == {spread["workload"].id}
    assert ids(session, kind=DiscrepancyKind.VM_SIZING) == {spread["workload"].id}
    assert ids(session, object_type="link") == {spread["link"].id}
    spread["device"].status = DiscrepancyStatus.RESOLVED
    session.flush()
    assert spread["device"].id not in ids(session, status=DiscrepancyStatus.OPEN)
    assert count_discrepancies(session, DiscrepancyFilter(status=DiscrepancyStatus.OPEN)) == 3


def test_rows_name_their_record_and_site(session: Session, spread: dict) -> None:
    rows = {r.object_type: r for r in load_discrepancy_rows(session, DiscrepancyFilter())}
    assert (rows["device"].object_name, rows["device"].site) == ("sw-1", "TTDL")
    assert rows["interface"].object_name == "sw-1 Gi0/1"
    assert rows["link"].site == "UBND xã A – TTDL"
    assert rows["workload"].object_name == "vm-portal"


def test_csv_and_json_shapes(session: Session, spread: dict) -> None:
    rows = load_discrepancy_rows(session, DiscrepancyFilter())
    parsed = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert list(parsed[0])[7:12] == ["netbox", "snmp", "ansible", "inventory", "first_seen"]
    link = next(p for p in parsed if p["object_type"] == "link")
    assert (link["netbox"], link["snmp"], link["ansible"]) == (
        "commit_rate_mbps=200",
        "speed_mbps=100",
        "",
    )
    interface = next(p for p in parsed if p["object_type"] == "interface")
    assert interface["netbox"] == "none"
    data = to_json(rows)
    assert {d["object"]["type"] for d in data} == {"device", "interface", "link", "workload"}
    assert all(d["first_seen"].endswith("+00:00") for d in data)


def test_parse_filter_names_every_bad_value() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_filter({"kind": "nope", "status": "closed", "source": "excel", "object_type": "x"})
    assert set(caught.value.errors) == {"kind", "status", "source", "object_type"}


def test_acknowledge_needs_a_comment_and_an_open_row(session: Session, spread: dict) -> None:
    row = spread["device"]
    with pytest.raises(ValidationError):
        acknowledge_discrepancy(session, row.id, by="lan", comment="  ")
    with pytest.raises(NotFoundError):
        acknowledge_discrepancy(session, 10**9, by="lan", comment="x")
    acknowledge_discrepancy(session, row.id, by="lan", comment="known: RMA")
    assert (row.status, row.note) == (DiscrepancyStatus.ACKNOWLEDGED, "known: RMA")
    with pytest.raises(ConflictError):
        acknowledge_discrepancy(session, row.id, by="lan", comment="again")


def test_rows_of_an_open_ended_link_and_an_unplaced_clusters_vm_are_exported(
    session: Session,
) -> None:
    """A stock NetBox's loose ends: a circuit to a provider network, a VM of a cluster
    with no site — their discrepancies are listed like any other."""
    dc = f.site(session, name="TTDL", slug="ttdl")
    transit = f.link(session, name="Internet transit", a_site=None, b_site=dc)
    vm = f.workload(session, name="vm-lab", cluster=f.cluster(session, site=None))
    values = {"netbox": {"commit_rate_mbps": 200}, "snmp": {"speed_mbps": 100}}
    raise_on(session, transit, DiscrepancyKind.SPEED_VS_COMMIT, "commit_rate_mbps", values)
    raise_on(session, vm, DiscrepancyKind.VM_SIZING, "vcpu", {"inventory": 4, "ansible": 8})
    rows = {r.object_type: r for r in load_discrepancy_rows(session, DiscrepancyFilter())}
    assert (rows["link"].object_name, rows["link"].site) == ("Internet transit", "… – TTDL")
    assert (rows["workload"].object_name, rows["workload"].site) == ("vm-lab", None)
