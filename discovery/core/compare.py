"""When two values of one field mean the same thing (DESIGN.md §5): the one comparison the
planner uses to decide "no change", "fill", and "discrepancy".

Names compare as identity does (hostnames without case and domain), serials without
placeholders, MACs without separators, address lists as sets, numbers within
rounding, RAM as a host reports it (a little below what is installed), and a
platform by the OS family and major version it names (``platforms``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from discovery.core.normalize import clean_serial, normalize_hostname
from discovery.core.observations import HOST_KINDS, Facts, FactValue, RecordKind
from discovery.core.platforms import platform_agrees

# A host reports installed RAM less what firmware and the kernel keep: a 64 GB host
# says about 62.7 GiB. Up to this share below the record (plus rounding) still agrees.
RAM_SHORTFALL_PCT = 6.0
RAM_ROUNDING_GB = 0.5
# Sizes and speeds read off a device are rounded by each source its own way.
ABS_TOLERANCE = 0.01


def same(kind: RecordKind, field: str, record: FactValue, stated: FactValue) -> bool:
    """Whether ``stated`` (a source's value) says what ``record`` (the record's) says."""
    if type(record) is type(stated) and record == stated:  # most values: nothing to read into
        return True
    if record is None or stated is None:
        return record is stated
    if field == "name" and kind in HOST_KINDS:
        return _texts(record, stated, normalize_hostname)
    if field == "serial":
        return _texts(record, stated, clean_serial)
    if field == "mac_address":
        return _texts(record, stated, _mac)
    if field == "platform" and isinstance(record, str) and isinstance(stated, str):
        return _platforms(record, stated)
    a, b = _number(record), _number(stated)
    if a is not None and b is not None:
        return ram_agrees(a, b) if field == "ram_gb" else math.isclose(a, b, abs_tol=ABS_TOLERANCE)
    if isinstance(record, tuple) and isinstance(stated, tuple):
        return sorted(record) == sorted(stated)
    if isinstance(record, str) and isinstance(stated, str):
        return " ".join(record.split()).casefold() == " ".join(stated.split()).casefold()
    return record == stated


def same_values(kind: RecordKind, field: str, a: Facts, b: Facts) -> bool:
    """Whether two discrepancies' values say the same (one field, by source)."""
    return a.keys() == b.keys() and all(same(kind, field, a[k], b[k]) for k in a)


def _number(value: FactValue) -> float | None:
    """A number as a float; flags are not numbers (True is not 1 Mbps)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _texts(record: FactValue, stated: FactValue, norm: Callable[[str | None], str | None]) -> bool:
    return norm(str(record)) == norm(str(stated))


def _mac(value: str | None) -> str | None:
    return "".join(ch for ch in (value or "").casefold() if ch in "0123456789abcdef") or None


def _platforms(record: str, stated: str) -> bool:
    """The same text, or texts that do not contradict: a platform that names no OS this
    rule can place ("Junos", "Linux") is no evidence either way, so never a disagreement."""
    if " ".join(record.split()).casefold() == " ".join(stated.split()).casefold():
        return True
    return platform_agrees(record, stated) is not False


def ram_agrees(record_gb: float, observed_gb: float) -> bool:
    """What a host reports (``observed_gb``) is the record's RAM less what firmware and the
    kernel keep, or the same within rounding; never more."""
    low = record_gb * (1 - RAM_SHORTFALL_PCT / 100) - RAM_ROUNDING_GB
    return low <= observed_gb <= record_gb + RAM_ROUNDING_GB
