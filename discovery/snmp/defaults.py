"""The collector's default bounds, apart from the pysnmp client: ``cmdb discover --help``
and the job forms show them without loading pysnmp."""

from __future__ import annotations

DEFAULT_CONCURRENCY = 32  # measured on 2 cores: more only queues in the UDP buffer
DEFAULT_DEADLINE_S = 60.0
# One table's bound, so a table that never ends leaves the device time for the others;
# generous, since a large table of a slow agent is not stuck (a 395-port ifTable from
# snmpsim under a load of 11 on 2 cores took over 20 s).
DEFAULT_TABLE_TIMEOUT_S = 45.0
