"""Vendors from sysObjectID, and model and serial from vendors' own chassis MIBs. Pure.

Many agents serve no ENTITY-MIB chassis (or one without serials), yet every agent
names its maker: sysObjectID is ``1.3.6.1.4.1.<enterprise>.…`` and the enterprise
number is IANA's (``data/enterprises.csv``, see ``data/README.md``). Some numbers
name the agent's software, not the box (net-snmp on any Linux server, Windows,
ESXi): they identify the vendor of the agent but never the manufacturer.

Where ENTITY-MIB lacks them, model, serial and firmware come from the vendor's own
chassis objects, declared below as one small table per MIB (object → field), each
object checked against its MIB file. They are read with one GET (``chassis_oids``):
only the sysObjectID vendor's when it has some, else every vendor's (a server's
hardware agent — HPE Insight, Dell iDRAC — answers beside net-snmp's sysObjectID).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from discovery.records import Chassis

ENTERPRISES = "1.3.6.1.4.1."  # SNMPv2-SMI enterprises: the arc every sysObjectID is under


@dataclass(frozen=True)
class Enterprise:
    """One IANA private enterprise number, as Headroom names its vendor."""

    number: int
    vendor: str  # the name stored as the manufacturer
    organization: str  # the registrant, as IANA lists it
    hardware: bool  # False: it names the agent's software, not who made the box


@dataclass(frozen=True)
class ChassisMib:
    """One vendor MIB's chassis objects: the field each OID (an instance) fills."""

    enterprise: int  # whose MIB: the vendor it names
    mib: str
    fields: Mapping[str, str]  # "model" | "serial" | "firmware" → OID


CHASSIS_MIBS: tuple[ChassisMib, ...] = (
    # JUNIPER-MIB, jnxBoxAnatomy: jnxBoxDescr (2), jnxBoxSerialNo (3)
    ChassisMib(
        2636,
        "JUNIPER-MIB",
        {"model": "1.3.6.1.4.1.2636.3.1.2.0", "serial": "1.3.6.1.4.1.2636.3.1.3.0"},
    ),
    # CISCO-STACK-MIB, chassisGrp: chassisModel (16), chassisSerialNumberString (19)
    ChassisMib(
        9,
        "CISCO-STACK-MIB",
        {"model": "1.3.6.1.4.1.9.5.1.2.16.0", "serial": "1.3.6.1.4.1.9.5.1.2.19.0"},
    ),
    # OLD-CISCO-CHASSIS-MIB: chassisId (3), the serial (chassisType is an enumeration)
    ChassisMib(9, "OLD-CISCO-CHASSIS-MIB", {"serial": "1.3.6.1.4.1.9.3.6.3.0"}),
    # FORTINET-CORE-MIB fnSystem: fnSysSerial (1); FORTINET-FORTIGATE-MIB fgSystemInfo:
    # fgSysVersion (1). FortiGate names its model only in sysObjectID.
    ChassisMib(
        12356,
        "FORTINET-CORE-MIB, FORTINET-FORTIGATE-MIB",
        {"serial": "1.3.6.1.4.1.12356.100.1.1.1.0", "firmware": "1.3.6.1.4.1.12356.101.4.1.1.0"},
    ),
    # PAN-COMMON-MIB panSys: panSysSwVersion (1), panSysSerialNumber (3)
    ChassisMib(
        25461,
        "PAN-COMMON-MIB",
        {"serial": "1.3.6.1.4.1.25461.2.1.2.1.3.0", "firmware": "1.3.6.1.4.1.25461.2.1.2.1.1.0"},
    ),
    # MIKROTIK-MIB mtxrSystem: mtxrSerialNumber (3), mtxrFirmwareVersion (4), mtxrBoardName (9)
    ChassisMib(
        14988,
        "MIKROTIK-MIB",
        {
            "model": "1.3.6.1.4.1.14988.1.1.7.9.0",
            "serial": "1.3.6.1.4.1.14988.1.1.7.3.0",
            "firmware": "1.3.6.1.4.1.14988.1.1.7.4.0",
        },
    ),
    # IDRAC-MIB-SMIv2 systemInfo: systemServiceTag (2), systemModelName (12)
    ChassisMib(
        674,
        "IDRAC-MIB-SMIv2",
        {"model": "1.3.6.1.4.1.674.10892.5.1.3.12.0", "serial": "1.3.6.1.4.1.674.10892.5.1.3.2.0"},
    ),
    # CPQSINFO-MIB (HPE iLO and Insight agents): cpqSiSysSerialNum, cpqSiProductName
    ChassisMib(
        232,
        "CPQSINFO-MIB",
        {"model": "1.3.6.1.4.1.232.2.2.4.2.0", "serial": "1.3.6.1.4.1.232.2.2.2.1.0"},
    ),
    # NETAPP-MIB product: productVersion (2), productModel (5), productSerialNum (9)
    ChassisMib(
        789,
        "NETAPP-MIB",
        {
            "model": "1.3.6.1.4.1.789.1.1.5.0",
            "serial": "1.3.6.1.4.1.789.1.1.9.0",
            "firmware": "1.3.6.1.4.1.789.1.1.2.0",
        },
    ),
)


@cache
def enterprises() -> dict[int, Enterprise]:
    """The packaged table, by number."""
    text = resources.files("discovery.snmp").joinpath("data/enterprises.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return {
        int(r["number"]): Enterprise(
            int(r["number"]), r["vendor"], r["organization"], r["kind"] == "hardware"
        )
        for r in rows
    }


def enterprise_number(sys_object_id: str | None) -> int | None:
    """The enterprise arc of a sysObjectID (``1.3.6.1.4.1.2636.1.1.1.2.21`` → 2636)."""
    if not sys_object_id or not sys_object_id.startswith(ENTERPRISES):
        return None
    arc = sys_object_id[len(ENTERPRISES) :].split(".", 1)[0]
    return int(arc) if arc.isdigit() else None


def vendor_of(sys_object_id: str | None) -> Enterprise | None:
    number = enterprise_number(sys_object_id)
    return None if number is None else enterprises().get(number)


def chassis_mibs(sys_object_id: str | None) -> tuple[ChassisMib, ...]:
    """The chassis MIBs worth asking: the sysObjectID vendor's when it has some, else all."""
    number = enterprise_number(sys_object_id)
    own = tuple(m for m in CHASSIS_MIBS if m.enterprise == number)
    return own or CHASSIS_MIBS


def chassis_oids(sys_object_id: str | None) -> list[str]:
    return [oid for m in chassis_mibs(sys_object_id) for oid in m.fields.values()]


def parse_chassis_mib(
    sys_object_id: str | None, texts: Mapping[str, str | None]
) -> tuple[Chassis, Enterprise | None] | None:
    """The first chassis MIB (the vendor's own first) that states a model or a serial, and
    the vendor it names; ``texts`` are the answers of ``chassis_oids`` as text."""
    for mib in chassis_mibs(sys_object_id):
        got = {name: texts.get(oid) for name, oid in mib.fields.items()}
        if got.get("model") or got.get("serial"):
            chassis = Chassis(
                model=got.get("model"), serial=got.get("serial"), software=got.get("firmware")
            )
            return chassis, enterprises().get(mib.enterprise)
    return None


def manufacturer(sys_object_id: str | None, mib_vendor: Enterprise | None) -> str | None:
    """Who made the box: sysObjectID's vendor when it makes hardware, else the vendor whose
    chassis MIB answered (HPE's Insight agent beside net-snmp's sysObjectID), else None."""
    vendor = vendor_of(sys_object_id)
    if vendor is not None and vendor.hardware:
        return vendor.vendor
    return mib_vendor.vendor if mib_vendor is not None and mib_vendor.hardware else None
