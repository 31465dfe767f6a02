"""Recordings of many vendors' devices, cut to what Headroom reads, for one snmpsim.

snmpsim indexes a recording when it first serves it, a few thousand lines a second:
the Ruijie core switch's recording has 576,000 lines (75 s). Discovery reads only
the system group, the tables of ``oids.DISCOVERY_TABLES`` and the vendors' chassis
objects, so each recording keeps those lines — *in the file's own order*: snmpsim
answers GETNEXT with the next line of the file, so a recording whose rows are out of
lexicographic order (the Ruijie's LLDP table) is served out of order, as the device
did, whether cut or not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from discovery.snmp import oids, vendors
from tests.integration.discovery import agents

VENDOR_RECORDINGS = {
    "ruijie": "network/router/ruijie-n18010",
    "juniper": "network/router/juniper-mx960-12-3r6-6",
    "cisco": "network/router/cisco-unmarked-0",
    "paloalto": "network/firewall/paloalto-pa-5000",
    "fortinet": "network/firewall/fortinet-xcu",
    "huawei": "network/appliance/huawei-ism",
    "h3c": "network/switch/h3c-e528-2",
    "aruba": "network/wifi/aruba-7020",
    "netapp": "storage/netapp-fas3270",
    "hpoa": "bmc/hp-onboard-administrator",
    "windows": "os/windows/XP",
    "linux": "os/linux/unknown-006",
}


def read_pattern() -> re.Pattern[str]:
    """A line Headroom's discovery can ask for: a scalar it GETs or a row of a column it walks."""
    columns = [c for cols in oids.DISCOVERY_TABLES.values() for c in cols]
    scalars = [*oids.DISCOVERY_SCALARS, *vendors.chassis_oids(None)]
    alternatives = [re.escape(c + ".") for c in columns] + [re.escape(s + "|") for s in scalars]
    return re.compile("(?:" + "|".join(alternatives) + ")")


def cut_recording(source: Path, dest: Path) -> Path:
    """``source`` with only the lines Headroom reads, in their order; the comment lines kept."""
    keep = read_pattern().match
    with source.open(encoding="latin-1") as lines:
        kept = [line for line in lines if line.startswith("#") or keep(line)]
    dest.write_text("".join(kept), encoding="latin-1")
    return dest


def build_vendor_data(data: Path, recordings: Mapping[str, str] = VENDOR_RECORDINGS) -> Path:
    """Each recording, cut, as ``<community>.snmprec`` in ``data``."""
    data.mkdir(parents=True, exist_ok=True)
    for community, recording in recordings.items():
        full = agents.copy_recording(recording, data / f"{community}.full")
        cut_recording(full, data / f"{community}.snmprec")
        full.unlink()
    return data
