"""Which record a host's facts are about: its Headroom id, else its address, else its name.

The inventory plugin gives every host ``headroom_kind`` and ``headroom_id``, so the
playbook normally names the record exactly; a host from another inventory is found
by management address, then by name (case-insensitive, domain stripped — DESIGN §5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.errors import NotFoundError, ValidationError
from cmdb.models import Device, Workload
from discovery.ansible.plan import DEVICE, WORKLOAD

Host = Device | Workload
MODELS: dict[str, type[Device] | type[Workload]] = {DEVICE: Device, WORKLOAD: Workload}


def find_host(session: Session, host: Mapping[str, Any]) -> Host:
    """The device or workload ``host`` ({kind, id} | management_address | name) names."""
    kind, host_id = host.get("kind"), host.get("id")
    if host_id is not None:
        if kind not in MODELS:
            raise ValidationError({"host.kind": ["with an id, say 'device' or 'workload'"]})
        # mypy joins the two mapped classes to Base; the row is one of them
        found = cast("Host | None", session.get(MODELS[kind], host_id))
        if found is None:
            raise NotFoundError(f"no {kind} with id {host_id}")
        return found
    models = [MODELS[kind]] if kind in MODELS else list(MODELS.values())
    address, name = host.get("management_address"), host.get("name")
    if not address and not name:
        raise ValidationError({"host": ["give id and kind, management_address or name"]})
    for model in models:
        found = _by_address(session, model, address) if address else None
        if found is not None:
            return found
    for model in models:
        found = _by_name(session, model, name) if name else None
        if found is not None:
            return found
    raise NotFoundError(f"no device or workload known as {address or name}")


def short_name(name: str) -> str:
    return name.strip().split(".")[0].casefold()


def _by_address(
    session: Session, model: type[Device] | type[Workload], address: str
) -> Host | None:
    rows = cast(
        "Sequence[Host]",
        session.scalars(
            sa.select(model).where(model.management_address == address).order_by(model.id).limit(2)
        ).all(),
    )
    return rows[0] if len(rows) == 1 else None


def _by_name(session: Session, model: type[Device] | type[Workload], name: str) -> Host | None:
    wanted = short_name(name)
    # The short name is a prefix of the stored name (which may carry a domain); compare in Python.
    rows = cast(
        "Sequence[Host]",
        session.scalars(
            sa.select(model).where(
                sa.func.lower(model.name).like(f"{_escape(wanted)}%", escape="\\")
            )
        ).all(),
    )
    matches = [r for r in rows if short_name(r.name) == wanted]
    return matches[0] if len(matches) == 1 else None


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
