"""What a record's page says first about a record its source could give only in part.

A stock NetBox leaves things out (DESIGN §5): a cluster with no site, a circuit with
one end, a VM without size. The record is kept and its page says so, with what is
left out of capacity because of it; a record its source deleted says when.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext, ngettext

from cmdb.models import Cluster, Link, Workload
from cmdb.services.record_history import Sighting
from web.ui.formatting import format_day
from web.ui.labels import SOURCE


def record_notes(record: Any, sightings: Sequence[Sighting] = ()) -> list[str]:
    """Sentences for the top of a record's page, most important first."""
    notes = [
        gettext(
            "Deleted in %(source)s on %(date)s.",
            source=str(SOURCE.get(s.source, s.source)),
            date=format_day(s.deleted_at.date()),
        )
        for s in sightings
        if s.deleted_at is not None
    ]
    if isinstance(record, Cluster):
        notes += _cluster_notes(record)
    elif isinstance(record, Link) and record.open_ended:
        notes.append(
            gettext(
                "Open end: one end of this circuit is at no site (a provider network, or a"
                " single termination). It is on no site's path to the DC."
            )
        )
    elif isinstance(record, Workload) and record.incomplete:
        notes.append(gettext("Incomplete: %(what)s.", what=record.incomplete))
        if not record.sized:
            notes.append(gettext("Left out of capacity until its vCPU and memory are known."))
    return notes


def _cluster_notes(cluster: Cluster) -> list[str]:
    notes = []
    if cluster.site_id is None:
        notes.append(
            gettext(
                "Unplaced: its source places this cluster at no site (no scope, or a region"
                " or site group)."
            )
        )
    left_out = sum(1 for w in cluster.workloads if not w.sized)
    if left_out:
        notes.append(
            ngettext(
                "%(num)d workload is left out of capacity: its vCPU or memory is unknown.",
                "%(num)d workloads are left out of capacity: their vCPU or memory is unknown.",
                left_out,
            )
        )
    return notes
