"""Properties of the planner over random SNMP runs against one small address space
(agents come and go, serials and hostnames are shuffled between addresses):

- planning a run again right after applying it changes nothing (idempotence);
- SNMP never gives a record another serial: a different serial is another device,
  so no record ever holds two devices (nor their interfaces).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from discovery.core.known import Snapshot
from discovery.core.normalize import clean_serial
from discovery.core.observations import Endpoint, Observation, RecordKind
from tests.unit.discovery.core.memory import apply_in_memory
from tests.unit.discovery.core.test_planner import answered, plan, snmp_device

agent = st.builds(
    lambda port, serial, name, model, interfaces, parts_read: snmp_device(
        serial,
        name,
        Endpoint("127.0.0.1", port),
        interfaces=interfaces,
        parts_read=parts_read,
        model=model,
    ),
    port=st.sampled_from([1161, 1162, 1163]),
    serial=st.sampled_from([None, "SN1", "SN2", "sn2 ", "N/A"]),
    name=st.sampled_from([None, "sw1", "sw2", "SW1.ttdl.vn"]),
    model=st.sampled_from([None, "N5K", "N7K"]),
    interfaces=st.sampled_from([(), ("eth0",), ("eth0", "eth1")]),
    parts_read=st.booleans(),
)
runs = st.lists(st.lists(agent, max_size=3), min_size=1, max_size=4)


def flatten(agents: list[list[Observation]]) -> list[Observation]:
    return [o for observations in agents for o in observations]


def serials(snapshot: Snapshot) -> dict[int, str]:
    return {
        r.id: s
        for r in snapshot.records
        if r.kind == RecordKind.DEVICE and (s := clean_serial(r.serial)) is not None
    }


@settings(max_examples=150, deadline=None)
@given(runs)
def test_every_run_planned_again_after_applying_is_empty(
    history: list[list[list[Observation]]],
) -> None:
    snapshot = Snapshot()
    for agents in history:
        observations = flatten(agents)
        before = serials(snapshot)
        snapshot = apply_in_memory(snapshot, plan(observations, snapshot, answered(observations)))
        again = plan(observations, snapshot, answered(observations))
        assert again.is_empty, again
        after = serials(snapshot)
        assert {i: after[i] for i in before} == before
