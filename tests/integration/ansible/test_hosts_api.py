"""``GET /api/v1/ansible/hosts/``: the inventory plugin's hosts, filtered and paged."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask

from cmdb.choices import DeviceRole
from cmdb.models import Device, Rack
from tests import factories as f
from web.db import get_db


def names(client, headers, **params) -> list[str]:
    response = client.get("/api/v1/ansible/hosts/", query_string=params, headers=headers)
    assert response.status_code == 200, response.get_json()
    return [h["name"] for h in response.get_json()["results"]]


def test_lists_devices_then_vms_that_have_an_address(seeded, engineer) -> None:
    app, ids = seeded
    body = app.test_client().get("/api/v1/ansible/hosts/", headers=engineer).get_json()
    assert [h["name"] for h in body["results"]] == [
        "hv-01",
        "rt-binh-minh",
        "ansible-ctl",
        "hv-old",
        "vm-portal-01",
    ]
    assert body["count"] == 5 and body["next"] is None
    hv = body["results"][0]
    assert hv["url"].endswith(f"/api/v1/devices/{ids.hv_id}")
    assert hv["site"] == {"id": hv["site"]["id"], "slug": "ttdl", "name": "Trung tâm Dữ liệu tỉnh"}
    assert [u["code"] for u in hv["admin_units"]] == ["49", "502", "20299"]
    assert hv["cluster"]["name"] == "CL-PROD" and hv["security_level"] == 3
    assert hv["agency"]["short_name"] == "STTTT"
    assert hv["specs"] == {"cores": 32, "ram_gb": 512.0, "raw_storage_tb": None}
    assert hv["tags"] == ["pci-dss", "backup"]
    vm = body["results"][-1]
    assert vm["tags"] == ["backup"] and body["results"][1]["tags"] == []
    assert vm["role"] == "vm" and vm["security_level"] == 2 and vm["networks"] == ["internet"]
    assert vm["information_system"]["code"] == "CTTĐT"
    assert vm["url"].endswith(f"/api/v1/workloads/{ids.vm_id}")
    router = body["results"][1]
    assert router["networks"] == ["tslcd"] and router["agency"]["short_name"] == "UBND-BM"


def test_filters_take_several_values_and_admin_units_take_what_is_below(seeded, engineer) -> None:
    client = seeded[0].test_client()
    assert names(client, engineer, admin_unit="503") == ["rt-binh-minh"]
    assert names(client, engineer, role=["router", "vm"]) == ["rt-binh-minh", "vm-portal-01"]
    assert names(client, engineer, status="decommissioned") == ["hv-old"]
    assert names(client, engineer, security_level=2) == ["vm-portal-01"]
    assert names(client, engineer, cluster="CL-PROD", kind="device") == ["hv-01", "ansible-ctl"]
    assert names(client, engineer, agency="UBND-BM") == ["rt-binh-minh"]
    assert names(client, engineer, site=["xa-binh-minh", "ttdl"], limit=2, offset=3) == [
        "hv-old",
        "vm-portal-01",
    ]


def test_unknown_filter_values_are_400_with_a_message_per_field(seeded, engineer) -> None:
    client = seeded[0].test_client()
    response = client.get(
        "/api/v1/ansible/hosts/?site=nowhere&cluster=CL-X&role=toaster&admin_unit=1",
        headers=engineer,
    )
    body = response.get_json()
    assert response.status_code == 400 and body["status"] == 400
    assert list(body["errors"]) == ["role[0]"]  # the schema refuses it before any look-up
    response = client.get("/api/v1/ansible/hosts/?site=nowhere&cluster=CL-X", headers=engineer)
    assert response.status_code == 400
    assert response.get_json()["errors"] == {
        "site": ["unknown site: nowhere"],
        "cluster": ["unknown cluster: CL-X"],
    }


def test_pages_follow_next(seeded, engineer) -> None:
    client = seeded[0].test_client()
    url, seen = "/api/v1/ansible/hosts/?limit=2", []
    while url:
        body = client.get(url, headers=engineer).get_json()
        seen += [h["name"] for h in body["results"]]
        url = body["next"]
    assert len(seen) == 5 == len(set(seen))


def test_needs_a_user(seeded) -> None:
    response = seeded[0].test_client().get("/api/v1/ansible/hosts/")
    assert response.status_code == 401


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    engine = get_db().engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def test_a_page_costs_the_same_queries_whatever_its_size(seeded, engineer) -> None:
    app, _ids = seeded
    client = app.test_client()
    with app.app_context(), get_db().sessions() as session, session.begin():
        cluster = f.cluster(session)
        for n in range(40):
            f.server(
                session,
                cluster=cluster,
                role=DeviceRole.SWITCH if n % 2 else DeviceRole.ROUTER,
                management_address=f"10.9.0.{n}",
            )
            f.workload(session, cluster=cluster, management_address=f"10.9.1.{n}")
    with app.app_context(), counted(app) as small:
        assert len(names(client, engineer, limit=4, offset=42)) == 4
    with app.app_context(), counted(app) as large:
        assert len(names(client, engineer, limit=1000)) == 85
    assert len(large) == len(small), large
    assert len(large) <= 15


def test_address_any_adds_the_hosts_without_one(seeded, engineer) -> None:
    client = seeded[0].test_client()
    assert names(client, engineer, address="any", status="active") == [
        "hv-01",
        "rt-binh-minh",
        "ansible-ctl",
        "hv-spare",
        "vm-portal-01",
        "vm-no-address",
    ]
    body = client.get(
        "/api/v1/ansible/hosts/", query_string={"address": "anything"}, headers=engineer
    ).get_json()
    assert "address" in body["errors"]


def test_platform_rack_zones_and_the_management_interface_first(seeded, engineer) -> None:
    app, ids = seeded
    with app.app_context(), get_db().sessions() as session, session.begin():
        router = session.get(Device, ids.router_id)
        router.platform = "Cisco IOS XE 17.9"
        router.rack = Rack(site=router.site, name="R1")
        router.rack_position_u = 40
        f.interface(session, device=router, name="Gi0/0/1", ip_addresses=["172.16.0.1/30"])
        f.interface(session, device=router, name="Gi0/0/0", ip_addresses=["10.49.20.1/30"])
        f.interface(session, device=router, name="Gi0/0/2", ip_addresses=[])
    response = app.test_client().get(
        "/api/v1/ansible/hosts/", query_string={"role": "router"}, headers=engineer
    )
    (host,) = response.get_json()["results"]
    assert host["platform"] == "Cisco IOS XE 17.9"
    assert host["rack"] == {"id": host["rack"]["id"], "name": "R1", "position_u": 40}
    assert [(i["name"], i["management"]) for i in host["interfaces"]] == [
        ("Gi0/0/0", True),
        ("Gi0/0/1", False),
    ]
    vm = names(app.test_client(), engineer, role="vm")
    assert vm == ["vm-portal-01"]


def test_as_of_reads_each_site_where_it_was_and_refuses_a_bad_date(seeded, engineer) -> None:
    client = seeded[0].test_client()
    """Placement history is covered on the reformed demo (test_inventory_admin_tree)."""
    dated = client.get(
        "/api/v1/ansible/hosts/", query_string={"as_of": "2025-06-30"}, headers=engineer
    ).get_json()
    assert [u["code"] for u in dated["results"][0]["admin_units"]] == ["49", "502", "20299"]
    bad = client.get(
        "/api/v1/ansible/hosts/", query_string={"as_of": "30/06/2025"}, headers=engineer
    )
    assert bad.status_code == 400 and "as_of" in bad.get_json()["errors"]
