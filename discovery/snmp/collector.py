"""Asks many agents at once, within bounds, and returns one outcome per target.

Bounds, each for a pysnmp trap: a semaphore caps concurrent agents (hundreds of
concurrent walks overflow the client's UDP receive buffer and turn into
timeouts); every device has a deadline and every table a timeout of its own (a
stuck walk cannot hold the run, nor a stuck table the device's other tables); a
table that fails, or is cut short by the row bound, leaves the device *partial*
with that table listed as missing, so reconciliation changes nothing it did not
see. What the client worked around (rows out of order, bulks the agent choked
on) is the outcome's ``warnings``: the device succeeded, and says how.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cmdb.choices import RunStatus
from discovery.credentials import SnmpProfile
from discovery.records import DeviceObservation, Target, TargetOutcome
from discovery.snmp import oids, parsers, vendors
from discovery.snmp.client import AgentSession, SnmpClient, SnmpError, SnmpTimeoutError
from discovery.snmp.defaults import DEFAULT_CONCURRENCY, DEFAULT_DEADLINE_S, DEFAULT_TABLE_TIMEOUT_S

GET_BATCH = 40  # varbinds per GET: well inside one UDP datagram

Fetch = Callable[[AgentSession], Awaitable[TargetOutcome]]
Progress = Callable[[TargetOutcome], None]


@dataclass(frozen=True)
class Limits:
    concurrency: int = DEFAULT_CONCURRENCY
    deadline_s: float = DEFAULT_DEADLINE_S
    timeout_s: float = 1.0
    retries: int = 1
    max_repetitions: int = 25
    table_timeout_s: float = DEFAULT_TABLE_TIMEOUT_S


async def fetch_observation(session: AgentSession, deadline: float) -> TargetOutcome:
    """Discovery of one device: the system group first (no answer → failed), then tables,
    then the vendor's chassis objects when ENTITY-MIB left model or serial unknown."""
    started = time.perf_counter()
    scalars = await session.get(oids.DISCOVERY_SCALARS)
    if not scalars:
        raise SnmpError("the agent serves no system group")
    varbinds, missing, errors = dict(scalars), [], []
    for name, columns in oids.DISCOVERY_TABLES.items():
        budget = max(0.0, min(session.table_timeout_s, deadline - time.perf_counter()))
        try:
            async with asyncio.timeout(budget):
                varbinds.update(await session.walk(columns, name))
        except (SnmpError, TimeoutError) as exc:
            missing.append(name)
            errors.append(f"{name}: {str(exc) or f'no complete answer within {budget:.3g} s'}")
    varbinds.update(await _chassis_mib(session, varbinds))
    missing += [t for t in session.truncated if t not in missing]
    observation = build_observation(session.target, varbinds, tuple(missing))
    return TargetOutcome(
        target=session.target,
        status=RunStatus.PARTIAL if missing else RunStatus.SUCCEEDED,
        duration_s=time.perf_counter() - started,
        requests=session.requests,
        error="; ".join(errors) or None,
        observation=observation,
        warnings=tuple(session.warnings),
    )


async def _chassis_mib(session: AgentSession, varbinds: parsers.VarBinds) -> dict[str, Any]:
    """The vendor chassis objects, asked only when ENTITY-MIB lacks model or serial; an
    agent that refuses them leaves a warning, not a failure (nothing else depends on them)."""
    entity = parsers.parse_chassis(varbinds)
    if entity is not None and entity.model and entity.serial:
        return {}
    wanted = vendors.chassis_oids(parsers.parse_system(varbinds).object_id)
    try:
        return await session.get(wanted)
    except SnmpError as exc:
        session.warnings.append(f"vendor chassis MIB: {exc}")
        return {}


def build_observation(
    target: Target, varbinds: parsers.VarBinds, missing: tuple[str, ...] = ()
) -> DeviceObservation:
    """All parsers over one device's varbinds (pure: also used on recorded walks)."""
    interfaces = parsers.parse_interfaces(varbinds)
    return DeviceObservation(
        target=target,
        system=parsers.parse_system(varbinds),
        chassis=parsers.parse_device_chassis(varbinds),
        vendor=parsers.parse_vendor(varbinds),
        interfaces=interfaces,
        neighbours=parsers.parse_neighbours(varbinds, interfaces),
        cdp_neighbours=parsers.parse_cdp_neighbours(varbinds),
        host=parsers.parse_host(varbinds),
        lldp_chassis_id=parsers.parse_chassis_id(varbinds.get(oids.LLDP_LOC_CHASSIS_ID)),
        lldp_sys_name=parsers.parse_text(varbinds.get(oids.LLDP_LOC_SYS_NAME)),
        missing=missing,
    )


def reading_fetcher(
    known_if_indexes: Mapping[Target, Collection[int]],
    serial_wanted: Callable[[Target, int, str | None], bool] | None = None,
    serial_oids: Mapping[Target, str] | None = None,
) -> Callable[[AgentSession, float], Awaitable[TargetOutcome]]:
    """A poll of one device: sysUpTime and what the agent says it is, octet counters,
    host gauges; failure stores nothing.

    64-bit counters are walked; 32-bit ones are asked (GET) only for the interfaces
    the inventory knows that lack a 64-bit counter, or walked when the agent serves
    no 64-bit counter at all. Decoding responses is most of a poll's CPU: reading
    both widths for every port would double it. The OID where the agent answered its
    serial before (``serial_oids``) is asked in the first GET; the serial is read in
    full only when ``serial_wanted(target, sysUpTime, what that OID answered)`` says the
    agent may have been swapped. Every counter request also asks sysUpTime
    (``AgentSession.clock``): a counter's rate is timed by the agent's clock in the
    answer that carried it, however long the requests before it took.
    """

    async def fetch(session: AgentSession, deadline: float) -> TargetOutcome:
        started = time.perf_counter()
        remembered = (serial_oids or {}).get(session.target)
        varbinds = await _poll_scalars(session, remembered)
        answered = parsers.parse_text(varbinds.get(remembered or ""))
        async with asyncio.timeout(max(0.0, deadline - time.perf_counter())):
            uptime = varbinds.get(oids.SYS_UPTIME)
            walked = (
                serial_wanted is not None
                and isinstance(uptime, int)
                and serial_wanted(session.target, uptime, answered)
            )
            if walked:
                varbinds.update(await _serial(session, varbinds))
            session.clock = True  # each counter's rate is timed by the answer it came in
            varbinds.update(await _counters(session, known_if_indexes.get(session.target)))
            for columns in oids.POLL_TABLES.values():
                varbinds.update(await session.walk(columns))
        reading = parsers.parse_counters(varbinds, session.target, session.stamps)
        if reading is None:
            raise SnmpError("the agent serves no sysUpTime")
        if not walked and remembered and answered:  # the record's serial, where it was
            identity = replace(reading.identity, serial=answered)
            reading = replace(reading, identity=identity, serial_oid=remembered)
        return TargetOutcome(
            target=session.target,
            status=RunStatus.SUCCEEDED,
            duration_s=time.perf_counter() - started,
            requests=session.requests,
            reading=reading,
            warnings=tuple(session.warnings),
        )

    return fetch


async def _poll_scalars(session: AgentSession, serial_oid: str | None) -> dict[str, Any]:
    """The poll's scalars (and where the agent keeps its serial) in one GET; an agent
    that refuses the GET for an object it lacks (SNMPv1's noSuchName) is asked the
    required ones alone."""
    extra = (serial_oid,) if serial_oid else ()
    try:
        return await session.get((*oids.POLL_SCALARS, *oids.POLL_OPTIONAL_SCALARS, *extra))
    except SnmpTimeoutError:
        raise
    except SnmpError:
        return await session.get(oids.POLL_SCALARS)


async def _serial(session: AgentSession, varbinds: parsers.VarBinds) -> dict[str, Any]:
    """ENTITY-MIB's chassis serial (three columns), else the vendor's chassis MIB; an
    agent that will not say leaves a warning (the other keys still tell)."""
    try:
        found = await session.walk(oids.ENTITY_SERIAL_COLUMNS, "entPhysicalTable")
        wanted = vendors.chassis_oids(parsers.parse_system(varbinds).object_id)
        if wanted and parsers.parse_chassis({**varbinds, **found}) is None:
            found.update(await session.get(wanted))
        return found
    except SnmpTimeoutError:
        raise
    except SnmpError as exc:
        session.warnings.append(f"serial not read: {exc}")
        return {}


async def _counters(session: AgentSession, if_indexes: Collection[int] | None) -> dict[str, Any]:
    counters = await session.walk(oids.COUNTERS_64)
    if not counters:
        return await session.walk(oids.COUNTERS_32)
    served = {oid.rsplit(".", 1)[1] for oid in counters}
    missing = [str(i) for i in sorted(if_indexes or ()) if str(i) not in served]
    wanted = [f"{col}.{i}" for i in missing for col in oids.COUNTERS_32]
    for start in range(0, len(wanted), GET_BATCH):
        counters.update(await session.get(wanted[start : start + GET_BATCH]))
    return counters


Profiles = SnmpProfile | Sequence[SnmpProfile]
"""One profile, or the ones to try in order until the agent answers (first contact)."""


async def fetch_all(
    targets: Sequence[tuple[Target, Profiles]],
    fetch: Callable[[AgentSession, float], Awaitable[TargetOutcome]],
    limits: Limits,
    progress: Progress | None = None,
) -> list[TargetOutcome]:
    """Every target once, at most ``limits.concurrency`` at a time; order as given."""
    client = SnmpClient(
        limits.timeout_s, limits.retries, limits.max_repetitions, limits.table_timeout_s
    )
    gate = asyncio.Semaphore(limits.concurrency)

    async def one(target: Target, profiles: Profiles) -> TargetOutcome:
        async with gate:
            outcome = await _bounded(client, target, _listed(profiles), fetch, limits.deadline_s)
        if progress is not None:
            progress(outcome)
        return outcome

    try:
        return list(await asyncio.gather(*(one(t, p) for t, p in targets)))
    finally:
        client.close()


def _listed(profiles: Profiles) -> tuple[SnmpProfile, ...]:
    return (profiles,) if isinstance(profiles, SnmpProfile) else tuple(profiles)


async def _bounded(
    client: SnmpClient,
    target: Target,
    profiles: Sequence[SnmpProfile],
    fetch: Callable[[AgentSession, float], Awaitable[TargetOutcome]],
    deadline_s: float,
) -> TargetOutcome:
    """The profiles in order, within the device's one deadline: the next is tried only
    when the agent answered nothing at all to the one before (a wrong community or key
    looks like silence); the first that gets an answer is the device's."""
    started = time.perf_counter()
    sessions: list[AgentSession] = []
    tried: list[str] = []
    try:
        async with asyncio.timeout(deadline_s):
            for n, profile in enumerate(profiles):
                sessions.append(await client.session(target, profile))
                try:
                    outcome = await fetch(sessions[-1], started + deadline_s)
                except SnmpError as exc:
                    if sessions[-1].answers or n == len(profiles) - 1:
                        raise
                    tried.append(f"{profile.name}: {exc}")
                    continue
                return replace(
                    outcome,
                    requests=sum(s.requests for s in sessions),
                    profile=None if profile.ad_hoc else profile.name,
                    warnings=(*_tried(profile.name, tried), *outcome.warnings),
                )
        error = "no credential profile to try"
    except TimeoutError:
        error = f"no complete answer within the device deadline of {deadline_s:g} s"
    except SnmpError as exc:
        error = str(exc) if not tried else "; ".join([*tried, f"{profiles[-1].name}: {exc}"])
    except OSError as exc:  # e.g. an address that does not resolve
        error = f"cannot reach {target.address}: {exc.strerror or exc}"
    return TargetOutcome(
        target=target,
        status=RunStatus.FAILED,
        duration_s=time.perf_counter() - started,
        requests=sum(s.requests for s in sessions),
        error=error,
    )


def _tried(name: str, tried: Sequence[str]) -> tuple[str, ...]:
    if not tried:
        return ()
    return (f"answered the credential profile {name}, not {'; '.join(tried)}",)


def run_fetch_all(
    targets: Sequence[tuple[Target, Profiles]],
    fetch: Callable[[AgentSession, float], Awaitable[TargetOutcome]],
    limits: Limits,
    progress: Progress | None = None,
) -> list[TargetOutcome]:
    """``fetch_all`` from synchronous code (the CLI, the use cases)."""
    return asyncio.run(fetch_all(targets, fetch, limits, progress))
