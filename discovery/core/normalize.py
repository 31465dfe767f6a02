"""How identity keys compare (DESIGN.md §5): the one hostname rule, the one serial rule.

Kept apart so the observation shape, the identity rule and the value comparison all
use the same three functions; nothing here knows about records.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

# Placeholders agents, BIOSes and spreadsheets put where a serial should be: two boxes
# that both say "To be filled by O.E.M." are not one device.
BOGUS_SERIALS = frozenset(
    {"", "0", "n/a", "na", "none", "unknown", "serial", "0000000000", "123456789"}
    | {"to be filled by o.e.m.", "default string", "not specified", "system serial number"}
)


def normalize_hostname(name: str | None) -> str | None:
    """Case-insensitive, domain stripped; an IP address stays whole (it has no domain)."""
    text = (name or "").strip().casefold()
    if not text:
        return None
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return text.split(".", 1)[0] or None
    return text


def clean_serial(serial: str | None) -> str | None:
    """A serial as compared: trimmed, upper case; placeholders are no serial."""
    if serial is None or serial.strip().casefold() in BOGUS_SERIALS:
        return None
    return serial.strip().upper()


@lru_cache(maxsize=65536)
def normalize_host(host: str) -> str:
    """An address as compared: IPv6 compressed, names lower case. Kept per address: a
    plan indexes thousands of records by address several times."""
    text = host.strip().casefold()
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text
