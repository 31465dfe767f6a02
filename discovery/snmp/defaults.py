"""The collector's default bounds, apart from the pysnmp client: ``cmdb discover --help``
and the job forms show them without loading pysnmp."""

from __future__ import annotations

DEFAULT_CONCURRENCY = 32  # measured on 2 cores: more only queues in the UDP buffer
DEFAULT_DEADLINE_S = 60.0
DEFAULT_TABLE_TIMEOUT_S = 20.0  # one table's bound: a stuck table leaves time for the others
