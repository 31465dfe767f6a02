"""Flask configuration: defaults, then ``CMDB_*`` variables, then the test config."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from cmdb.settings import load_settings


def build_config(
    environ: Mapping[str, str] | None = None, test_config: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    settings = load_settings(environ)
    config: dict[str, Any] = {
        "SECRET_KEY": settings.secret_key,
        "JSON_SORT_KEYS": False,
        # The UI's session: no script reads it, no other site's form or frame sends
        # it, and it travels over HTTPS only when the app is served over TLS.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": settings.tls,
    }
    config.update({f"CMDB_{k.upper()}": v for k, v in asdict(settings).items()})
    if test_config:
        config.update(test_config)
    return config
