"""Where to look: addresses, CIDR ranges (their hosts only, bounded) and targets files.

A targets file has one target a line, ``host[:port] [profile]``; ``#`` starts a
comment. IPv6 addresses with a port are written ``[addr]:port``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from cmdb.errors import ValidationError
from discovery.records import DEFAULT_SNMP_PORT, Target

MAX_RANGE_HOSTS = 4096  # a /20: larger ranges are a typo more often than a plan


def parse_target(text: str, profile: str | None = None) -> Target:
    """``host``, ``host:port`` or ``[v6]:port`` → a target."""
    text = text.strip()
    host, port = text, DEFAULT_SNMP_PORT
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest.startswith(":"):
            port = _port(rest[1:], text)
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
        port = _port(port_text, text)
    if not host:
        raise ValidationError({"target": [f"{text!r} has no host"]})
    return Target(host=host, port=port, profile=profile)


def _port(text: str, whole: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ValidationError({"target": [f"{whole!r}: the port must be 1-65535"]})
    return int(text)


def expand_range(
    cidr: str, port: int = DEFAULT_SNMP_PORT, max_hosts: int = MAX_RANGE_HOSTS
) -> list[Target]:
    """The hosts of a range (no network or broadcast address), at most ``max_hosts``."""
    try:
        network = ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError as exc:
        raise ValidationError({"range": [f"{cidr!r} is not a CIDR range: {exc}"]}) from None
    if network.num_addresses > max_hosts + 2:
        raise ValidationError(
            {"range": [f"{cidr} has {network.num_addresses} addresses; the limit is {max_hosts}"]}
        )
    hosts = list(network.hosts()) or [network.network_address]
    return [Target(host=str(h), port=port) for h in hosts]


def parse_targets_file(lines: Iterable[str]) -> list[Target]:
    """Targets of a file's lines; errors name the line numbers, all at once."""
    targets: list[Target] = []
    errors: dict[str, list[str]] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        host, *rest = line.split()
        if len(rest) > 1:
            errors[f"line {number}"] = ["expected 'host[:port] [profile]'"]
            continue
        try:
            targets.append(parse_target(host, rest[0] if rest else None))
        except ValidationError as exc:
            errors[f"line {number}"] = [m for ms in exc.errors.values() for m in ms]
    if errors:
        raise ValidationError(errors, "invalid targets file")
    return targets


def unique_targets(targets: Iterable[Target]) -> list[Target]:
    """Each endpoint once, first mention first (a range and a file may overlap)."""
    seen: dict[tuple[str, int], Target] = {}
    for t in targets:
        seen.setdefault((t.host, t.port), t)
    return list(seen.values())
