"""Is the agent the device on record? The rule, table-driven (``discovery.agent_identity``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from discovery.agent_identity import (
    OnRecord,
    Uptime,
    check_identity,
    compute_uptime,
    meaningful_chassis_id,
    wants_serial,
)
from discovery.records import AgentIdentity

T0 = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
ARISTA = "1.3.6.1.4.1.30065.1.3011.7150.3282.52.2745"
CISCO = "1.3.6.1.4.1.9.1.516"
RECORD = OnRecord(
    1,
    serial="JPE15151458",
    sys_object_id=ARISTA,
    chassis_id="00:1c:73:b4:fd:69",
    names=("core-sw-1", "core-sw-1.dc.local"),
)


def agent(**changes: str | None) -> AgentIdentity:
    values = {
        "sys_object_id": ARISTA,
        "name": "core-sw-1.dc.local",
        "serial": None,
        "chassis_id": "00:1c:73:b4:fd:69",
    }
    return AgentIdentity(**{**values, **changes})


@pytest.mark.parametrize(
    ("seconds", "ticks", "uptime"),
    [
        (300, 1_000 + 30_000, Uptime.RAN_ON),  # 300 s on both clocks
        (300, 1_000 + 29_000, Uptime.RAN_ON),  # a little late: still the same agent
        (300, 500, Uptime.WENT_BACK),  # a restart (or a 497-day wrap)
        (300, 1_000 + 8_640_000, Uptime.JUMPED),  # a day in five minutes: not the same agent
        (300, 1_000, Uptime.UNKNOWN),  # a frozen clock (a recording, some agents)
        (300, 1_000 + 100, Uptime.UNKNOWN),  # a clock that crawls: no word either way
    ],
)
def test_uptime_between_two_polls(seconds: int, ticks: int, uptime: Uptime) -> None:
    assert compute_uptime(T0, 1_000, ticks, T0 + timedelta(seconds=seconds)) is uptime


def test_no_previous_poll_says_nothing_of_the_uptime() -> None:
    assert compute_uptime(None, None, 5_000, T0) is Uptime.UNKNOWN


@pytest.mark.parametrize(
    ("answer", "uptime", "same", "words"),
    [
        (agent(), Uptime.RAN_ON, True, ""),
        (agent(), Uptime.WENT_BACK, True, ""),  # a restart is not another device
        (agent(serial="JPE15151458"), Uptime.WENT_BACK, True, ""),
        (agent(serial="JPE99999999"), Uptime.WENT_BACK, False, "serial JPE99999999"),
        (agent(chassis_id="f4:7f:35:93:af:80"), Uptime.UNKNOWN, False, "LLDP chassis id"),
        (agent(chassis_id="00:00:00:00:00:00"), Uptime.UNKNOWN, True, ""),  # names no box
        (agent(chassis_id=None), Uptime.UNKNOWN, True, ""),  # not served: no word
        (agent(sys_object_id=CISCO), Uptime.RAN_ON, False, f"sysObjectID {CISCO}"),
        (agent(name="CORE-SW-1"), Uptime.UNKNOWN, True, ""),  # case and domain aside
        (agent(name="edge-sw-9"), Uptime.RAN_ON, True, "renamed, not swapped"),
        (agent(name="edge-sw-9"), Uptime.WENT_BACK, False, "sysName edge-sw-9"),
        (agent(name="edge-sw-9"), Uptime.UNKNOWN, False, "sysName edge-sw-9"),
        (agent(), Uptime.JUMPED, True, "no rate for this interval"),
    ],
)
def test_check_identity(answer: AgentIdentity, uptime: Uptime, same: bool, words: str) -> None:
    check = check_identity(RECORD, answer, uptime)
    assert check.same is same
    said = " ".join(check.differs + check.warnings)
    assert words in said and (words or not said)


def test_a_record_without_keys_trusts_the_agent() -> None:
    assert check_identity(OnRecord(2), agent(name="anything"), Uptime.UNKNOWN).same


def test_the_serial_is_read_only_when_the_agent_may_have_been_swapped() -> None:
    assert not wants_serial(RECORD, Uptime.RAN_ON)
    assert wants_serial(RECORD, Uptime.WENT_BACK) and wants_serial(RECORD, Uptime.UNKNOWN)
    assert not wants_serial(OnRecord(2, serial="To be filled by O.E.M."), Uptime.UNKNOWN)


def test_a_serial_the_first_get_answered_is_read_again_only_when_it_is_not_the_record_s() -> None:
    """A frozen clock (UNKNOWN) is not walked while the remembered OID answers the record's
    serial; another value there is looked at in full, even while the clock ran on."""
    assert not wants_serial(RECORD, Uptime.UNKNOWN, "jpe15151458 ")
    assert wants_serial(RECORD, Uptime.UNKNOWN, "ANOTHER-BOX")
    assert wants_serial(RECORD, Uptime.RAN_ON, "ANOTHER-BOX")
    assert not wants_serial(OnRecord(2), Uptime.UNKNOWN, "ANOTHER-BOX")


@pytest.mark.parametrize(
    ("value", "meaningful"),
    [("00:00:00:00:00:00", None), ("", None), (None, None), ("0", None), ("AA:bb", "aa:bb")],
)
def test_an_all_zero_chassis_id_names_no_box(value: str | None, meaningful: str | None) -> None:
    assert meaningful_chassis_id(value) == meaningful
