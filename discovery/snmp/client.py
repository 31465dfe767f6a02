"""The pysnmp 7 (asyncio) client: GET of scalars and bounded multi-column bulk walks.

pysnmp's own ``bulk_walk_cmd`` walks one column per request stream and, on a
timeout, yields the error and tries again forever; here one GETBULK carries every
column of a table, any error indication ends the walk with ``SnmpError``, and the
caller bounds each table and the whole device with deadlines. A walk starts with
few repetitions and grows them: an agent answers max-repetitions rows per column
even past the table's end, and decoding those is most of the CPU.

Real agents are not all well behaved (``walk``): some answer rows out of
lexicographic order (a column is read on while its answers stay in the column and
are new, as net-snmp's ``snmpbulkwalk -Cc`` does, and the session notes it), some
choke on large bulks (the table is asked again from where it stopped with fewer
repetitions, then with GETNEXT). What the session had to work around is in its
``warnings``; a table cut short by the row bound is in ``truncated``.
Values come back as plain Python (see ``parsers``).

A poll needs to know when the agent read each counter, not when we asked for the first
one: between the two, requests queue behind other agents' answers on a loaded poller.
With ``clock`` on, every request also carries sysUpTime (a GETBULK as a non-repeater,
a GET or GETNEXT as one more varbind), and ``stamps`` gives each OID read the agent's
sysUpTime in the same answer — the time base of a counter's rate.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Sequence
from typing import Any

from pyasn1.type import univ
from pysnmp.entity.rfc3413 import cmdgen
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    usm3DESEDEPrivProtocol,
    usmAesCfb128Protocol,
    usmAesCfb192Protocol,
    usmAesCfb256Protocol,
    usmDESPrivProtocol,
    usmHMAC128SHA224AuthProtocol,
    usmHMAC192SHA256AuthProtocol,
    usmHMAC256SHA384AuthProtocol,
    usmHMAC384SHA512AuthProtocol,
    usmHMACMD5AuthProtocol,
    usmHMACSHAAuthProtocol,
    usmNoAuthProtocol,
    usmNoPrivProtocol,
)
from pysnmp.hlapi.v3arch.asyncio.lcd import CommandGeneratorLcdConfigurator
from pysnmp.proto import errind, rfc1902, rfc1905

from discovery.credentials import SnmpProfile
from discovery.records import Target
from discovery.snmp.defaults import DEFAULT_TABLE_TIMEOUT_S

MAX_ROWS_PER_COLUMN = 20_000  # a bound, far above any real table we read
FIRST_REPETITIONS = 5  # a table's first GETBULK: most tables of most agents are short
LCD = CommandGeneratorLcdConfigurator()
TOO_BIG = 1  # SNMP error status tooBig (RFC 3416)
UPTIME = "1.3.6.1.2.1.1.3.0"
UPTIME_BEFORE = "1.3.6.1.2.1.1.3"  # the OID a GETNEXT or a GETBULK non-repeater asks to get UPTIME
GET = cmdgen.GetCommandGenerator()
NEXT = cmdgen.NextCommandGeneratorSingleRun()
BULK = cmdgen.BulkCommandGeneratorSingleRun()

AUTH = {
    None: usmNoAuthProtocol,
    "md5": usmHMACMD5AuthProtocol,
    "sha": usmHMACSHAAuthProtocol,
    "sha224": usmHMAC128SHA224AuthProtocol,
    "sha256": usmHMAC192SHA256AuthProtocol,
    "sha384": usmHMAC256SHA384AuthProtocol,
    "sha512": usmHMAC384SHA512AuthProtocol,
}
PRIV = {
    None: usmNoPrivProtocol,
    "des": usmDESPrivProtocol,
    "3des": usm3DESEDEPrivProtocol,
    "aes": usmAesCfb128Protocol,
    "aes192": usmAesCfb192Protocol,
    "aes256": usmAesCfb256Protocol,
}
EMPTY = (rfc1905.NoSuchObject, rfc1905.NoSuchInstance, rfc1905.EndOfMibView, univ.Null)


class SnmpError(Exception):
    """The agent did not answer usefully; the message is fit for an operator."""


def explain(indication: Any) -> str:
    """An error indication in words an engineer can act on (never with a secret)."""
    if isinstance(indication, errind.RequestTimedOut):
        return "timeout: no SNMP response (host down, port closed, wrong community or ACL?)"
    if isinstance(indication, errind.WrongDigest):
        return "SNMPv3 authentication failed: wrong auth key or auth protocol"
    if isinstance(indication, errind.DecryptionError):
        return "SNMPv3 decryption failed: wrong privacy key or privacy protocol"
    if isinstance(indication, errind.UnknownUserName):
        return "SNMPv3 user unknown to the agent"
    if isinstance(indication, errind.UnsupportedSecurityLevel):
        return "SNMPv3 security level not supported by the agent for this user"
    return f"SNMP error: {indication}"


def auth_data(profile: SnmpProfile) -> CommunityData | UsmUserData:
    if profile.version == "3":
        return UsmUserData(
            profile.user or "",
            authKey=profile.auth_key,
            privKey=profile.priv_key,
            authProtocol=AUTH[profile.auth_protocol],
            privProtocol=PRIV[profile.priv_protocol],
        )
    return CommunityData(profile.community or "", mpModel=0 if profile.version == "1" else 1)


def plain(value: Any) -> Any:
    """A pysnmp value as plain Python: int, bytes, dotted OID text; None when empty."""
    if isinstance(value, EMPTY):
        return None
    if isinstance(value, rfc1902.IpAddress):
        return socket.inet_ntoa(value.asOctets())
    if isinstance(value, univ.OctetString):
        return value.asOctets()
    if isinstance(value, univ.ObjectIdentifier):
        return str(value)
    if isinstance(value, univ.Integer):
        return int(value)
    return value.prettyPrint()


def _oid_key(oid: str) -> tuple[int, ...]:
    return tuple(int(p) for p in oid.split("."))


class SnmpTimeoutError(SnmpError):
    """No answer in time: the agent may be down, or choking on what was asked."""


class TooBigError(SnmpError):
    """The agent's answer would not fit in one message (error status tooBig)."""


class Column:
    """One column's walk: where it goes on from, what it has seen, why it ended.

    An answer ends the column when it leaves the column's subtree (or the agent's
    MIB view), repeats an OID already read, or the row bound is reached; an answer
    that goes back (not after the last one) is kept and counted, since agents that
    serve rows out of order still serve each row once.
    """

    def __init__(self, oid: str) -> None:
        self.oid, self.prefix, self.last = oid, oid + ".", oid
        self.seen: set[str] = set()
        self.backwards = 0
        self.end: str | None = None  # "left", "repeat" or "bound" once ended

    def take(self, oid: str, value: Any, out: dict[str, Any]) -> None:
        if isinstance(value, rfc1905.EndOfMibView) or not oid.startswith(self.prefix):
            self.end = "left"
            return
        if oid in self.seen:
            self.end, self.last = "repeat", oid
            return
        if _oid_key(oid) <= _oid_key(self.last):
            self.backwards += 1
        self.seen.add(oid)
        self.last = oid
        if not isinstance(value, EMPTY):
            out[oid] = plain(value)
        if len(self.seen) >= MAX_ROWS_PER_COLUMN:
            self.end = "bound"


class AgentSession:
    """Requests to one agent with one profile; counts what it sent, notes what it met."""

    def __init__(
        self,
        engine: SnmpEngine,
        target: Target,
        profile: SnmpProfile,
        transport: UdpTransportTarget,
        max_repetitions: int,
        table_timeout_s: float = DEFAULT_TABLE_TIMEOUT_S,
    ) -> None:
        self.engine = engine
        self.target = target
        self.auth = auth_data(profile)
        self.transport = transport
        self.context = ContextData(contextName=profile.context or "")
        # 0: GETNEXT only (SNMPv1 has no GETBULK; an agent that choked on bulks)
        self.max_repetitions = 0 if profile.version == "1" else max_repetitions
        self.table_timeout_s = table_timeout_s
        self.requests = 0
        self.answers = 0  # responses received: a profile that got one is the right one
        self.warnings: list[str] = []
        self.truncated: list[str] = []  # tables cut short by the row bound: rows lost
        self.clock = False  # ask sysUpTime in every request (a poll's counters)
        self.stamps: dict[str, int] = {}  # OID → the agent's sysUpTime in its answer

    async def get(self, oids: Sequence[str]) -> dict[str, Any]:
        """Scalars by OID; ones the agent does not serve are left out."""
        asked = [*oids, UPTIME] if self.clock and UPTIME not in oids else list(oids)
        var_binds = [(rfc1902.ObjectName(o), univ.Null("")) for o in asked]
        table = await self._send(GET, var_binds)
        if len(asked) > len(oids):
            table = self._stamped(table[:-1], table[-1:])
        return {str(name): plain(v) for name, v in table if not isinstance(v, EMPTY)}

    def _stamped(self, answer: list[Any], clock: list[Any]) -> list[Any]:
        """``answer`` once its OIDs are stamped with the sysUpTime in ``clock`` (when the
        agent gave one: nothing is stamped from an answer without it)."""
        ticks = [v for name, v in clock if str(name) == UPTIME and not isinstance(v, EMPTY)]
        if ticks:
            self.stamps.update(dict.fromkeys((str(name) for name, _ in answer), int(ticks[0])))
        return answer

    async def walk(self, columns: Sequence[str], table: str | None = None) -> dict[str, Any]:
        """Every row of the given columns, walked side by side with GETBULK (or GETNEXT).

        ``table`` names the columns in warnings (else the first column's OID).
        """
        out: dict[str, Any] = {}
        walks = [Column(c) for c in columns]
        pending, repetitions = walks, FIRST_REPETITIONS
        while pending:
            answer = await self._next_rows([c.last for c in pending], repetitions, table)
            for i, (name, value) in enumerate(answer):
                col = pending[i % len(pending)]
                if col.end is None:
                    col.take(str(name), value, out)
            if not answer:
                break
            pending = [c for c in pending if c.end is None]
            repetitions *= 4
        self._note(table or columns[0], walks)
        return out

    async def _next_rows(self, oids: Sequence[str], repetitions: int, table: str | None) -> list:
        """The rows after ``oids``: a GETBULK of at most ``max_repetitions``; when the agent
        does not answer it (timeout, tooBig), the same again with fewer, then GETNEXT."""
        clock = [UPTIME_BEFORE] if self.clock else []
        var_binds = [(rfc1902.ObjectName(o), univ.Null("")) for o in (*clock, *oids)]
        while True:
            asked = min(repetitions, self.max_repetitions)
            try:
                if asked == 0:
                    answer = await self._send(NEXT, var_binds)
                else:
                    answer = await self._send(BULK, var_binds, len(clock), asked)
                return self._stamped(answer[len(clock) :], answer[: len(clock)])
            except (SnmpTimeoutError, TooBigError) as exc:
                if asked == 0:
                    raise
                self.max_repetitions = 0 if asked <= 1 else max(1, asked // 5)
                fewer = self.max_repetitions or "GETNEXT"
                self.warnings.append(
                    f"{table or oids[0]}: a GETBULK of {asked} rows got no answer ({exc});"
                    f" asked again with {fewer}"
                )

    def _note(self, table: str, walks: Sequence[Column]) -> None:
        backwards = sum(c.backwards for c in walks)
        if backwards:
            self.warnings.append(
                f"{table}: the agent answered {backwards} OIDs out of order; read on while"
                " they stayed in the table and were new (as snmpbulkwalk -Cc)"
            )
        for c in walks:
            if c.end == "repeat":
                self.warnings.append(f"{table}: the agent answered {c.last} twice; stopped there")
            if c.end == "bound":
                self.truncated.append(table)
                self.warnings.append(f"{table}: {c.oid} stopped at {MAX_ROWS_PER_COLUMN} rows")

    async def _send(self, generator: Any, var_binds: list[Any], *bulk: int) -> list[Any]:
        """One request through pysnmp's command generator, without hlapi's MIB lookups.

        ``get_cmd``/``bulk_cmd`` resolve every OID against the MIB tree on the way out,
        a tenth of a poll's CPU for nothing: numeric OIDs need no resolving.
        """
        address, _params = LCD.configure(
            self.engine, self.auth, self.transport, self.context.contextName
        )
        future: asyncio.Future[tuple[Any, Any, Any]] = asyncio.get_running_loop().create_future()

        def done(
            _engine: Any,
            _handle: Any,
            indication: Any,
            status: Any,
            _index: Any,
            answer: Any,
            _ctx: Any,
        ) -> None:
            if not future.done():
                future.set_result((indication, status, answer))

        self.requests += 1
        generator.send_varbinds(
            self.engine,
            address,
            self.context.contextEngineId,
            self.context.contextName,
            *bulk,
            var_binds,
            done,
        )
        indication, status, answer = await future
        if not indication:
            self.answers += 1
        if isinstance(indication, errind.RequestTimedOut):
            raise SnmpTimeoutError(explain(indication))
        if indication:
            raise SnmpError(explain(indication))
        if status == TOO_BIG:
            raise TooBigError("SNMP error status: tooBig")
        if status:
            raise SnmpError(f"SNMP error status: {status.prettyPrint()}")
        return list(answer)


class SnmpClient:
    """One SNMP engine for a whole run (one UDP socket), shared by every agent session."""

    def __init__(
        self,
        timeout_s: float = 1.0,
        retries: int = 1,
        max_repetitions: int = 25,
        table_timeout_s: float = DEFAULT_TABLE_TIMEOUT_S,
    ) -> None:
        self.engine = SnmpEngine()
        self.timeout_s = timeout_s
        self.retries = retries
        self.max_repetitions = max_repetitions
        self.table_timeout_s = table_timeout_s

    async def session(self, target: Target, profile: SnmpProfile) -> AgentSession:
        transport = await UdpTransportTarget.create(
            (target.host, target.port), timeout=self.timeout_s, retries=self.retries
        )
        return AgentSession(
            self.engine, target, profile, transport, self.max_repetitions, self.table_timeout_s
        )

    def close(self) -> None:
        self.engine.close_dispatcher()
