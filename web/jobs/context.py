"""What a job needs from its surroundings: the database and the sources' settings.

A worker takes it from its own configuration (``cmdb worker`` runs in an app,
a local job process is handed the app's), never from the job: a worker on
another machine may reach the database under another name, and nothing secret
travels through Redis but a job's own secrets (a token typed into the form).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from cmdb.settings import DEFAULT_POLL_CHUNK_SIZE as DEFAULT_CHUNK_SIZE
from cmdb.settings import load_settings


@dataclass(frozen=True)
class JobContext:
    database_url: str
    snmp_profiles: str | None = None
    netbox_url: str | None = None
    netbox_token: str | None = None
    poll_chunk_size: int = DEFAULT_CHUNK_SIZE  # a poll's chunk_size when its job names none

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> JobContext:
        """From a Flask app's config (``CMDB_*`` keys)."""
        return cls(
            database_url=config["CMDB_DATABASE_URL"],
            snmp_profiles=config.get("CMDB_SNMP_PROFILES"),
            netbox_url=config.get("CMDB_NETBOX_URL"),
            netbox_token=config.get("CMDB_NETBOX_TOKEN"),
            poll_chunk_size=config.get("CMDB_POLL_CHUNK_SIZE") or DEFAULT_CHUNK_SIZE,
        )

    @classmethod
    def from_environment(cls) -> JobContext:
        """From ``CMDB_*`` variables: a worker started without an app (``rq worker``)."""
        s = load_settings()
        return cls(s.database_url, s.snmp_profiles, s.netbox_url, s.netbox_token, s.poll_chunk_size)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_current: JobContext | None = None


def set_job_context(context: JobContext) -> None:
    """Fix the context of the jobs this process (and the work horses it forks) will run."""
    global _current
    _current = context


def job_context() -> JobContext:
    return _current or JobContext.from_environment()
