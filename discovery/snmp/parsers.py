"""Varbinds → records: pure functions, tested table-driven over recorded walks.

Input is a mapping of numeric OID (dotted text, no leading dot) to a plain value:
``int`` for numbers, ``bytes`` for octet strings, ``str`` for object identifiers
and IP addresses — the client converts pysnmp's types once, so nothing here knows
about pysnmp. Missing objects are simply absent: agents serve what they serve.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from discovery.records import (
    AgentIdentity,
    Chassis,
    CounterReading,
    HostResources,
    InterfaceRecord,
    Neighbour,
    StorageRecord,
    SystemInfo,
    Target,
)
from discovery.snmp import host_figures, oids, vendors

VarBinds = Mapping[str, Any]
UNKNOWN_SPEED = 0xFFFFFFFF  # ifSpeed saturates here; ifHighSpeed then has the speed


def parse_text(value: Any) -> str | None:
    """An octet string as text: UTF-8 where it is, without NULs and edge blanks; "" → None."""
    if value is None:
        return None
    text = value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)
    text = text.replace("\x00", "").strip()
    return text or None


def parse_mac(value: Any) -> str | None:
    """Six octets as ``aa:bb:cc:dd:ee:ff``; text that already is a MAC, normalised; else None."""
    if isinstance(value, bytes) and len(value) == 6:
        return ":".join(f"{b:02x}" for b in value)
    text = parse_text(value)
    if text:
        parts = text.replace("-", ":").split(":")
        if len(parts) == 6 and all(len(p) in (1, 2) for p in parts):
            try:
                return ":".join(f"{int(p, 16):02x}" for p in parts)
            except ValueError:
                return None
    return None


def parse_chassis_id(value: Any) -> str | None:
    """An LLDP chassis id, comparable between devices: a MAC when it is one, else text.

    An empty or all-zero id names no device (agents without a chassis MAC send
    ``00:00:00:00:00:00``; every such agent would be "the same" device): None."""
    found = parse_mac(value) or parse_text(value)
    return None if is_null_chassis_id(found) else found


def is_null_chassis_id(value: str | None) -> bool:
    """Whether a chassis id says nothing: none, blank, or only zeros between separators."""
    digits = "".join(ch for ch in (value or "") if ch not in ":-. ")
    return not digits.strip("0")


def column(varbinds: VarBinds, col: str) -> dict[str, Any]:
    """The rows of one column: index suffix (text) → value."""
    prefix = col + "."
    return {oid[len(prefix) :]: v for oid, v in varbinds.items() if oid.startswith(prefix)}


def parse_system(varbinds: VarBinds) -> SystemInfo:
    uptime = varbinds.get(oids.SYS_UPTIME)
    object_id = varbinds.get(oids.SYS_OBJECT_ID)
    return SystemInfo(
        descr=parse_text(varbinds.get(oids.SYS_DESCR)),
        object_id=str(object_id) if object_id else None,
        name=parse_text(varbinds.get(oids.SYS_NAME)),
        uptime_ticks=uptime if isinstance(uptime, int) else None,
        location=parse_text(varbinds.get(oids.SYS_LOCATION)),
        contact=parse_text(varbinds.get(oids.SYS_CONTACT)),
    )


def parse_chassis(varbinds: VarBinds) -> Chassis | None:
    """The chassis of ENTITY-MIB: class chassis(3), the top one (containedIn 0) first.

    A stack or a modular router lists several chassis-class entries; the one not
    contained in another, with a serial, is the box the inventory tracks.
    """
    classes = column(varbinds, oids.ENT_CLASS)
    chassis = [i for i, c in classes.items() if c == oids.ENT_CLASS_CHASSIS]
    if not chassis:
        return None
    serials = column(varbinds, oids.ENT_SERIAL)
    contained = column(varbinds, oids.ENT_CONTAINED_IN)

    def rank(index: str) -> tuple[int, int, int]:
        top = 0 if contained.get(index, 0) == 0 else 1
        has_serial = 0 if parse_text(serials.get(index)) else 1
        return (top, has_serial, int(index.split(".")[0]))

    best = min(chassis, key=rank)

    def text(col: str) -> str | None:
        return parse_text(varbinds.get(f"{col}.{best}"))

    return Chassis(
        model=text(oids.ENT_MODEL) or text(oids.ENT_DESCR),
        serial=text(oids.ENT_SERIAL),
        firmware=text(oids.ENT_FIRMWARE),
        software=text(oids.ENT_SOFTWARE),
        manufacturer=text(oids.ENT_MANUFACTURER),
        descr=text(oids.ENT_DESCR),
    )


def parse_device_chassis(varbinds: VarBinds) -> Chassis | None:
    """What the box is: ENTITY-MIB's chassis, its missing model, serial and software taken
    from the vendor's own chassis MIB, and the manufacturer from sysObjectID (``vendors``).

    None when nothing at all is known of it.
    """
    sys_object_id = parse_system(varbinds).object_id
    entity = parse_chassis(varbinds) or Chassis()
    texts = {oid: parse_text(varbinds.get(oid)) for oid in vendors.chassis_oids(sys_object_id)}
    found = vendors.parse_chassis_mib(sys_object_id, texts)
    mib, mib_vendor = found if found is not None else (Chassis(), None)
    merged = Chassis(
        model=entity.model or mib.model,
        serial=entity.serial or mib.serial,
        firmware=entity.firmware,
        software=entity.software or mib.software,
        manufacturer=vendors.manufacturer(sys_object_id, mib_vendor) or entity.manufacturer,
        descr=entity.descr,
    )
    return None if merged == Chassis() else merged


def parse_vendor(varbinds: VarBinds) -> str | None:
    """The vendor sysObjectID names (the agent's, for net-snmp or Windows), else None."""
    vendor = vendors.vendor_of(parse_system(varbinds).object_id)
    return vendor.vendor if vendor is not None else None


def parse_ip_addresses(varbinds: VarBinds) -> dict[int, tuple[str, ...]]:
    """ifIndex → its addresses, from the IPv4 table and the version-neutral ipAddressTable
    (broadcast entries, which net-snmp lists there, are not addresses of the interface)."""
    found: dict[int, set[str]] = defaultdict(set)
    for index, if_index in column(varbinds, oids.IP_AD_ENT_IF_INDEX).items():
        found[int(if_index)].add(index)
    types = column(varbinds, oids.IP_ADDRESS_TYPE)
    for index, if_index in column(varbinds, oids.IP_ADDRESS_IF_INDEX).items():
        if types.get(index) == oids.IP_ADDRESS_BROADCAST:
            continue
        address = _ip_from_index(index)
        if address:
            found[int(if_index)].add(address)
    return {k: tuple(sorted(v)) for k, v in found.items()}


def _ip_from_index(index: str) -> str | None:
    """``<type>.<length>.<octets…>`` (ipAddressTable's index) → the address text."""
    parts = [int(p) for p in index.split(".")]
    if len(parts) < 3 or parts[1] != len(parts) - 2:
        return None
    octets = bytes(parts[2:])
    if parts[0] == 1 and len(octets) == 4:
        return str(ipaddress.IPv4Address(octets))
    if parts[0] == 2 and len(octets) == 16:
        return str(ipaddress.IPv6Address(octets))
    return None


def parse_speed_mbps(if_speed: Any, high_speed: Any) -> int | None:
    """ifHighSpeed (Mbps) when served and non-zero, else ifSpeed (bit/s); 0 → unknown."""
    if isinstance(high_speed, int) and high_speed > 0:
        return high_speed
    if isinstance(if_speed, int) and 0 < if_speed < UNKNOWN_SPEED:
        return max(1, round(if_speed / 1_000_000)) if if_speed >= 500_000 else None
    return None


def parse_interfaces(varbinds: VarBinds) -> tuple[InterfaceRecord, ...]:
    descrs = column(varbinds, oids.IF_DESCR)
    names = column(varbinds, oids.IF_NAME)
    addresses = parse_ip_addresses(varbinds)
    records = []
    for index in sorted({*descrs, *names}, key=_index_key):
        records.append(_interface(varbinds, index, addresses.get(int(index), ())))
    return tuple(records)


def _interface(varbinds: VarBinds, index: str, ips: tuple[str, ...]) -> InterfaceRecord:
    def get(col: str) -> Any:
        return varbinds.get(f"{col}.{index}")

    descr = parse_text(get(oids.IF_DESCR))
    if_type = get(oids.IF_TYPE)
    return InterfaceRecord(
        if_index=int(index),
        name=(parse_text(get(oids.IF_NAME)) or descr or f"ifIndex {index}")[:64],
        descr=descr,
        alias=parse_text(get(oids.IF_ALIAS)),
        if_type=oids.IF_TYPES.get(if_type, str(if_type)) if isinstance(if_type, int) else None,
        speed_mbps=parse_speed_mbps(get(oids.IF_SPEED), get(oids.IF_HIGH_SPEED)),
        admin_up=_status(get(oids.IF_ADMIN_STATUS)),
        oper_up=_status(get(oids.IF_OPER_STATUS)),
        mac_address=parse_mac(get(oids.IF_PHYS_ADDRESS)),
        ip_addresses=ips,
    )


def _status(value: Any) -> bool | None:
    return value == 1 if isinstance(value, int) else None


def parse_cdp_neighbours(varbinds: VarBinds) -> tuple[Neighbour, ...]:
    """CISCO-CDP-MIB cdpCacheTable rows (INDEX cdpCacheIfIndex, cdpCacheDeviceIndex): the
    first index is the local interface's ifIndex. The device id is the neighbour's name,
    NX-OS appending its serial in brackets (``sw-2(SSI1837...)``): split off; IOS may
    send the serial or a MAC alone, which are tried as both."""
    out = []
    rows = column(varbinds, oids.CDP_CACHE_DEVICE_ID)
    for index in sorted(rows, key=_index_key):
        parts = index.split(".")
        if len(parts) != 2:
            continue
        device_id = parse_text(rows[index])
        name, serial = _cdp_device_id(device_id)
        out.append(
            Neighbour(
                local_port=int(parts[0]),
                local_if_index=int(parts[0]),
                remote_chassis_id=parse_mac(device_id) if device_id else None,
                remote_sys_name=name,
                remote_port_id=parse_text(varbinds.get(f"{oids.CDP_CACHE_DEVICE_PORT}.{index}")),
                remote_port_descr=None,
                protocol="cdp",
                remote_serial=serial,
                remote_address=_cdp_address(varbinds, index),
                remote_platform=parse_text(varbinds.get(f"{oids.CDP_CACHE_PLATFORM}.{index}")),
            )
        )
    return tuple(out)


def _cdp_device_id(device_id: str | None) -> tuple[str | None, str | None]:
    """(name, serial) of a CDP device id: ``name(serial)`` split; else the id as both."""
    if not device_id:
        return None, None
    name, bracket, rest = device_id.partition("(")
    if bracket and rest.endswith(")") and name.strip():
        return name.strip(), rest[:-1].strip() or None
    return device_id, device_id


def _cdp_address(varbinds: VarBinds, index: str) -> str | None:
    """cdpCacheAddress when its type is ip(1): four octets (CiscoNetworkAddress)."""
    kind = varbinds.get(f"{oids.CDP_CACHE_ADDRESS_TYPE}.{index}")
    raw = varbinds.get(f"{oids.CDP_CACHE_ADDRESS}.{index}")
    if kind != oids.CDP_ADDRESS_IP or not isinstance(raw, bytes) or len(raw) != 4:
        return None
    return str(ipaddress.IPv4Address(raw))


def _index_key(index: str) -> tuple[int, ...]:
    return tuple(int(p) for p in index.split("."))


def parse_neighbours(
    varbinds: VarBinds, interfaces: tuple[InterfaceRecord, ...]
) -> tuple[Neighbour, ...]:
    """LLDP remote entries, each tied to the local interface it was heard on.

    lldpRemLocalPortNum is a port number of the LLDP agent, not always an ifIndex:
    it is resolved through lldpLocPortTable (port id or description = an interface
    name), and taken as an ifIndex only when no name matches.
    """
    by_name: dict[str, int] = {}
    for itf in interfaces:
        for key in (itf.descr, itf.name):
            if key:
                by_name.setdefault(key.lower(), itf.if_index)
    if_indexes = {itf.if_index for itf in interfaces}
    local_ids = column(varbinds, oids.LLDP_LOC_PORT_ID)
    local_descs = column(varbinds, oids.LLDP_LOC_PORT_DESC)
    out = []
    for index, sys_name in _remote_rows(varbinds):
        port_num = int(index.split(".")[1])
        local = _resolve_local(str(port_num), local_ids, local_descs, by_name, if_indexes)
        out.append(
            Neighbour(
                local_port=port_num,
                local_if_index=local,
                remote_chassis_id=parse_chassis_id(
                    varbinds.get(f"{oids.LLDP_REM_CHASSIS_ID}.{index}")
                ),
                remote_sys_name=sys_name,
                remote_port_id=parse_text(varbinds.get(f"{oids.LLDP_REM_PORT_ID}.{index}")),
                remote_port_descr=parse_text(varbinds.get(f"{oids.LLDP_REM_PORT_DESC}.{index}")),
            )
        )
    return tuple(out)


def _remote_rows(varbinds: VarBinds) -> Iterator[tuple[str, str | None]]:
    rows = column(varbinds, oids.LLDP_REM_CHASSIS_ID) | column(varbinds, oids.LLDP_REM_SYS_NAME)
    for index in sorted(rows, key=_index_key):
        if len(index.split(".")) == 3:
            yield index, parse_text(varbinds.get(f"{oids.LLDP_REM_SYS_NAME}.{index}"))


def _resolve_local(
    port: str,
    local_ids: dict[str, Any],
    local_descs: dict[str, Any],
    by_name: dict[str, int],
    if_indexes: set[int],
) -> int | None:
    for candidate in (local_descs.get(port), local_ids.get(port)):
        text = parse_text(candidate)
        if text and text.lower() in by_name:
            return by_name[text.lower()]
    return int(port) if int(port) in if_indexes else None


def parse_storage(varbinds: VarBinds) -> tuple[StorageRecord, ...]:
    types = column(varbinds, oids.HR_STORAGE_TYPE)
    records = []
    for index in sorted(types, key=_index_key):
        units = varbinds.get(f"{oids.HR_STORAGE_UNITS}.{index}") or 0
        size = varbinds.get(f"{oids.HR_STORAGE_SIZE}.{index}") or 0
        used = varbinds.get(f"{oids.HR_STORAGE_USED}.{index}") or 0
        kind = {oids.HR_STORAGE_RAM: "ram", oids.HR_STORAGE_FIXED_DISK: "disk"}.get(
            str(types[index]), "other"
        )
        descr = parse_text(varbinds.get(f"{oids.HR_STORAGE_DESCR}.{index}")) or ""
        records.append(StorageRecord(int(index), kind, descr, size * units, used * units))
    return tuple(records)


def parse_cpu_load(varbinds: VarBinds) -> tuple[int, float | None]:
    """Number of processors and their mean hrProcessorLoad (%), None when none is served.

    Processors are counted by their rows (hrProcessorFrwID as well as the load):
    net-snmp serves the load only after its first minute of sampling.
    """
    loads = column(varbinds, oids.HR_PROCESSOR_LOAD)
    rows = set(loads) | set(column(varbinds, oids.HR_PROCESSOR_FRW_ID))
    values = [v for v in loads.values() if isinstance(v, int)]
    return len(rows), (round(sum(values) / len(values), 2) if values else None)


def parse_host(varbinds: VarBinds) -> HostResources | None:
    """HOST-RESOURCES-MIB facts, or None when the agent serves none of them."""
    processors, load = parse_cpu_load(varbinds)
    memory = varbinds.get(oids.HR_MEMORY_SIZE)
    storage = parse_storage(varbinds)
    if not processors and not isinstance(memory, int) and not storage:
        return None
    return HostResources(
        processors=processors,
        cpu_load_pct=load,
        memory_kb=memory if isinstance(memory, int) and memory > 0 else None,
        storage=storage,
    )


def parse_counters(
    varbinds: VarBinds, target: Target, stamps: Mapping[str, int] | None = None
) -> CounterReading | None:
    """One poll: octet counters per interface (64-bit where served) and host gauges.

    None when sysUpTime is missing: without it a reset cannot be told from traffic.
    ``stamps`` (OID → the agent's sysUpTime in the answer that carried it) become each
    counter's ``ticks``.
    """
    uptime = varbinds.get(oids.SYS_UPTIME)
    if not isinstance(uptime, int):
        return None
    counters, widths, read_from = _counter_columns(varbinds)
    stamped = stamps or {}
    identity = parse_identity(varbinds)
    _, load = parse_cpu_load(varbinds)
    storage = parse_storage(varbinds)
    ram = host_figures.compute_ram_used(varbinds, storage)
    disks = host_figures.compute_storage_used(storage)
    return CounterReading(
        target=target,
        uptime_ticks=uptime,
        counters=counters,
        widths=widths,
        ticks={k: stamped[o] for k, o in read_from.items() if o in stamped},
        statuses=_statuses(varbinds),
        cpu_load_pct=load,
        ram_used_gb=ram.value,
        storage_used_tb=disks.value,
        identity=identity,
        refused=tuple(r for r in (ram.refused, disks.refused) if r),
        serial_oid=serial_oid(varbinds, identity.serial),
    )


def serial_oid(varbinds: VarBinds, serial: str | None) -> str | None:
    """The OID whose value is ``serial``: an ENTITY-MIB serial column's row, or one of the
    vendor's chassis objects (None when the serial is not one value as read)."""
    if not serial:
        return None
    entity = [f"{oids.ENT_SERIAL}.{index}" for index in column(varbinds, oids.ENT_SERIAL)]
    vendor = vendors.chassis_oids(parse_system(varbinds).object_id)
    return next((o for o in (*entity, *vendor) if parse_text(varbinds.get(o)) == serial), None)


def parse_identity(varbinds: VarBinds) -> AgentIdentity:
    """What the agent says it is: sysObjectID, sysName, LLDP chassis id, and the serial
    when the chassis was read (ENTITY-MIB or the vendor's chassis MIB)."""
    system = parse_system(varbinds)
    chassis = parse_device_chassis(varbinds)
    return AgentIdentity(
        sys_object_id=system.object_id,
        name=system.name,
        serial=chassis.serial if chassis else None,
        chassis_id=parse_chassis_id(varbinds.get(oids.LLDP_LOC_CHASSIS_ID)),
    )


def _counter_columns(varbinds: VarBinds) -> tuple[dict[str, int], dict[str, int], dict[str, str]]:
    """Counters by key (``if.<ifIndex>.in``; 64-bit octets over 32-bit where both are
    served; ifInErrors … ifOutDiscards, Counter32), their widths, and the OID each came from."""
    counters: dict[str, int] = {}
    widths: dict[str, int] = {}
    read_from: dict[str, str] = {}
    columns = [
        (direction, width, col)
        for direction, col32, col64 in (
            ("in", oids.IF_IN_OCTETS, oids.IF_HC_IN_OCTETS),
            ("out", oids.IF_OUT_OCTETS, oids.IF_HC_OUT_OCTETS),
        )
        for width, col in ((32, col32), (64, col64))  # 64-bit overrides 32-bit
    ] + [(suffix, 32, col) for suffix, col in oids.PACKET_COUNTERS.items()]
    for suffix, width, col in columns:
        for index, value in column(varbinds, col).items():
            if isinstance(value, int):
                key = f"if.{index}.{suffix}"
                counters[key], widths[key], read_from[key] = value, width, f"{col}.{index}"
    return counters, widths, read_from


def _statuses(varbinds: VarBinds) -> dict[str, int]:
    """ifAdminStatus and ifOperStatus codes by ``if.<ifIndex>.admin|oper``."""
    return {
        f"if.{index}.{name}": value
        for name, col in (("admin", oids.IF_ADMIN_STATUS), ("oper", oids.IF_OPER_STATUS))
        for index, value in column(varbinds, col).items()
        if isinstance(value, int)
    }


def _used(storage: tuple[StorageRecord, ...], kind: str, unit: float) -> float | None:
    rows = [s.used_bytes for s in storage if s.kind == kind]
    return round(sum(rows) / unit, 4) if rows else None
