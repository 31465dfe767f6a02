"""The demo's SNMP profiles file: the names an engineer picks on the discovery form.

``cmdb demo load`` writes it as ``snmp-profiles.yaml`` in the data directory (never over
a file already there) and ``make demo`` serves with ``CMDB_SNMP_PROFILES`` pointing at
it. Its communities and keys are placeholders, not anyone's secrets: the demo's
addresses answer no SNMP. The names match those the demo's runs were started with.
"""

from __future__ import annotations

from pathlib import Path

FILE_NAME = "snmp-profiles.yaml"
DEMO_PROFILES = """\
# Demo SNMP profiles (written by `cmdb demo load`): placeholders, not real secrets.
# Point Headroom at a file like this one with CMDB_SNMP_PROFILES=<path>.
profiles:
  dc-v3:                      # the DC's network gear: SNMPv3, authPriv
    version: "3"
    user: headroom-demo
    auth_protocol: sha
    auth_key: demo-auth-not-a-secret
    priv_protocol: aes
    priv_key: demo-priv-not-a-secret
  storage-v2c:                # storage heads' management ports
    version: "2c"
    community: demo-storage-ro
  pop-v2c:                    # points of presence and commune offices
    version: "2c"
    community: demo-pop-ro
"""


def write_demo_profiles(data_dir: Path) -> tuple[Path, bool]:
    """The profiles file in ``data_dir``, and whether it was written now (False: kept)."""
    path = data_dir / FILE_NAME
    if path.exists():
        return path, False
    data_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(DEMO_PROFILES, encoding="utf-8")
    return path, True
