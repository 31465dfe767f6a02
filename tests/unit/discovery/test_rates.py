"""Counters → rates: wraps, resets and spikes, table-driven, plus a property."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from discovery.rates import (
    PreviousReading,
    Rates,
    compute_rates,
    counter_interval_s,
    counter_rate_mbps,
    counter_rate_per_s,
    describe_dropped,
)
from discovery.records import CounterReading, Target

T0 = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
TARGET = Target("192.0.2.1")


def _reading(uptime: int, counters: dict[str, int], width: int = 64) -> CounterReading:
    return CounterReading(TARGET, uptime, counters, dict.fromkeys(counters, width))


@pytest.mark.parametrize(
    ("before", "after", "width", "speed", "mbps"),
    [
        (0, 1_250_000, 64, 1000, 10.0),  # 10 Mbps for 1 s
        (2**32 - 625_000, 625_000, 32, 1000, 10.0),  # one 32-bit wrap
        (2**32 - 625_000, 625_000, 32, None, 10.0),  # plausible without a speed too
        (1_000_000_000, 100, 32, None, None),  # a "wrap" of over half the range: a reset
        (5_000_000, 100, 64, 1000, None),  # a 64-bit counter never wraps: reset
        (0, 250_000_000, 64, 1000, None),  # 2 Gbps on a 1G port: a discontinuity
        (0, 125_000_000, 32, 10000, None),  # 10G wraps 32 bits in 3.4 s: 3.5 s is ambiguous
    ],
)
def test_counter_rate(before, after, width, speed, mbps) -> None:
    elapsed = 1.0 if speed != 10000 else 3.5
    rate = counter_rate_mbps(before, after, width, elapsed, speed)
    assert rate == (pytest.approx(mbps) if mbps is not None else None)


def test_first_poll_has_no_rate() -> None:
    assert compute_rates(None, _reading(100, {"if.1.in": 5}), T0).mbps == {}


def test_uptime_going_back_is_a_reset_and_stores_nothing() -> None:
    prev = PreviousReading(T0, 90_000, {"if.1.in": 10**9})
    rates = compute_rates(prev, _reading(500, {"if.1.in": 10}), T0 + timedelta(seconds=300))
    assert rates.reset and rates.mbps == {}


def test_an_agent_restart_without_a_counter_discontinuity_keeps_the_rate() -> None:
    """snmpd restarted, the kernel's counters ran on: sysUpTime went back, rates did not."""
    prev = PreviousReading(T0, 90_000, {"if.1.in": 10**9, "if.1.out": 10**9})
    reading = _reading(500, {"if.1.in": 10**9 + 375_000_000, "if.1.out": 10**9})
    rates = compute_rates(prev, reading, T0 + timedelta(seconds=300))
    assert not rates.reset and rates.mbps == pytest.approx({"if.1.in": 10.0, "if.1.out": 0.0})
    one_went_back = _reading(500, {"if.1.in": 10**9 + 375_000_000, "if.1.out": 10})
    assert compute_rates(prev, one_went_back, T0 + timedelta(seconds=300)).reset


def test_the_agent_clock_is_the_interval_when_it_ticks_plausibly() -> None:
    prev = PreviousReading(T0, 10_000, {"if.1.in": 0})
    reading = _reading(10_000 + 30_000, {"if.1.in": 375_000_000})  # 300 s by the agent
    rates = compute_rates(prev, reading, T0 + timedelta(seconds=302))  # 302 s by ours
    assert rates.mbps["if.1.in"] == pytest.approx(10.0)


def test_a_frozen_agent_clock_falls_back_to_ours() -> None:
    prev = PreviousReading(T0, 10_000, {"if.1.in": 0})
    rates = compute_rates(
        prev, _reading(10_000, {"if.1.in": 375_000_000}), T0 + timedelta(seconds=300)
    )
    assert rates.mbps["if.1.in"] == pytest.approx(10.0)


def test_each_counter_is_timed_by_the_answer_that_carried_it() -> None:
    """sysUpTime was read 2 s before the counter in the first poll and 0.5 s before it in
    the second (a loaded poller): the counter ran 3 s, not the poll's 4.5 s."""
    prev = PreviousReading(T0, 10_000, {"if.3.in": 0}, {"if.3.in": 10_200})
    reading = replace(_reading(10_450, {"if.3.in": 3_750_000}, width=32), ticks={"if.3.in": 10_500})
    rates = compute_rates(prev, reading, T0 + timedelta(seconds=4.5), {"if.3.in": 5000})
    assert rates.mbps["if.3.in"] == pytest.approx(10.0)


@pytest.mark.parametrize(
    ("before", "after", "seconds"),
    [
        (None, 10_500, 4.5),  # the previous poll did not time it: the device's interval
        (10_500, 10_500, 4.5),  # a frozen clock: the device's
        (10_200, 10_200 + 1_000, 4.5),  # 10 s by it against 4.5 s: not believed
        (10_200, 10_500, 3.0),
    ],
)
def test_a_counter_s_own_interval_only_when_both_polls_timed_it_plausibly(
    before, after, seconds
) -> None:
    prev = PreviousReading(T0, 10_000, {}, {} if before is None else {"if.1.in": before})
    reading = replace(_reading(10_450, {}), ticks={"if.1.in": after})
    assert counter_interval_s(prev, reading, "if.1.in", 4.5) == pytest.approx(seconds)


def test_counters_that_appear_later_start_next_time() -> None:
    prev = PreviousReading(T0, 0, {"if.1.in": 0})
    rates = compute_rates(
        prev, _reading(100, {"if.1.in": 125_000, "if.2.in": 9}), T0 + timedelta(seconds=1)
    )
    assert set(rates.mbps) == {"if.1.in"}


@given(
    before=st.integers(0, 2**32 - 1),
    after=st.integers(0, 2**32 - 1),
    elapsed=st.floats(1, 900),
    speed=st.sampled_from([None, 10, 100, 1000, 10000]),
)
def test_a_rate_is_never_negative_nor_beyond_the_port(before, after, elapsed, speed) -> None:
    rate = counter_rate_mbps(before, after, 32, elapsed, speed)
    if rate is not None:
        assert rate >= 0
        if speed:
            assert rate <= speed * 1.1


def test_a_rate_no_port_carries_is_refused_without_a_speed() -> None:
    assert counter_rate_mbps(0, 2 * 10**15, 64, 1.0, None) is None  # 16 Pbps
    assert counter_rate_mbps(0, 125_000_000_000, 64, 1.0, None) == 1_000_000  # 1 Tbps LAG


def test_dropped_counters_are_named_in_one_warning() -> None:
    previous = PreviousReading(T0, 100, {"if.1.in": 5_000_000, "if.2.in": 0})
    reading = _reading(200, {"if.1.in": 100, "if.2.in": 1_250_000})
    rates = compute_rates(previous, reading, T0 + timedelta(seconds=1))
    [warning] = describe_dropped(rates)
    assert "1 counters (if.1.in)" in warning and describe_dropped(Rates({})) == []


@pytest.mark.parametrize(
    ("before", "after", "width", "speed", "per_s"),
    [
        (100, 400, 32, 1000, 10.0),  # 300 errors in 30 s
        (2**32 - 100, 200, 32, 1000, 10.0),  # one wrap of a Counter32
        (2**32 - 100, 200, 32, None, 10.0),  # plausible without the speed too
        (5, 2**31 + 10, 32, None, 2**31 / 30 + 1 / 6),  # a big step, but forwards
        (200, 100, 32, None, None),  # "a wrap" of 2^32 - 100 packets: a reset, not errors
        (200, 100, 64, 1000, None),  # a 64-bit counter going down was reset
        (0, 60_000_000, 32, 1000, None),  # 2M packets/s on a 1G port: beyond line rate
        (0, 40_000_000, 32, 10000, 40_000_000 / 30),  # on a 10G port it may be
    ],
)
def test_packet_counter_rate(before, after, width, speed, per_s) -> None:
    found = counter_rate_per_s(before, after, width, 30.0, speed)
    assert found == (pytest.approx(per_s) if per_s is not None else None)


def test_errors_and_discards_are_packets_a_second_bounded_by_the_port() -> None:
    """The packet counters get their own rates (``per_s``), the octets stay Mbps, and the
    port's speed (given for its octet counter) bounds both."""
    at = datetime(2026, 12, 1, tzinfo=UTC)
    previous = PreviousReading(
        at, 1000, {"if.2.in": 0, "if.2.in_errors": 10, "if.2.out_discards": 2**32 - 5}
    )
    reading = CounterReading(
        Target("192.0.2.1"),
        4000,
        {"if.2.in": 3_750_000, "if.2.in_errors": 70, "if.2.out_discards": 25},
        {"if.2.in": 64, "if.2.in_errors": 32, "if.2.out_discards": 32},
    )
    rates = compute_rates(previous, reading, at + timedelta(seconds=30), {"if.2.in": 100})
    assert rates.mbps == {"if.2.in": pytest.approx(1.0)}
    assert rates.per_s == {
        "if.2.in_errors": pytest.approx(2.0),
        "if.2.out_discards": pytest.approx(1.0),
    }
    assert rates.dropped == ()
