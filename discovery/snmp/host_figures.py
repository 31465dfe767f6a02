"""A host's RAM and storage in use, as capacity should see them. Pure.

RAM "used" as HOST-RESOURCES' RAM row gives it counts the page cache and buffers,
which the kernel hands back on demand: a host that has read its disks once looks
full. What is really in use, best first:

1. net-snmp's UCD-SNMP-MIB ``memSysAvail`` (the kernel's MemAvailable, net-snmp 5.9+):
   total − available, which is what ``free`` (procps-ng 4) shows as used;
2. UCD-SNMP-MIB without it: total − free (``memAvailReal`` is Linux's MemFree) −
   buffers − cached, the older ``free``'s used;
3. HOST-RESOURCES: the RAM row's used less net-snmp's "Memory buffers" and "Cached
   memory" rows (hrStorageOther) — or the total less its "Available memory" row;
4. the RAM row's used as the agent gives it (other agents do not count the cache).

A figure no disk or memory can have — used above the size, or below zero (a 32-bit
hrStorageUsed that overflowed on a large volume) — is refused with the reason and
never stored: a false point moves a forecast, a missing one costs it nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from discovery.records import StorageRecord
from discovery.snmp import oids

KIB, GIB, TB = 1024, 2**30, 1e12


@dataclass(frozen=True)
class Figure:
    """A value (None: none to store) and, when one was refused, why."""

    value: float | None = None
    refused: str | None = None


def _first_int(varbinds: Any, candidates: Sequence[str]) -> int | None:
    for oid in candidates:
        value = varbinds.get(oid)
        if isinstance(value, int):
            return value
    return None


def compute_ram_used(varbinds: Any, storage: Sequence[StorageRecord]) -> Figure:
    """RAM in use in GiB, by the module docstring's order."""
    total = _first_int(varbinds, oids.UCD_MEM_TOTAL)
    if total:
        return _checked_ram(_ucd_used_kb(varbinds, total) * KIB, total * KIB, "UCD-SNMP-MIB")
    ram = [s for s in storage if s.kind == "ram"]
    if not ram:
        return Figure()
    size, used = sum(s.size_bytes for s in ram), sum(s.used_bytes for s in ram)
    other = {s.descr: s for s in storage if s.kind == "other"}
    if oids.HR_AVAILABLE_MEMORY in other:
        return _checked_ram(size - other[oids.HR_AVAILABLE_MEMORY].size_bytes, size, "hrStorage")
    reclaimable = [other[d] for d in (oids.HR_MEMORY_BUFFERS, oids.HR_CACHED_MEMORY) if d in other]
    return _checked_ram(used - sum(max(0, r.used_bytes) for r in reclaimable), size, "hrStorage")


def _ucd_used_kb(varbinds: Any, total: int) -> int:
    available = _first_int(varbinds, oids.UCD_MEM_SYS_AVAIL)
    if available is not None:
        return total - available
    free = _first_int(varbinds, oids.UCD_MEM_FREE) or 0
    buffers = _first_int(varbinds, oids.UCD_MEM_BUFFER) or 0
    cached = _first_int(varbinds, oids.UCD_MEM_CACHED) or 0
    return total - free - buffers - cached


def _checked_ram(used: int, size: int, source: str) -> Figure:
    if used < 0 or used > size:
        return Figure(
            refused=f"RAM used {used / GIB:.2f} GiB of {size / GIB:.2f} GiB ({source}) "
            "is not possible: not stored"
        )
    return Figure(round(used / GIB, 4))


def compute_storage_used(storage: Sequence[StorageRecord]) -> Figure:
    """Fixed disks in use in TB; any disk with an impossible figure refuses the sum (a
    total without it would be a false drop)."""
    disks = [s for s in storage if s.kind == "disk"]
    for disk in disks:
        if disk.used_bytes < 0 or disk.size_bytes < 0 or disk.used_bytes > disk.size_bytes:
            return Figure(
                refused=f"storage {disk.descr or disk.index!r}: used "
                f"{disk.used_bytes / TB:.4g} TB of {disk.size_bytes / TB:.4g} TB is not "
                "possible: storage used not stored"
            )
    if not disks:
        return Figure()
    return Figure(round(sum(d.used_bytes for d in disks) / TB, 4))
