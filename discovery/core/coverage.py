"""What a run actually read, so that absence is concluded only where it looked.

A full NetBox sync reads every object of its kinds; an incremental one reads the
objects that changed and learns which were deleted; an SNMP discovery reads the
addresses that answered, and a host's parts when its table was read whole. A record
the source saw before and did not see now is "not seen since" only when the run
covered it; a target that timed out, a kind the run skipped or an object an
incremental sync did not fetch say nothing about it.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmdb.choices import Source
from discovery.core.identity import same_endpoint
from discovery.core.known import KnownRecord
from discovery.core.observations import Endpoint, RecordKind


@dataclass(frozen=True)
class Coverage:
    """The run's reach. ``kinds``: every object the source has of them is known to the
    run — observed, or listed in ``present`` (an incremental sync that lists ids: the
    object is still there, unread). ``source_ids``: objects read one by one, and those
    the source said are deleted. ``addresses``: agents that answered (whatever
    answered there is what is there). Parts of hosts whose observation says
    ``parts_read`` are covered too."""

    source: Source
    kinds: frozenset[RecordKind] = frozenset()
    source_ids: frozenset[tuple[RecordKind, str]] = frozenset()
    addresses: frozenset[Endpoint] = frozenset()
    present: frozenset[tuple[RecordKind, str]] = frozenset()

    def covers(self, record: KnownRecord, hosts_read_whole: frozenset[int]) -> bool:
        """Whether the run would have seen ``record`` had the source still had it."""
        source_id = mark.source_id if (mark := record.mark(self.source)) else None
        if source_id is not None and (record.kind, source_id) in self.present:
            return False
        if record.kind in self.kinds:
            return True
        if source_id is not None and (record.kind, source_id) in self.source_ids:
            return True
        if record.parent_id is not None and record.parent_id in hosts_read_whole:
            return True
        return record.address is not None and any(
            same_endpoint(record.address, a) for a in self.addresses
        )
