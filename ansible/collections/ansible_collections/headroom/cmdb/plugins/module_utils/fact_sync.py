# Headroom's fact-sync playbook: its calls' failures and each host's fate (pure, no Ansible).
"""What the fact-sync playbook's filters compute, as plain functions over what
``ansible.builtin.uri`` registers, so the project's pytest tests them without Ansible."""

from __future__ import annotations

import re
from typing import Any

_REQUEST_FAILED = re.compile(r"Request failed:\s*(?:<urlopen error\s*)?(.*?)>?$", re.S)


def api_error(result: dict[str, Any], base: str) -> str:
    """One line: Headroom unreachable (and the network's reason), the token refused, or
    Headroom's message with its per-field errors."""
    status = result.get("status") or -1
    if status == -1:
        detail = str(result.get("msg") or "no answer")
        found = _REQUEST_FAILED.search(detail)
        return _one_line(f"cannot reach Headroom at {base}: {found.group(1) if found else detail}")
    answer = result.get("json")
    body: dict[str, Any] = answer if isinstance(answer, dict) else {}
    message = body.get("message") or result.get("msg") or ""
    fields = (body.get("errors") or {}).items()
    errors = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in fields)
    if status == 401:
        text = f"Headroom at {base} refused the token (HTTP 401: {message}): check HEADROOM_TOKEN"
    else:
        text = f"Headroom at {base} answered HTTP {status}: {message}"
        text += f" ({errors})" if errors else ""
    return _one_line(text)


def sync_outcomes(batches: dict[str, Any], base: str) -> dict[str, str | None]:
    """Host name -> None (Headroom recorded its facts) or why not, from the registered loop
    of batch posts; each loop item is the list of hosts that batch sent."""
    outcomes: dict[str, str | None] = {}
    for batch in batches.get("results") or []:
        if batch.get("skipped"):
            continue
        names = [item["host"]["name"] for item in batch.get("item") or []]
        answer = batch.get("json") if isinstance(batch.get("json"), dict) else None
        if batch.get("failed") or batch.get("status") != 200 or answer is None:
            outcomes.update(dict.fromkeys(names, api_error(batch, base)))
            continue
        for name, result in zip(names, answer["results"], strict=True):
            outcomes[name] = None if result["ok"] else result["error"]
    return outcomes


def _one_line(text: str) -> str:
    return " ".join(text.split())
