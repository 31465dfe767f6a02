"""Numeric OIDs of the MIB objects Headroom reads; no MIB files are loaded at run time.

Columns are given without the trailing dot; a row's OID is ``column + "." + index``.
"""

from __future__ import annotations

# SNMPv2-MIB system group (scalars)
SYS_DESCR = "1.3.6.1.2.1.1.1.0"
SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0"
SYS_UPTIME = "1.3.6.1.2.1.1.3.0"
SYS_NAME = "1.3.6.1.2.1.1.5.0"
SYS_CONTACT = "1.3.6.1.2.1.1.4.0"
SYS_LOCATION = "1.3.6.1.2.1.1.6.0"
SYSTEM_SCALARS = (SYS_DESCR, SYS_OBJECT_ID, SYS_UPTIME, SYS_CONTACT, SYS_NAME, SYS_LOCATION)

# IF-MIB ifTable
IF_DESCR = "1.3.6.1.2.1.2.2.1.2"
IF_TYPE = "1.3.6.1.2.1.2.2.1.3"
IF_SPEED = "1.3.6.1.2.1.2.2.1.5"
IF_PHYS_ADDRESS = "1.3.6.1.2.1.2.2.1.6"
IF_ADMIN_STATUS = "1.3.6.1.2.1.2.2.1.7"
IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.8"
IF_IN_OCTETS = "1.3.6.1.2.1.2.2.1.10"
IF_IN_DISCARDS = "1.3.6.1.2.1.2.2.1.13"
IF_IN_ERRORS = "1.3.6.1.2.1.2.2.1.14"
IF_OUT_OCTETS = "1.3.6.1.2.1.2.2.1.16"
IF_OUT_DISCARDS = "1.3.6.1.2.1.2.2.1.19"
IF_OUT_ERRORS = "1.3.6.1.2.1.2.2.1.20"
# IF-MIB ifXTable
IF_NAME = "1.3.6.1.2.1.31.1.1.1.1"
IF_HC_IN_OCTETS = "1.3.6.1.2.1.31.1.1.1.6"
IF_HC_OUT_OCTETS = "1.3.6.1.2.1.31.1.1.1.10"
IF_HIGH_SPEED = "1.3.6.1.2.1.31.1.1.1.15"
IF_ALIAS = "1.3.6.1.2.1.31.1.1.1.18"
IF_TABLE_COLUMNS = (IF_DESCR, IF_TYPE, IF_SPEED, IF_PHYS_ADDRESS, IF_ADMIN_STATUS, IF_OPER_STATUS)
IF_X_TABLE_COLUMNS = (IF_NAME, IF_HIGH_SPEED, IF_ALIAS)

# ENTITY-MIB entPhysicalTable
ENT_DESCR = "1.3.6.1.2.1.47.1.1.1.1.2"
ENT_CONTAINED_IN = "1.3.6.1.2.1.47.1.1.1.1.4"
ENT_CLASS = "1.3.6.1.2.1.47.1.1.1.1.5"
ENT_FIRMWARE = "1.3.6.1.2.1.47.1.1.1.1.9"
ENT_SOFTWARE = "1.3.6.1.2.1.47.1.1.1.1.10"
ENT_SERIAL = "1.3.6.1.2.1.47.1.1.1.1.11"
ENT_MANUFACTURER = "1.3.6.1.2.1.47.1.1.1.1.12"
ENT_MODEL = "1.3.6.1.2.1.47.1.1.1.1.13"
ENTITY_COLUMNS = (
    ENT_DESCR,
    ENT_CONTAINED_IN,
    ENT_CLASS,
    ENT_FIRMWARE,
    ENT_SOFTWARE,
    ENT_SERIAL,
    ENT_MANUFACTURER,
    ENT_MODEL,
)
ENT_CLASS_CHASSIS = 3

# HOST-RESOURCES-MIB
HR_MEMORY_SIZE = "1.3.6.1.2.1.25.2.2.0"
HR_STORAGE_TYPE = "1.3.6.1.2.1.25.2.3.1.2"
HR_STORAGE_DESCR = "1.3.6.1.2.1.25.2.3.1.3"
HR_STORAGE_UNITS = "1.3.6.1.2.1.25.2.3.1.4"
HR_STORAGE_SIZE = "1.3.6.1.2.1.25.2.3.1.5"
HR_STORAGE_USED = "1.3.6.1.2.1.25.2.3.1.6"
HR_STORAGE_COLUMNS = (
    HR_STORAGE_TYPE,
    HR_STORAGE_DESCR,
    HR_STORAGE_UNITS,
    HR_STORAGE_SIZE,
    HR_STORAGE_USED,
)
HR_STORAGE_RAM = "1.3.6.1.2.1.25.2.1.2"
HR_STORAGE_FIXED_DISK = "1.3.6.1.2.1.25.2.1.4"
# hrStorageOther rows net-snmp serves beside RAM, by description: what the kernel can
# take back (buffers, page cache), and its own estimate of what is available.
HR_MEMORY_BUFFERS, HR_CACHED_MEMORY = "Memory buffers", "Cached memory"
HR_AVAILABLE_MEMORY = "Available memory"
HR_PROCESSOR_FRW_ID = "1.3.6.1.2.1.25.3.3.1.1"
HR_PROCESSOR_LOAD = "1.3.6.1.2.1.25.3.3.1.2"

# UCD-SNMP-MIB memory group (net-snmp's agents), all in kB: the 64-bit "X" objects
# where served (5.6+), else the 32-bit ones. memAvailReal is the *free* memory (Linux
# MemFree), not the kernel's MemAvailable: that is memSysAvail (5.9+).
UCD_MEM_TOTAL = ("1.3.6.1.4.1.2021.4.20.0", "1.3.6.1.4.1.2021.4.5.0")
UCD_MEM_FREE = ("1.3.6.1.4.1.2021.4.21.0", "1.3.6.1.4.1.2021.4.6.0")
UCD_MEM_BUFFER = ("1.3.6.1.4.1.2021.4.25.0", "1.3.6.1.4.1.2021.4.14.0")
UCD_MEM_CACHED = ("1.3.6.1.4.1.2021.4.26.0", "1.3.6.1.4.1.2021.4.15.0")
UCD_MEM_SYS_AVAIL = ("1.3.6.1.4.1.2021.4.27.0",)
UCD_MEMORY = (*UCD_MEM_TOTAL, *UCD_MEM_FREE, *UCD_MEM_BUFFER, *UCD_MEM_CACHED, *UCD_MEM_SYS_AVAIL)

# IP-MIB: the legacy IPv4 table and the version-neutral one
IP_AD_ENT_IF_INDEX = "1.3.6.1.2.1.4.20.1.2"
IP_ADDRESS_IF_INDEX = "1.3.6.1.2.1.4.34.1.3"
IP_ADDRESS_TYPE = "1.3.6.1.2.1.4.34.1.4"
IP_ADDRESS_BROADCAST = 3

# LLDP-MIB
LLDP_LOC_CHASSIS_ID = "1.0.8802.1.1.2.1.3.2.0"
LLDP_LOC_SYS_NAME = "1.0.8802.1.1.2.1.3.3.0"
LLDP_LOC_PORT_ID = "1.0.8802.1.1.2.1.3.7.1.3"
LLDP_LOC_PORT_DESC = "1.0.8802.1.1.2.1.3.7.1.4"
LLDP_REM_CHASSIS_ID_SUBTYPE = "1.0.8802.1.1.2.1.4.1.1.4"
LLDP_REM_CHASSIS_ID = "1.0.8802.1.1.2.1.4.1.1.5"
LLDP_REM_PORT_ID_SUBTYPE = "1.0.8802.1.1.2.1.4.1.1.6"
LLDP_REM_PORT_ID = "1.0.8802.1.1.2.1.4.1.1.7"
LLDP_REM_PORT_DESC = "1.0.8802.1.1.2.1.4.1.1.8"
LLDP_REM_SYS_NAME = "1.0.8802.1.1.2.1.4.1.1.9"
LLDP_SCALARS = (LLDP_LOC_CHASSIS_ID, LLDP_LOC_SYS_NAME)
LLDP_LOC_PORT_COLUMNS = (LLDP_LOC_PORT_ID, LLDP_LOC_PORT_DESC)
LLDP_REM_COLUMNS = (
    LLDP_REM_CHASSIS_ID_SUBTYPE,
    LLDP_REM_CHASSIS_ID,
    LLDP_REM_PORT_ID_SUBTYPE,
    LLDP_REM_PORT_ID,
    LLDP_REM_PORT_DESC,
    LLDP_REM_SYS_NAME,
)
LLDP_SUBTYPE_MAC = 4

# CISCO-CDP-MIB cdpCacheTable (ciscoCdpMIB 1.3.6.1.4.1.9.9.23, cdpCacheEntry =
# ciscoCdpMIBObjects(1).cdpCache(2).cdpCacheTable(1).1; INDEX {cdpCacheIfIndex,
# cdpCacheDeviceIndex}), checked against the MIB file (LibreNMS' mibs/cisco/CISCO-CDP-MIB).
CDP_CACHE_ADDRESS_TYPE = "1.3.6.1.4.1.9.9.23.1.2.1.1.3"
CDP_CACHE_ADDRESS = "1.3.6.1.4.1.9.9.23.1.2.1.1.4"
CDP_CACHE_DEVICE_ID = "1.3.6.1.4.1.9.9.23.1.2.1.1.6"
CDP_CACHE_DEVICE_PORT = "1.3.6.1.4.1.9.9.23.1.2.1.1.7"
CDP_CACHE_PLATFORM = "1.3.6.1.4.1.9.9.23.1.2.1.1.8"
CDP_CACHE_COLUMNS = (
    CDP_CACHE_ADDRESS_TYPE,
    CDP_CACHE_ADDRESS,
    CDP_CACHE_DEVICE_ID,
    CDP_CACHE_DEVICE_PORT,
    CDP_CACHE_PLATFORM,
)
CDP_ADDRESS_IP = 1  # CiscoNetworkProtocol ip(1)

# What a discovery walks, table by table (each walked with one GETBULK stream).
DISCOVERY_TABLES: dict[str, tuple[str, ...]] = {
    "ifTable": IF_TABLE_COLUMNS,
    "ifXTable": IF_X_TABLE_COLUMNS,
    "entPhysicalTable": ENTITY_COLUMNS,
    "hrStorageTable": HR_STORAGE_COLUMNS,
    "hrProcessorTable": (HR_PROCESSOR_FRW_ID, HR_PROCESSOR_LOAD),
    "ipAddrTable": (IP_AD_ENT_IF_INDEX,),
    "ipAddressTable": (IP_ADDRESS_IF_INDEX, IP_ADDRESS_TYPE),
    "lldpLocPortTable": LLDP_LOC_PORT_COLUMNS,
    "lldpRemTable": LLDP_REM_COLUMNS,
    "cdpCacheTable": CDP_CACHE_COLUMNS,
}
DISCOVERY_SCALARS = (*SYSTEM_SCALARS, HR_MEMORY_SIZE, *LLDP_SCALARS)

# What a poll reads.
COUNTERS_64 = (IF_HC_IN_OCTETS, IF_HC_OUT_OCTETS)
COUNTERS_32 = (IF_IN_OCTETS, IF_OUT_OCTETS)  # only from agents without 64-bit counters
# Packet counters (Counter32 only: IF-MIB has no 64-bit errors or discards), by the
# suffix of their counter key (``if.<ifIndex>.in_errors``).
PACKET_COUNTERS = {
    "in_errors": IF_IN_ERRORS,
    "out_errors": IF_OUT_ERRORS,
    "in_discards": IF_IN_DISCARDS,
    "out_discards": IF_OUT_DISCARDS,
}
IF_STATUS_UP = 1  # ifAdminStatus / ifOperStatus up(1)
POLL_TABLES: dict[str, tuple[str, ...]] = {
    "ifPackets": tuple(PACKET_COUNTERS.values()),
    "ifStatus": (IF_ADMIN_STATUS, IF_OPER_STATUS),
    "hrStorageTable": HR_STORAGE_COLUMNS,  # the description tells cache rows from RAM
    "hrProcessorTable": (HR_PROCESSOR_LOAD,),
}
# sysUpTime, what the agent says it is (``discovery.agent_identity``), and the memory
# figures of net-snmp's agents: one GET (objects an agent lacks are left out).
# An SNMPv1 agent refuses a whole GET for one object it lacks: the optional ones are
# asked with the others, and the required ones alone again after such a refusal.
POLL_SCALARS = (SYS_UPTIME, SYS_OBJECT_ID, SYS_NAME)
POLL_OPTIONAL_SCALARS = (LLDP_LOC_CHASSIS_ID, *UCD_MEMORY)
# The serial, read by a poll only when the agent may have been swapped.
ENTITY_SERIAL_COLUMNS = (ENT_CONTAINED_IN, ENT_CLASS, ENT_SERIAL)

# IANA ifType names of the common types (others are kept as their number).
IF_TYPES: dict[int, str] = {
    1: "other",
    6: "ethernetCsmacd",
    23: "ppp",
    24: "softwareLoopback",
    53: "propVirtual",
    56: "fibreChannel",
    117: "gigabitEthernet",
    131: "tunnel",
    135: "l2vlan",
    136: "l3ipvlan",
    161: "ieee8023adLag",
}
