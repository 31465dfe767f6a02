"""Reading NetBox through pynetbox: paged, incremental, bounded in time, one error type.

``fetch_all`` reads every endpoint the mapping needs into plain JSON dicts and
touches no database. Incremental fetches (``since``) ask only for objects whose
``last_updated`` is at or after ``since`` for the large endpoints (racks, devices,
interfaces, VMs), plus a light list of every id (``fields=id``) so that deletions
still show; the small organisational endpoints are always read whole, so every
mapping has its context. Any failure — unreachable, 403, 5xx, a reply that is
not JSON, a timeout — becomes one ``NetboxError`` with a reason a person can act on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pynetbox
import requests

from discovery.netbox.records import ENDPOINTS, Fetched

DEFAULT_PAGE_SIZE = 200
DEFAULT_TIMEOUT_S = 30.0
# NetBox stamps last_updated when it saves; look back a little so nothing slips between syncs.
SINCE_OVERLAP = timedelta(minutes=1)

Progress = Callable[[int, int | None, str], None]


class NetboxError(Exception):
    """NetBox could not be read; ``str()`` is the reason."""


@dataclass(frozen=True)
class Endpoint:
    app: str
    name: str
    incremental: bool = False
    id_prefix: str = ""
    fields: str | None = None  # dynamic fields: ask only for what the mapping reads


_ENDPOINTS: dict[str, Endpoint] = {
    "regions": Endpoint("dcim", "regions", id_prefix="region:"),
    "site_groups": Endpoint("dcim", "site_groups", id_prefix="site-group:"),
    "tenants": Endpoint("tenancy", "tenants"),
    "sites": Endpoint("dcim", "sites"),
    "locations": Endpoint("dcim", "locations"),
    "racks": Endpoint("dcim", "racks", incremental=True),
    "clusters": Endpoint("virtualization", "clusters"),
    "devices": Endpoint("dcim", "devices", incremental=True),
    "interfaces": Endpoint("dcim", "interfaces", incremental=True),
    "ip_addresses": Endpoint(
        "ipam",
        "ip_addresses",
        fields="id,address,assigned_object_type,assigned_object_id,last_updated",
    ),
    "cables": Endpoint("dcim", "cables", id_prefix="cable:"),
    "circuit_types": Endpoint("circuits", "circuit_types"),
    "circuits": Endpoint("circuits", "circuits", id_prefix="circuit:"),
    "circuit_terminations": Endpoint("circuits", "circuit_terminations"),
    "virtual_machines": Endpoint("virtualization", "virtual_machines", incremental=True),
}
# The records each endpoint's ids name (for deletions), when it names records at all.
_KIND_OF = {
    "regions": "admin_units",
    "site_groups": "admin_units",
    "tenants": "agencies",
    "sites": "sites",
    "racks": "racks",
    "clusters": "clusters",
    "devices": "devices",
    "interfaces": "interfaces",
    "cables": "links",
    "circuits": "links",
    "virtual_machines": "workloads",
}
assert set(_ENDPOINTS) == set(ENDPOINTS)
# Progress steps of a sync: one per endpoint, the device sites, then writing.
SYNC_STEPS = len(_ENDPOINTS) + 2


class _TimeoutSession(requests.Session):
    """pynetbox takes a requests session; this one bounds every request in time."""

    def __init__(self, timeout_s: float) -> None:
        super().__init__()
        self.timeout_s = timeout_s

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", self.timeout_s)
        return super().request(*args, **kwargs)


def connect(url: str, token: str, timeout_s: float = DEFAULT_TIMEOUT_S) -> pynetbox.api:
    api = pynetbox.api(url, token=token)
    api.http_session = _TimeoutSession(timeout_s)
    return api


def fetch_all(
    api: pynetbox.api,
    *,
    since: datetime | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    progress: Progress | None = None,
) -> Fetched:
    """Every endpoint, in pages of ``page_size``; ``since`` makes the large ones incremental."""
    fetched = Fetched()
    total = SYNC_STEPS
    after = (since - SINCE_OVERLAP).isoformat() if since else None
    all_ids: dict[str, set[str]] = {}
    with _errors(api):
        for step, (key, ep) in enumerate(_ENDPOINTS.items()):
            _tell(progress, step, total, f"reading {key.replace('_', ' ')}")
            filters = {"last_updated__gte": after} if after and ep.incremental else {}
            fetched.data[key] = _list(api, ep, page_size, fields=ep.fields, **filters)
            if after is not None and key in _KIND_OF:
                ids = _ids(api, ep, page_size) if ep.incremental else fetched.data[key]
                all_ids.setdefault(_KIND_OF[key], set()).update(
                    f"{ep.id_prefix}{o['id']}" for o in ids
                )
        _tell(progress, len(_ENDPOINTS), total, "reading device sites")
        devices = _list(api, _ENDPOINTS["devices"], page_size, fields="id,site")
        fetched.device_sites = {d["id"]: d["site"]["id"] for d in devices if d.get("site")}
        if after is not None:
            _add_readdressed_interfaces(api, fetched, after, page_size)
    fetched.all_ids = all_ids if after is not None else None
    return fetched


def _add_readdressed_interfaces(
    api: pynetbox.api, fetched: Fetched, after: str, page_size: int
) -> None:
    """Interfaces whose addresses changed since the last sync, though they did not."""
    have = {i["id"] for i in fetched.data["interfaces"]}
    changed = {
        ip["assigned_object_id"]
        for ip in fetched.data["ip_addresses"]
        if ip.get("assigned_object_type") == "dcim.interface"
        and str(ip.get("last_updated") or "") >= after
        and ip["assigned_object_id"] not in have
    }
    for chunk in _chunks(sorted(changed), 100):
        fetched.data["interfaces"] += _list(api, _ENDPOINTS["interfaces"], page_size, id=chunk)


def _list(
    api: pynetbox.api, ep: Endpoint, page_size: int, fields: str | None = None, **filters: Any
) -> list[dict[str, Any]]:
    endpoint = getattr(getattr(api, ep.app), ep.name)
    if fields:
        filters["fields"] = fields
    return [dict(record) for record in endpoint.filter(limit=page_size, **filters)]


def _ids(api: pynetbox.api, ep: Endpoint, page_size: int) -> list[dict[str, Any]]:
    return _list(api, ep, page_size, fields="id")


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _tell(progress: Progress | None, done: int, total: int, message: str) -> None:
    if progress is not None:
        progress(done, total, message)


@contextmanager
def _errors(api: pynetbox.api) -> Iterator[None]:
    """Turns whatever pynetbox or requests raise into a ``NetboxError`` with its reason."""
    try:
        yield
    except NetboxError:
        raise
    except Exception as exc:
        reason = describe_error(exc, api.base_url.removesuffix("/api"))
        if reason is None:
            raise
        raise NetboxError(reason) from exc


def describe_error(exc: BaseException, url: str) -> str | None:
    """A person's reason for a failed NetBox request, ``None`` if it is not one."""
    if isinstance(exc, pynetbox.RequestError):
        status = exc.req.status_code
        detail = _detail(exc.req)
        if status in (401, 403):
            return f"NetBox at {url} refused the token ({status}): {detail}"
        return f"NetBox at {url} answered {status} {exc.req.reason}: {detail}"
    if isinstance(exc, pynetbox.ContentError):
        return f"NetBox at {url} answered something that is not its API (not JSON)"
    if isinstance(exc, requests.Timeout):
        return f"NetBox at {url} did not answer in time: {exc}"
    if isinstance(exc, requests.ConnectionError):
        return f"cannot reach NetBox at {url}: {_root_cause(exc)}"
    if isinstance(exc, requests.RequestException):
        return f"request to NetBox at {url} failed: {exc}"
    return None


def _detail(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip() or "no detail"
    if isinstance(body, dict) and "detail" in body:
        return str(body["detail"])
    return str(body)[:200]


def _root_cause(exc: BaseException) -> str:
    seen = {id(exc)}
    while (nxt := exc.__cause__ or exc.__context__) is not None and id(nxt) not in seen:
        seen.add(id(nxt))
        exc = nxt
    return str(exc) or type(exc).__name__
