"""Reads a recorded walk (snmpsim's .snmprec) into the plain varbinds the parsers take."""

from __future__ import annotations

from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "snmp"
INTEGER_TAGS = {"2", "65", "66", "67", "70"}


def load_varbinds(name: str) -> dict[str, Any]:
    varbinds: dict[str, Any] = {}
    for line in (FIXTURES / f"{name}.snmprec").read_text(encoding="latin-1").splitlines():
        oid, tag, value = line.split("|", 2)
        varbinds[oid] = _value(tag, value)
    return varbinds


def _value(tag: str, value: str) -> Any:
    if tag in INTEGER_TAGS:
        return int(value)
    if tag == "4x":
        return bytes.fromhex(value)
    if tag == "4":
        return value.encode("latin-1")
    if tag in ("6", "64"):
        return value
    if tag == "64x":
        return ".".join(str(b) for b in bytes.fromhex(value))
    raise ValueError(f"unexpected tag {tag}")
