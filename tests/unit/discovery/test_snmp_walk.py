"""How one column's walk takes an agent's answers (``discovery.snmp.client.Column``):
the rule ``snmpbulkwalk -Cc`` follows, plus a stop on a repeated OID. The values are
pysnmp's own types, as the client receives them (no network)."""

from __future__ import annotations

from typing import Any

from pysnmp.proto import rfc1902, rfc1905

from discovery.snmp import client
from discovery.snmp.client import Column

COL = "1.0.8802.1.1.2.1.4.1.1.9"


def _walk(answers: list[tuple[str, Any]]) -> tuple[Column, dict[str, Any]]:
    col, out = Column(COL), {}
    for oid, value in answers:
        if col.end is None:
            col.take(oid, value, out)
    return col, out


def _name(text: str) -> rfc1902.OctetString:
    return rfc1902.OctetString(text.encode())


def test_rows_out_of_order_are_kept_and_counted() -> None:
    col, out = _walk(
        [
            (f"{COL}.63000.1.1", _name("a")),
            (f"{COL}.389983000.3.1", _name("b")),
            (f"{COL}.232938000.4.1", _name("c")),  # goes back: kept
            (f"{COL}.63200.5.1", _name("d")),  # back again
            ("1.0.8802.1.1.2.1.4.1.1.10.63000.1.1", _name("next column")),
        ]
    )
    assert list(out.values()) == [b"a", b"b", b"c", b"d"]
    assert (col.backwards, col.end) == (2, "left")


def test_a_repeated_oid_ends_the_column() -> None:
    col, out = _walk(
        [(f"{COL}.1.1.1", _name("a")), (f"{COL}.2.1.1", _name("b")), (f"{COL}.1.1.1", _name("a"))]
    )
    assert len(out) == 2 and (col.end, col.last) == ("repeat", f"{COL}.1.1.1")


def test_end_of_mib_view_ends_the_column_and_empty_rows_are_not_values() -> None:
    col, out = _walk(
        [
            (f"{COL}.1.1.1", rfc1905.noSuchInstance),
            (f"{COL}.2.1.1", _name("b")),
            (f"{COL}.3.1.1", rfc1905.endOfMibView),
        ]
    )
    assert out == {f"{COL}.2.1.1": b"b"} and col.end == "left"


def test_the_row_bound_ends_the_column(monkeypatch) -> None:
    monkeypatch.setattr(client, "MAX_ROWS_PER_COLUMN", 3)  # the bound, small for the test
    col, out = _walk([(f"{COL}.{i}.1.1", _name(str(i))) for i in range(1, 10)])
    assert len(out) == 3 and col.end == "bound"
