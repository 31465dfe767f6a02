"""The rows of an "interfaces and their health" table: each port with how it is now.

A device's page lists its interfaces with their oper status and current utilisation;
an interface's page and a link's page (its two ends) show status, errors, discards and
traffic as the last poll saw them, with a chart of the last week's hours. Read in two
statements for all the rows shown (three with the charts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import gettext
from sqlalchemy.orm import Session

from cmdb.choices import Metric
from cmdb.models import Interface
from cmdb.services.interface_health import (
    InterfaceHealth,
    load_health_history,
    load_interface_health,
)
from cmdb.services.link_usage import load_interface_peaks
from web.ui.charts import health_figure

CHART_DAYS = 7  # a week of hourly rollups: a day's pattern and what changed this week


@dataclass(frozen=True)
class PortRow:
    """One interface on a page, with a label (a link's end) when the page gives it one."""

    interface: Interface
    health: InterfaceHealth | None
    peak_mbps: float | None
    label: Any = None
    figure: str | None = None  # the chart of its last week, when the page draws one

    @property
    def utilisation(self) -> float | None:
        """The busier direction's last daily p95 as a share of the port's speed."""
        speed = self.interface.speed_mbps
        if self.peak_mbps is None or not speed:
            return None
        return self.peak_mbps / speed


def port_rows(
    session: Session, ports: Sequence[tuple[Any, Interface | None]], charts: bool = False
) -> list[PortRow]:
    """(label, interface) pairs → rows; a missing interface (an open end) is left out."""
    known = [(label, i) for label, i in ports if i is not None]
    ids = [i.id for _, i in known]
    health = load_interface_health(session, ids)
    peaks = load_interface_peaks(session, ids) if ids else {}
    since = datetime.now(UTC) - timedelta(days=CHART_DAYS)
    history = load_health_history(session, ids, since) if charts else {}
    return [
        PortRow(i, health.get(i.id), peaks.get(i.id), label, _figure(history.get(i.id)))
        for label, i in known
    ]


def _figure(history: dict[Metric, list[tuple[datetime, float]]] | None) -> str | None:
    if not history:
        return None
    names = {
        Metric.IN_ERRORS_PPS: gettext("Input errors per second"),
        Metric.OUT_ERRORS_PPS: gettext("Output errors per second"),
        Metric.IN_DISCARDS_PPS: gettext("Input discards per second"),
        Metric.OUT_DISCARDS_PPS: gettext("Output discards per second"),
        Metric.OPER_UP: gettext("Share of the hour up"),
    }
    lines = {names[m]: points for m, points in history.items() if m in names}
    return health_figure(lines, names[Metric.OPER_UP])
