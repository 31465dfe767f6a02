"""The rows of an "interfaces and their health" table: each port with how it is now.

A device's page lists its interfaces with their oper status and current utilisation;
an interface's page and a link's page (its two ends) show status, errors, discards and
traffic as the last poll saw them. Read in two statements for all the rows shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from cmdb.models import Interface
from cmdb.services.interface_health import InterfaceHealth, load_interface_health
from cmdb.services.link_usage import load_interface_peaks


@dataclass(frozen=True)
class PortRow:
    """One interface on a page, with a label (a link's end) when the page gives it one."""

    interface: Interface
    health: InterfaceHealth | None
    peak_mbps: float | None
    label: Any = None

    @property
    def utilisation(self) -> float | None:
        """The busier direction's last daily p95 as a share of the port's speed."""
        speed = self.interface.speed_mbps
        if self.peak_mbps is None or not speed:
            return None
        return self.peak_mbps / speed


def port_rows(session: Session, ports: Sequence[tuple[Any, Interface | None]]) -> list[PortRow]:
    """(label, interface) pairs → rows; a missing interface (an open end) is left out."""
    known = [(label, i) for label, i in ports if i is not None]
    ids = [i.id for _, i in known]
    health = load_interface_health(session, ids)
    peaks = load_interface_peaks(session, ids) if ids else {}
    return [PortRow(i, health.get(i.id), peaks.get(i.id), label) for label, i in known]
