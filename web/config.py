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
        # The UI's session: no script reads it, no other site's form or frame sends it.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
    }
    config.update({f"CMDB_{k.upper()}": v for k, v in asdict(settings).items()})
    if test_config:
        config.update(test_config)
    # Over HTTPS only when the app is served over TLS (a plain-HTTP demo must keep it).
    config.setdefault("SESSION_COOKIE_SECURE", bool(config["CMDB_TLS"]))
    return config
