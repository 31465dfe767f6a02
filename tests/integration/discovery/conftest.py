"""Real agents on loopback: net-snmp's snmpd, and snmpsim serving snmpsim-data recordings.

The fleet: one snmpsim process, each recording on its own loopback address
(127.0.0.10, .11, …) at one port, community = the recording's short name. The
poll device is a real recording (a Linux host) whose counters were given snmpsim's
``numeric`` variation: they grow at known rates, and one 32-bit counter wraps
every 8.6 s.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from discovery.credentials import SnmpProfile, community_profile
from discovery.records import Target
from tests.integration.discovery import agents, vendor_agents

FLEET = {
    "arista": "cloud/arista-dcs-7150s-52-cl",
    "n5000": "network/switch/cisco-n5000",
    "procurve": "network/switch/hpe-procurve-516733-b21",
    "pa5000": "network/firewall/paloalto-pa-5000",
    "c3750": "network/switch/cisco-c3750",
    "linux": "os/linux/unknown-006",
}

# Poll recording: ens32 (ifIndex 2) grows 10 Mbps in, 20 Mbps out on 64-bit counters;
# ens33 (ifIndex 3) has only 32-bit counters at 4 Gbps on a 5G port: a wrap every 8.6 s.
# ens32 takes 5 input errors and 20 output discards a second; ens33's link is down.
IN_RATE_BPS, OUT_RATE_BPS = 1_250_000, 2_500_000
WRAP_RATE_BPS = 500_000_000
IN_ERRORS_PPS, OUT_DISCARDS_PPS = 5, 20
POLL_OVERRIDES = {
    "1.3.6.1.2.1.1.3.0": "67:numeric|rate=100,initial=1000",
    "1.3.6.1.2.1.31.1.1.1.6.2": f"70:numeric|rate={IN_RATE_BPS},initial=5000000000",
    "1.3.6.1.2.1.31.1.1.1.10.2": f"70:numeric|rate={OUT_RATE_BPS},initial=7000000000",
    "1.3.6.1.2.1.2.2.1.10.3": f"65:numeric|rate={WRAP_RATE_BPS},initial=0,wrap=1",
    "1.3.6.1.2.1.2.2.1.16.3": "65:numeric|rate=125000,initial=0,wrap=1",
    "1.3.6.1.2.1.2.2.1.5.3": "66|4294967295",
    "1.3.6.1.2.1.31.1.1.1.15.3": "66|5000",
    "1.3.6.1.2.1.2.2.1.14.2": f"65:numeric|rate={IN_ERRORS_PPS},initial=0,wrap=1",
    "1.3.6.1.2.1.2.2.1.19.2": f"65:numeric|rate={OUT_DISCARDS_PPS},initial=0,wrap=1",
    "1.3.6.1.2.1.2.2.1.8.3": "2|2",  # ifOperStatus down(2)
}
POLL_DROPPED = ("1.3.6.1.2.1.31.1.1.1.6.3.", "1.3.6.1.2.1.31.1.1.1.10.3.")


@dataclass
class Fleet:
    port: int
    targets: list[Target]  # one per recording, with its profile name
    profiles: dict[str, SnmpProfile]
    data: Path | None = None  # the recordings served, as ``<community>.snmprec``

    def target(self, name: str) -> Target:
        return next(t for t in self.targets if t.profile == name)


@pytest.fixture(scope="session")
def snmpd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[agents.Snmpd]:
    if shutil.which("snmpd") is None:
        pytest.fail("net-snmp's snmpd is missing: run 'make system-deps' (Debian package snmpd)")
    agent = agents.start_snmpd(tmp_path_factory.mktemp("snmpd"))
    yield agent
    agents.stop(agent.proc)


@pytest.fixture(scope="session")
def fleet() -> Iterator[Fleet]:
    top = agents.shared_dir("fleet")
    data = top / "data"
    for community, recording in FLEET.items():
        agents.copy_recording(recording, data / f"{community}.snmprec")
    hosts = [f"127.0.0.{10 + i}" for i in range(len(FLEET))]
    sim = agents.start_snmpsim(data, hosts, list(FLEET))
    targets = [Target(h, sim.port, c) for h, c in zip(hosts, FLEET, strict=True)]
    profiles = {c: SnmpProfile(name=c, version="2c", community=c) for c in FLEET}
    yield Fleet(sim.port, targets, profiles)
    agents.stop(sim.proc)
    shutil.rmtree(top, ignore_errors=True)


@pytest.fixture(scope="session")
def vendor_fleet() -> Iterator[Fleet]:
    """One snmpsim serving many vendors' recordings (cut to what discovery reads) on one
    address, community = the recording's short name (``vendor_agents``)."""
    top = agents.shared_dir("vendors")
    data = vendor_agents.build_vendor_data(top / "data")
    communities = list(vendor_agents.VENDOR_RECORDINGS)
    sim = agents.start_snmpsim(data, ["127.0.0.40"], communities)
    targets = [Target("127.0.0.40", sim.port, c) for c in communities]
    profiles = {c: SnmpProfile(name=c, version="2c", community=c) for c in communities}
    yield Fleet(sim.port, targets, profiles, data)
    agents.stop(sim.proc)
    shutil.rmtree(top, ignore_errors=True)


def build_poll_recording(dest: Path) -> Path:
    """The Linux host recording with counters that grow (snmpsim's numeric variation)."""
    source = agents.copy_recording(FLEET["linux"], dest.with_suffix(".orig"))
    lines = []
    for line in source.read_text(encoding="latin-1").splitlines():
        oid = line.split("|", 1)[0]
        if any((oid + ".").startswith(p) for p in POLL_DROPPED):
            continue
        lines.append(f"{oid}|{POLL_OVERRIDES[oid]}" if oid in POLL_OVERRIDES else line)
    source.unlink()
    dest.write_text("\n".join(lines) + "\n", encoding="latin-1")
    return dest


@dataclass
class PollAgent:
    target: Target
    profile: SnmpProfile
    data: Path
    sim: agents.Snmpsim

    def restart(self) -> None:
        """A reboot: counters and sysUpTime start again from their initial values."""
        agents.stop(self.sim.proc)
        self.sim = agents.start_snmpsim(self.data, self.sim.hosts, ["poll"], self.sim.port)


@pytest.fixture(scope="module")
def poll_agent() -> Iterator[PollAgent]:
    top = agents.shared_dir("poll")
    data = top / "data"
    data.mkdir()
    build_poll_recording(data / "poll.snmprec")
    sim = agents.start_snmpsim(data, ["127.0.0.30"], ["poll"])
    agent = PollAgent(Target("127.0.0.30", sim.port, "poll"), community_profile("poll"), data, sim)
    yield agent
    agents.stop(agent.sim.proc)
    shutil.rmtree(top, ignore_errors=True)
