"""A NetBox peer holding the benchmark's large picture: seeded once, then restored from a dump.

Seeding 2,000 devices and 20,000 interfaces through the API would take most of an
hour here (70–100 ms per object), so the first run seeds the small Quảng Nam picture
through the API (``tests/integration/netbox/seed.py``), adds the large part through
NetBox's own ORM (``netbox_scale_orm.py``, bulk creation) and keeps the database as
``~/.cache/headroom/peers/netbox-<version>/scale-<devices>x<ports>-v<SCALE_VERSION>.pgdump``;
later runs restore that dump (seconds) instead.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pynetbox

from tests.integration.netbox.seed import seed
from tests.peers.netbox_peer import NetboxPeer, dump_database, netbox_shell, peer_dir, start_peer

# Bump when netbox_scale_orm.py changes what it makes: older dumps are then not reused.
SCALE_VERSION = 1
ORM_SCRIPT = Path(__file__).with_name("netbox_scale_orm.py")


@dataclass(frozen=True)
class Scale:
    devices: int = 2000
    ports: int = 10
    communes: int = 100
    vms: int = 300
    cables: int = 200

    @property
    def dump(self) -> Path:
        name = f"scale-{self.devices}x{self.ports}-v{SCALE_VERSION}.pgdump"
        return peer_dir() / name


def scaled_peer(scale: Scale) -> tuple[NetboxPeer, str]:
    """A running peer with ``scale``'s picture, and how it got it (restored or seeded)."""
    if scale.dump.is_file():
        return start_peer("headroom_netbox_bench", dump=scale.dump), f"restored {scale.dump}"
    peer = start_peer("headroom_netbox_bench")
    try:
        t0 = time.monotonic()
        seed(pynetbox.api(peer.url, token=peer.token))
        env = {
            "SCALE_DEVICES": str(scale.devices),
            "SCALE_PORTS": str(scale.ports),
            "SCALE_COMMUNES": str(scale.communes),
            "SCALE_VMS": str(scale.vms),
            "SCALE_CABLES": str(scale.cables),
        }
        out = netbox_shell(peer, ORM_SCRIPT.read_text(), env, timeout_s=3600)
        report = next((ln for ln in out.splitlines() if ln.startswith("SCALE ")), out[-300:])
        dump_database(peer, scale.dump)
    except BaseException:
        peer.drop()
        shutil.rmtree(peer.root, ignore_errors=True)
        raise
    return peer, f"seeded in {time.monotonic() - t0:.1f} s ({report}), kept as {scale.dump}"
