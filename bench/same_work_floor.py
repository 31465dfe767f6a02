"""A static YAML inventory that does the plugin's work: ansible-core's floor for it.

The issue-8 floor is a YAML file with one variable per host; the plugin sets about
twenty untrusted values per host, nests groups and names them — not the same work.
This writes, from the plugin's own ``ansible-inventory --list``, a YAML file with the
same hosts, the same variables (every host's ``!unsafe``, as the plugin's strings
are untrusted), the same groups and the same nesting; and a trusted copy (no ``!unsafe``)
for reference. ``check_same`` then compares the static file's ``--list`` with the
plugin's, so the floor is known to be the same inventory, not a look-alike.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

UNSAFE = "__ansible_unsafe"  # how --list shows an untrusted string


def _flow(value: Any) -> str:
    """A value in YAML flow style, its untrusted strings written as plain strings."""
    if isinstance(value, dict) and set(value) == {UNSAFE}:
        return json.dumps(value[UNSAFE], ensure_ascii=False)
    if isinstance(value, dict):
        items = (f"{json.dumps(k, ensure_ascii=False)}: {_flow(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)  # numbers, booleans, a trusted string


def _group_lines(name: str, listed: dict[str, Any], depth: int, written: set[str]) -> list[str]:
    """A group and, the first time each is met, its children's bodies (the nesting)."""
    pad = "  " * depth
    body = listed.get(name) or {}
    if name in written or not body:
        return [f"{pad}{name}:"]
    written.add(name)
    lines = [f"{pad}{name}:"]
    if body.get("hosts"):
        lines.append(f"{pad}  hosts:")
        lines += [f"{pad}    {host}:" for host in body["hosts"]]
    if body.get("children"):
        lines.append(f"{pad}  children:")
        for child in body["children"]:
            lines += _group_lines(child, listed, depth + 2, written)
    return lines


def write_static(listed: dict[str, Any], path: Path, *, unsafe: bool) -> Path:
    """The inventory ``listed`` (a ``--list`` answer) as YAML: host variables once under
    ``all.hosts``, groups nested under their parents as the plugin nests them."""
    lines = ["all:", "  hosts:"]
    # ``!unsafe`` on each host's mapping: ansible-core marks every string inside untrusted.
    # On a scalar it re-resolves the value as if unquoted, so ``!unsafe "49"`` (a code)
    # would load as the number 49; on the mapping a quoted "49" stays a string.
    tag = "!unsafe " if unsafe else ""
    for host, variables in listed["_meta"]["hostvars"].items():
        lines.append(f"    {host}: {tag}{_flow(variables)}")
    top = [g for g in listed["all"].get("children", []) if g != "ungrouped"]
    if top:
        lines.append("  children:")
        written: set[str] = set()
        for group in top:
            lines += _group_lines(group, listed, 2, written)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def normalised(listed: dict[str, Any], *, trust: bool = False) -> dict[str, Any]:
    """``--list`` with every group's hosts and children sorted (order is not the
    inventory); ``trust`` unwraps untrusted strings, to compare with the trusted copy."""
    out: dict[str, Any] = {}
    for name, body in listed.items():
        if name == "_meta":
            hostvars = body["hostvars"]
            out[name] = {"hostvars": _unwrapped(hostvars) if trust else hostvars}
            continue
        out[name] = {k: sorted(v) if isinstance(v, list) else v for k, v in body.items()}
    return out


def _unwrapped(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {UNSAFE}:
        return value[UNSAFE]
    if isinstance(value, dict):
        return {k: _unwrapped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unwrapped(v) for v in value]
    return value


def check_same(plugin: dict[str, Any], static: dict[str, Any], *, trust: bool = False) -> str:
    """An empty string when the two ``--list`` answers are one inventory; else what differs."""
    a, b = normalised(plugin, trust=trust), normalised(static)
    if a == b:
        return ""
    groups = sorted(set(a) ^ set(b))
    if groups:
        return f"groups in one only: {groups[:5]}"
    differ = [g for g in a if g != "_meta" and a[g] != b[g]]
    if differ:
        return f"groups differ: {differ[:5]}"
    hosts_a, hosts_b = a["_meta"]["hostvars"], b["_meta"]["hostvars"]
    host = next(h for h in hosts_a if hosts_a[h] != hosts_b.get(h))
    return f"host {host}: {hosts_a[host]!r} != {hosts_b.get(host)!r}"
