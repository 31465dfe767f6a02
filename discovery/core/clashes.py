"""Observations of one run that claim one device, settled without depending on their order.

Every host of a run is resolved against the inventory as it was before the run, then
the claims are compared:

- agents that answer with one serial (a router reached on two of its addresses):
  one device, so the observation with the first label (sorted) is kept and the
  others are refused as "the same device as …";
- then, among the others, two observations resolved to one known record, two
  answers from one agent (an address with its port), two objects of the source
  with one id: the run cannot tell which is right, so all are refused with the
  reason.

Settling by what the observations say rather than by which came first is what makes
planning the same run again give the same answer (idempotence): the first rule
refuses without writing anything the next plan would see differently, and the
second depends on the observations alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from discovery.core.identity import Resolution
from discovery.core.normalize import clean_serial, normalize_host
from discovery.core.observations import Observation

Key = tuple[str, ...]


def find_clashes(
    observations: Sequence[Observation], found: Sequence[Resolution]
) -> dict[int, str]:
    """Position of each refused host observation → why (see the module docstring)."""
    refused: dict[int, str] = {}
    groups = _groups(observations, found)
    for key, positions in groups.items():
        if key[0] == "serial" and len(positions) > 1:
            keep = min(positions, key=lambda i: observations[i].label)
            same = f"the same device as {observations[keep].label} (serial {key[2]})"
            refused.update({i: same for i in positions if i != keep})
    same_device = set(refused)  # answers of a device kept elsewhere are not claims
    for key, positions in groups.items():
        left = [i for i in positions if i not in same_device]
        if key[0] != "serial" and len(left) > 1:
            labels = ", ".join(observations[i].label for i in left)
            for i in left:
                refused[i] = f"{labels} claim one {key[0]}: the run cannot tell which"
    return refused


def _groups(
    observations: Sequence[Observation], found: Sequence[Resolution]
) -> dict[Key, list[int]]:
    groups: dict[Key, list[int]] = {}
    for position, (obs, resolution) in enumerate(zip(observations, found, strict=True)):
        for key in _keys(obs, resolution):
            groups.setdefault(key, []).append(position)
    return groups


def _keys(obs: Observation, resolution: Resolution) -> list[Key]:
    identity, kind = obs.identity, str(obs.kind)
    keys: list[Key] = []
    if resolution.record_id is not None:
        keys.append(("record", kind, str(resolution.record_id)))
    if identity.address is not None and identity.address.port is not None:
        address = identity.address
        keys.append(("agent", kind, normalize_host(address.host), str(address.port)))
    if identity.source_id is not None:
        keys.append(("source id", kind, identity.source_id))
    elif serial := clean_serial(identity.serial):
        # Objects with ids of their own are distinct whatever their serials say.
        keys.append(("serial", kind, serial))
    return keys
