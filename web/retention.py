"""The history the app keeps (``CMDB_RETENTION_*``), as ``cmdb.services.prune`` reads it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask import current_app

from cmdb.services.prune import Retention, raw_cutoff
from web.today import today_or_real


def retention_of(config: Mapping[str, Any]) -> Retention:
    return Retention(
        raw_days=int(config.get("CMDB_RETENTION_RAW_DAYS", Retention.raw_days)),
        hourly_days=int(config.get("CMDB_RETENTION_HOURLY_DAYS", Retention.hourly_days)),
        results_days=int(config.get("CMDB_RETENTION_RESULTS_DAYS", Retention.results_days)),
    )


def raw_retention_start() -> datetime:
    """The first instant whose raw samples are kept, on the app's day."""
    return raw_cutoff(today_or_real(), retention_of(current_app.config))
