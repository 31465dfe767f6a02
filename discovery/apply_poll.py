"""The writer of poll results: samples, poll state and rollups.

Inventory is written only by ``apply``; this module writes time series. A
device whose poll failed is never passed here, so it stores nothing. Work per
poll is a handful of queries whatever the number of devices: states, series and
links are read at once, samples inserted in one statement.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import Metric, ResourceKind
from cmdb.models import Link, PollState, Sample, Series
from cmdb.services.rollups import rollup_series
from cmdb.services.sample_ingest import METRIC_UNITS
from discovery.rates import PreviousReading, Rates
from discovery.records import CounterReading

# Counter key suffixes (``if.<ifIndex>.<suffix>``) → the interface's series.
PACKET_METRICS = {
    "in_errors": Metric.IN_ERRORS_PPS,
    "out_errors": Metric.OUT_ERRORS_PPS,
    "in_discards": Metric.IN_DISCARDS_PPS,
    "out_discards": Metric.OUT_DISCARDS_PPS,
}
STATUS_METRICS = {"oper": Metric.OPER_UP, "admin": Metric.ADMIN_UP}
IF_STATUS_UP = 1  # IF-MIB up(1)
GAUGES = (
    (Metric.CPU_UTIL_PCT, "cpu_load_pct"),
    (Metric.RAM_USED_GB, "ram_used_gb"),
    (Metric.STORAGE_USED_TB, "storage_used_tb"),
)


class PollWriter:
    """Collects one poll's samples and states, then writes them in ``finish``."""

    def __init__(self, session: Session, device_ids: list[int], at: datetime) -> None:
        self.session, self.at = session, at
        self.states = {
            s.device_id: s
            for s in session.scalars(
                sa.select(PollState).where(PollState.device_id.in_(device_ids))
            )
        }
        self.series = {
            (s.object_type, s.object_id, s.metric): s for s in session.scalars(sa.select(Series))
        }
        self.values: list[tuple[tuple[ResourceKind, int, Metric], float]] = []
        self.per_interface: dict[int, dict[str, float]] = {}

    def previous(self, device_id: int) -> PreviousReading | None:
        state = self.states.get(device_id)
        if state is None:
            return None
        at = state.polled_at
        if at.tzinfo is None:  # SQLite hands back naive datetimes; every timestamp is UTC
            at = at.replace(tzinfo=UTC)
        return PreviousReading(at, state.uptime_ticks, state.counters, state.counter_ticks or {})

    def store(
        self, device_id: int, reading: CounterReading, rates: Rates, if_ids: dict[int, int]
    ) -> None:
        """Interface rates and host gauges of one device, and its new counter state."""
        for key, mbps in rates.mbps.items():
            _, index, direction = key.split(".")
            if int(index) in if_ids:
                self.per_interface.setdefault(if_ids[int(index)], {})[direction] = mbps
                metric = Metric.IN_MBPS if direction == "in" else Metric.OUT_MBPS
                self._sample(ResourceKind.INTERFACE, if_ids[int(index)], metric, mbps)
        self._health(reading, rates, if_ids)
        for metric, attribute in GAUGES:
            value = getattr(reading, attribute)
            if value is not None:
                self._sample(ResourceKind.DEVICE, device_id, metric, value)
        state = self.states.get(device_id) or PollState(device_id=device_id)
        state.polled_at, state.uptime_ticks = self.at, reading.uptime_ticks
        state.counters, state.counter_ticks = dict(reading.counters), dict(reading.ticks)
        if reading.serial_oid:  # the agent is the device on record: where it keeps its serial
            state.serial_oid = reading.serial_oid
        self.session.add(state)

    def _health(self, reading: CounterReading, rates: Rates, if_ids: dict[int, int]) -> None:
        """Errors and discards a second, and whether each port is up (1) or not (0)."""
        for key, per_s in rates.per_s.items():
            _, index, suffix = key.split(".")
            if int(index) in if_ids:
                self._sample(
                    ResourceKind.INTERFACE, if_ids[int(index)], PACKET_METRICS[suffix], per_s
                )
        for key, code in reading.statuses.items():
            _, index, name = key.split(".")
            if int(index) in if_ids:
                up = 1.0 if code == IF_STATUS_UP else 0.0
                self._sample(ResourceKind.INTERFACE, if_ids[int(index)], STATUS_METRICS[name], up)

    def finish(self) -> int:
        """Links' samples, every sample in one insert, then the day's rollups; → samples."""
        self._store_links()
        self._create_series({key for key, _ in self.values})
        rows: list[dict[str, Any]] = []
        for key, value in self.values:
            series = self.series[key]
            series.last_sample_at = self.at
            rows.append({"series_id": series.id, "ts": self.at, "value": round(value, 6)})
        self.session.flush()
        if rows:
            self.session.execute(sa.insert(Sample), rows)
        rollup_series(self.session, {r["series_id"] for r in rows}, [self.at.date()])
        return len(rows)

    def _store_links(self) -> None:
        """A link's in (towards its a end) and out (towards the DC) from the interface it
        ends on: on the a end what the interface receives travels towards a; on the b end
        what it sends does. Capacity plans against max(in, out) of the two series."""
        if not self.per_interface:
            return
        ids = list(self.per_interface)
        links = self.session.scalars(
            sa.select(Link).where(
                sa.or_(Link.a_interface_id.in_(ids), Link.b_interface_id.in_(ids))
            )
        )
        for link in links:
            if link.a_interface_id in self.per_interface:
                values, towards_a = self.per_interface[link.a_interface_id], "in"
            else:
                values, towards_a = self.per_interface[link.b_interface_id or 0], "out"
            towards_b = "out" if towards_a == "in" else "in"
            for metric, direction in ((Metric.IN_MBPS, towards_a), (Metric.OUT_MBPS, towards_b)):
                if direction in values:
                    self._sample(ResourceKind.LINK, link.id, metric, values[direction])

    def _sample(self, kind: ResourceKind, object_id: int, metric: Metric, value: float) -> None:
        self.values.append(((kind, object_id, metric), value))

    def _create_series(self, keys: set[tuple[ResourceKind, int, Metric]]) -> None:
        """The series first rates need, added together and flushed once."""
        missing = [k for k in keys if k not in self.series]
        for kind, object_id, metric in missing:
            self.series[(kind, object_id, metric)] = Series(
                object_type=kind, object_id=object_id, metric=metric, unit=METRIC_UNITS[metric]
            )
        self.session.add_all([self.series[k] for k in missing])
        self.session.flush()
