"""Vendors from sysObjectID and chassis MIBs (``discovery.snmp.vendors``), and how the
chassis a device is stored with is put together from ENTITY-MIB and those MIBs."""

from __future__ import annotations

import pytest

from discovery.records import Chassis
from discovery.snmp import oids, vendors
from discovery.snmp.parsers import parse_device_chassis, parse_vendor

# The vendors a Vietnamese provincial data centre runs (issue 20), by enterprise number.
PROVINCE = {
    9: "Cisco",
    2636: "Juniper",
    2011: "Huawei",
    25506: "H3C",
    11: "HPE",
    47196: "HPE",
    14823: "HPE Aruba",
    674: "Dell",
    12356: "Fortinet",
    25461: "Palo Alto Networks",
    4881: "Ruijie",
    14988: "MikroTik",
    2604: "Sophos",
    2620: "Check Point",
    3375: "F5",
    789: "NetApp",
    1139: "Dell EMC",
    6574: "Synology",
    19046: "Lenovo",
    10876: "Supermicro",
    6876: "VMware",
    8072: "Net-SNMP",
    311: "Microsoft",
}
SOFTWARE = {6876, 8072, 311, 2021}  # agents on someone else's box


@pytest.mark.parametrize(("number", "vendor"), PROVINCE.items())
def test_the_packaged_table_names_every_province_vendor(number, vendor) -> None:
    enterprise = vendors.enterprises()[number]
    assert enterprise.vendor == vendor
    assert enterprise.hardware is (number not in SOFTWARE)


@pytest.mark.parametrize(
    ("sys_object_id", "number"),
    [
        ("1.3.6.1.4.1.2636.1.1.1.2.21", 2636),
        ("1.3.6.1.4.1.9", 9),
        ("1.3.6.1.2.1.1", None),  # not under enterprises
        ("1.3.6.1.4.1.", None),
        ("", None),
        (None, None),
    ],
)
def test_enterprise_number_is_the_arc_after_enterprises(sys_object_id, number) -> None:
    assert vendors.enterprise_number(sys_object_id) == number


def test_every_chassis_mib_object_is_an_instance_under_its_vendor() -> None:
    for mib in vendors.CHASSIS_MIBS:
        assert set(mib.fields) <= {"model", "serial", "firmware"}
        assert mib.enterprise in vendors.enterprises()
        for oid in mib.fields.values():
            assert oid.startswith(f"1.3.6.1.4.1.{mib.enterprise}.") and oid.endswith(".0")


JUNIPER = "1.3.6.1.4.1.2636.1.1.1.2.21"
NET_SNMP = "1.3.6.1.4.1.8072.3.2.10"
JNX_BOX_DESCR, JNX_BOX_SERIAL = "1.3.6.1.4.1.2636.3.1.2.0", "1.3.6.1.4.1.2636.3.1.3.0"
CPQ_PRODUCT, CPQ_SERIAL = "1.3.6.1.4.1.232.2.2.4.2.0", "1.3.6.1.4.1.232.2.2.2.1.0"


def test_the_vendor_mib_fills_what_entity_mib_lacks() -> None:
    chassis = parse_device_chassis(
        {
            oids.SYS_OBJECT_ID: JUNIPER,
            JNX_BOX_DESCR: b"Juniper MX960 Internet Backbone Router",
            JNX_BOX_SERIAL: b"JN11FCEC5AFA",
        }
    )
    assert chassis == Chassis(
        model="Juniper MX960 Internet Backbone Router",
        serial="JN11FCEC5AFA",
        manufacturer="Juniper",
    )


def test_entity_mib_wins_where_it_states_the_field() -> None:
    varbinds = {
        oids.SYS_OBJECT_ID: JUNIPER,
        f"{oids.ENT_CLASS}.1": oids.ENT_CLASS_CHASSIS,
        f"{oids.ENT_CONTAINED_IN}.1": 0,
        f"{oids.ENT_MODEL}.1": b"MX960",
        f"{oids.ENT_MANUFACTURER}.1": b"JUNIPER NETWORKS",
        JNX_BOX_DESCR: b"Juniper MX960 Internet Backbone Router",
        JNX_BOX_SERIAL: b"JN11FCEC5AFA",
    }
    chassis = parse_device_chassis(varbinds)
    assert chassis is not None
    # the model ENTITY-MIB states; the serial only jnxBox has; the table's vendor name
    assert (chassis.model, chassis.serial, chassis.manufacturer) == (
        "MX960",
        "JN11FCEC5AFA",
        "Juniper",
    )


def test_a_hardware_agent_beside_net_snmp_names_the_maker() -> None:
    """HPE's Insight agent on a Linux server: sysObjectID is net-snmp's (software)."""
    varbinds = {
        oids.SYS_OBJECT_ID: NET_SNMP,
        CPQ_PRODUCT: b"ProLiant DL380 Gen9",
        CPQ_SERIAL: b"CZ1",
    }
    chassis = parse_device_chassis(varbinds)
    assert chassis == Chassis(model="ProLiant DL380 Gen9", serial="CZ1", manufacturer="HPE")
    assert parse_vendor(varbinds) == "Net-SNMP"


def test_a_software_agent_alone_names_no_maker_and_no_chassis() -> None:
    assert parse_device_chassis({oids.SYS_OBJECT_ID: NET_SNMP}) is None
    assert parse_vendor({oids.SYS_OBJECT_ID: "1.3.6.1.4.1.99999999.1"}) is None


def test_only_the_sys_object_id_vendor_mibs_are_asked_when_it_has_some() -> None:
    assert vendors.chassis_oids(JUNIPER) == [JNX_BOX_DESCR, JNX_BOX_SERIAL]
    everything = vendors.chassis_oids(NET_SNMP)
    assert CPQ_SERIAL in everything and JNX_BOX_SERIAL in everything
