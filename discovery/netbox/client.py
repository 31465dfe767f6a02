"""Reading NetBox through pynetbox: paged, incremental, bounded in time, one error type.

``fetch_all`` reads every endpoint the mapping needs into plain JSON dicts,
several endpoints at once, and touches no database. Incremental fetches (``since``)
ask only for objects whose ``last_updated`` is at or after ``since`` for the large
endpoints (racks, devices, interfaces, cables, VMs) and learn deletions from NetBox's
change log (``deletions.py``); when the log cannot cover the interval (older than its
retention, or the token may not read it) they read a light list of every id
(``fields=id``) instead. The small organisational endpoints are always read whole, so
every mapping has its context. (A cable whose device moved to
another site without the cable changing is seen by the next ``--full`` sync.) Any
failure — unreachable, 403, 5xx, a reply that is not JSON, a timeout — becomes one
``NetboxError`` with a reason a person can act on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pynetbox
import requests
from pynetbox.core.query import Request

from discovery.netbox.defaults import DEFAULT_PAGE_SIZE, DEFAULT_TIMEOUT_S
from discovery.netbox.deletions import (
    CHANGE_TYPES,
    changelog_covers,
    map_deletion_times,
    map_deletions,
)
from discovery.netbox.mapping_links import INTERFACE, panel_interfaces
from discovery.netbox.records import ENDPOINTS, Fetched

FETCH_WORKERS = 4  # endpoints read at once: NetBox's gunicorn serves 4 threads here
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


# The large endpoints ask only for the fields the mapping reads (NetBox then also prefetches
# only what those fields need); a field the mapping starts reading must be added here. Two
# of NetBox's fields cost a query per object and are left out: a device's ``primary_ip``
# (``_primary_ip`` rebuilds it from ``primary_ip4``/``primary_ip6``) and an interface's
# ``mac_address`` (the mapping reads ``primary_mac_address``). Measured at 2,000 devices:
# 14.5 s a page of 1,000 devices with ``primary_ip``, 4 s without.
_DEVICE_FIELDS = (
    "id,name,device_type,role,status,serial,asset_tag,primary_ip4,primary_ip6,position,"
    "custom_fields,tags,site,location,rack,cluster,platform,last_updated"
)
# A circuit's nested terminations cost queries per circuit; they are read on their own.
_CIRCUIT_FIELDS = "id,cid,type,provider,status,commit_rate,custom_fields,tenant,description,tags"
_INTERFACE_FIELDS = "id,name,type,description,enabled,speed,primary_mac_address,device,last_updated"
_ENDPOINTS: dict[str, Endpoint] = {
    "regions": Endpoint("dcim", "regions", id_prefix="region:"),
    "site_groups": Endpoint("dcim", "site_groups", id_prefix="site-group:"),
    "tenants": Endpoint("tenancy", "tenants"),
    "sites": Endpoint("dcim", "sites"),
    "locations": Endpoint("dcim", "locations"),
    "racks": Endpoint("dcim", "racks", incremental=True),
    "clusters": Endpoint("virtualization", "clusters"),
    # devices' heights (tags: a type --push made has no measured one)
    "device_types": Endpoint("dcim", "device_types", fields="id,u_height,tags"),
    "devices": Endpoint("dcim", "devices", incremental=True, fields=_DEVICE_FIELDS),
    "interfaces": Endpoint("dcim", "interfaces", incremental=True, fields=_INTERFACE_FIELDS),
    "ip_addresses": Endpoint(
        "ipam",
        "ip_addresses",
        fields="id,address,assigned_object_type,assigned_object_id,last_updated",
    ),
    "cables": Endpoint("dcim", "cables", incremental=True, id_prefix="cable:"),
    "circuit_types": Endpoint("circuits", "circuit_types"),
    "circuits": Endpoint("circuits", "circuits", id_prefix="circuit:", fields=_CIRCUIT_FIELDS),
    "circuit_terminations": Endpoint("circuits", "circuit_terminations"),
    "virtual_machines": Endpoint("virtualization", "virtual_machines", incremental=True),
}


def endpoint_paths() -> dict[str, tuple[str, str]]:
    """Every endpoint a sync reads: key → (pynetbox app, endpoint name)."""
    return {key: (ep.app, ep.name) for key, ep in _ENDPOINTS.items()}


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

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
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
    workers: int = FETCH_WORKERS,
    use_changelog: bool = True,
    retry: Mapping[str, set[int]] | None = None,
    dated_since: datetime | None = None,
) -> Fetched:
    """Every endpoint, in pages of ``page_size``; ``since`` makes the large ones incremental.

    The endpoints are read concurrently (``workers`` threads): NetBox answers one page
    while the previous one is parsed here, and its threads overlap their database time.
    ``use_changelog=False`` learns deletions from id lists even when the log would do.
    ``retry``: ids per endpoint an incremental fetch reads too, changed or not (the
    objects the last sync could not map: ``failed.retry_ids``). ``dated_since``: a full
    fetch reads the change log's deletions since then too, only to date them.
    """
    after = (since - SINCE_OVERLAP).isoformat() if since else None
    pages = _Pages(api, page_size)
    with _errors(api):
        deleted, how = (None, "full read") if since is None else (None, "id lists: asked")
        times: dict[tuple[str, str], str] = {}
        if since is not None and use_changelog:
            deleted, how, times = _read_deletions(pages, since)
        elif dated_since is not None and use_changelog:
            times = _read_deletions(pages, dated_since)[2]
        reads: dict[str, Callable[[], list[dict[str, Any]]]] = {}
        for key, ep in _ENDPOINTS.items():
            filters = {"last_updated__gte": after} if after and ep.incremental else {}
            reads[key] = partial(pages.list, ep, fields=ep.fields, **filters)
            if after is not None and ep.incremental and deleted is None:
                reads[f"ids:{key}"] = partial(pages.list, ep, fields="id")
        if after is not None:  # a full read has every device's site already
            reads["device_sites"] = partial(pages.list, _ENDPOINTS["devices"], fields="id,site")
        answers = _read_concurrently(reads, workers, progress)
        fetched = _assemble(answers, incremental=after is not None, id_lists=deleted is None)
        fetched.deleted_ids, fetched.deletions, fetched.deleted_at = deleted, how, times
        if after is not None:
            _add_readdressed_interfaces(pages, fetched, after)
            _add_retried(pages, fetched, retry or {})
        fetched.far_ends = _read_far_ends(pages, fetched.data["cables"])
    return fetched


_CHANGELOG = Endpoint("core", "object_changes")
# NetBox answers 403 to a token without ``core.view_objectchange``; before 4.0 the log
# lived under ``extras`` (404 here). Either way the id lists still work.
_CHANGELOG_REFUSED = (403, 404)


_Deletions = tuple[dict[str, set[str]] | None, str, dict[tuple[str, str], str]]


def _read_deletions(pages: _Pages, since: datetime) -> _Deletions:
    """What NetBox deleted since ``since`` and when, or ``None`` and why the id lists are
    needed."""
    if not changelog_covers(since, datetime.now(UTC)):
        return None, "id lists: the change log may not reach back to the last sync", {}
    try:
        changes = pages.list(
            _CHANGELOG,
            fields="id,action,changed_object_type,changed_object_id,time",
            action="delete",
            changed_object_type=sorted(CHANGE_TYPES),
            time_after=(since - SINCE_OVERLAP).isoformat(),
        )
    except pynetbox.RequestError as exc:
        if exc.req.status_code not in _CHANGELOG_REFUSED:
            raise
        return None, f"id lists: NetBox refused its change log ({exc.req.status_code})", {}
    return map_deletions(changes), "change log", map_deletion_times(changes)


def _read_concurrently(
    reads: Mapping[str, Callable[[], list[dict[str, Any]]]],
    workers: int,
    progress: Progress | None,
) -> dict[str, list[dict[str, Any]]]:
    """Each read on a thread, the longest first; the first error cancels the rest."""
    order = sorted(reads, key=lambda k: _HEAVY.index(k) if k in _HEAVY else len(_HEAVY))
    answers: dict[str, list[dict[str, Any]]] = {}
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(reads[key]): key for key in order}
        try:
            for future in as_completed(futures):
                key = futures[future]
                answers[key] = future.result()
                if key in _ENDPOINTS:
                    done = sum(k in answers for k in _ENDPOINTS)
                    _tell(progress, done, SYNC_STEPS, f"read {key.replace('_', ' ')}")
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return answers


# The endpoints that take longest at scale, started first so they finish no later than need be.
_HEAVY = ["interfaces", "ids:interfaces", "devices", "ip_addresses", "virtual_machines"]


def _assemble(
    answers: Mapping[str, list[dict[str, Any]]], *, incremental: bool, id_lists: bool
) -> Fetched:
    fetched = Fetched()
    for key in _ENDPOINTS:
        fetched.data[key] = answers[key]
    devices = answers["device_sites"] if incremental else answers["devices"]
    fetched.device_sites = {d["id"]: d["site"]["id"] for d in devices if d.get("site")}
    if not (incremental and id_lists):
        return fetched
    all_ids: dict[str, set[str]] = {}
    for key, ep in _ENDPOINTS.items():
        if key in _KIND_OF:
            ids = answers[f"ids:{key}"] if ep.incremental else answers[key]
            all_ids.setdefault(_KIND_OF[key], set()).update(f"{ep.id_prefix}{o['id']}" for o in ids)
    fetched.all_ids = all_ids
    return fetched


def _add_readdressed_interfaces(pages: _Pages, fetched: Fetched, after: str) -> None:
    """Interfaces whose addresses changed since the last sync, though they did not."""
    have = {i["id"] for i in fetched.data["interfaces"]}
    changed = {
        ip["assigned_object_id"]
        for ip in fetched.data["ip_addresses"]
        if ip.get("assigned_object_type") == "dcim.interface"
        and str(ip.get("last_updated") or "") >= after
        and ip["assigned_object_id"] not in have
    }
    ep = _ENDPOINTS["interfaces"]
    for chunk in _chunks(sorted(changed), 100):
        fetched.data["interfaces"] += pages.list(ep, fields=ep.fields, id=chunk)


def _add_retried(pages: _Pages, fetched: Fetched, retry: Mapping[str, set[int]]) -> None:
    """The objects to try again that the incremental read did not bring already."""
    for key, ids in sorted(retry.items()):
        ep = _ENDPOINTS.get(key)
        if ep is None or not ep.incremental:
            continue  # the other endpoints are read whole every time
        have = {o["id"] for o in fetched.data[key]}
        for chunk in _chunks(sorted(ids - have), 100):
            fetched.data[key] += pages.list(ep, fields=ep.fields, id=chunk)


_PATH_FIELDS = "id,connected_endpoints,connected_endpoints_type,connected_endpoints_reachable"


def _read_far_ends(pages: _Pages, cables: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """The interface at the far end of each patch-panel path starting at a fetched cable.

    Asked for those interfaces only (by id): NetBox builds ``connected_endpoints`` from
    the cable path, a query per interface — too dear for every interface at scale."""
    far: dict[int, dict[str, Any]] = {}
    ep = _ENDPOINTS["interfaces"]
    for chunk in _chunks(sorted(panel_interfaces(cables)), 100):
        for row in pages.list(ep, fields=_PATH_FIELDS, id=chunk):
            ends = row.get("connected_endpoints") or []
            reachable = row.get("connected_endpoints_reachable")
            if row.get("connected_endpoints_type") == INTERFACE and reachable and len(ends) == 1:
                far[int(row["id"])] = ends[0]
    return far


class _Pages:
    """Lists an endpoint as plain JSON dicts, through pynetbox's paging and authentication.

    pynetbox's ``Request`` is used without its ``Record`` objects: 20,000 of them are
    built and then turned back into dicts for nothing. NetBox ≥ 4.6 pages by cursor
    (``start``: no count query, no growing ``OFFSET``); older ones by offset.
    """

    def __init__(self, api: pynetbox.api, page_size: int) -> None:
        self.api, self.page_size = api, page_size
        self._pagination: str | None = None
        self._lock = threading.Lock()

    def list(self, ep: Endpoint, fields: str | None = None, **filters: Any) -> list[dict[str, Any]]:
        if fields:
            filters["fields"] = fields
        endpoint = getattr(getattr(self.api, ep.app), ep.name)
        request = Request(
            base=endpoint.url,
            http_session=self.api.http_session,
            filters=filters,
            limit=self.page_size,
            token=self.api.token,
            pagination=self.pagination,
        )
        objects = list(request.get())
        if fields and "primary_ip4" in fields.split(","):
            for obj in objects:
                obj.setdefault("primary_ip", _primary_ip(obj))
        return objects

    def pagination(self) -> str:
        with self._lock:  # one version probe for every thread
            if self._pagination is None:
                self._pagination = "cursor" if pages_by_cursor(self.api.version) else "offset"
            return self._pagination


def _primary_ip(obj: Mapping[str, Any]) -> Any:
    """NetBox's ``primary_ip``: IPv6 first unless PREFER_IPV4 (its default is off)."""
    return obj.get("primary_ip6") or obj.get("primary_ip4")


def pages_by_cursor(api_version: str) -> bool:
    try:
        major, minor = (int(part) for part in api_version.split(".")[:2])
    except ValueError:
        return False
    return (major, minor) >= (4, 6)


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
