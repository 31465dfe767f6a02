"""Counter readings → rates. Pure.

Rates come from two readings of the same device. A 32-bit counter that went down
wrapped once, if the rate that implies is plausible (within the port's speed,
or under half the counter's range when the speed is unknown); a 64-bit counter
never wraps in practice, so going down means a reset. sysUpTime going back means
the agent restarted: when every counter went back too the device did (no rate at
all for that interval); when none did, only the agent process did (net-snmp's
snmpd restarted: the kernel's counters ran on), and the interval is ours. A 32-bit counter that a
port's speed can wrap within the interval is ambiguous. A rate above the port's
speed is a counter discontinuity, not traffic. In every doubtful case the
interval is dropped — a missing point costs a forecast nothing, a false spike
moves a p95. Each counter's interval is the agent's clock between the answers that
carried it (``counter_interval_s``): what the agent counted, over the time it counted.

Errors and discards (IF-MIB's Counter32 packet counters) get the same care in
packets per second: one wrap of a 32-bit counter is taken when the rate it implies
is plausible, a rate above the most packets the port can carry (minimum-size
frames at line rate) is a discontinuity, a 64-bit one going down is a reset.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from discovery.records import CounterReading

HEADROOM_OVER_SPEED = 1.1  # counters run a little ahead of line rate (framing, timing)
# Without a known port speed, a rate above this is no traffic any port carries (the
# fastest ports built are 800G; a LAG of many is still far below): a discontinuity.
MAX_PLAUSIBLE_MBPS = 10_000_000
# A 64-byte frame with its preamble and inter-frame gap: 84 octets on the wire, so a port
# carries at most speed / 672 packets a second.
MIN_FRAME_BITS = 672
PACKET_SUFFIXES = frozenset({"in_errors", "out_errors", "in_discards", "out_discards"})


@dataclass(frozen=True)
class PreviousReading:
    at: datetime
    uptime_ticks: int
    counters: Mapping[str, int]
    ticks: Mapping[str, int] = field(default_factory=dict)  # as ``CounterReading.ticks``


@dataclass(frozen=True)
class Rates:
    mbps: dict[str, float]
    reset: bool = False
    dropped: tuple[str, ...] = ()
    per_s: dict[str, float] = field(default_factory=dict)  # packet counters: packets/s


def compute_rates(
    previous: PreviousReading | None,
    reading: CounterReading,
    at: datetime,
    speeds_mbps: Mapping[str, int | None] | None = None,
) -> Rates:
    """Mbps per counter key between ``previous`` and ``reading`` taken at ``at``."""
    if previous is None:
        return Rates({})
    if reading.uptime_ticks < previous.uptime_ticks and not counters_ran_on(previous, reading):
        return Rates({}, reset=True)
    elapsed = interval_s(previous, reading, at)
    if elapsed <= 0:
        return Rates({})
    speeds = speeds_mbps or {}
    rates: dict[str, float] = {}
    packets: dict[str, float] = {}
    dropped: list[str] = []
    for key, value in reading.counters.items():
        if key not in previous.counters:
            continue
        before, width = previous.counters[key], reading.widths.get(key, 64)
        seconds = counter_interval_s(previous, reading, key, elapsed)
        prefix, _, suffix = key.rpartition(".")
        if suffix in PACKET_SUFFIXES:
            speed = speeds.get(f"{prefix}.in")  # the port's speed, whichever counter
            rate = counter_rate_per_s(before, value, width, seconds, speed)
            found = packets
        else:
            rate = counter_rate_mbps(before, value, width, seconds, speeds.get(key))
            found = rates
        if rate is None:
            dropped.append(key)
        else:
            found[key] = rate
    return Rates(rates, dropped=tuple(sorted(dropped)), per_s=packets)


def counters_ran_on(previous: PreviousReading, reading: CounterReading) -> bool:
    """No counter read both times went back: the counters show no discontinuity."""
    both = [k for k in reading.counters if k in previous.counters]
    return bool(both) and all(reading.counters[k] >= previous.counters[k] for k in both)


def interval_s(previous: PreviousReading, reading: CounterReading, at: datetime) -> float:
    """Seconds between the readings: the agent's own clock (sysUpTime) when it ticks
    plausibly, else ours. The agent's clock has no poller jitter in it; a frozen one
    (some agents, recordings) or one far from ours is not trusted.
    """
    wall = (at - previous.at).total_seconds()
    agent = (reading.uptime_ticks - previous.uptime_ticks) / 100
    if wall > 0 and 0.5 * wall <= agent <= 1.5 * wall:
        return agent
    return wall


def counter_interval_s(
    previous: PreviousReading, reading: CounterReading, key: str, device_s: float
) -> float:
    """Seconds between the two reads of one counter: the agent's clock in the answers
    that carried it, when both polls asked it there (``CounterReading.ticks``) and it
    agrees with the device's interval within the same bounds; else the device's.

    A poll reads sysUpTime first and a counter requests later; how much later varies
    with the poller's load (and with what else the poll asks first), so the device's
    interval alone can be off by a large part of a short one.
    """
    before, after = previous.ticks.get(key), reading.ticks.get(key)
    if before is None or after is None:
        return device_s
    agent = (after - before) / 100
    return agent if 0.5 * device_s <= agent <= 1.5 * device_s else device_s


def counter_rate_mbps(
    before: int, after: int, width: int, elapsed_s: float, speed_mbps: int | None
) -> float | None:
    """One octet counter's rate in Mbps, or None when the interval cannot be trusted.

    A 32-bit counter on a port fast enough to wrap it within the interval may have
    wrapped more than once: no single answer, so none is given.
    """
    if width == 32 and speed_mbps and speed_mbps * 1e6 / 8 * elapsed_s >= 2**32:
        return None
    delta = _delta(before, after, width, speed_mbps is not None)
    if delta is None:
        return None
    mbps = delta * 8 / elapsed_s / 1e6
    if mbps > (speed_mbps * HEADROOM_OVER_SPEED if speed_mbps else MAX_PLAUSIBLE_MBPS):
        return None
    return mbps


def describe_dropped(rates: Rates) -> list[str]:
    """The counters whose rate was refused, as one warning (none: no warning)."""
    if not rates.dropped:
        return []
    keys = ", ".join(rates.dropped[:10]) + (" …" if len(rates.dropped) > 10 else "")
    return [
        f"rates not stored for {len(rates.dropped)} counters ({keys}): above the port's "
        "speed, a counter that went back, or a 32-bit counter that may have wrapped twice"
    ]


def counter_rate_per_s(
    before: int, after: int, width: int, elapsed_s: float, speed_mbps: int | None
) -> float | None:
    """One packet counter's rate (packets a second), or None when the interval cannot be
    trusted: a 64-bit counter gone down was reset; a 32-bit one wrapped once, unless the
    rate that implies is more than the port could carry (or, speed unknown, the delta is
    half the counter's range: more likely a reset than two billion errors)."""
    delta = _delta(before, after, width, speed_mbps is not None)
    if delta is None:
        return None
    rate = delta / elapsed_s
    if speed_mbps and rate > speed_mbps * 1e6 / MIN_FRAME_BITS * HEADROOM_OVER_SPEED:
        return None
    return rate


def _delta(before: int, after: int, width: int, speed_known: bool) -> int | None:
    """How far a counter moved: a 32-bit one that went down wrapped once (when the
    port's speed can bound the rate that implies, else only if under half its range);
    a 64-bit one never wraps in practice, so going down was a reset (None)."""
    delta = after - before
    if delta >= 0:
        return delta
    if width != 32:
        return None
    delta += 2**32
    return None if not speed_known and delta >= 2**31 else delta
