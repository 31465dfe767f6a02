"""Settings from defaults and ``CMDB_*`` environment variables.

Nothing reads the environment at import time: ``load_settings`` takes the mapping.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_DATA_DIR = "var"
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
DEFAULT_POLL_CHUNK_SIZE = 250  # devices per poll job: a few minutes of one worker


def default_database_url(data_dir: str | os.PathLike[str]) -> str:
    """The embedded SQLite database file inside the data directory."""
    return f"sqlite:///{Path(data_dir).resolve() / 'headroom.db'}"


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: str = DEFAULT_DATA_DIR
    secret_key: str | None = None  # unset: generated into the data dir (web.auth.secret_key)
    redis_url: str | None = None  # set: background jobs go to RQ; unset: a local process each
    job_queue: str = "headroom"  # the RQ queue the web app fills and `cmdb worker` empties
    snmp_profiles: str | None = None  # the YAML/TOML file of named SNMP credential profiles
    netbox_url: str | None = None
    netbox_token: str | None = None
    default_language: str = "vi"
    page_size: int = 50
    anonymous_read: bool = False  # let anyone read the UI and the API without logging in
    today: str | None = None  # YYYY-MM-DD: the day verdicts are computed for (demos, tests)
    # Bounded history (DESIGN §4; ``cmdb prune``): days each kind is kept.
    retention_raw_days: int = 35  # raw samples and observations
    retention_hourly_days: int = 396  # hourly rollups (13 months); daily ones for ever
    retention_results_days: int = 90  # discovery results (per target of a run)
    poll_chunk_size: int = DEFAULT_POLL_CHUNK_SIZE  # devices per job when RQ workers share a poll
    tls: bool = False  # served over HTTPS: the session cookie is Secure, and HSTS is sent
    proxy_hops: int = 0  # reverse proxies in front whose X-Forwarded-For/-Proto are trusted
    login_failures: int = 20  # wrong passwords for one username within the window, then 429
    login_failures_per_address: int = 100  # … and from one address, whatever the usernames
    login_window_s: int = 900  # the throttle's window, in seconds


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build settings: defaults first, then each ``CMDB_<FIELD>`` variable present."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    errors: list[str] = []
    for field in fields(Settings):
        key = f"CMDB_{field.name.upper()}"
        if env.get(key):
            values[field.name] = env[key]
            if field.type == "bool":
                values[field.name] = env[key].strip().lower() in TRUE_WORDS
            if field.type == "int":
                try:
                    values[field.name] = int(env[key])
                except ValueError:
                    errors.append(f"{key} must be a whole number, not {env[key]!r}")
    for name in ("retention_raw_days", "retention_hourly_days", "retention_results_days"):
        if isinstance(values.get(name), int) and values[name] < 1:
            errors.append(f"CMDB_{name.upper()} must be at least 1 day, not {values[name]}")
    if isinstance(values.get("poll_chunk_size"), int) and values["poll_chunk_size"] < 1:
        errors.append(f"CMDB_POLL_CHUNK_SIZE must be at least 1, not {values['poll_chunk_size']}")
    if values.get("today"):
        try:
            date.fromisoformat(values["today"])
        except ValueError:
            errors.append(f"CMDB_TODAY must be a date (YYYY-MM-DD), not {values['today']!r}")
    problem = url_secret_problem(values.get("netbox_url") or "")
    if problem:
        errors.append(f"CMDB_NETBOX_URL {problem}")
    if errors:
        raise ValueError("; ".join(errors))
    data_dir = values.get("data_dir", DEFAULT_DATA_DIR)
    values.setdefault("database_url", default_database_url(data_dir))
    return Settings(**values)


def url_secret_problem(url: str) -> str | None:
    """Why a service's URL may not be taken as given, or None.

    The URL of a source is stored on its runs, shown to every reader and written
    in messages; a secret inside it (``user:password@``, ``?token=``) would be
    too. The token goes in its own setting or option, which is never shown.
    """
    try:
        parts = urlsplit(url)
        has_user = parts.username is not None or parts.password is not None
    except ValueError:
        return "is not a URL"
    if has_user:
        return "must not hold a user or password (user:password@host): give the token on its own"
    if parts.query or parts.fragment:
        return "must not hold a query (?token=…) or fragment: give the token on its own"
    return None
