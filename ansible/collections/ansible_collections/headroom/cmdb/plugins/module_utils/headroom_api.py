# Headroom's REST API from the collection's plugins: one GET, one error message shape.
"""A JSON GET against Headroom with a token, and Headroom's errors as one readable line.

Shared by the inventory plugin and the ``headroom`` lookup; Ansible's ``open_url`` only,
so a controller needs nothing but ansible-core.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.error import HTTPError

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.urls import open_url

#: The connection options of the collection's modules (documented by ``headroom.cmdb.api.module``).
MODULE_ARGS: dict[str, Any] = {
    "api_endpoint": {"type": "str", "fallback": (env_fallback, ["HEADROOM_URL"])},
    "token": {"type": "str", "no_log": True, "fallback": (env_fallback, ["HEADROOM_TOKEN"])},
    "validate_certs": {"type": "bool", "default": True},
}


class HeadroomError(Exception):
    """Headroom could not be read: the message names the URL and the reason."""


def get_json(
    base: str,
    url: str,
    token: str,
    *,
    validate_certs: bool,
    timeout: int,
    what: str = "hosts",
    body: Any = None,
    method: str | None = None,
) -> Any:
    """The JSON answer of ``GET url`` (``POST`` with ``body``, or ``method``), None for an
    empty one (204); ``HeadroomError`` for any failure (HTTP, network, TLS, not JSON)."""
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body)
    try:
        response = open_url(
            url,
            data=data,
            method=method or ("POST" if body is not None else "GET"),
            headers=headers,
            validate_certs=validate_certs,
            timeout=timeout,
        )
        text = response.read()
        return json.loads(text) if text else None
    except HTTPError as exc:
        raise HeadroomError(http_message(base, exc)) from exc
    except Exception as exc:  # URLError, timeouts, TLS, bad JSON: all mean "no answer"
        raise HeadroomError(f"cannot read {what} from Headroom at {base}: {exc}") from exc


def http_message(base: str, exc: HTTPError) -> str:
    """Headroom's own message (its one error shape), else the HTTP reason."""
    try:
        body = json.loads(exc.read())
        detail = body.get("message", "")
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in (body.get("errors") or {}).items())
    except Exception:
        detail, errors = exc.reason, ""
    if exc.code == 401:
        hint = "check HEADROOM_TOKEN or the token option"
        return f"Headroom at {base} refused the token (HTTP 401: {detail}): {hint}"
    return f"Headroom at {base} answered HTTP {exc.code}: {detail}" + (
        f" ({errors})" if errors else ""
    )
