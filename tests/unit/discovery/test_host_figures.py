"""RAM used without the cache, and impossible storage refused (``snmp.host_figures``)."""

from __future__ import annotations

import pytest

from discovery.records import StorageRecord
from discovery.snmp import oids
from discovery.snmp.host_figures import compute_ram_used, compute_storage_used

GIB = 2**30
UCD_TOTAL, UCD_FREE, UCD_BUFFER, UCD_CACHED = (
    oids.UCD_MEM_TOTAL[1],
    oids.UCD_MEM_FREE[1],
    oids.UCD_MEM_BUFFER[1],
    oids.UCD_MEM_CACHED[1],
)
UCD_SYS_AVAIL, UCD_TOTAL_X = oids.UCD_MEM_SYS_AVAIL[0], oids.UCD_MEM_TOTAL[0]


def ram(size_kb: int, used_kb: int) -> StorageRecord:
    return StorageRecord(1, "ram", "Physical memory", size_kb * 1024, used_kb * 1024)


def other(index: int, descr: str, size_kb: int, used_kb: int) -> StorageRecord:
    return StorageRecord(index, "other", descr, size_kb * 1024, used_kb * 1024)


def disk(descr: str, size: int, used: int) -> StorageRecord:
    return StorageRecord(31, "disk", descr, size, used)


# The snmpd of this machine (net-snmp 5.9.3), one reading: kB.
TOTAL, FREE, BUFFERS, CACHED, AVAILABLE = 24_683_772, 12_501_596, 186_628, 9_487_220, 21_749_632


@pytest.mark.parametrize(
    ("varbinds", "storage", "used_kb"),
    [
        # memSysAvail: total − available (what procps-ng 4's free shows as used)
        ({UCD_TOTAL: TOTAL, UCD_FREE: FREE, UCD_SYS_AVAIL: AVAILABLE}, (), TOTAL - AVAILABLE),
        ({UCD_TOTAL_X: TOTAL, UCD_TOTAL: 1, UCD_SYS_AVAIL: AVAILABLE}, (), TOTAL - AVAILABLE),
        # older net-snmp: memAvailReal is MemFree; buffers and cache are taken back
        (
            {UCD_TOTAL: TOTAL, UCD_FREE: FREE, UCD_BUFFER: BUFFERS, UCD_CACHED: CACHED},
            (),
            TOTAL - FREE - BUFFERS - CACHED,
        ),
        # HOST-RESOURCES only: the RAM row less net-snmp's buffers and cache rows
        (
            {},
            (
                ram(TOTAL, TOTAL - FREE),
                other(6, "Memory buffers", TOTAL, BUFFERS),
                other(7, "Cached memory", CACHED, CACHED),
            ),
            TOTAL - FREE - BUFFERS - CACHED,
        ),
        # … or the total less its "Available memory" row (net-snmp 5.9)
        (
            {},
            (ram(TOTAL, TOTAL - FREE), other(11, "Available memory", AVAILABLE, 0)),
            TOTAL - AVAILABLE,
        ),
        ({}, (ram(8_000_000, 2_000_000),), 2_000_000),  # another agent: as it says
    ],
)
def test_ram_used_excludes_buffers_and_cache(varbinds, storage, used_kb) -> None:
    figure = compute_ram_used(varbinds, storage)
    assert figure.refused is None
    assert figure.value == pytest.approx(used_kb / 2**20, abs=1e-4)


def test_no_memory_figure_is_none() -> None:
    assert compute_ram_used({}, (disk("/", 10, 1),)).value is None


@pytest.mark.parametrize(
    ("varbinds", "storage"),
    [
        ({UCD_TOTAL: 1_000, UCD_SYS_AVAIL: 2_000}, ()),  # more available than installed
        ({}, (ram(1_000, 5_000),)),  # used above size
    ],
)
def test_impossible_ram_is_refused_with_the_reason(varbinds, storage) -> None:
    figure = compute_ram_used(varbinds, storage)
    assert figure.value is None and "not possible" in (figure.refused or "")


def test_storage_used_is_the_sum_of_fixed_disks_in_tb() -> None:
    figure = compute_storage_used((disk("/", 4 * 10**12, 10**12), disk("/data", 10**12, 5e11)))
    assert (figure.value, figure.refused) == (1.5, None)


@pytest.mark.parametrize(
    "bad", [disk("/data", 4 * 10**12, 5 * 10**12), disk("/data", 4 * 10**12, -4096)]
)
def test_a_disk_used_above_its_size_or_below_zero_refuses_the_sum(bad: StorageRecord) -> None:
    figure = compute_storage_used((disk("/", 10**12, 10**11), bad))
    assert figure.value is None
    assert figure.refused is not None and "'/data'" in figure.refused
