"""Marshmallow schemas of the documents users send (request files, API bodies).

One schema validates a CLI file, an API body and a UI form, and documents the API.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError as MarshmallowError


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """``{"workloads": {0: {"vcpu": [...]}}}`` → ``{"workloads[0].vcpu": [...]}``."""
    if isinstance(messages, list):
        if all(isinstance(m, str) for m in messages):
            return {prefix or "_schema": list(messages)}
        out: dict[str, list[str]] = {}
        for i, item in enumerate(messages):
            out.update(flatten_errors(item, f"{prefix}[{i}]"))
        return out
    if isinstance(messages, dict):
        out = {}
        for key, value in messages.items():
            if isinstance(key, int):
                name = f"{prefix}[{key}]"
            elif key == "_schema":
                name = prefix or "_schema"
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            out.update(flatten_errors(value, name))
        return out
    return {prefix or "_schema": [str(messages)]}


__all__ = ["MarshmallowError", "flatten_errors"]
