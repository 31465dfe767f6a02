"""The last counters read from each polled device, so the next poll can turn them into rates.

Polls are separate processes (cron, a systemd timer): the previous reading must
outlive them. One row per device; ``counters`` maps a counter key (e.g.
``"if.3.in"``) to its raw value, kept as JSON because 64-bit counters exceed a
signed BIGINT; ``counter_ticks`` when the agent read each one (its rate's time base).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cmdb.db import Base


class PollState(Base):
    __tablename__ = "poll_state"

    device_id: Mapped[int] = mapped_column(
        sa.ForeignKey("device.id", ondelete="CASCADE"), primary_key=True
    )
    polled_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    uptime_ticks: Mapped[int] = mapped_column(sa.BigInteger, doc="sysUpTime, 1/100 s")
    counters: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    counter_ticks: Mapped[dict[str, int]] = mapped_column(
        sa.JSON,
        default=dict,
        server_default="{}",
        doc="Per counter key, the agent's sysUpTime in the answer that carried it",
    )
    serial_oid: Mapped[str | None] = mapped_column(
        sa.String(255), doc="Where the agent answered the serial on record (asked each poll)"
    )
