"""The audit's thresholds, as named settings with the defaults a DC team starts from."""

from __future__ import annotations

from dataclasses import dataclass

from cmdb.choices import Status


@dataclass(frozen=True)
class AuditSettings:
    """When silence counts as absence, and which records are expected to answer.

    ``silent_after_days``: a device NetBox declares is "not on the network" once SNMP
    has not seen it for this long (or never); a device or interface SNMP saw within
    it is "on the network". Three days ride out a weekend without a poller.
    ``answering_statuses``: planned, offline or decommissioned devices are not
    expected to answer, so their silence is no finding.
    """

    silent_after_days: float = 3.0
    answering_statuses: frozenset[str] = frozenset({Status.ACTIVE.value})
