# Headroom inventory: what the plugin keeps in Ansible's inventory cache (pure, no Ansible import).
"""The API's hosts as one JSON string in the inventory cache, not as a tree of values.

ansible-core 2.19 walks every value of a cache entry when it writes it (a deep
copy, then its tag-preserving encoder) and again when it reads it (its decoder's
hook on every object). One string is a single value for all of that; ``json``'s
C parser then reads it in our plugin. A cached entry in any other shape (an
older plugin's list of hosts, or a foreign value) reads as a miss, so the plugin
fetches again instead of trusting it.
"""

from __future__ import annotations

import json
from typing import Any

FORMAT = "headroom-hosts/2"


def pack_hosts(hosts: list[dict[str, Any]]) -> dict[str, str]:
    """The cache entry for ``hosts``."""
    return {"format": FORMAT, "hosts_json": json.dumps(hosts, ensure_ascii=False)}


def unpack_hosts(entry: object) -> list[dict[str, Any]] | None:
    """The hosts of a cache entry, or None when the entry is not one ``pack_hosts`` made."""
    if not isinstance(entry, dict) or entry.get("format") != FORMAT:
        return None
    text = entry.get("hosts_json")
    if not isinstance(text, str):
        return None
    try:
        hosts = json.loads(text)
    except ValueError:
        return None
    return hosts if isinstance(hosts, list) else None
